import { Hold } from '@spot/db';
import { TRPCError } from '@trpc/server';
import type { Context, SessionUser } from '../trpc.ts';
import { confirmPayment } from './issuance.ts';
import { paymentProvider } from './provider.ts';
import { SimulatedPaymentProvider } from './simulated-provider.ts';

type AuthedContext = Context & { user: SessionUser };

/**
 * The simulated provider's "pay" button (development only): the intent succeeds, then the very
 * code Stripe's `payment_intent.succeeded` webhook runs issues the tickets.
 */
export async function simulatePay(ctx: AuthedContext, holdId: string) {
  const provider = paymentProvider();
  if (!(provider instanceof SimulatedPaymentProvider)) {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'Payments go through Stripe here; simulated payments are off.',
    });
  }
  const hold = await Hold.findOne({ _id: holdId, userId: ctx.user.id }).lean();
  if (!hold) throw new TRPCError({ code: 'NOT_FOUND', message: 'Checkout not found.' });
  if (!hold.paymentIntentId) {
    throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'Nothing to pay for this order.' });
  }
  try {
    await provider.pay(hold.paymentIntentId);
  } catch {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'This payment is no longer open (the server restarted); start again.',
    });
  }
  const result = await confirmPayment(hold.paymentIntentId);
  return {
    holdId,
    status: result.status,
    ticketIds: result.status === 'issued' ? result.ticketIds.map((id) => id.toHexString()) : [],
    outcome: result.status === 'issued' ? null : result.reason,
  };
}
