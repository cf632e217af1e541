import { getConfig } from '@spot/config';
import {
  AuditLog,
  CheckIn,
  Event,
  FailedScan,
  type ScanFailure,
  Ticket,
  type TicketFields,
  User,
} from '@spot/db';
import { TRPCError } from '@trpc/server';
import { type ClientSession, Types } from 'mongoose';
import { bumpCounter } from '../analytics/counters.ts';
import { newestFirst } from '../lib/cursor.ts';
import { isDuplicateKey } from '../lib/mongo-errors.ts';
import { findOwnedEvent } from '../lib/owned-event.ts';
import { enforceRateLimit, type RateLimitRule } from '../lib/rate-limit.ts';
import { escapeRegex } from '../lib/regex.ts';
import { inTransaction, supportsTransactions } from '../lib/transactions.ts';
import { issueRealtimeToken } from '../realtime/access.ts';
import {
  announceAccessChange,
  eventRoom,
  type LiveMessage,
  type LiveScan,
  organizerRoom,
} from '../realtime/channel.ts';
import { verifyTicketPayload } from '../tickets/qr.ts';
import type { Context, SessionUser } from '../trpc.ts';
import { admitTicket, type TicketSelector } from './admission.ts';
import {
  DOOR_FIELDS,
  type DoorEvent,
  type DoorRole,
  doorRole,
  findDoorEvent,
  forgetDoor,
} from './door-access.ts';
import { FAILURE_MESSAGES, type FirstScan, type ScanResult, TICKET_TYPE } from './results.ts';
import type {
  AddStaffInput,
  AttendeeSearchInput,
  FailedScansInput,
  ManualCheckInInput,
  RemoveStaffInput,
  ScanInput,
  UndoCheckInInput,
} from './schemas.ts';

type AuthedContext = Context & { user: SessionUser };

/** A person scans about one ticket a second; bursts (an offline queue syncing) get some room. */
const SCAN_LIMIT: RateLimitRule = { name: 'scan', limit: 150, windowSeconds: 10 };
export const UNDO_WINDOW_MINUTES = 15;

const eventNotFound = () => new TRPCError({ code: 'NOT_FOUND', message: 'Event not found.' });

interface Attempt {
  user: SessionUser;
  door: { event: DoorEvent; role: DoorRole };
  nonce: string;
  gate?: string;
  device?: string;
}

/** Check-in opens a configurable time before the start; a scanner used too early is told when. */
function refuseBeforeDoorsOpen(event: DoorEvent, now: Date): void {
  const opensAt = checkInOpensAt(event);
  if (now < opensAt) {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: `Check-in for this event opens at ${opensAt.toISOString()}.`,
    });
  }
}

function checkInOpensAt(event: Pick<DoorEvent, 'startDate'>): Date {
  return new Date(event.startDate.getTime() - getConfig().CHECKIN_OPENS_BEFORE_MINUTES * 60_000);
}

/** The failed-scan log; a retried attempt (same nonce) is logged once. Never fails the answer. */
async function logFailure(
  attempt: Pick<Attempt, 'user' | 'nonce' | 'gate' | 'device'>,
  eventId: Types.ObjectId,
  reason: ScanFailure,
  ticketId?: Types.ObjectId,
): Promise<void> {
  try {
    await FailedScan.create({
      eventId,
      scannedBy: attempt.user.id,
      reason,
      ticketId,
      gate: attempt.gate,
      device: attempt.device,
      nonce: attempt.nonce,
    });
  } catch (error) {
    if (!isDuplicateKey(error)) console.error('Logging a failed scan failed:', error);
  }
}

async function refused(
  attempt: Attempt,
  reason: Exclude<ScanFailure, 'already_used'>,
  ticketId?: Types.ObjectId,
): Promise<ScanResult> {
  await logFailure(attempt, attempt.door.event._id, reason, ticketId);
  return { result: reason, message: FAILURE_MESSAGES[reason] };
}

