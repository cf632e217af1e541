import { authedProcedure, createTRPCRouter, organizerProcedure } from '../trpc.ts';
import {
  addStaffInput,
  attendeeSearchInput,
  eventIdOnly,
  failedScansInput,
  manualCheckInInput,
  removeStaffInput,
  scanInput,
  undoCheckInInput,
} from './schemas.ts';
import * as checkin from './service.ts';

// Door staff can be plain users, so the door procedures are `authed` and each checks the
// caller's role at that event's door; staff management is for the event's organizer.
const door = authedProcedure.meta({ access: 'authed' });
const organizer = organizerProcedure.meta({ access: 'organizer' });

export const checkinRouter = createTRPCRouter({
  scannableEvents: door.query(({ ctx }) => checkin.scannableEvents(ctx)),
  scan: door.input(scanInput).mutation(({ ctx, input }) => checkin.scan(ctx, input)),
  manualCheckIn: door
    .input(manualCheckInInput)
    .mutation(({ ctx, input }) => checkin.manualCheckIn(ctx, input)),
  searchAttendees: door
    .input(attendeeSearchInput)
    .query(({ ctx, input }) => checkin.searchAttendees(ctx, input)),
  undo: door.input(undoCheckInInput).mutation(({ ctx, input }) => checkin.undoCheckIn(ctx, input)),
  realtimeToken: door.query(({ ctx }) => checkin.realtimeToken(ctx)),
  failedScans: organizer
    .input(failedScansInput)
    .query(({ ctx, input }) => checkin.failedScans(ctx, input)),
  staff: organizer
    .input(eventIdOnly)
    .query(({ ctx, input }) => checkin.listStaff(ctx, input.eventId)),
  addStaff: organizer
    .input(addStaffInput)
    .mutation(({ ctx, input }) => checkin.addStaff(ctx, input)),
  removeStaff: organizer
    .input(removeStaffInput)
    .mutation(({ ctx, input }) => checkin.removeStaff(ctx, input)),
});
