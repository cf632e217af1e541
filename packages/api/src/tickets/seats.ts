import { randomInt } from 'node:crypto';
import { Seat, type SeatState } from '@spot/db';
import { Types } from 'mongoose';
import { isDuplicateKey } from '../lib/mongo-errors.ts';

/**
 * Places without counters. Each taken place is a Seat document owning slot 1..capacity of its
 * event under the unique (eventId, slot) index, so two buyers can never own the same place and
 * at most `capacity` seats exist. Taking a place = inserting a seat on a free slot; a duplicate-key
 * answer means someone was faster, so try another slot. A held seat past its `expiresAt` is free:
 * the TTL index deletes it, and until the sweep runs a buyer takes it over with one conditional
 * update (so expired holds never block a sale). No slot free and none expired = sold out.
 */

interface SeatRequest {
  eventId: Types.ObjectId;
  capacity: number;
  holdId: Types.ObjectId;
  state: SeatState;
  /** Only for held seats. */
  expiresAt?: Date;
}

export const claimOf = (holdId: Types.ObjectId | string, index: number) => `${holdId}:${index}`;

const RANDOM_PROBES = 2;
const CANDIDATES_PER_READ = 12;
const MAX_READS = 40;

/** Whether a duplicate-key error came from the claim index (this claim already owns a seat). */
function duplicateClaim(error: unknown): boolean {
  const details = error as { keyPattern?: Record<string, unknown>; message?: string };
  return Boolean(details.keyPattern?.claim) || /index: claim_1 /.test(details.message ?? '');
}

function shuffled<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

type Taken = { slot: number } | 'mine' | null;

/** Inserts the seat on `slot`: the slot, 'mine' if this claim already owns a seat, null if taken. */
async function tryInsert(request: SeatRequest, claim: string, slot: number): Promise<Taken> {
  try {
    await Seat.collection.insertOne({
      _id: new Types.ObjectId(),
      eventId: request.eventId,
      slot,
      holdId: request.holdId,
      claim,
      state: request.state,
      ...(request.expiresAt && { expiresAt: request.expiresAt }),
    });
    return { slot };
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return duplicateClaim(error) ? 'mine' : null;
  }
}

/** Takes over a held seat whose hold expired (the TTL sweep has not removed it yet). */
async function tryTakeOver(
  request: SeatRequest,
  claim: string,
  seat: { _id: Types.ObjectId; holdId: Types.ObjectId; slot: number },
  now: Date,
): Promise<Taken> {
  try {
    const owner = { holdId: request.holdId, claim, state: request.state };
    const taken = await Seat.collection.findOneAndUpdate(
      { _id: seat._id, holdId: seat.holdId, state: 'held', expiresAt: { $lte: now } },
      request.expiresAt
        ? { $set: { ...owner, expiresAt: request.expiresAt } }
        : { $set: owner, $unset: { expiresAt: '' } },
    );
    return taken ? { slot: seat.slot } : null;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return 'mine';
  }
}

/**
 * Sold-out hints, per process: after a full scan found no free and no expired place, further
 * buyers are answered "sold out" without reading, until the earliest held seat expires or
 * SOLD_OUT_HINT_MS pass, or this process frees a place. A hint can only refuse a sale (for at
 * most SOLD_OUT_HINT_MS after a place freed in another process), never oversell: every sale is
 * still an insert under the unique index.
 */
const SOLD_OUT_HINT_MS = 1000;
const soldOutUntil = new Map<string, number>();

function soldOutHint(eventId: Types.ObjectId): boolean {
  const until = soldOutUntil.get(eventId.toHexString());
  if (until === undefined) return false;
  if (until > Date.now()) return true;
  soldOutUntil.delete(eventId.toHexString());
  return false;
}

/** Forgets the sold-out hint of an event (a place was freed here). */
export function placeFreed(eventId: Types.ObjectId | string): void {
  soldOutUntil.delete(String(eventId));
}

const WINDOW = 256;

/**
 * Takes one place for `claim`: its slot, or null when the event is sold out. Idempotent per claim:
 * a claim that already owns a seat answers that seat. A couple of random slots first (on a
 * mostly-empty event they are almost always free, no read needed); then the slots are read in
 * windows of WINDOW from a random offset, trying the free ones and taking over expired holds.
 * A full pass with nothing free and nothing expired means sold out.
 */