async function accountName(userId: Types.ObjectId): Promise<string | undefined> {
  const user = await User.collection.findOne({ _id: userId }, { projection: { name: 1 } });
  return user?.name as string | undefined;
}

/** The attendee's name on the scanner's screen: the ticket's own, else its holder's account's. */
async function attendeeNameOf(ticket: Pick<TicketFields, 'userId' | 'holderName'>) {
  return ticket.holderName ?? (await accountName(ticket.userId)) ?? 'Unknown attendee';
}

/**
 * The shared end of a QR scan and a manual check-in: admit the ticket if it is valid, otherwise
 * say why not. Mongo first (the truth), then the live counter and the dashboards.
 */
async function checkIn(
  attempt: Attempt,
  selector: TicketSelector,
  manual: boolean,
): Promise<ScanResult> {
  const { event } = attempt.door;
  const scannedAt = new Date();
  const admitted = await admitTicket(selector, {
    scannedBy: new Types.ObjectId(attempt.user.id),
    scannedAt,
    gate: attempt.gate,
    device: attempt.device,
    nonce: attempt.nonce,
    manual,
  });
  if (!admitted) return explainRefusal(attempt, selector);

  const attendeeName = await attendeeNameOf(admitted);
  const scan: LiveScan = {
    ticketId: admitted._id.toHexString(),
    attendeeName,
    scannedAt: scannedAt.toISOString(),
    scannedBy: attempt.user.name,
    gate: attempt.gate ?? null,
    manual,
  };
  const checkins = await bumpCounter(event._id, 'checkins', 1, (count) =>
    checkinUpdate(event, count, 'checked_in', scan),
  );
  return {
    result: 'ok',
    message: `Welcome, ${attendeeName}.`,
    ticketId: scan.ticketId,
    attendeeName,
    ticketType: TICKET_TYPE,
    scannedAt,
    checkins,
  };
}

/** The live update of the event's dashboards after a check-in or its undo. */
function checkinUpdate(
  event: DoorEvent,
  checkins: number | null,
  change: 'checked_in' | 'undone',
  scan: LiveScan,
): LiveMessage {
  const eventId = event._id.toHexString();
  return {
    rooms: [eventRoom(eventId), organizerRoom(event.organizerId.toHexString())],
    event: 'checkin',
    data: { eventId, checkins, change, scan },
  };
}

/** Why a ticket was not admitted, read after the conditional update found it not valid. */
async function explainRefusal(attempt: Attempt, selector: TicketSelector): Promise<ScanResult> {
  const { eventId, ...which } = selector;
  const ticket = await Ticket.findOne(which, {
    eventId: 1,
    userId: 1,
    holderName: 1,
    status: 1,
    checkedInAt: 1,
  }).lean();
  if (!ticket) return refused(attempt, 'unknown_ticket');
  if (!ticket.eventId.equals(eventId)) return refused(attempt, 'wrong_event', ticket._id);
  if (ticket.status === 'cancelled') return refused(attempt, 'cancelled', ticket._id);
  if (ticket.status === 'valid') {
    // Valid again already (an undo landed in between): the door should simply scan again.
    throw new TRPCError({ code: 'CONFLICT', message: 'The ticket changed meanwhile; scan again.' });
  }

  const first = await CheckIn.findOne({ ticketId: ticket._id }).lean();
  const attendeeName = await attendeeNameOf(ticket);
  if (first && first.nonce === attempt.nonce && first.scannedBy.toHexString() === attempt.user.id) {
    // The same attempt retried after its answer was lost: answer it again.
    return {
      result: 'ok',
      message: `Welcome, ${attendeeName}.`,
      ticketId: ticket._id.toHexString(),
      attendeeName,
      ticketType: TICKET_TYPE,
      scannedAt: first.scannedAt,
      checkins: null,
    };
  }
  await logFailure(attempt, attempt.door.event._id, 'already_used', ticket._id);
  const firstScan: FirstScan = {
    scannedAt: first?.scannedAt ?? ticket.checkedInAt ?? new Date(0),
    scannedBy: (first && (await accountName(first.scannedBy))) ?? 'Unknown scanner',
    gate: first?.gate ?? null,
    manual: first?.manual ?? false,
  };
  return {
    result: 'already_used',
    message: `Already checked in at ${firstScan.scannedAt.toISOString()} by ${firstScan.scannedBy}.`,
    ticketId: ticket._id.toHexString(),
    attendeeName,
    ticketType: TICKET_TYPE,
    firstScan,
  };
}

