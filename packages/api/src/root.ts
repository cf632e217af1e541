import { adminRouter } from './admin/router.ts';
import { analyticsRouter } from './analytics/router.ts';
import { authRouter } from './auth/router.ts';
import { billingRouter } from './billing/router.ts';
import { checkinRouter } from './checkin/router.ts';
import { eventsRouter } from './events/router.ts';
import { exploreRouter } from './explore/router.ts';
import { moderationRouter } from './moderation/router.ts';
import { paymentsRouter } from './payments/router.ts';
import { ticketsRouter } from './tickets/router.ts';
import { createTRPCRouter } from './trpc.ts';

export const appRouter = createTRPCRouter({
  auth: authRouter,
  events: eventsRouter,
  explore: exploreRouter,
  tickets: ticketsRouter,
  payments: paymentsRouter,
  billing: billingRouter,
  checkin: checkinRouter,
  analytics: analyticsRouter,
  moderation: moderationRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
