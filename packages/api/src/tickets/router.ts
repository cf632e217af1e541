import { pageInput } from '../events/schemas.ts';
import { authedProcedure, createTRPCRouter, organizerProcedure, publicProcedure } from '../trpc.ts';
import { qrPublicJwk } from './qr.ts';
import { registerEventRefunds } from './refunds.ts';
import { bookingsInput, holdIdInput, purchaseInput, ticketIdInput } from './schemas.ts';
import * as tickets from './service.ts';

registerEventRefunds();

const authed = authedProcedure.meta({ access: 'authed' });

export const ticketsRouter = createTRPCRouter({
  purchase: authed.input(purchaseInput).mutation(({ ctx, input }) => tickets.purchase(ctx, input)),
  holdStatus: authed
    .input(holdIdInput)
    .query(({ ctx, input }) => tickets.holdStatus(ctx, input.holdId)),
  abandon: authed
    .input(holdIdInput)
    .mutation(({ ctx, input }) => tickets.abandonHold(ctx, input.holdId)),
  mine: authed.input(pageInput).query(({ ctx, input }) => tickets.myTickets(ctx, input)),
  get: authed.input(ticketIdInput).query(({ ctx, input }) => tickets.getTicket(ctx, input.id)),
  cancel: authed
    .input(ticketIdInput)
    .mutation(({ ctx, input }) => tickets.cancelTicket(ctx, input.id)),
  bookings: organizerProcedure
    .meta({ access: 'organizer' })
    .input(bookingsInput)
    .query(({ ctx, input }) => tickets.eventBookings(ctx, input)),
  qrPublicKey: publicProcedure.meta({ access: 'public' }).query(() => qrPublicJwk()),
});
