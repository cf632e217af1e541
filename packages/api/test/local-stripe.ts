import {
  type LocalStripe,
  type ServedHandler,
  serveFetchHandler,
  startLocalStripe,
} from '@spot/testing';
import { afterAll, beforeAll } from 'vitest';
import { handleStripeWebhook } from '../src/payments/webhook.ts';

export interface StripeHarness {
  stripe: LocalStripe;
  webhookUrl: string;
}

/**
 * Runs this test file against the local Stripe stand-in: the SDK is pointed at it through the
 * STRIPE_API_* settings and the webhook handler is served over HTTP. Call it before `useApi`, so
 * the configuration is in place before anything reads it.
 */
export function useLocalStripe(): StripeHarness {
  const harness = {} as StripeHarness;
  let webhook: ServedHandler | undefined;
  beforeAll(async () => {
    harness.stripe = await startLocalStripe();
    Object.assign(process.env, {
      STRIPE_SECRET_KEY: harness.stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: harness.stripe.webhookSecret,
      STRIPE_API_HOST: harness.stripe.host,
      STRIPE_API_PORT: String(harness.stripe.port),
      STRIPE_API_PROTOCOL: harness.stripe.protocol,
    });
    webhook = await serveFetchHandler(handleStripeWebhook);
    harness.webhookUrl = `${webhook.baseUrl}/api/stripe/webhook`;
  });
  afterAll(async () => {
    await webhook?.close();
    await harness.stripe?.close();
  });
  return harness;
}
