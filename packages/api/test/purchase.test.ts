import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { Event, Hold, Seat, Ticket } from '@spot/db';
import { CompactSign } from 'jose';
import { describe, expect, it } from 'vitest';
import { verifyTicketPayload } from '../src/tickets/qr.ts';
import { createEvent, userIdOf } from './events-fixtures.ts';
import { type Agent, failure, outcome, useApi } from './harness.ts';
import {
  buy,
  expireHold,
  type HoldView,
  storeSaleEvent,
  validTickets,
} from './tickets-fixtures.ts';

// The simulated provider (no Stripe key in this file).
const api = useApi('spot_api_purchase');

interface TicketView {
  id: string;
  eventId: string;
  ticketCode: string;
  qrPayload: string;
  status: string;
  price: number;
  refunded: boolean;
  canCancel: boolean;
}

async function payFor(agent: Agent, hold: HoldView) {
  return agent.mutate('payments.simulatePay', { holdId: hold.holdId }) as Promise<{
    status: string;
    ticketIds: string[];
    outcome: string | null;
  }>;
}

describe('purchase with the simulated provider', () => {
  it('a free event issues at once; a paid one after the simulated payment, exactly once', async () => {
    const buyer = await api.signedIn('user');
    const free = await storeSaleEvent({ capacity: 5 });
    const freeHold = await buy(buyer, free, 2);
    expect(freeHold).toMatchObject({ status: 'issued', amount: 0, paymentIntentId: null });
    expect(freeHold.ticketIds).toHaveLength(2);

    const paid = await storeSaleEvent({ capacity: 5, price: 1250 });
    const hold = await buy(buyer, paid, 3);
    expect(hold).toMatchObject({ status: 'pending', amount: 3750 });
    expect(hold.clientSecret).toBeTruthy();
    expect(await validTickets(paid)).toBe(0);
    const first = await payFor(buyer, hold);
    const again = await payFor(buyer, hold);
    expect(first.status).toBe('issued');
    expect(again.ticketIds).toEqual(first.ticketIds);
    expect(await validTickets(paid)).toBe(3);
    expect(await Seat.countDocuments({ eventId: paid, state: 'sold' })).toBe(3);
    const tickets = await Ticket.find({ eventId: paid }).lean();
    expect(tickets.reduce((sum, ticket) => sum + (ticket.price ?? 0), 0)).toBe(3750);
    expect(await buyer.query('tickets.holdStatus', { holdId: hold.holdId })).toMatchObject({
      status: 'issued',
      clientSecret: null,
    });
  });

  it('refuses more places than are left, drafts, started and cancelled events', async () => {
    const buyer = await api.signedIn('user');
    const event = await storeSaleEvent({ capacity: 3 });
    await buy(buyer, event, 2);
    expect((await failure(buy(buyer, event, 2))).data?.code).toBe('CONFLICT');
    await buy(buyer, event, 1);
    expect((await failure(buy(buyer, event, 1))).message).toMatch(/sold out/i);
    expect(await Seat.countDocuments({ eventId: event })).toBe(3);

    const organizer = await api.signedIn('organizer');
    const draft = await createEvent(organizer);
    expect(await outcome(buy(buyer, draft))).toBe('NOT_FOUND');
    const started = await storeSaleEvent({ inDays: -0.01 });
    expect(await outcome(buy(buyer, started))).toBe('PRECONDITION_FAILED');
    await Event.updateOne({ _id: event }, { $set: { cancelledAt: new Date() } });
    expect(await outcome(buy(buyer, event))).toBe('NOT_FOUND');
  });

  it('an expired hold frees its places; paying it late re-takes places if any, else refunds', async () => {
    const [late, other] = [await api.signedIn('user'), await api.signedIn('user')];
    const event = await storeSaleEvent({ capacity: 2, price: 500 });
    const expiring = await buy(late, event, 2);
    expect(await outcome(buy(other, event))).toBe('CONFLICT');
    await expireHold(expiring.holdId);
    expect(await late.query('tickets.holdStatus', { holdId: expiring.holdId })).toMatchObject({
      status: 'expired',
    });
    // The expired places are for sale again (taken over before the TTL sweep runs).
    const taker = await buy(other, event, 1);
    await payFor(other, taker);
    // One place left for a late payment of two: refunded in full, and said so.
    const result = await payFor(late, expiring);
    expect(result.status).toBe('refunded');
    expect(result.outcome).toMatch(/refunded/);
    const hold = await Hold.findById(expiring.holdId).lean();
    expect(hold?.refunds.map((refund) => refund.amount)).toEqual([1000]);
    expect(await validTickets(event)).toBe(1);
    expect(await Seat.countDocuments({ eventId: event })).toBe(1);

    // With places left, a late payment still issues.
    const second = await buy(late, event, 1);
    await expireHold(second.holdId);
    expect((await payFor(late, second)).status).toBe('issued');
    expect(await validTickets(event)).toBe(2);
  });

  it('abandoning the checkout releases the places', async () => {
    const buyer = await api.signedIn('user');
    const event = await storeSaleEvent({ capacity: 1, price: 900 });
    const hold = await buy(buyer, event);
    expect(await buyer.mutate('tickets.abandon', { holdId: hold.holdId })).toMatchObject({
      status: 'released',
    });
    expect(await Seat.countDocuments({ eventId: event })).toBe(0);
    expect((await buy(buyer, event)).status).toBe('pending');
  });
});

