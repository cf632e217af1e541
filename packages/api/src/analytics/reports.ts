import { AnalyticsEvent, CheckIn, FailedScan, Hold, Ticket, type TicketStatus } from '@spot/db';
import type { Types } from 'mongoose';
import { requirePro } from '../billing/gating.ts';
import { findOwnedEvent } from '../lib/owned-event.ts';
import type { Context, SessionUser } from '../trpc.ts';
import {
  type BucketCount,
  type BucketSize,
  bucketRange,
  byStart,
  countPerBucket,
} from './buckets.ts';
import type { SalesInterval, TimeSeriesInput } from './schemas.ts';

/*
 * An organizer's numbers for one of their events, counted from the history in MongoDB (the live
 * counters in Redis are only a cache of it). Definitions:
 * - sold: tickets that hold a place (valid or used); checked in: used tickets (each has its
 *   CheckIn); no-shows: sold tickets still unused once the event is over.
 * - revenue, per currency of the tickets (the event's currency when a ticket has none), in minor
 *   units: gross is every issued ticket's price (what buyers paid for the tickets they got),
 *   refunded is the price of the tickets that carry a refund, net = gross − refunded. A cancelled
 *   ticket whose refund has not gone through yet still counts in net: the money is still held.
 *   Orders paid but refunded before any ticket was issued (sold out meanwhile) were never
 *   revenue. Payment-provider fees are not known here and not deducted.
 * - funnel: page views and ticket-option opens (each counted once per viewer per 30 minutes),
 *   completed orders (holds issued), and orders with at least one ticket checked in.
 */

type AuthedContext = Context & { user: SessionUser };

const REPORT_FIELDS = {
  title: 1,
  startDate: 1,
  endDate: 1,
  capacity: 1,
  currency: 1,
  cancelledAt: 1,
} as const;

export interface RevenueLine {
  currency: string;
  gross: number;
  refunded: number;
  net: number;
}

export interface AnalyticsSummary {
  event: {
    id: string;
    title: string;
    startDate: Date;
    endDate: Date;
    capacity: number;
    currency: string;
    ended: boolean;
    cancelled: boolean;
  };
  /** `remaining` is capacity minus sold: places held by unfinished checkouts are not deducted. */
  tickets: { sold: number; remaining: number; checkedIn: number; cancelled: number };
  views: number;
  clicks: number;
  /** Sold tickets nobody checked in, once the event is over; null before (or if cancelled). */
  noShows: { count: number; rate: number } | null;
  /** One line per currency, the event's own first; minor units. */
  revenue: RevenueLine[];
  /** Refused scans at the door (the log itself is `checkin.failedScans`). */
  failedScans: number;
}

interface TicketTally {
  _id: { status: TicketStatus; currency: string };
  tickets: number;
  paid: number;
  refunded: number;
}

/** Tickets, paid and refunded amounts per status and currency (`eventCurrency` when unset). */
function talliedTickets(eventId: Types.ObjectId, eventCurrency: string): Promise<TicketTally[]> {
  const price = { $ifNull: ['$price', 0] };
  return Ticket.aggregate<TicketTally>([
    { $match: { eventId } },
    {
      $group: {
        _id: { status: '$status', currency: { $ifNull: ['$currency', eventCurrency] } },
        tickets: { $sum: 1 },
        paid: { $sum: price },
        refunded: { $sum: { $cond: [{ $ifNull: ['$refundId', false] }, price, 0] } },
      },
    },
  ]);
}

function revenueLines(tallies: TicketTally[], eventCurrency: string): RevenueLine[] {
  const lines = new Map<string, RevenueLine>([
    [eventCurrency, { currency: eventCurrency, gross: 0, refunded: 0, net: 0 }],
  ]);
  for (const tally of tallies) {
    const { currency } = tally._id;
    const line = lines.get(currency) ?? { currency, gross: 0, refunded: 0, net: 0 };
    line.gross += tally.paid;
    line.refunded += tally.refunded;
    line.net = line.gross - line.refunded;
    lines.set(currency, line);
  }
  return [...lines.values()];
}

async function interactions(eventId: Types.ObjectId): Promise<{ views: number; clicks: number }> {
  const rows = await AnalyticsEvent.aggregate<{ _id: string; count: number }>([
    { $match: { eventId, type: { $in: ['view', 'click'] } } },
    { $group: { _id: '$type', count: { $sum: 1 } } },
  ]);
  const count = (type: string) => rows.find((row) => row._id === type)?.count ?? 0;
  return { views: count('view'), clicks: count('click') };
}

