import { authedProcedure, createTRPCRouter } from '../trpc.ts';
import { myDisputesInput, openDisputeInput, reportEventInput } from './schemas.ts';
import * as moderation from './service.ts';

// What any signed-in user brings to the moderators; the admins' side is in admin/.
const authed = authedProcedure.meta({ access: 'authed' });

export const moderationRouter = createTRPCRouter({
  reportEvent: authed
    .input(reportEventInput)
    .mutation(({ ctx, input }) => moderation.reportEvent(ctx, input)),
  openDispute: authed
    .input(openDisputeInput)
    .mutation(({ ctx, input }) => moderation.openDispute(ctx, input)),
  myDisputes: authed
    .input(myDisputesInput)
    .query(({ ctx, input }) => moderation.myDisputes(ctx, input)),
});