/**
 * Refuses anyone not on the event's door team (logged against the event when it exists) and
 * scans before check-in opens.
 */
async function openDoor(
  ctx: AuthedContext,
  input: { eventId: string; nonce: string; gate?: string; device?: string },
): Promise<Attempt | ScanResult> {
  const [, door] = await Promise.all([
    enforceRateLimit(SCAN_LIMIT, ctx.user.id),
    findDoorEvent(ctx.user, input.eventId),
  ]);
  if (!door) {
    const exists = await Event.exists({ _id: input.eventId });
    if (exists) await logFailure({ ...input, user: ctx.user }, exists._id, 'not_allowed');
    return { result: 'not_allowed', message: FAILURE_MESSAGES.not_allowed };
  }
  refuseBeforeDoorsOpen(door.event, new Date());
  return { user: ctx.user, door, nonce: input.nonce, gate: input.gate, device: input.device };
}

const isResult = (value: Attempt | ScanResult): value is ScanResult => 'result' in value;

/** A QR scan at the door (the check-in contract). */
export async function scan(ctx: AuthedContext, input: ScanInput): Promise<ScanResult> {
  // Forgeries are told apart by the signature alone: no ticket is looked up for them. The check
  // runs once the door's own lookups are under way (it resumes after its first await).
  const [claims, attempt] = await Promise.all([
    verifyTicketPayload(input.payload),
    openDoor(ctx, input),
  ]);
  if (isResult(attempt)) return attempt;
  if (!claims) return refused(attempt, 'invalid_signature');
  if (claims.e !== input.eventId) return refused(attempt, 'wrong_event');
  return checkIn(attempt, { eventId: attempt.door.event._id, ticketCode: claims.t }, false);
}

/** Admits a ticket found by attendee search when its QR code cannot be read. */
export async function manualCheckIn(
  ctx: AuthedContext,
  input: ManualCheckInInput,
): Promise<ScanResult> {
  const attempt = await openDoor(ctx, input);
  if (isResult(attempt)) return attempt;
  const selector = { eventId: attempt.door.event._id, _id: new Types.ObjectId(input.ticketId) };
  return checkIn(attempt, selector, true);
}

async function requireDoor(ctx: AuthedContext, eventId: string) {
  const door = await findDoorEvent(ctx.user, eventId);
  if (!door) throw eventNotFound();
  return door;
}

export interface AttendeeMatch {
  ticketId: string;
  attendeeName: string;
  attendeeEmail: string;
  status: 'valid' | 'used' | 'cancelled';
  checkedInAt: Date | null;
}

const SEARCH_LIMIT = 20;

