import { getConfig } from '@spot/config';
import { Subscription } from '@spot/db';
import { TRPCError } from '@trpc/server';
import { Types } from 'mongoose';
import { paymentProvider } from '../payments/provider.ts';
import type { Context, SessionUser } from '../trpc.ts';
import { applySubscriptionEvent } from './subscriptions.ts';

type AuthedContext = Context & { user: SessionUser };

const SIMULATED_PERIOD_MS = 30 * 24 * 60 * 60 * 1000;

export interface BillingStatus {
  plan: 'free' | 'pro';
  status: 'active' | 'past_due' | 'canceled' | 'incomplete' | 'none';
  isPremium: boolean;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  provider: 'stripe' | 'simulated';
}

export async function billingStatus(ctx: AuthedContext): Promise<BillingStatus> {
  const subscription = await Subscription.findOne({ userId: ctx.user.id }).lean();
  return {
    plan: subscription?.plan ?? 'free',
    status: subscription?.stripeSubscriptionId ? subscription.status : 'none',
    isPremium: ctx.user.isPremium,
    currentPeriodEnd: subscription?.currentPeriodEnd ?? null,
    cancelAtPeriodEnd: subscription?.cancelAtPeriodEnd ?? false,
    provider: paymentProvider().name,
  };
}

/**
 * Starts the Pro upgrade: with Stripe, a Checkout Session in subscription mode (the browser goes
 * to `url`; the subscription webhooks then switch the plan); with the simulated provider, Pro is
 * activated at once through the same code the webhooks run.
 */
export async function upgrade(
  ctx: AuthedContext,
): Promise<{ url: string | null; activated: boolean }> {
  if (ctx.user.isPremium) {
    throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'You are already on Spot Pro.' });
  }
  const provider = paymentProvider();
  const userId = new Types.ObjectId(ctx.user.id);
  if (provider.name === 'simulated') {
    const now = Date.now();
    await applySubscriptionEvent(
      'created',
      {
        id: `sub_sim_${ctx.user.id}`,
        customerId: `cus_sim_${ctx.user.id}`,
        status: 'active',
        cancelAtPeriodEnd: false,
        currentPeriodEnd: new Date(now + SIMULATED_PERIOD_MS),
        metadata: { userId: ctx.user.id },
      },
      Math.floor(now / 1000),
    );
    return { url: null, activated: true };
  }
  let subscription = await Subscription.findOne({ userId }).lean();
  let customerId = subscription?.stripeCustomerId;
  if (!customerId) {
    const customer = await provider.createCustomer({
      email: ctx.user.email,
      name: ctx.user.name,
      userId: ctx.user.id,
    });
    customerId = customer.id;
    subscription = await Subscription.findOneAndUpdate(
      { userId },
      {
        $set: { stripeCustomerId: customerId },
        $setOnInsert: { plan: 'free', status: 'incomplete' },
      },
      { upsert: true, returnDocument: 'after' },
    ).lean();
  }
  const webUrl = getConfig().WEB_URL;
  const session = await provider.createSubscriptionCheckout({
    customerId,
    userId: ctx.user.id,
    successUrl: `${webUrl}/organizer/billing?upgraded=1`,
    cancelUrl: `${webUrl}/organizer/billing`,
    // One open session per user per minute: double clicks reuse it.
    idempotencyKey: `upgrade:${ctx.user.id}:${Math.floor(Date.now() / 60_000)}`,
  });
  return { url: session.url, activated: false };
}

const noSubscription = () =>
  new TRPCError({ code: 'PRECONDITION_FAILED', message: 'You have no Spot Pro subscription.' });

/**
 * Renewal on or off: off = Pro stays until the end of the paid period, then ends (Stripe's
 * "cancel at period end"); on again before then = it renews as before. With Stripe the change is
 * applied from Stripe's answer at once, and its webhook confirms it.
 */
export async function setRenewal(ctx: AuthedContext, renew: boolean): Promise<BillingStatus> {
  const subscription = await Subscription.findOne({ userId: ctx.user.id }).lean();
  if (!subscription?.stripeSubscriptionId || subscription.plan !== 'pro') throw noSubscription();
  const provider = paymentProvider();
  const changed =
    provider.name === 'simulated'
      ? {
          id: subscription.stripeSubscriptionId,
          customerId: subscription.stripeCustomerId ?? `cus_sim_${ctx.user.id}`,
          status: subscription.status,
          cancelAtPeriodEnd: !renew,
          currentPeriodEnd: subscription.currentPeriodEnd ?? null,
          metadata: { userId: ctx.user.id },
        }
      : await provider.setCancelAtPeriodEnd(subscription.stripeSubscriptionId, !renew);
  await applySubscriptionEvent('updated', changed, Math.floor(Date.now() / 1000));
  return billingStatus(ctx);
}

/** Where to manage the card and invoices: Stripe's customer portal (null without Stripe). */
export async function billingPortal(ctx: AuthedContext): Promise<{ url: string | null }> {
  const subscription = await Subscription.findOne({ userId: ctx.user.id }).lean();
  if (!subscription?.stripeCustomerId) throw noSubscription();
  const portal = await paymentProvider().createBillingPortal({
    customerId: subscription.stripeCustomerId,
    returnUrl: `${getConfig().WEB_URL}/organizer/billing`,
  });
  return { url: portal?.url ?? null };
}
