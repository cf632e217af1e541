import { createTRPCRouter, organizerProcedure } from '../trpc.ts';
import { renewalInput } from './schemas.ts';
import * as billing from './service.ts';

const organizer = organizerProcedure.meta({ access: 'organizer' });

export const billingRouter = createTRPCRouter({
  status: organizer.query(({ ctx }) => billing.billingStatus(ctx)),
  upgrade: organizer.mutation(({ ctx }) => billing.upgrade(ctx)),
  setRenewal: organizer
    .input(renewalInput)
    .mutation(({ ctx, input }) => billing.setRenewal(ctx, input.renew)),
  portal: organizer.mutation(({ ctx }) => billing.billingPortal(ctx)),
});
