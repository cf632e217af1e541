import { authedProcedure, createTRPCRouter } from '../trpc.ts';
import { holdIdInput } from './schemas.ts';
import * as payments from './service.ts';

export const paymentsRouter = createTRPCRouter({
  simulatePay: authedProcedure
    .meta({ access: 'authed' })
    .input(holdIdInput)
    .mutation(({ ctx, input }) => payments.simulatePay(ctx, input.holdId)),
});
