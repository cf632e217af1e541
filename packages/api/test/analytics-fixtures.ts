import { randomUUID } from 'node:crypto';
import {
  AnalyticsEvent,
  CheckIn,
  Event,
  FailedScan,
  Hold,
  type HoldStatus,
  Ticket,
  type TicketStatus,
  User,
} from '@spot/db';
import { type ServedHandler, serveFetchHandler } from '@spot/testing';
import { Types } from 'mongoose';
import { afterAll, beforeAll } from 'vitest';
import { handleExportRequest } from '../src/analytics/export.ts';
import { userIdOf } from './events-fixtures.ts';
import type { Agent } from './harness.ts';

/** Organizer features that are Pro-only need a Pro organizer (what a paid subscription sets). */
export async function makePro(agent: Agent): Promise<void> {
  await User.updateOne({ _id: await userIdOf(agent) }, { $set: { isPremium: true } });
}

/** The CSV export handler over real HTTP, as apps/web mounts it; `download` sends the agent's cookie. */
export function useExports() {
  let served: ServedHandler | undefined;
  beforeAll(async () => {
    served = await serveFetchHandler(handleExportRequest);
  });
  afterAll(async () => {
    await served?.close();
  });
  return function download(agent: Agent, eventId: string, kind: string, query = '') {
    if (!served) throw new Error('the export server is not running');
    return fetch(`${served.baseUrl}/api/exports/${eventId}/${kind}${query}`, {
      headers: agent.cookie ? { cookie: agent.cookie } : {},
    });
  };
}

const at = (iso: string) => new Date(iso);

/** People whose names and emails make CSV and search interesting. */
export const BUYERS = {
  zoe: { name: 'Zoë Ñúñez 漢字', email: 'zoe.nunez@example.com' },
  danny: { name: 'Danny "The Kid" O\'Brien, Jr.', email: 'danny@example.com' },
  formula: { name: '=HYPERLINK("http://evil.example","click")', email: 'mallory@example.com' },
  multiline: { name: 'Ann\nLee', email: 'ann.lee@example.com' },
  dollar: { name: 'Dee Dollar', email: '+dee@example.com' },
} as const;
type Buyer = keyof typeof BUYERS;

interface OrderSpec {
  buyer: Buyer;
  status: HoldStatus;
  /** Tickets issued (none for orders that never got tickets). */
  tickets: Array<{ status?: TicketStatus; refunded?: boolean; checkedInAt?: Date }>;
  at: Date;
  price: number;
  currency: 'eur' | 'usd';
}

/**
 * "Jazz night", over since 2025-03-30 22:00 UTC (20:00–24:00 in Paris, the first evening of
 * summer time: Paris was UTC+1 until 01:00 UTC that day, UTC+2 after). Known answers:
 * - tickets: 7 sold (4 checked in, 3 no-shows), 1 cancelled and refunded;
 * - revenue: eur gross 17,500, refunded 2,500, net 15,000; usd gross 3,000 (sold before the
 *   organizer switched the event to euros), net 3,000;
 * - funnel: 40 views, 12 clicks, 5 orders issued (a released and a refunded one do not count),
 *   2 of them came to the door;
 * - arrivals (UTC): 17:00 → 2, 17:10 → 1, 17:30 → 1 (empty buckets between);
 * - sales per UTC day: 28th 3, 29th 1, 30th 3; in Paris the 23:30 UTC sale is on the 29th.
 */
const ORDERS: OrderSpec[] = [
  {
    buyer: 'zoe',
    status: 'issued',
    at: at('2025-03-28T10:00:00Z'),
    price: 2500,
    currency: 'eur',
    tickets: [
      { status: 'used', checkedInAt: at('2025-03-30T17:02:00Z') },
      { status: 'used', checkedInAt: at('2025-03-30T17:04:00Z') },
    ],
  },
  {
    buyer: 'danny',
    status: 'issued',
    at: at('2025-03-28T23:30:00Z'),
    price: 2500,
    currency: 'eur',
    tickets: [{}],
  },
  {
    buyer: 'dollar',
    status: 'issued',
    at: at('2025-03-29T09:00:00Z'),
    price: 3000,
    currency: 'usd',
    tickets: [{}],
  },
  {
    buyer: 'formula',
    status: 'issued',
    at: at('2025-03-30T12:00:00Z'),
    price: 2500,
    currency: 'eur',
    tickets: [
      { status: 'used', checkedInAt: at('2025-03-30T17:12:00Z') },
      { status: 'used', checkedInAt: at('2025-03-30T17:31:00Z') },
      {},
    ],
  },
  {
    buyer: 'multiline',
    status: 'issued',
    at: at('2025-03-30T15:00:00Z'),
    price: 2500,
    currency: 'eur',
    tickets: [{ status: 'cancelled', refunded: true }],
  },
  // Abandoned at the checkout, and paid after the last place went: no tickets, no revenue.
  {
    buyer: 'zoe',
    status: 'released',
    at: at('2025-03-29T12:00:00Z'),
    price: 2500,
    currency: 'eur',
    tickets: [],
  },
  {
    buyer: 'danny',
    status: 'refunded',
    at: at('2025-03-30T16:00:00Z'),
    price: 2500,
    currency: 'eur',
    tickets: [],
  },
];

