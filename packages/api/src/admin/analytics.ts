import { CheckIn, Event, type EventCategory, Hold, ROLES, type Role, Ticket, User } from '@spot/db';
import type { PeriodInput } from './schemas.ts';

const TOP_CATEGORIES = 5;

export interface PlatformAnalytics {
  period: { from: Date; to: Date };
  /** Every account now, by role, and how many of them are suspended. */
  usersByRole: Record<Role, number>;
  suspendedUsers: number;
  /** Accounts created in the period. */
  newSignups: number;
  /**
   * Events created in the period that are published now, moderator-removed ones excluded (events
   * keep no publication date).
   */
  eventsPublished: number;
  /** Tickets issued in the period and not cancelled since. */
  ticketsSold: number;
  /**
   * Per currency, in minor units: payments whose tickets were issued in the period (gross), and
   * refunds of issued payments made in the period (refunded); net = gross − refunded.
   */
  revenue: Array<{ currency: string; gross: number; refunded: number; net: number }>;
  /** Admissions at the door in the period. */
  checkIns: number;
  /** By tickets sold in the period, most first. */
  topCategories: Array<{ category: EventCategory; ticketsSold: number }>;
}

/**
 * The platform's numbers over [from, to), each one aggregation (the embedded engine runs them
 * with mingo, $lookup included).
 */
export async function platformAnalytics({ from, to }: PeriodInput): Promise<PlatformAnalytics> {
  const inPeriod = { $gte: from, $lt: to };
  const sold = { createdAt: inPeriod, status: { $in: ['valid' as const, 'used' as const] } };
  const [
    roles,
    suspendedUsers,
    newSignups,
    eventsPublished,
    ticketsSold,
    gross,
    refunds,
    checkIns,
    categories,
  ] = await Promise.all([
    User.aggregate<{ _id: Role; count: number }>([
      { $group: { _id: '$role', count: { $sum: 1 } } },
    ]),
    User.countDocuments({ status: 'suspended' }),
    User.countDocuments({ createdAt: inPeriod }),
    Event.countDocuments({ createdAt: inPeriod, isPublished: true, 'removed.at': null }),
    Ticket.countDocuments(sold),
    Hold.aggregate<{ _id: string; amount: number }>([
      { $match: { issuedAt: inPeriod, amount: { $gt: 0 } } },
      { $group: { _id: '$currency', amount: { $sum: '$amount' } } },
    ]),
    Hold.aggregate<{ _id: string; amount: number }>([
      { $match: { issuedAt: { $ne: null }, 'refunds.at': inPeriod } },
      { $unwind: '$refunds' },
      { $match: { 'refunds.at': inPeriod } },
      { $group: { _id: '$currency', amount: { $sum: '$refunds.amount' } } },
    ]),
    CheckIn.countDocuments({ scannedAt: inPeriod }),
    Ticket.aggregate<{ _id: EventCategory; ticketsSold: number }>([
      { $match: sold },
      { $group: { _id: '$eventId', ticketsSold: { $sum: 1 } } },
      {
        $lookup: {
          from: Event.collection.collectionName,
          localField: '_id',
          foreignField: '_id',
          as: 'event',
        },
      },
      { $unwind: '$event' },
      { $group: { _id: '$event.category', ticketsSold: { $sum: '$ticketsSold' } } },
      { $sort: { ticketsSold: -1, _id: 1 } },
      { $limit: TOP_CATEGORIES },
    ]),
  ]);
  const usersByRole = Object.fromEntries(ROLES.map((role) => [role, 0])) as Record<Role, number>;
  for (const row of roles) usersByRole[row._id] = row.count;
  const refunded = new Map(refunds.map((row) => [row._id, row.amount]));
  const currencies = [...new Set([...gross.map((row) => row._id), ...refunded.keys()])].sort();
  const grossOf = new Map(gross.map((row) => [row._id, row.amount]));
  return {
    period: { from, to },
    usersByRole,
    suspendedUsers,
    newSignups,
    eventsPublished,
    ticketsSold,
    revenue: currencies.map((currency) => {
      const paid = grossOf.get(currency) ?? 0;
      const back = refunded.get(currency) ?? 0;
      return { currency, gross: paid, refunded: back, net: paid - back };
    }),
    checkIns,
    topCategories: categories.map((row) => ({ category: row._id, ticketsSold: row.ticketsSold })),
  };
}