/** Totals of one of the organizer's events (free for every organizer). */
export async function summary(ctx: AuthedContext, eventId: string): Promise<AnalyticsSummary> {
  const event = await findOwnedEvent(ctx.user, eventId, REPORT_FIELDS);
  const [tallies, { views, clicks }, failedScans] = await Promise.all([
    talliedTickets(event._id, event.currency),
    interactions(event._id),
    FailedScan.countDocuments({ eventId: event._id }),
  ]);
  const withStatus = (status: TicketStatus) =>
    tallies
      .filter((tally) => tally._id.status === status)
      .reduce((sum, tally) => sum + tally.tickets, 0);
  const checkedIn = withStatus('used');
  const sold = withStatus('valid') + checkedIn;
  const ended = event.endDate <= new Date();
  const cancelled = Boolean(event.cancelledAt);
  const noShowCount = withStatus('valid');
  return {
    event: {
      id: event._id.toHexString(),
      title: event.title,
      startDate: event.startDate,
      endDate: event.endDate,
      capacity: event.capacity,
      currency: event.currency,
      ended,
      cancelled,
    },
    tickets: {
      sold,
      remaining: Math.max(0, event.capacity - sold),
      checkedIn,
      cancelled: withStatus('cancelled'),
    },
    views,
    clicks,
    noShows:
      ended && !cancelled
        ? { count: noShowCount, rate: sold === 0 ? 0 : noShowCount / sold }
        : null,
    revenue: revenueLines(tallies, event.currency),
    failedScans,
  };
}

const FUNNEL_STEPS = ['views', 'clicks', 'purchases', 'checkIns'] as const;

export interface FunnelStep {
  step: (typeof FUNNEL_STEPS)[number];
  count: number;
  /** This step's count as a share of the previous one; null for the first or after a zero. */
  conversion: number | null;
}

/** Views → ticket-option opens → completed orders → orders that came to the door (Pro). */
export async function funnel(ctx: AuthedContext, eventId: string): Promise<FunnelStep[]> {
  requirePro(ctx, 'The sales funnel');
  const event = await findOwnedEvent(ctx.user, eventId, { _id: 1 });
  const [{ views, clicks }, purchases, arrived] = await Promise.all([
    interactions(event._id),
    Hold.countDocuments({ eventId: event._id, status: 'issued' }),
    Ticket.aggregate<{ orders: number }>([
      { $match: { eventId: event._id, status: 'used', holdId: { $ne: null } } },
      { $group: { _id: '$holdId' } },
      { $count: 'orders' },
    ]),
  ]);
  const counts = { views, clicks, purchases, checkIns: arrived[0]?.orders ?? 0 };
  let previous: number | null = null;
  return FUNNEL_STEPS.map((step) => {
    const count = counts[step];
    const conversion = previous ? count / previous : null;
    previous = count;
    return { step, count, conversion };
  });
}

/** The arrival curve's resolution. */
const ARRIVAL_BUCKET: BucketSize = { unit: 'minute', binSize: 5 };

export interface SalesBucket {
  start: Date;
  /** Tickets bought in this bucket that still hold a place. */
  tickets: number;
  views: number;
}

export interface ArrivalBucket {
  start: Date;
  checkIns: number;
  /** Checked in by the end of this bucket. */
  total: number;
}

export interface TimeSeries {
  timezone: string;
  salesInterval: SalesInterval;
  event: { startDate: Date; endDate: Date };
  /** From the first to the last bucket with a sale or a view, empty buckets included. */
  sales: SalesBucket[];
  /** Check-ins per 5 minutes from the first to the last one, empty buckets included. */
  arrivals: ArrivalBucket[];
}

/** Sales and views per hour or day, and check-ins per 5 minutes, in the caller's zone (Pro). */
export async function timeSeries(ctx: AuthedContext, input: TimeSeriesInput): Promise<TimeSeries> {
  requirePro(ctx, 'Sales and arrivals over time');
  const event = await findOwnedEvent(ctx.user, input.eventId, { startDate: 1, endDate: 1 });
  const { timezone, salesInterval } = input;
  const salesBucket: BucketSize = { unit: salesInterval, binSize: 1 };
  const [sold, viewed, arrived] = await Promise.all([
    Ticket.aggregate<BucketCount>([
      { $match: { eventId: event._id, status: { $in: ['valid', 'used'] } } },
      countPerBucket('$createdAt', salesBucket, timezone),
    ]),
    AnalyticsEvent.aggregate<BucketCount>([
      { $match: { eventId: event._id, type: 'view' } },
      countPerBucket('$createdAt', salesBucket, timezone),
    ]),
    CheckIn.aggregate<BucketCount>([
      { $match: { eventId: event._id } },
      countPerBucket('$scannedAt', ARRIVAL_BUCKET, timezone),
    ]),
  ]);

  const tickets = byStart(sold);
  const views = byStart(viewed);
  const sales = bucketRange([...tickets.keys(), ...views.keys()], salesBucket, timezone).map(
    (start) => ({
      start: new Date(start),
      tickets: tickets.get(start) ?? 0,
      views: views.get(start) ?? 0,
    }),
  );

  const checkIns = byStart(arrived);
  let total = 0;
  const arrivals = bucketRange(checkIns.keys(), ARRIVAL_BUCKET, timezone).map((start) => {
    const count = checkIns.get(start) ?? 0;
    total += count;
    return { start: new Date(start), checkIns: count, total };
  });

  return {
    timezone,
    salesInterval,
    event: { startDate: event.startDate, endDate: event.endDate },
    sales,
    arrivals,
  };
}