/** Views: 25 on the 27th, 14 on the 30th, 1 on 1 April (none on the 31st: a gap to fill). */
const VIEWS = [
  ...Array<Date>(25).fill(at('2025-03-27T12:00:00Z')),
  ...Array<Date>(14).fill(at('2025-03-30T10:00:00Z')),
  at('2025-04-01T08:00:00Z'),
];
const CLICKS = 12;

export interface JazzNight {
  eventId: string;
  /** Account ids of the buyers, by their key in BUYERS. */
  buyerIds: Record<Buyer, string>;
}

/** Writes the "Jazz night" history of `organizerId` through the models, as the app would have. */
export async function seedJazzNight(organizerId: string, title = 'Jazz night'): Promise<JazzNight> {
  const [event] = await Event.insertMany([
    {
      title,
      description: 'A jazz night, seeded with a known history for the analytics tests.',
      category: 'music',
      location: { city: 'Paris', lat: 48.8566, lng: 2.3522 },
      startDate: at('2025-03-30T18:00:00Z'),
      endDate: at('2025-03-30T22:00:00Z'),
      organizerId,
      capacity: 100,
      isPublished: true,
      price: 2500,
      currency: 'eur',
    },
  ]);
  const eventId = (event as { _id: Types.ObjectId })._id;
  const tag = randomUUID().slice(0, 8);
  const buyers = await User.insertMany(
    Object.values(BUYERS).map((buyer) => ({
      ...buyer,
      email: buyer.email.replace('@', `.${tag}@`),
      passwordHash: 'not-a-real-hash',
    })),
  );
  const buyerIds = Object.fromEntries(
    Object.keys(BUYERS).map((key, index) => [key, buyers[index]?._id.toHexString()]),
  ) as Record<Buyer, string>;

  for (const order of ORDERS) {
    const holdId = new Types.ObjectId();
    await Hold.create({
      _id: holdId,
      eventId,
      userId: buyerIds[order.buyer],
      quantity: Math.max(1, order.tickets.length),
      amount: order.price * Math.max(1, order.tickets.length),
      currency: order.currency,
      status: order.status,
      expiresAt: new Date(order.at.getTime() + 15 * 60_000),
      provider: 'simulated',
      paymentIntentId: `pi_${holdId}`,
      ...(order.status === 'issued' && { issuedAt: order.at }),
    });
    const tickets = await Ticket.insertMany(
      order.tickets.map((ticket, index) => ({
        eventId,
        userId: buyerIds[order.buyer],
        ticketCode: randomUUID(),
        qrPayload: 'signed-elsewhere',
        status: ticket.status ?? 'valid',
        holdId,
        purchaseKey: `${holdId}:${index}`,
        price: order.price,
        currency: order.currency,
        createdAt: order.at,
        ...(ticket.checkedInAt && { checkedInAt: ticket.checkedInAt }),
        ...(ticket.refunded && { refundId: `re_${holdId}_${index}`, cancelledAt: order.at }),
      })),
    );
    await CheckIn.insertMany(
      tickets.flatMap((ticket) =>
        ticket.checkedInAt
          ? [
              {
                eventId,
                ticketId: ticket._id,
                scannedBy: organizerId,
                scannedAt: ticket.checkedInAt,
                gate: 'North, main',
                manual: false,
              },
            ]
          : [],
      ),
    );
  }
  await AnalyticsEvent.insertMany([
    ...VIEWS.map((createdAt) => ({ eventId, type: 'view', createdAt })),
    ...Array.from({ length: CLICKS }, () => ({
      eventId,
      type: 'click',
      createdAt: at('2025-03-28T09:00:00Z'),
    })),
  ]);
  await FailedScan.insertMany(
    ['already_used', 'invalid_signature'].map((reason, index) => ({
      eventId,
      scannedBy: organizerId,
      at: at('2025-03-30T17:20:00Z'),
      reason,
      nonce: `jazz-${tag}-${index}`,
    })),
  );
  return { eventId: eventId.toHexString(), buyerIds };
}
