import { eventIdInput, pageInput } from '../events/schemas.ts';
import { authedProcedure, createTRPCRouter, publicProcedure } from '../trpc.ts';
import { exploreListInput } from './schemas.ts';
import * as explore from './service.ts';

const anyone = publicProcedure.meta({ access: 'public' });

export const exploreRouter = createTRPCRouter({
  list: anyone.input(exploreListInput).query(({ input }) => explore.listEvents(input)),
  get: anyone.input(eventIdInput).query(({ ctx, input }) => explore.getEventPage(ctx, input.id)),
  ticketOptions: anyone
    .input(eventIdInput)
    .query(({ ctx, input }) => explore.ticketOptions(ctx, input.id)),
  forYou: authedProcedure
    .meta({ access: 'authed' })
    .input(pageInput)
    .query(({ ctx, input }) => explore.eventsForYou(ctx, input)),
});