describe('tickets: QR, isolation, cancellation', () => {
  it('the QR payload verifies with the public key; tampered or foreign-signed payloads fail', async () => {
    const buyer = await api.signedIn('user');
    const event = await storeSaleEvent();
    const hold = await buy(buyer, event);
    const ticket = (await buyer.query('tickets.get', { id: hold.ticketIds[0] })) as TicketView & {
      qrImage: string;
    };
    expect(ticket.qrImage).toMatch(/^data:image\/png;base64,/);
    const me = (await buyer.query('auth.me')) as { name: string };
    expect((await Ticket.findById(ticket.id).lean())?.holderName).toBe(me.name);
    const jwk = (await api.agent().query('tickets.qrPublicKey')) as Record<string, string>;
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    expect(jwk.d).toBeUndefined();
    expect(await verifyTicketPayload(ticket.qrPayload, jwk)).toEqual({
      t: ticket.ticketCode,
      e: event,
      v: 1,
    });

    const [header, payload, signature] = ticket.qrPayload.split('.') as [string, string, string];
    const forgedClaims = Buffer.from(
      JSON.stringify({ t: ticket.ticketCode, e: '0'.repeat(24), v: 1 }),
    ).toString('base64url');
    expect(await verifyTicketPayload(`${header}.${forgedClaims}.${signature}`, jwk)).toBeNull();
    // A character in the middle: the last ones carry padding bits that decoding may ignore.
    const flipped = signature[10] === 'A' ? 'B' : 'A';
    const tampered = `${signature.slice(0, 10)}${flipped}${signature.slice(11)}`;
    expect(await verifyTicketPayload(`${header}.${payload}.${tampered}`, jwk)).toBeNull();
    const otherKey = generateKeyPairSync('ed25519').privateKey;
    const foreign = await new CompactSign(Buffer.from(payload, 'base64url'))
      .setProtectedHeader({ alg: 'EdDSA' })
      .sign(otherKey);
    expect(await verifyTicketPayload(foreign, jwk)).toBeNull();
    expect(await verifyTicketPayload('not-a-jws', jwk)).toBeNull();

    // The algorithm is pinned, and extensions are refused: with the other key's public half as
    // the key, only its genuine EdDSA signature passes.
    const otherPublicKey = createPublicKey(otherKey);
    const signedWith = (header: object) => {
      const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${payload}`;
      return `${input}.${sign(null, Buffer.from(input), otherKey).toString('base64url')}`;
    };
    expect(await verifyTicketPayload(signedWith({ alg: 'EdDSA' }), otherPublicKey)).toEqual({
      t: ticket.ticketCode,
      e: event,
      v: 1,
    });
    for (const header of [{ alg: 'none' }, { alg: 'HS256' }, { alg: 'EdDSA', crit: ['exp'] }]) {
      expect(await verifyTicketPayload(signedWith(header), otherPublicKey)).toBeNull();
    }
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    expect(await verifyTicketPayload(unsigned, otherPublicKey)).toBeNull();
  });

  it("a user cannot read or cancel another user's tickets; organizers see only their own bookings", async () => {
    const [owner, stranger] = [await api.signedIn('user'), await api.signedIn('user')];
    const [organizer, otherOrganizer] = [
      await api.signedIn('organizer'),
      await api.signedIn('organizer'),
    ];
    const event = await storeSaleEvent({ organizer });
    const hold = await buy(owner, event);
    const ticketId = hold.ticketIds[0];
    expect(await outcome(stranger.query('tickets.get', { id: ticketId }))).toBe('NOT_FOUND');
    expect(await outcome(stranger.mutate('tickets.cancel', { id: ticketId }))).toBe('NOT_FOUND');
    expect(await outcome(stranger.query('tickets.holdStatus', { holdId: hold.holdId }))).toBe(
      'NOT_FOUND',
    );
    expect(((await stranger.query('tickets.mine')) as { items: unknown[] }).items).toEqual([]);
    const mine = (await owner.query('tickets.mine')) as { items: TicketView[] };
    expect(mine.items.map((ticket) => ticket.id)).toEqual([ticketId]);

    expect(await outcome(otherOrganizer.query('tickets.bookings', { eventId: event }))).toBe(
      'NOT_FOUND',
    );
    expect(await outcome(otherOrganizer.mutate('tickets.cancel', { id: ticketId }))).toBe(
      'NOT_FOUND',
    );
    const bookings = (await organizer.query('tickets.bookings', { eventId: event })) as {
      items: Array<{ ticketId: string; attendee: { id: string } }>;
    };
    expect(bookings.items).toEqual([
      expect.objectContaining({
        ticketId,
        attendee: expect.objectContaining({ id: await userIdOf(owner) }),
      }),
    ]);
  });

  it('cancellation: attendees only where allowed; refunds, frees the place; organizer always', async () => {
    const buyer = await api.signedIn('user');
    const organizer = await api.signedIn('organizer');
    const strict = await storeSaleEvent({ organizer, capacity: 1, price: 700 });
    const strictHold = await buy(buyer, strict);
    await payFor(buyer, strictHold);
    const [strictTicket] = (await Ticket.find({ eventId: strict }).lean()).map((t) =>
      t._id.toHexString(),
    );
    expect(await outcome(buyer.mutate('tickets.cancel', { id: strictTicket }))).toBe('FORBIDDEN');
    const byOrganizer = (await organizer.mutate('tickets.cancel', {
      id: strictTicket,
    })) as TicketView;
    expect(byOrganizer).toMatchObject({ status: 'cancelled', refunded: true });
    expect(await Seat.countDocuments({ eventId: strict })).toBe(0);
    expect((await buy(buyer, strict)).status).toBe('pending');

    const flexible = await storeSaleEvent({
      capacity: 1,
      price: 700,
      allowTicketCancellation: true,
    });
    const hold = await buy(buyer, flexible);
    const paid = await payFor(buyer, hold);
    const ticketId = paid.ticketIds[0] as string;
    expect(((await buyer.query('tickets.get', { id: ticketId })) as TicketView).canCancel).toBe(
      true,
    );
    expect(await buyer.mutate('tickets.cancel', { id: ticketId })).toMatchObject({
      status: 'cancelled',
      refunded: true,
    });
    expect(await outcome(buyer.mutate('tickets.cancel', { id: ticketId }))).toBe(
      'PRECONDITION_FAILED',
    );
    const refunds = (await Hold.findById(hold.holdId).lean())?.refunds ?? [];
    expect(refunds.map((refund) => [refund.amount, refund.reason])).toEqual([
      [700, 'requested_by_attendee'],
    ]);
  });

  it('cancelling an event refunds its paid tickets once', async () => {
    const buyer = await api.signedIn('user');
    const organizer = await api.signedIn('organizer');
    const eventId = await createEvent(organizer, { price: 2000, capacity: 5 });
    await organizer.mutate('events.publish', { id: eventId });
    const hold = await buy(buyer, eventId, 2);
    await payFor(buyer, hold);
    await organizer.mutate('events.cancel', { id: eventId });
    await organizer.mutate('events.cancel', { id: eventId });
    const tickets = await Ticket.find({ eventId }).lean();
    expect(tickets.map((ticket) => ticket.status)).toEqual(['cancelled', 'cancelled']);
    expect(tickets.every((ticket) => ticket.refundId)).toBe(true);
    const refunds = (await Hold.findById(hold.holdId).lean())?.refunds ?? [];
    expect(refunds.map((refund) => refund.amount)).toEqual([2000, 2000]);
  });
});
