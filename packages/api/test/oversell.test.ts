import { randomInt } from 'node:crypto';
import { Hold, Seat, Ticket } from '@spot/db';
import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { getRedis } from '../src/lib/redis.ts';
import { type Agent, useApi } from './harness.ts';
import { useLocalStripe } from './local-stripe.ts';
import { buy, expireHold, type HoldView, storeSaleEvent } from './tickets-fixtures.ts';

const local = useLocalStripe();
const api = useApi('spot_api_oversell');

const CAPACITY = 500;
const USERS = 200;
const ATTEMPTS = 2000;
const EXPIRED = 50;
const PRICE = 1000;

async function inBatches<T, R>(
  items: T[],
  size: number,
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await Promise.all(items.slice(start, start + size).map(run))));
  }
  return results;
}

/** Fires every attempt at once; answers the holds obtained and the refusal codes. */
async function rush(agents: Agent[], eventId: string, attempts: number) {
  const results = await Promise.all(
    Array.from({ length: attempts }, async (_, index) => {
      const agent = agents[index % agents.length] as Agent;
      try {
        return { code: 'OK', hold: await buy(agent, eventId) };
      } catch (error) {
        if (!(error instanceof TRPCClientError)) throw error;
        return { code: String(error.data?.code ?? `${error.message} ${error.cause ?? ''}`) };
      }
    }),
  );
  const codes = new Map<string, number>();
  const holdsOf = (result: { hold?: HoldView }) => (result.hold ? [result.hold] : []);
  for (const { code } of results) codes.set(code, (codes.get(code) ?? 0) + 1);
  return { holds: results.flatMap(holdsOf), codes };
}

describe('oversell', () => {
  it(`${ATTEMPTS} concurrent buyers of a ${CAPACITY}-place paid event: exactly ${CAPACITY} tickets`, {
    timeout: 120_000,
  }, async () => {
    const started = Date.now();
    const agents = await inBatches(Array.from({ length: USERS }), 25, () => api.signedIn('user'));
    const eventId = await storeSaleEvent({ capacity: CAPACITY, price: PRICE });
    const signedIn = Date.now();

    const first = await rush(agents, eventId, ATTEMPTS);
    expect(Object.fromEntries(first.codes)).toEqual({
      OK: CAPACITY,
      CONFLICT: ATTEMPTS - CAPACITY,
    });
    expect(await Seat.countDocuments({ eventId })).toBe(CAPACITY);
    const rushed = Date.now();

    // Some buyers never pay: their holds expire and the places go back on sale.
    const abandoned = new Set<string>();
    while (abandoned.size < EXPIRED) {
      abandoned.add((first.holds[randomInt(first.holds.length)] as HoldView).holdId);
    }
    await Promise.all([...abandoned].map(expireHold));
    const second = await rush(agents, eventId, 4 * EXPIRED);
    expect(second.codes.get('OK')).toBe(EXPIRED);

    // Everyone pays, the late payers of expired holds too; some deliveries are duplicated.
    const holds = [...first.holds, ...second.holds];
    const deliveries = holds.map((hold) =>
      local.stripe.event(
        'payment_intent.succeeded',
        local.stripe.succeed(hold.paymentIntentId as string),
      ),
    );
    const duplicates = deliveries.filter(() => randomInt(5) === 0);
    const statuses = await inBatches(
      [...deliveries, ...duplicates],
      200,
      async (delivery) => (await local.stripe.deliver(local.webhookUrl, delivery)).status,
    );
    expect(statuses.every((status) => status === 200)).toBe(true);
    const paid = Date.now();

    // Exactly the capacity is sold, one ticket per slot 1..capacity.
    const tickets = await Ticket.find({ eventId, status: 'valid' }).lean();
    expect(tickets).toHaveLength(CAPACITY);
    const seats = await Seat.find({ eventId }).lean();
    expect(seats.every((seat) => seat.state === 'sold')).toBe(true);
    expect(new Set(seats.map((seat) => seat.slot)).size).toBe(CAPACITY);
    expect(Math.max(...seats.map((seat) => seat.slot))).toBe(CAPACITY);
    expect(new Set(seats.map((seat) => seat.claim))).toEqual(
      new Set(tickets.map((ticket) => ticket.purchaseKey)),
    );

    // Nobody charged without a ticket: every succeeded intent has its ticket or a full refund.
    const refundedIntents = new Map<string, number>();
    for (const refund of local.stripe.refunds) {
      refundedIntents.set(
        refund.payment_intent,
        (refundedIntents.get(refund.payment_intent) ?? 0) + refund.amount,
      );
    }
    const ticketsByHold = new Map(tickets.map((ticket) => [String(ticket.holdId), ticket]));
    const stored = await Hold.find({ eventId }).lean();
    for (const hold of stored) {
      const ticket = ticketsByHold.get(hold._id.toHexString());
      const refunded = refundedIntents.get(hold.paymentIntentId as string) ?? 0;
      expect(Boolean(ticket) !== (refunded === PRICE), `hold ${hold._id}`).toBe(true);
      expect(hold.status).toBe(ticket ? 'issued' : 'refunded');
    }
    expect(stored.filter((hold) => hold.status === 'refunded')).toHaveLength(EXPIRED);
    expect(local.stripe.refunds).toHaveLength(EXPIRED);

    const redis = getRedis();
    if (redis) expect(Number(await redis.get(`event:${eventId}:sold`))).toBe(CAPACITY);
    console.info(
      `oversell: sign-in ${signedIn - started} ms, ${ATTEMPTS} purchases ${rushed - signedIn} ms, ` +
        `${deliveries.length + duplicates.length} webhooks ${paid - rushed} ms`,
    );
  });
});