/** The event's tickets whose holder's name or email contains the query. */
export async function searchAttendees(
  ctx: AuthedContext,
  input: AttendeeSearchInput,
): Promise<AttendeeMatch[]> {
  const { event } = await requireDoor(ctx, input.eventId);
  const pattern = new RegExp(escapeRegex(input.query), 'i');
  const holderIds = await Ticket.distinct('userId', { eventId: event._id });
  const holders = await User.find(
    { _id: { $in: holderIds }, $or: [{ name: pattern }, { email: pattern }] },
    { name: 1, email: 1 },
  )
    .limit(SEARCH_LIMIT)
    .lean();
  const byId = new Map(holders.map((holder) => [holder._id.toHexString(), holder]));
  const tickets = await Ticket.find(
    { eventId: event._id, userId: { $in: holders.map((holder) => holder._id) } },
    { userId: 1, status: 1, checkedInAt: 1 },
  )
    .sort({ userId: 1, _id: 1 })
    .limit(SEARCH_LIMIT * 2)
    .lean();
  return tickets.flatMap((ticket) => {
    const holder = byId.get(ticket.userId.toHexString());
    if (!holder) return [];
    return [
      {
        ticketId: ticket._id.toHexString(),
        attendeeName: holder.name,
        attendeeEmail: holder.email,
        status: ticket.status,
        checkedInAt: ticket.checkedInAt ?? null,
      },
    ];
  });
}

/**
 * Takes back a check-in made in the last minutes (the wrong attendee was admitted): the CheckIn
 * goes, the ticket is valid again, and the audit log keeps what was undone, by whom and why.
 */
export async function undoCheckIn(
  ctx: AuthedContext,
  input: UndoCheckInInput,
): Promise<{ ticketId: string; status: 'valid' }> {
  const { event } = await requireDoor(ctx, input.eventId);
  const ticketId = new Types.ObjectId(input.ticketId);
  const checkInFilter = {
    ticketId,
    eventId: event._id,
    scannedAt: { $gte: new Date(Date.now() - UNDO_WINDOW_MINUTES * 60_000) },
  };
  const revert = async (session?: ClientSession) => {
    const removed = await CheckIn.findOneAndDelete(checkInFilter, { session }).lean();
    if (!removed) return null;
    await Ticket.updateOne(
      { _id: ticketId, status: 'used' },
      { $set: { status: 'valid' }, $unset: { checkedInAt: 1 } },
      { session },
    );
    await AuditLog.create(
      [
        {
          actor: ctx.user.id,
          action: 'checkin.undo',
          target: { kind: 'ticket', id: input.ticketId },
          details: { before: removed, reason: input.reason ?? null, eventId: input.eventId },
        },
      ],
      { session },
    );
    return removed;
  };
  // Without transactions a crash after the delete leaves the ticket used without its CheckIn,
  // which the reconciler turns back to valid: the same end state.
  const removed = (await supportsTransactions()) ? await inTransaction(revert) : await revert();
  if (!removed) {
    const exists = await CheckIn.exists({ ticketId, eventId: event._id });
    throw new TRPCError({
      code: exists ? 'PRECONDITION_FAILED' : 'NOT_FOUND',
      message: exists
        ? `A check-in can only be undone within ${UNDO_WINDOW_MINUTES} minutes.`
        : 'This ticket is not checked in.',
    });
  }
  const ticket = await Ticket.findById(ticketId, { userId: 1, holderName: 1 }).lean();
  const scan: LiveScan = {
    ticketId: input.ticketId,
    attendeeName: ticket ? await attendeeNameOf(ticket) : 'Unknown attendee',
    scannedAt: removed.scannedAt.toISOString(),
    scannedBy: ctx.user.name,
    gate: removed.gate ?? null,
    manual: removed.manual,
  };
  await bumpCounter(event._id, 'checkins', -1, (count) =>
    checkinUpdate(event, count, 'undone', scan),
  );
  return { ticketId: input.ticketId, status: 'valid' };
}

export interface ScannableEvent {
  id: string;
  title: string;
  startDate: Date;
  endDate: Date;
  city: string;
  capacity: number;
  checkInOpensAt: Date;
  role: DoorRole;
}

