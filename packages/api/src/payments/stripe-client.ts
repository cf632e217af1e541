import type { Env } from '@spot/config';
import Stripe from 'stripe';

let client: Stripe | undefined;
let clientKey: string | undefined;

/**
 * The Stripe SDK client for the configured key. STRIPE_API_HOST/PORT/PROTOCOL point it elsewhere
 * than api.stripe.com (the local Stripe stand-in tests run against).
 */
export function stripeClient(config: Env): Stripe {
  const key = config.STRIPE_SECRET_KEY;
  if (!key) throw new Error('STRIPE_SECRET_KEY is not set');
  const identity = `${key}|${config.STRIPE_API_HOST}|${config.STRIPE_API_PORT}`;
  if (!client || clientKey !== identity) {
    client = new Stripe(key, {
      maxNetworkRetries: 2,
      timeout: 20_000,
      telemetry: false,
      ...(config.STRIPE_API_HOST && { host: config.STRIPE_API_HOST }),
      ...(config.STRIPE_API_PORT && { port: config.STRIPE_API_PORT }),
      ...(config.STRIPE_API_PROTOCOL && { protocol: config.STRIPE_API_PROTOCOL }),
    });
    clientKey = identity;
  }
  return client;
}
