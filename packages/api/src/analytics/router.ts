import { eventIdOnly } from '../checkin/schemas.ts';
import { createTRPCRouter, organizerProcedure } from '../trpc.ts';
import { liveNumbers, rebuildLiveNumbers } from './live.ts';
import * as reports from './reports.ts';
import { timeSeriesInput } from './schemas.ts';

// Organizers see their own events, admins any event; the Pro-only reports (see
// billing/gating.ts) check the plan first, so a free organizer learns nothing about event ids.
const organizer = organizerProcedure.meta({ access: 'organizer' });

export const analyticsRouter = createTRPCRouter({
  live: organizer.input(eventIdOnly).query(({ ctx, input }) => liveNumbers(ctx, input.eventId)),
  rebuildCounters: organizer
    .input(eventIdOnly)
    .mutation(({ ctx, input }) => rebuildLiveNumbers(ctx, input.eventId)),
  summary: organizer
    .input(eventIdOnly)
    .query(({ ctx, input }) => reports.summary(ctx, input.eventId)),
  timeSeries: organizer
    .input(timeSeriesInput)
    .query(({ ctx, input }) => reports.timeSeries(ctx, input)),
  funnel: organizer
    .input(eventIdOnly)
    .query(({ ctx, input }) => reports.funnel(ctx, input.eventId)),
});
