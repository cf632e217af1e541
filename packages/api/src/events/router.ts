import { createTRPCRouter, organizerProcedure } from '../trpc.ts';
import {
  createEventInput,
  eventIdInput,
  pageInput,
  suggestInput,
  updateEventInput,
} from './schemas.ts';
import * as events from './service.ts';
import { suggestionProvider } from './suggestions.ts';

const organizer = organizerProcedure.meta({ access: 'organizer' });

export const eventsRouter = createTRPCRouter({
  create: organizer
    .input(createEventInput)
    .mutation(({ ctx, input }) => events.createEvent(ctx, input)),
  update: organizer
    .input(updateEventInput)
    .mutation(({ ctx, input }) => events.updateEvent(ctx, input)),
  publish: organizer
    .input(eventIdInput)
    .mutation(({ ctx, input }) => events.setPublished(ctx, input.id, true)),
  unpublish: organizer
    .input(eventIdInput)
    .mutation(({ ctx, input }) => events.setPublished(ctx, input.id, false)),
  delete: organizer
    .input(eventIdInput)
    .mutation(({ ctx, input }) => events.deleteEvent(ctx, input.id)),
  cancel: organizer
    .input(eventIdInput)
    .mutation(({ ctx, input }) => events.cancelEvent(ctx, input.id)),
  mine: organizer.input(pageInput).query(({ ctx, input }) => events.myEvents(ctx, input)),
  get: organizer.input(eventIdInput).query(({ ctx, input }) => events.getEvent(ctx, input.id)),
  // A mutation only so that long drafts travel in a POST body rather than the URL.
  suggest: organizer
    .input(suggestInput)
    .mutation(({ input }) => suggestionProvider().suggest(input)),
});
