import { Subscription, type SubscriptionStatus, User } from '@spot/db';
import { Types } from 'mongoose';
import { isDuplicateKey } from '../lib/mongo-errors.ts';
import type { SubscriptionInfo } from '../payments/provider.ts';

export type SubscriptionChange = 'created' | 'updated' | 'deleted';
const RANK: Record<SubscriptionChange, number> = { created: 0, updated: 1, deleted: 2 };

/**
 * Stripe's subscription status in Spot's terms, and whether it grants Pro:
 * - active / trialing: Pro;
 * - past_due: Pro is kept while Stripe retries the card (grace period), shown as past_due;
 * - unpaid / paused: not Pro (retries exhausted, or paused), shown as past_due;
 * - incomplete (first payment pending): not Pro yet; incomplete_expired / canceled: not Pro.
 * `cancel_at_period_end` keeps Pro until Stripe deletes the subscription at the period end.
 */
function interpret(
  status: string,
  change: SubscriptionChange,
): { status: SubscriptionStatus; premium: boolean } {
  if (change === 'deleted') return { status: 'canceled', premium: false };
  switch (status) {
    case 'active':
    case 'trialing':
      return { status: 'active', premium: true };
    case 'past_due':
      return { status: 'past_due', premium: true };
    case 'unpaid':
    case 'paused':
      return { status: 'past_due', premium: false };
    case 'incomplete':
      return { status: 'incomplete', premium: false };
    default:
      return { status: 'canceled', premium: false };
  }
}

async function userIdFor(subscription: SubscriptionInfo): Promise<Types.ObjectId | null> {
  const fromMetadata = subscription.metadata.userId;
  if (fromMetadata && Types.ObjectId.isValid(fromMetadata)) return new Types.ObjectId(fromMetadata);
  const known = await Subscription.findOne(
    {
      $or: [
        { stripeSubscriptionId: subscription.id },
        { stripeCustomerId: subscription.customerId },
      ],
    },
    { userId: 1 },
  ).lean();
  return known?.userId ?? null;
}

/**
 * Applies a `customer.subscription.*` event (or the simulated upgrade) to Subscription and
 * User.isPremium. Events carry their creation time: one older than the last applied (Stripe does
 * not guarantee order) is ignored; within the same second, deleted > updated > created.
 */
export async function applySubscriptionEvent(
  change: SubscriptionChange,
  subscription: SubscriptionInfo,
  createdSeconds: number,
): Promise<'applied' | 'stale' | 'unknown_user'> {
  const userId = await userIdFor(subscription);
  if (!userId) return 'unknown_user';
  const order = createdSeconds * 10 + RANK[change];
  const state = interpret(subscription.status, change);
  try {
    await Subscription.findOneAndUpdate(
      { userId, $or: [{ lastEventOrder: null }, { lastEventOrder: { $lte: order } }] },
      {
        $set: {
          plan: state.premium ? 'pro' : 'free',
          status: state.status,
          stripeCustomerId: subscription.customerId,
          stripeSubscriptionId: subscription.id,
          cancelAtPeriodEnd: change !== 'deleted' && subscription.cancelAtPeriodEnd,
          currentPeriodEnd: subscription.currentPeriodEnd,
          lastEventOrder: order,
        },
      },
      { upsert: true },
    );
  } catch (error) {
    // The upsert met the user's document holding a newer event: this one is stale.
    if (isDuplicateKey(error)) return 'stale';
    throw error;
  }
  // From the stored state, so concurrent events converge on the newest one.
  const stored = await Subscription.findOne({ userId }, { plan: 1, lastEventOrder: 1 }).lean();
  if (stored?.lastEventOrder !== order) return 'stale';
  await User.updateOne({ _id: userId }, { $set: { isPremium: stored.plan === 'pro' } });
  return 'applied';
}
