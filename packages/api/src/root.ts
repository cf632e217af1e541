import { authRouter } from './auth/router.ts';
import { eventsRouter } from './events/router.ts';
import { exploreRouter } from './explore/router.ts';
import { createTRPCRouter } from './trpc.ts';

export const appRouter = createTRPCRouter({
  auth: authRouter,
  events: eventsRouter,
  explore: exploreRouter,
});

export type AppRouter = typeof appRouter;
