import { randomBytes } from 'node:crypto';
import type {
  NewPaymentIntent,
  PaymentIntentInfo,
  PaymentProvider,
  SubscriptionInfo,
} from './provider.ts';

interface SimulatedState {
  intents: Map<string, PaymentIntentInfo>;
  byIdempotencyKey: Map<string, string>;
  refunds: Map<string, string>;
}

// Kept on globalThis so dev hot reloads do not forget intents a browser is about to pay.
const globalState = globalThis as { __spotSimulatedPayments?: SimulatedState };
globalState.__spotSimulatedPayments ??= {
  intents: new Map(),
  byIdempotencyKey: new Map(),
  refunds: new Map(),
};
const state: SimulatedState = globalState.__spotSimulatedPayments;

const id = (prefix: string) => `${prefix}_sim_${randomBytes(12).toString('hex')}`;

/**
 * Development-only payments: nothing leaves the process. `payments.simulatePay` marks an intent
 * succeeded and then runs the same issuance code as Stripe's webhook. Refused in production by
 * the config (Stripe keys are required there).
 */
export class SimulatedPaymentProvider implements PaymentProvider {
  readonly name = 'simulated' as const;

  async createPaymentIntent(input: NewPaymentIntent): Promise<PaymentIntentInfo> {
    const existing = state.byIdempotencyKey.get(input.idempotencyKey);
    if (existing) return { ...(state.intents.get(existing) as PaymentIntentInfo) };
    const intentId = id('pi');
    const intent: PaymentIntentInfo = {
      id: intentId,
      status: 'requires_payment_method',
      amount: input.amount,
      currency: input.currency,
      metadata: { ...input.metadata },
      clientSecret: `${intentId}_secret_${randomBytes(8).toString('hex')}`,
    };
    state.intents.set(intentId, intent);
    state.byIdempotencyKey.set(input.idempotencyKey, intentId);
    return { ...intent };
  }

  async retrievePaymentIntent(intentId: string): Promise<PaymentIntentInfo> {
    const intent = state.intents.get(intentId);
    if (!intent) throw new Error(`No such payment intent: ${intentId}`);
    return { ...intent };
  }

  /** The simulated "pay" button: the intent succeeds (unless it was cancelled). */
  async pay(intentId: string): Promise<PaymentIntentInfo> {
    const intent = state.intents.get(intentId);
    if (!intent) throw new Error(`No such payment intent: ${intentId}`);
    if (intent.status !== 'canceled') intent.status = 'succeeded';
    return { ...intent };
  }

  async cancelPaymentIntent(intentId: string): Promise<void> {
    const intent = state.intents.get(intentId);
    if (intent && intent.status !== 'succeeded') intent.status = 'canceled';
  }

  async refund(input: {
    paymentIntentId: string;
    idempotencyKey: string;
  }): Promise<{ id: string }> {
    const existing = state.refunds.get(input.idempotencyKey);
    if (existing) return { id: existing };
    const refundId = id('re');
    state.refunds.set(input.idempotencyKey, refundId);
    return { id: refundId };
  }

  async createCustomer(input: { userId: string }): Promise<{ id: string }> {
    return { id: `cus_sim_${input.userId}` };
  }

  async createSubscriptionCheckout(): Promise<{ id: string; url: string | null }> {
    // The simulated upgrade activates Pro directly (billing service); there is no hosted page.
    return { id: id('cs'), url: null };
  }

  async retrieveSubscription(subscriptionId: string): Promise<SubscriptionInfo> {
    throw new Error(`Simulated subscriptions live in the database only: ${subscriptionId}`);
  }

  async setCancelAtPeriodEnd(subscriptionId: string): Promise<SubscriptionInfo> {
    // The billing service changes simulated subscriptions in the database itself.
    throw new Error(`Simulated subscriptions live in the database only: ${subscriptionId}`);
  }

  async createBillingPortal(): Promise<null> {
    return null;
  }
}
