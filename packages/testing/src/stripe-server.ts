import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/**
 * A local stand-in for the part of Stripe's API that Spot uses, for tests (no network to Stripe
 * exists here). The official SDK talks to it through its `host`/`port`/`protocol` options; it
 * answers Stripe-shaped JSON, honours Idempotency-Key, and can send webhook events signed exactly
 * as Stripe does (`generateTestHeaderString`) to a URL.
 *
 * Endpoints: PaymentIntents create/retrieve/cancel, Refunds create, Customers create, Checkout
 * Sessions create, Subscriptions retrieve.
 */

type Json = Record<string, unknown>;

export interface StripePaymentIntent extends Json {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  status: string;
  client_secret: string;
  metadata: Record<string, string>;
  created: number;
}

export interface StripeRefund extends Json {
  id: string;
  object: 'refund';
  amount: number;
  payment_intent: string;
  status: 'succeeded';
  metadata: Record<string, string>;
  created: number;
}

export interface StripeSubscription extends Json {
  id: string;
  object: 'subscription';
  customer: string;
  status: string;
  cancel_at_period_end: boolean;
  metadata: Record<string, string>;
  items: {
    object: 'list';
    data: Array<{
      id: string;
      object: 'subscription_item';
      current_period_start: number;
      current_period_end: number;
    }>;
  };
  created: number;
}

export interface LocalStripe {
  /** Settings for Spot's config: STRIPE_API_HOST/PORT/PROTOCOL and the keys. */
  host: string;
  port: number;
  protocol: 'http';
  secretKey: string;
  webhookSecret: string;
  paymentIntents: Map<string, StripePaymentIntent>;
  refunds: StripeRefund[];
  customers: Map<string, Json>;
  checkoutSessions: Map<string, Json>;
  subscriptions: Map<string, StripeSubscription>;
  /** Counts of requests per "METHOD /path-pattern". */
  requests: Map<string, number>;
  /** What the customer's browser would do: the intent succeeds (or fails). */
  succeed(intentId: string): StripePaymentIntent;
  fail(intentId: string): StripePaymentIntent;
  createSubscription(input: {
    customer: string;
    metadata?: Record<string, string>;
    status?: string;
    periodEnd?: number;
  }): StripeSubscription;
  /** A Stripe event envelope around `object`. */
  event(type: string, object: Json, created?: number): Json;
  /**
   * POSTs `event` to `url` the way Stripe does. `signature`: 'valid' (default), 'wrong' (signed
   * with another secret), 'none' (no header).
   */
  deliver(url: string, event: Json, signature?: 'valid' | 'wrong' | 'none'): Promise<Response>;
  close(): Promise<void>;
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const now = () => Math.floor(Date.now() / 1000);

/** `a[b][0][c]=v` form fields (as the SDK encodes them) into nested objects and arrays. */
export function parseStripeForm(body: string): Json {
  const result: Json = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const path = rawKey.replace(/\]/g, '').split('[');
    let node: Record<string, unknown> = result;
    path.forEach((part, index) => {
      if (index === path.length - 1) {
        node[part] = value;
        return;
      }
      const nextIsIndex = /^\d+$/.test(path[index + 1] as string);
      node[part] ??= nextIsIndex ? [] : {};
      node = node[part] as Record<string, unknown>;
    });
  }
  return result;
}

