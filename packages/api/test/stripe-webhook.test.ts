import { Hold, Seat, Subscription, Ticket, User } from '@spot/db';
import { describe, expect, it } from 'vitest';
import { requirePro } from '../src/billing/gating.ts';
import { closeExpiredHolds, HOLD_EXPIRED } from '../src/payments/issuance.ts';
import type { Context } from '../src/trpc.ts';
import { userIdOf } from './events-fixtures.ts';
import { outcome, useApi } from './harness.ts';
import { useLocalStripe } from './local-stripe.ts';
import { buy, expireHold, storeSaleEvent, validTickets } from './tickets-fixtures.ts';

const local = useLocalStripe();
const api = useApi('spot_api_stripe');

const snapshot = () =>
  Promise.all([
    Ticket.countDocuments(),
    Hold.find().lean(),
    Seat.countDocuments(),
    Subscription.countDocuments(),
  ]);

describe('Stripe payments through the webhook', () => {
  it('purchase creates a PaymentIntent server-side: server price, metadata, idempotency', async () => {
    const buyer = await api.signedIn('user');
    const event = await storeSaleEvent({ capacity: 4, price: 1999 });
    const hold = await buy(buyer, event, 2);
    const intent = local.stripe.paymentIntents.get(hold.paymentIntentId as string);
    expect(intent).toMatchObject({
      amount: 3998,
      currency: 'eur',
      metadata: {
        holdId: hold.holdId,
        eventId: event,
        userId: await userIdOf(buyer),
        quantity: '2',
      },
    });
    expect(hold.clientSecret).toBe(intent?.client_secret);
    // The simulated pay button is off when Stripe is configured.
    expect(await outcome(buyer.mutate('payments.simulatePay', { holdId: hold.holdId }))).toBe(
      'PRECONDITION_FAILED',
    );
  });

  it('unsigned or wrongly signed deliveries answer 400 and write nothing', async () => {
    const buyer = await api.signedIn('user');
    const event = await storeSaleEvent({ capacity: 2, price: 1000 });
    const hold = await buy(buyer, event);
    const paid = local.stripe.succeed(hold.paymentIntentId as string);
    const delivery = local.stripe.event('payment_intent.succeeded', paid);
    const before = await snapshot();
    expect((await local.stripe.deliver(local.webhookUrl, delivery, 'none')).status).toBe(400);
    expect((await local.stripe.deliver(local.webhookUrl, delivery, 'wrong')).status).toBe(400);
    const tampered = await fetch(local.webhookUrl, {
      method: 'POST',
      headers: { 'stripe-signature': 't=1,v1=deadbeef' },
      body: JSON.stringify(delivery),
    });
    expect(tampered.status).toBe(400);
    expect(await snapshot()).toEqual(before);
    expect((await local.stripe.deliver(local.webhookUrl, delivery)).status).toBe(200);
    expect(await validTickets(event)).toBe(1);
  });

  it('a body beyond any Stripe event (5 MB) is refused with 413 before its signature is checked', async () => {
    const huge = await fetch(local.webhookUrl, {
      method: 'POST',
      headers: { 'stripe-signature': 't=1,v1=deadbeef' },
      body: 'x'.repeat(6_000_000),
    });
    expect(huge.status).toBe(413);
  });

  it('duplicated, concurrent and reordered deliveries issue the tickets once', async () => {
    const buyer = await api.signedIn('user');
    const event = await storeSaleEvent({ capacity: 5, price: 1500 });
    const hold = await buy(buyer, event, 3);
    const intentId = hold.paymentIntentId as string;
    const failed = local.stripe.event('payment_intent.payment_failed', local.stripe.fail(intentId));
    const succeeded = local.stripe.event(
      'payment_intent.succeeded',
      local.stripe.succeed(intentId),
    );
    // Success first (three times, concurrently), then the older failure arrives late.
    const answers = await Promise.all([
      local.stripe.deliver(local.webhookUrl, succeeded),
      local.stripe.deliver(local.webhookUrl, succeeded),
      local.stripe.deliver(local.webhookUrl, succeeded),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect((await local.stripe.deliver(local.webhookUrl, failed)).status).toBe(200);
    expect((await local.stripe.deliver(local.webhookUrl, succeeded)).status).toBe(200);
    expect(await validTickets(event)).toBe(3);
    expect(await Ticket.countDocuments({ holdId: hold.holdId })).toBe(3);
    expect(await Seat.countDocuments({ eventId: event, state: 'sold' })).toBe(3);
    expect((await Hold.findById(hold.holdId).lean())?.status).toBe('issued');
    expect(local.stripe.refunds).toHaveLength(0);
  });

  it('a failed or cancelled payment releases the hold; a later success still issues', async () => {
    const buyer = await api.signedIn('user');
    const event = await storeSaleEvent({ capacity: 1, price: 800 });
    const hold = await buy(buyer, event);
    const intentId = hold.paymentIntentId as string;
    const failed = local.stripe.event('payment_intent.payment_failed', local.stripe.fail(intentId));
    expect((await local.stripe.deliver(local.webhookUrl, failed)).status).toBe(200);
    expect(await Seat.countDocuments({ eventId: event })).toBe(0);
    expect(await buyer.query('tickets.holdStatus', { holdId: hold.holdId })).toMatchObject({
      status: 'released',
      outcome: expect.stringMatching(/failed/),
    });
    // The buyer retries the card on the same intent and it goes through.
    const succeeded = local.stripe.event(
      'payment_intent.succeeded',
      local.stripe.succeed(intentId),
    );
    await local.stripe.deliver(local.webhookUrl, succeeded);
    expect(await validTickets(event)).toBe(1);

    const other = await buy(buyer, await storeSaleEvent({ capacity: 1, price: 800 }));
    expect(await buyer.mutate('tickets.abandon', { holdId: other.holdId })).toMatchObject({
      status: 'released',
    });
    const cancelled = local.stripe.paymentIntents.get(other.paymentIntentId as string);
    expect(cancelled?.status).toBe('canceled');
    const event2 = local.stripe.event('payment_intent.canceled', cancelled ?? {});
    expect((await local.stripe.deliver(local.webhookUrl, event2)).status).toBe(200);
  });

  it('the sweep closes expired unpaid holds (payment cancelled, places back), not paid ones', async () => {
    const buyer = await api.signedIn('user');
    const event = await storeSaleEvent({ capacity: 2, price: 1500 });
    const unpaid = await buy(buyer, event);
    const paidLate = await buy(buyer, event);
    await expireHold(unpaid.holdId);
    await expireHold(paidLate.holdId);
    // Paid at Stripe just as the hold expired; its webhook has not arrived yet.
    const succeeded = local.stripe.succeed(paidLate.paymentIntentId as string);

    const inTwoMinutes = new Date(Date.now() + 2 * 60_000);
    expect(await closeExpiredHolds(inTwoMinutes)).toBe(1);
    expect(local.stripe.paymentIntents.get(unpaid.paymentIntentId as string)?.status).toBe(
      'canceled',
    );
    expect(await buyer.query('tickets.holdStatus', { holdId: unpaid.holdId })).toMatchObject({
      status: 'released',
      outcome: HOLD_EXPIRED,
    });
    expect(await Seat.countDocuments({ eventId: event, holdId: unpaid.holdId })).toBe(0);
    // The paid one stays pending, left to its webhook.
    expect(await closeExpiredHolds(inTwoMinutes)).toBe(0);

    await local.stripe.deliver(
      local.webhookUrl,
      local.stripe.event('payment_intent.succeeded', succeeded),
    );
    expect(await buyer.query('tickets.holdStatus', { holdId: paidLate.holdId })).toMatchObject({
      status: 'issued',
    });
    expect(await closeExpiredHolds(inTwoMinutes)).toBe(0);
  });
});

describe('subscriptions', () => {
  it('created → updated (cancel at period end, past_due) → deleted keeps Subscription and isPremium in step', async () => {
    const organizer = await api.signedIn('organizer');
    const userId = await userIdOf(organizer);
    const status = () => organizer.query('billing.status') as Promise<Record<string, unknown>>;
    expect(await status()).toMatchObject({ plan: 'free', isPremium: false, status: 'none' });

    const upgrade = (await organizer.mutate('billing.upgrade')) as { url: string };
    expect(upgrade.url).toMatch(/^https:\/\/checkout\.stripe\.local\//);
    const [session] = [...local.stripe.checkoutSessions.values()].slice(-1);
    expect(session).toMatchObject({ mode: 'subscription', client_reference_id: userId });
    const customer = String(session?.customer);

    const subscription = local.stripe.createSubscription({ customer, metadata: { userId } });
    const t0 = Math.floor(Date.now() / 1000);
    const deliver = (type: string, object: Record<string, unknown>, created: number) =>
      local.stripe.deliver(local.webhookUrl, local.stripe.event(type, object, created));
    const premium = async () => (await User.findById(userId).lean())?.isPremium;

    await deliver('customer.subscription.created', subscription, t0);
    expect(await premium()).toBe(true);
    expect(await status()).toMatchObject({
      plan: 'pro',
      status: 'active',
      cancelAtPeriodEnd: false,
    });

    await deliver(
      'customer.subscription.updated',
      { ...subscription, cancel_at_period_end: true },
      t0 + 10,
    );
    expect(await status()).toMatchObject({ plan: 'pro', cancelAtPeriodEnd: true, isPremium: true });
    // A late, older delivery does not undo the newer state.
    await deliver('customer.subscription.created', subscription, t0);
    expect(await status()).toMatchObject({ cancelAtPeriodEnd: true });

    await deliver(
      'customer.subscription.updated',
      { ...subscription, status: 'past_due' },
      t0 + 20,
    );
    expect(await status()).toMatchObject({ plan: 'pro', status: 'past_due', isPremium: true });

    await deliver(
      'customer.subscription.deleted',
      { ...subscription, status: 'canceled' },
      t0 + 30,
    );
    expect(await premium()).toBe(false);
    expect(await status()).toMatchObject({ plan: 'free', status: 'canceled', isPremium: false });
    await deliver('customer.subscription.updated', { ...subscription, status: 'active' }, t0 + 25);
    expect(await premium()).toBe(false);
  });

  it('a completed Checkout turns Pro on; the organizer turns renewal off and on, and opens the portal', async () => {
    const organizer = await api.signedIn('organizer');
    const userId = await userIdOf(organizer);
    const status = () => organizer.query('billing.status') as Promise<Record<string, unknown>>;
    expect(await outcome(organizer.mutate('billing.setRenewal', { renew: false }))).toBe(
      'PRECONDITION_FAILED',
    );

    await organizer.mutate('billing.upgrade');
    const [session] = [...local.stripe.checkoutSessions.values()].slice(-1);
    const customer = String(session?.customer);
    const subscription = local.stripe.createSubscription({ customer, metadata: { userId } });
    // Only the Checkout Session's completion arrives (the subscription events come later).
    const completed = local.stripe.event('checkout.session.completed', {
      ...session,
      status: 'complete',
      subscription: subscription.id,
    });
    expect((await local.stripe.deliver(local.webhookUrl, completed)).status).toBe(200);
    expect(await status()).toMatchObject({
      plan: 'pro',
      isPremium: true,
      cancelAtPeriodEnd: false,
    });

    expect(await organizer.mutate('billing.setRenewal', { renew: false })).toMatchObject({
      plan: 'pro',
      cancelAtPeriodEnd: true,
    });
    expect(local.stripe.subscriptions.get(subscription.id)?.cancel_at_period_end).toBe(true);
    expect(await organizer.mutate('billing.setRenewal', { renew: true })).toMatchObject({
      cancelAtPeriodEnd: false,
    });
    expect(local.stripe.subscriptions.get(subscription.id)?.cancel_at_period_end).toBe(false);

    const portal = (await organizer.mutate('billing.portal')) as { url: string };
    expect(portal.url).toMatch(/^https:\/\/billing\.stripe\.local\//);
  });

  it('requirePro refuses free organizers with an upgrade hint and lets Pro ones through', async () => {
    const base = { ip: '', userAgent: '', resHeaders: new Headers() };
    const user = { id: 'x', name: 'O', email: 'o@example.com', role: 'organizer' as const };
    const free: Context = { ...base, user: { ...user, isPremium: false } };
    expect(() => requirePro(free, 'The sales funnel')).toThrow(/Spot Pro.*Upgrade/);
    try {
      requirePro(free);
    } catch (error) {
      expect((error as { code?: string }).code).toBe('FORBIDDEN');
    }
    expect(() => requirePro({ ...base, user: { ...user, isPremium: true } })).not.toThrow();
    expect(() => requirePro({ ...base, user: null })).toThrow(/sign in/);
  });
});
