import { eventIdOnly } from '../checkin/schemas.ts';
import { createTRPCRouter, organizerProcedure } from '../trpc.ts';
import { liveNumbers, rebuildLiveNumbers } from './live.ts';

const organizer = organizerProcedure.meta({ access: 'organizer' });

export const analyticsRouter = createTRPCRouter({
  live: organizer.input(eventIdOnly).query(({ ctx, input }) => liveNumbers(ctx, input.eventId)),
  rebuildCounters: organizer
    .input(eventIdOnly)
    .mutation(({ ctx, input }) => rebuildLiveNumbers(ctx, input.eventId)),
});
