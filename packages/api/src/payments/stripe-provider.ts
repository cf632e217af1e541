import type { Env } from '@spot/config';
import type Stripe from 'stripe';
import type {
  NewPaymentIntent,
  PaymentIntentInfo,
  PaymentProvider,
  SubscriptionInfo,
} from './provider.ts';
import { stripeClient } from './stripe-client.ts';

function toIntentInfo(intent: Stripe.PaymentIntent): PaymentIntentInfo {
  return {
    id: intent.id,
    status: intent.status,
    amount: intent.amount,
    currency: intent.currency,
    metadata: { ...intent.metadata },
    clientSecret: intent.client_secret,
  };
}

/** The period end moved from the subscription to its items in recent API versions. */
function periodEnd(subscription: Stripe.Subscription): Date | null {
  const legacy = (subscription as unknown as { current_period_end?: number }).current_period_end;
  const seconds = subscription.items?.data?.[0]?.current_period_end ?? legacy;
  return typeof seconds === 'number' ? new Date(seconds * 1000) : null;
}

export function toSubscriptionInfo(subscription: Stripe.Subscription): SubscriptionInfo {
  return {
    id: subscription.id,
    customerId:
      typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id,
    status: subscription.status,
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    currentPeriodEnd: periodEnd(subscription),
    metadata: { ...subscription.metadata },
  };
}

export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  private readonly stripe: Stripe;

  constructor(private readonly config: Env) {
    this.stripe = stripeClient(config);
  }

  async createPaymentIntent(input: NewPaymentIntent): Promise<PaymentIntentInfo> {
    const intent = await this.stripe.paymentIntents.create(
      {
        amount: input.amount,
        currency: input.currency,
        metadata: input.metadata,
        automatic_payment_methods: { enabled: true },
      },
      { idempotencyKey: input.idempotencyKey },
    );
    return toIntentInfo(intent);
  }

  async retrievePaymentIntent(id: string): Promise<PaymentIntentInfo> {
    return toIntentInfo(await this.stripe.paymentIntents.retrieve(id));
  }

  async cancelPaymentIntent(id: string): Promise<void> {
    try {
      await this.stripe.paymentIntents.cancel(id);
    } catch (error) {
      // Already succeeded or cancelled: nothing to cancel; the webhook tells us which.
      if ((error as { type?: string }).type !== 'StripeInvalidRequestError') throw error;
    }
  }

  async refund(input: {
    paymentIntentId: string;
    amount: number;
    reason: string;
    idempotencyKey: string;
  }): Promise<{ id: string }> {
    const refund = await this.stripe.refunds.create(
      {
        payment_intent: input.paymentIntentId,
        amount: input.amount,
        metadata: { reason: input.reason },
      },
      { idempotencyKey: input.idempotencyKey },
    );
    return { id: refund.id };
  }

  async createCustomer(input: {
    email: string;
    name: string;
    userId: string;
  }): Promise<{ id: string }> {
    const customer = await this.stripe.customers.create(
      { email: input.email, name: input.name, metadata: { userId: input.userId } },
      { idempotencyKey: `customer:${input.userId}` },
    );
    return { id: customer.id };
  }

  async createSubscriptionCheckout(input: {
    customerId: string;
    userId: string;
    successUrl: string;
    cancelUrl: string;
    idempotencyKey: string;
  }): Promise<{ id: string; url: string | null }> {
    const price = this.config.STRIPE_PRO_PRICE_ID;
    const session = await this.stripe.checkout.sessions.create(
      {
        mode: 'subscription',
        customer: input.customerId,
        client_reference_id: input.userId,
        line_items: [
          price
            ? { price, quantity: 1 }
            : {
                quantity: 1,
                price_data: {
                  currency: 'eur',
                  unit_amount: this.config.PRO_PLAN_PRICE,
                  recurring: { interval: 'month' },
                  product_data: { name: 'Spot Pro' },
                },
              },
        ],
        subscription_data: { metadata: { userId: input.userId } },
        metadata: { userId: input.userId },
        success_url: input.successUrl,
        cancel_url: input.cancelUrl,
      },
      { idempotencyKey: input.idempotencyKey },
    );
    return { id: session.id, url: session.url };
  }

  async retrieveSubscription(id: string): Promise<SubscriptionInfo> {
    return toSubscriptionInfo(await this.stripe.subscriptions.retrieve(id));
  }

  async setCancelAtPeriodEnd(id: string, cancel: boolean): Promise<SubscriptionInfo> {
    return toSubscriptionInfo(
      await this.stripe.subscriptions.update(id, { cancel_at_period_end: cancel }),
    );
  }

  async createBillingPortal(input: {
    customerId: string;
    returnUrl: string;
  }): Promise<{ url: string }> {
    const session = await this.stripe.billingPortal.sessions.create({
      customer: input.customerId,
      return_url: input.returnUrl,
    });
    return { url: session.url };
  }
}
