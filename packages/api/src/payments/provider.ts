import { getConfig } from '@spot/config';
import type { PaymentProviderName } from '@spot/db';
import { SimulatedPaymentProvider } from './simulated-provider.ts';
import { StripePaymentProvider } from './stripe-provider.ts';

/** What Spot needs to know about a payment, whichever provider took it. */
export interface PaymentIntentInfo {
  id: string;
  /** Stripe's statuses: requires_payment_method, processing, succeeded, canceled, … */
  status: string;
  amount: number;
  currency: string;
  metadata: Record<string, string>;
  clientSecret: string | null;
}

export interface SubscriptionInfo {
  id: string;
  customerId: string;
  /** Stripe's statuses: active, trialing, past_due, unpaid, canceled, incomplete, … */
  status: string;
  cancelAtPeriodEnd: boolean;
  currentPeriodEnd: Date | null;
  metadata: Record<string, string>;
}

/**
 * The payment operations Spot uses. Stripe in production; a simulated provider in development
 * (config refuses production without Stripe keys). Amounts are in minor units and always come
 * from the server's prices; every creating call carries an idempotency key.
 */
/** A charge to prepare: the amount is the server's price; the key makes a retry create nothing new. */
export interface NewPaymentIntent {
  amount: number;
  currency: string;
  metadata: Record<string, string>;
  idempotencyKey: string;
}

export interface PaymentProvider {
  readonly name: Exclude<PaymentProviderName, 'none'>;
  createPaymentIntent(input: NewPaymentIntent): Promise<PaymentIntentInfo>;
  retrievePaymentIntent(id: string): Promise<PaymentIntentInfo>;
  cancelPaymentIntent(id: string): Promise<void>;
  refund(input: {
    paymentIntentId: string;
    amount: number;
    reason: string;
    idempotencyKey: string;
  }): Promise<{ id: string }>;
  createCustomer(input: { email: string; name: string; userId: string }): Promise<{ id: string }>;
  /** A Checkout Session in subscription mode for the Pro plan; answers where to send the browser. */
  createSubscriptionCheckout(input: {
    customerId: string;
    userId: string;
    successUrl: string;
    cancelUrl: string;
    idempotencyKey: string;
  }): Promise<{ id: string; url: string | null }>;
  retrieveSubscription(id: string): Promise<SubscriptionInfo>;
  /** Turns renewal off (cancel at period end) or back on; answers the subscription as it is now. */
  setCancelAtPeriodEnd(subscriptionId: string, cancel: boolean): Promise<SubscriptionInfo>;
  /** Stripe's customer portal (card, invoices); null for a provider without one. */
  createBillingPortal(input: {
    customerId: string;
    returnUrl: string;
  }): Promise<{ url: string } | null>;
}

let current: PaymentProvider | undefined;

/** Stripe when STRIPE_SECRET_KEY is set, the simulated provider otherwise. */
export function paymentProvider(): PaymentProvider {
  if (!current) {
    const config = getConfig();
    current = config.STRIPE_SECRET_KEY
      ? new StripePaymentProvider(config)
      : new SimulatedPaymentProvider();
  }
  return current;
}

/** Forgets the chosen provider (tests that change the Stripe settings between files). */
export function resetPaymentProvider(): void {
  current = undefined;
}
