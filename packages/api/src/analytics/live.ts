import { CheckIn, Ticket, User } from '@spot/db';
import type { Types } from 'mongoose';
import { findOwnedEvent } from '../lib/owned-event.ts';
import type { LiveScan } from '../realtime/channel.ts';
import type { Context, SessionUser } from '../trpc.ts';
import { type LiveCounters, readCounters, rebuildCounters } from './counters.ts';

type AuthedContext = Context & { user: SessionUser };

export interface LiveNumbers extends LiveCounters {
  eventId: string;
  capacity: number;
  recentScans: LiveScan[];
}

const RECENT_SCANS = 10;

async function recentScans(eventId: Types.ObjectId): Promise<LiveScan[]> {
  const checkIns = await CheckIn.find({ eventId })
    .sort({ scannedAt: -1 })
    .limit(RECENT_SCANS)
    .lean();
  const tickets = await Ticket.find(
    { _id: { $in: checkIns.map((checkIn) => checkIn.ticketId) } },
    { userId: 1 },
  ).lean();
  const holderOf = new Map(tickets.map((ticket) => [ticket._id.toHexString(), ticket.userId]));
  const people = await User.find(
    {
      _id: {
        $in: [...tickets.map((ticket) => ticket.userId), ...checkIns.map((c) => c.scannedBy)],
      },
    },
    { name: 1 },
  ).lean();
  const nameOf = new Map(people.map((person) => [person._id.toHexString(), person.name]));
  return checkIns.map((checkIn) => {
    const holder = holderOf.get(checkIn.ticketId.toHexString());
    return {
      ticketId: checkIn.ticketId.toHexString(),
      attendeeName: (holder && nameOf.get(holder.toHexString())) ?? 'Unknown attendee',
      scannedAt: checkIn.scannedAt.toISOString(),
      scannedBy: nameOf.get(checkIn.scannedBy.toHexString()) ?? 'Unknown scanner',
      gate: checkIn.gate ?? null,
      manual: checkIn.manual,
    };
  });
}

/** An event's live numbers: Redis counters, or counts from Mongo while Redis is unavailable. */
export async function liveNumbers(ctx: AuthedContext, eventId: string): Promise<LiveNumbers> {
  const event = await findOwnedEvent(ctx.user, eventId, { capacity: 1 });
  const [counters, scans] = await Promise.all([readCounters(event._id), recentScans(event._id)]);
  return { eventId, capacity: event.capacity, ...counters, recentScans: scans };
}

/** Recounts the event's live counters from Mongo (the organizer's "numbers look wrong" button). */
export async function rebuildLiveNumbers(
  ctx: AuthedContext,
  eventId: string,
): Promise<LiveNumbers> {
  const event = await findOwnedEvent(ctx.user, eventId, { capacity: 1 });
  const [counters, scans] = await Promise.all([rebuildCounters(event._id), recentScans(event._id)]);
  return { eventId, capacity: event.capacity, ...counters, recentScans: scans };
}