function error(res: ServerResponse, status: number, message: string, code?: string): void {
  send(res, status, { error: { type: 'invalid_request_error', message, ...(code && { code }) } });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'request-id': id('req'),
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const metadataOf = (value: unknown) => ({ ...((value as Record<string, string>) ?? {}) });

export async function startLocalStripe(
  options: { webhookSecret?: string; secretKey?: string } = {},
): Promise<LocalStripe> {
  const webhookSecret = options.webhookSecret ?? `whsec_${randomBytes(16).toString('hex')}`;
  const secretKey = options.secretKey ?? `sk_test_local_${randomBytes(8).toString('hex')}`;
  const signer = new Stripe(secretKey);
  const paymentIntents = new Map<string, StripePaymentIntent>();
  const refunds: StripeRefund[] = [];
  const customers = new Map<string, Json>();
  const checkoutSessions = new Map<string, Json>();
  const subscriptions = new Map<string, StripeSubscription>();
  const idempotent = new Map<string, { status: number; body: unknown }>();
  const requests = new Map<string, number>();

  const refundedOf = (intentId: string) =>
    refunds
      .filter((refund) => refund.payment_intent === intentId)
      .reduce((sum, r) => sum + r.amount, 0);

  function route(method: string, path: string, form: Json): { status: number; body: unknown } {
    const intentPath = path.match(/^\/v1\/payment_intents\/([^/]+)$/);
    const cancelPath = path.match(/^\/v1\/payment_intents\/([^/]+)\/cancel$/);
    const subscriptionPath = path.match(/^\/v1\/subscriptions\/([^/]+)$/);
    const notFound = (what: string, key: string) => ({
      status: 404,
      body: {
        error: {
          type: 'invalid_request_error',
          code: 'resource_missing',
          message: `No such ${what}: '${key}'`,
        },
      },
    });
    const invalid = (message: string, code?: string) => ({
      status: 400,
      body: { error: { type: 'invalid_request_error', message, ...(code && { code }) } },
    });
    if (method === 'POST' && path === '/v1/payment_intents') {
      const amount = Number(form.amount);
      if (!Number.isInteger(amount) || amount < 1)
        return invalid('Invalid amount', 'parameter_invalid_integer');
      if (typeof form.currency !== 'string') return invalid('Missing required param: currency.');
      const intentId = id('pi');
      const intent: StripePaymentIntent = {
        id: intentId,
        object: 'payment_intent',
        amount,
        amount_received: 0,
        currency: form.currency,
        status: 'requires_payment_method',
        client_secret: `${intentId}_secret_${randomBytes(8).toString('hex')}`,
        metadata: metadataOf(form.metadata),
        created: now(),
        livemode: false,
      };
      paymentIntents.set(intentId, intent);
      return { status: 200, body: intent };
    }
    if (intentPath && method === 'GET') {
      const match = intentPath;
      const intent = paymentIntents.get(match[1] as string);
      return intent
        ? { status: 200, body: intent }
        : notFound('payment_intent', match[1] as string);
    }
    if (cancelPath && method === 'POST') {
      const match = cancelPath;
      const intent = paymentIntents.get(match[1] as string);
      if (!intent) return notFound('payment_intent', match[1] as string);
      if (intent.status === 'succeeded' || intent.status === 'canceled') {
        return invalid(
          `You cannot cancel this PaymentIntent because it has a status of ${intent.status}.`,
          'payment_intent_unexpected_state',
        );
      }
      intent.status = 'canceled';
      return { status: 200, body: intent };
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const intent = paymentIntents.get(String(form.payment_intent));
      if (!intent) return notFound('payment_intent', String(form.payment_intent));
      if (intent.status !== 'succeeded')
        return invalid('This PaymentIntent has no successful charge to refund.');
      const amount =
        form.amount === undefined ? intent.amount - refundedOf(intent.id) : Number(form.amount);
      if (amount < 1 || amount + refundedOf(intent.id) > intent.amount) {
        return invalid(
          `Refund amount (${amount}) is greater than unrefunded amount on charge.`,
          'amount_too_large',
        );
      }
      const refund: StripeRefund = {
        id: id('re'),
        object: 'refund',
        amount,
        currency: intent.currency,
        payment_intent: intent.id,
        status: 'succeeded',
        metadata: metadataOf(form.metadata),
        created: now(),
      };
      refunds.push(refund);
      return { status: 200, body: refund };
    }
    if (method === 'POST' && path === '/v1/customers') {
      const customer = {
        id: id('cus'),
        object: 'customer',
        email: form.email ?? null,
        name: form.name ?? null,
        metadata: metadataOf(form.metadata),
        created: now(),
      };
      customers.set(customer.id, customer);
      return { status: 200, body: customer };
    }
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      if (form.mode !== 'subscription' && form.mode !== 'payment') return invalid('Invalid mode');
      const sessionId = id('cs_test');
      const session = {
        id: sessionId,
        object: 'checkout.session',
        mode: form.mode,
        customer: form.customer ?? null,
        client_reference_id: form.client_reference_id ?? null,
        metadata: metadataOf(form.metadata),
        line_items: form.line_items,
        subscription_data: form.subscription_data,
        success_url: form.success_url,
        cancel_url: form.cancel_url,
        status: 'open',
        url: `https://checkout.stripe.local/c/pay/${sessionId}`,
        created: now(),
      };
      checkoutSessions.set(sessionId, session);
      return { status: 200, body: session };
    }
    if (subscriptionPath && (method === 'GET' || method === 'POST')) {
      const subscription = subscriptions.get(subscriptionPath[1] as string);
      if (!subscription) return notFound('subscription', subscriptionPath[1] as string);
      if (method === 'POST' && form.cancel_at_period_end !== undefined)
        subscription.cancel_at_period_end = form.cancel_at_period_end === 'true';
      return { status: 200, body: subscription };
    }
    if (method === 'POST' && path === '/v1/billing_portal/sessions') {
      if (typeof form.customer !== 'string' || !customers.has(form.customer))
        return notFound('customer', String(form.customer));
      const sessionId = id('bps');
      return {
        status: 200,
        body: {
          id: sessionId,
          object: 'billing_portal.session',
          customer: form.customer,
          return_url: form.return_url ?? null,
          url: `https://billing.stripe.local/p/session/${sessionId}`,
          created: now(),
        },
      };
    }
    return {
      status: 404,
      body: {
        error: {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${method}: ${path})`,
        },
      },
    };
  }

  const server = createServer(async (req, res) => {
    try {
      const method = req.method ?? 'GET';
      const url = new URL(req.url ?? '/', 'http://localhost');
      const pattern = `${method} ${url.pathname.replace(/\/(pi|re|cus|cs_test|sub)_[0-9a-z_]+/g, '/:id')}`;
      requests.set(pattern, (requests.get(pattern) ?? 0) + 1);
      if (req.headers.authorization !== `Bearer ${secretKey}`) {
        error(res, 401, 'Invalid API Key provided');
        return;
      }
      const body = await readBody(req);
      const form = parseStripeForm(method === 'GET' ? url.search.slice(1) : body);
      const key = req.headers['idempotency-key'];
      const memoKey =
        typeof key === 'string' && method === 'POST' ? `${url.pathname}|${key}` : undefined;
      const remembered = memoKey ? idempotent.get(memoKey) : undefined;
      const answer = remembered ?? route(method, url.pathname, form);
      if (memoKey && !remembered) idempotent.set(memoKey, answer);
      send(res, answer.status, answer.body);
    } catch (failure) {
      send(res, 500, { error: { type: 'api_error', message: String(failure) } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const intentOf = (intentId: string) => {
    const intent = paymentIntents.get(intentId);
    if (!intent) throw new Error(`No such payment intent: ${intentId}`);
    return intent;
  };

  return {
    host: '127.0.0.1',
    port,
    protocol: 'http',
    secretKey,
    webhookSecret,
    paymentIntents,
    refunds,
    customers,
    checkoutSessions,
    subscriptions,
    requests,
    succeed(intentId) {
      const intent = intentOf(intentId);
      if (intent.status === 'canceled') throw new Error('cannot pay a cancelled intent');
      intent.status = 'succeeded';
      intent.amount_received = intent.amount;
      return { ...intent };
    },
    fail(intentId) {
      const intent = intentOf(intentId);
      intent.status = 'requires_payment_method';
      return {
        ...intent,
        last_payment_error: { code: 'card_declined', message: 'Your card was declined.' },
      };
    },
    createSubscription({
      customer,
      metadata = {},
      status = 'active',
      periodEnd = now() + 30 * 86_400,
    }) {
      const subscription: StripeSubscription = {
        id: id('sub'),
        object: 'subscription',
        customer,
        status,
        cancel_at_period_end: false,
        metadata,
        items: {
          object: 'list',
          data: [
            {
              id: id('si'),
              object: 'subscription_item',
              current_period_start: now(),
              current_period_end: periodEnd,
            },
          ],
        },
        created: now(),
      };
      subscriptions.set(subscription.id, subscription);
      return subscription;
    },
    event(type, object, created = now()) {
      return {
        id: id('evt'),
        object: 'event',
        api_version: '2026-10-28.endive',
        created,
        type,
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        data: { object: { ...object } },
      };
    },
    async deliver(url, event, signature = 'valid') {
      const payload = JSON.stringify(event);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (signature !== 'none') {
        headers['stripe-signature'] = signer.webhooks.generateTestHeaderString({
          payload,
          secret:
            signature === 'valid' ? webhookSecret : `whsec_${randomBytes(16).toString('hex')}`,
        });
      }
      return fetch(url, { method: 'POST', headers, body: payload });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