export async function takeSeat(request: SeatRequest, claim: string): Promise<number | null> {
  const existing = async () => (await Seat.findOne({ claim }, { slot: 1 }).lean())?.slot ?? null;
  const { eventId, capacity } = request;
  if (soldOutHint(eventId)) return null;
  for (let probe = 0; probe < Math.min(RANDOM_PROBES, capacity); probe++) {
    const taken = await tryInsert(request, claim, 1 + randomInt(capacity));
    if (taken === 'mine') return existing();
    if (taken) return taken.slot;
  }
  const windows = Math.ceil(capacity / WINDOW);
  for (let round = 0; round < MAX_READS; round++) {
    const offset = randomInt(windows);
    let sawOpening = false;
    let earliestExpiry = Number.POSITIVE_INFINITY;
    for (let step = 0; step < windows; step++) {
      const low = ((offset + step) % windows) * WINDOW + 1;
      const high = Math.min(capacity, low + WINDOW - 1);
      const now = new Date();
      const seats = await Seat.find(
        { eventId, slot: { $gte: low, $lte: high } },
        { slot: 1, state: 1, expiresAt: 1, holdId: 1 },
      ).lean();
      const occupied = new Set<number>();
      const expired: typeof seats = [];
      for (const seat of seats) {
        occupied.add(seat.slot);
        if (seat.state !== 'held' || !seat.expiresAt) continue;
        if (seat.expiresAt <= now) expired.push(seat);
        else earliestExpiry = Math.min(earliestExpiry, seat.expiresAt.getTime());
      }
      const free: number[] = [];
      for (let slot = low; slot <= high; slot++) if (!occupied.has(slot)) free.push(slot);
      if (free.length > 0 || expired.length > 0) sawOpening = true;
      for (const slot of shuffled(free).slice(0, CANDIDATES_PER_READ)) {
        const taken = await tryInsert(request, claim, slot);
        if (taken === 'mine') return existing();
        if (taken) return taken.slot;
      }
      for (const seat of shuffled(expired).slice(0, CANDIDATES_PER_READ)) {
        const taken = await tryTakeOver(request, claim, seat, now);
        if (taken === 'mine') return existing();
        if (taken) return taken.slot;
      }
    }
    if (!sawOpening) {
      soldOutUntil.set(
        eventId.toHexString(),
        Math.min(Date.now() + SOLD_OUT_HINT_MS, earliestExpiry),
      );
      return null;
    }
  }
  throw new Error('Could not take a place after many attempts; the event is too contended.');
}

/** Takes `quantity` places for a hold, all or none: null when not enough are left. */
export async function holdSeats(request: SeatRequest, quantity: number): Promise<number[] | null> {
  const slots: number[] = [];
  for (let index = 0; index < quantity; index++) {
    const slot = await takeSeat(request, claimOf(request.holdId, index));
    if (slot === null) {
      await releaseHeldSeats(request.holdId);
      return null;
    }
    slots.push(slot);
  }
  return slots;
}

/** Returns a hold's places that were not sold (payment failed, abandoned, or refunded). */
export async function releaseHeldSeats(holdId: Types.ObjectId): Promise<void> {
  const seat = await Seat.findOne({ holdId }, { eventId: 1 }).lean();
  const { deletedCount } = await Seat.deleteMany({ holdId, state: 'held' });
  if (seat && deletedCount > 0) placeFreed(seat.eventId);
}

/**
 * Turns the held seat of `claim` into a sold one, if the hold still owns it: the seat's slot, or
 * null if it was lost (expired and taken over, or swept). Atomic with the takeover and the sweep:
 * a seat without `expiresAt` is never swept nor taken over.
 */
export async function convertSeat(claim: string): Promise<number | null> {
  const seat = await Seat.collection.findOneAndUpdate(
    { claim },
    { $set: { state: 'sold' }, $unset: { expiresAt: '' } },
  );
  return seat ? (seat.slot as number) : null;
}

/** Frees the place of a cancelled ticket. */
export async function freeSeat(claim: string): Promise<void> {
  const seat = await Seat.findOneAndDelete({ claim }, { projection: { eventId: 1 } }).lean();
  if (seat) placeFreed(seat.eventId);
}

/** Places sold or held by an unexpired hold: what is not for sale right now. */
export function placesTaken(eventId: Types.ObjectId): Promise<number> {
  return Seat.countDocuments({
    eventId,
    $or: [{ state: 'sold' }, { expiresAt: { $gt: new Date() } }],
  });
}
