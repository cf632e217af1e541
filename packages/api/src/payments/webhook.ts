import { getConfig } from '@spot/config';
import type Stripe from 'stripe';
import { applySubscriptionEvent } from '../billing/subscriptions.ts';
import { ensureDatabase } from '../http.ts';
import { withBodyLimit } from '../lib/body-limit.ts';
import { confirmPayment, releasePayment } from './issuance.ts';
import { paymentProvider } from './provider.ts';
import { stripeClient } from './stripe-client.ts';
import { toSubscriptionInfo } from './stripe-provider.ts';

/** Stripe's events are far smaller; the limit only stops a client posting an endless body. */
const MAX_EVENT_BYTES = 5_000_000;

class EventTooLarge extends Error {}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/**
 * Stripe's webhook endpoint as a fetch handler (apps/web mounts it at /api/stripe/webhook).
 * The raw body's signature is verified with STRIPE_WEBHOOK_SECRET before anything is read or
 * written: unsigned or badly signed requests get 400. Handlers are idempotent and tolerate
 * reordering, so Stripe's retries (on any non-2xx answer) are harmless.
 */
export async function handleStripeWebhook(request: Request): Promise<Response> {
  const config = getConfig();
  if (request.method !== 'POST') return json(405, { error: 'POST only' });
  if (!config.STRIPE_SECRET_KEY || !config.STRIPE_WEBHOOK_SECRET) {
    return json(404, { error: 'Stripe is not configured' });
  }
  const signature = request.headers.get('stripe-signature');
  if (!signature) return json(400, { error: 'Missing Stripe-Signature header' });
  let payload: string;
  try {
    payload = await withBodyLimit(request, MAX_EVENT_BYTES, () => new EventTooLarge()).text();
  } catch (error) {
    if (error instanceof EventTooLarge) return json(413, { error: 'Payload too large' });
    throw error;
  }
  let event: Stripe.Event;
  try {
    event = stripeClient(config).webhooks.constructEvent(
      payload,
      signature,
      config.STRIPE_WEBHOOK_SECRET,
    );
  } catch {
    return json(400, { error: 'Invalid signature' });
  }
  try {
    await ensureDatabase();
    await dispatch(event);
    return json(200, { received: true });
  } catch (error) {
    console.error(`Stripe webhook ${event.type} ${event.id} failed:`, error);
    return json(500, { error: 'Handling failed; Stripe will retry' });
  }
}

async function dispatch(event: Stripe.Event): Promise<void> {
  switch (event.type) {
    case 'payment_intent.succeeded':
      await confirmPayment(event.data.object.id);
      return;
    case 'payment_intent.payment_failed':
      await releasePayment(
        event.data.object.id,
        'Your payment failed; your places were released. You can try again.',
      );
      return;
    case 'payment_intent.canceled':
      await releasePayment(
        event.data.object.id,
        'The payment was cancelled; your places were released.',
      );
      return;
    case 'checkout.session.completed': {
      // The Pro upgrade's checkout: the subscription exists now; apply it without waiting for
      // its own event (which may arrive later, or earlier: the newest state wins either way).
      const session = event.data.object;
      if (session.mode !== 'subscription' || typeof session.subscription !== 'string') return;
      await applySubscriptionEvent(
        'created',
        await paymentProvider().retrieveSubscription(session.subscription),
        event.created,
      );
      return;
    }
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
      await applySubscriptionEvent(
        event.type.slice('customer.subscription.'.length) as 'created' | 'updated' | 'deleted',
        toSubscriptionInfo(event.data.object),
        event.created,
      );
      return;
    default:
      // Other events are acknowledged so Stripe stops sending them.
      return;
  }
}