/** A scanner's event list: events it works (own or staffed) from yesterday on, soonest first. */
export async function scannableEvents(ctx: AuthedContext): Promise<ScannableEvent[]> {
  const events = (await Event.find(
    {
      $or: [{ organizerId: ctx.user.id }, { staff: ctx.user.id }],
      endDate: { $gte: new Date(Date.now() - 24 * 60 * 60 * 1000) },
      cancelledAt: null,
      'removed.at': null,
    },
    DOOR_FIELDS,
  )
    .sort({ startDate: 1 })
    .limit(100)
    .lean()) as DoorEvent[];
  return events.map((event) => ({
    id: event._id.toHexString(),
    title: event.title,
    startDate: event.startDate,
    endDate: event.endDate,
    city: event.location.city,
    capacity: event.capacity,
    checkInOpensAt: checkInOpensAt(event),
    role: doorRole(ctx.user, event) ?? 'staff',
  }));
}

export interface FailedScanEntry {
  id: string;
  at: Date;
  reason: ScanFailure;
  scannedBy: string;
  ticketId: string | null;
  gate: string | null;
  device: string | null;
}

/** The organizer's view of refused scans at their event, newest first. */
export async function failedScans(
  ctx: AuthedContext,
  input: FailedScansInput,
): Promise<{ items: FailedScanEntry[]; nextCursor: string | null }> {
  const event = await findOwnedEvent(ctx.user, input.eventId, { staff: 1 });
  const { rows: page, nextCursor } = await newestFirst(
    FailedScan,
    { eventId: event._id },
    input,
    `checkin.failedScans:${input.eventId}`,
    'at',
  );
  const scanners = await User.find(
    { _id: { $in: page.map((row) => row.scannedBy) } },
    { name: 1 },
  ).lean();
  const names = new Map(scanners.map((user) => [user._id.toHexString(), user.name]));
  return {
    items: page.map((row) => ({
      id: row._id.toHexString(),
      at: row.at,
      reason: row.reason,
      scannedBy: names.get(row.scannedBy.toHexString()) ?? 'Unknown',
      ticketId: row.ticketId?.toHexString() ?? null,
      gate: row.gate ?? null,
      device: row.device ?? null,
    })),
    nextCursor,
  };
}

export interface StaffMember {
  userId: string;
  name: string;
  email: string;
}

export async function listStaff(ctx: AuthedContext, eventId: string): Promise<StaffMember[]> {
  const event = await findOwnedEvent(ctx.user, eventId, { staff: 1 });
  const members = await User.find({ _id: { $in: event.staff } }, { name: 1, email: 1 }).lean();
  return members.map((member) => ({
    userId: member._id.toHexString(),
    name: member.name,
    email: member.email,
  }));
}

/** Adds an existing account to the event's door staff (scanning rights only). */
export async function addStaff(ctx: AuthedContext, input: AddStaffInput): Promise<StaffMember[]> {
  const event = await findOwnedEvent(ctx.user, input.eventId, { staff: 1 });
  const member = await User.findOne({ email: input.email, status: 'active' }, { _id: 1 }).lean();
  if (!member) {
    throw new TRPCError({
      code: 'NOT_FOUND',
      message: 'No active Spot account uses this email; ask them to sign up first.',
    });
  }
  const updated = await Event.updateOne(
    { _id: event._id, 'staff.49': { $exists: false } },
    { $addToSet: { staff: member._id } },
  );
  if (updated.matchedCount === 0) {
    throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'An event has at most 50 staff.' });
  }
  forgetDoor(input.eventId);
  return listStaff(ctx, input.eventId);
}

export async function removeStaff(
  ctx: AuthedContext,
  input: RemoveStaffInput,
): Promise<StaffMember[]> {
  const event = await findOwnedEvent(ctx.user, input.eventId, { staff: 1 });
  await Event.updateOne({ _id: event._id }, { $pull: { staff: new Types.ObjectId(input.userId) } });
  forgetDoor(input.eventId);
  await announceAccessChange({ eventId: input.eventId });
  return listStaff(ctx, input.eventId);
}

export function realtimeToken(ctx: AuthedContext) {
  return issueRealtimeToken(ctx.user);
}
