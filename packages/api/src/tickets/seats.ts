import { randomInt } from 'node:crypto';
import { Seat, type SeatFields, type SeatState } from '@spot/db';
import { type QueryFilter, Types } from 'mongoose';
import { isDuplicateKey } from '../lib/mongo-errors.ts';

/**
 * Places without counters. Each taken place is a Seat document owning slot 1..capacity of its
 * event under the unique (eventId, slot) index, so two buyers can never own the same place and
 * at most `capacity` seats exist. Taking a place = inserting a seat on a slot believed free (see
 * SlotMap); a duplicate-key answer means someone was faster, so try another slot. A held seat past
 * its `expiresAt` is free: the TTL index deletes it, and until the sweep runs a buyer takes it over
 * with one conditional update (so expired holds never block a sale). No slot free and none
 * expired = sold out.
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

/** Whether a duplicate-key error came from the claim index (this claim already owns a seat). */
function duplicateClaim(error: unknown): boolean {
  const details = error as { keyPattern?: Record<string, unknown>; message?: string };
  return Boolean(details.keyPattern?.claim) || /index: claim_1 /.test(details.message ?? '');
}

type Taken = 'taken' | 'mine' | 'lost';

/** Inserts the seat on `slot`: taken, 'mine' if this claim already owns a seat, lost if occupied. */
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
    return 'taken';
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return duplicateClaim(error) ? 'mine' : 'lost';
  }
}

/** Takes over the held seat on `slot` if its hold expired (the TTL sweep has not removed it yet). */
async function tryTakeOver(
  request: SeatRequest,
  claim: string,
  slot: number,
  now: Date,
): Promise<Taken> {
  try {
    const owner = { holdId: request.holdId, claim, state: request.state };
    const taken = await Seat.collection.findOneAndUpdate(
      { eventId: request.eventId, slot, state: 'held', expiresAt: { $lte: now } },
      request.expiresAt
        ? { $set: { ...owner, expiresAt: request.expiresAt } }
        : { $set: owner, $unset: { expiresAt: '' } },
    );
    return taken ? 'taken' : 'lost';
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return 'mine';
  }
}

/**
 * What this process believes about an event's slots: free, held until some time, or sold. It only
 * steers the search (each buyer tries a slot believed free and not being tried by another buyer
 * here, so buyers of one process never collide); the unique index still decides every sale. A
 * wrong belief costs one failed insert, after which the slot is marked taken. Places freed by
 * other processes are seen when the map is reloaded: when it shows nothing free, at most every
 * RELOAD_AFTER_MS.
 */
class SlotMap {
  /** Per slot (index = slot number): 0 free, else the epoch ms until which it is taken. */
  private readonly takenUntil: Float64Array;
  private readonly trying = new Set<number>();
  readonly loadedAt = Date.now();

  private constructor(readonly capacity: number) {
    this.takenUntil = new Float64Array(capacity + 1);
  }

  static async load(eventId: Types.ObjectId, capacity: number): Promise<SlotMap> {
    const map = new SlotMap(capacity);
    const seats = Seat.collection.find(
      { eventId },
      { projection: { _id: 0, slot: 1, state: 1, expiresAt: 1 } },
    );
    for await (const seat of seats) {
      if (seat.slot <= capacity)
        map.markTaken(seat.slot, seat.state === 'held' ? seat.expiresAt : null);
    }
    return map;
  }

  markTaken(slot: number, until: Date | null): void {
    this.takenUntil[slot] = until ? until.getTime() : Number.POSITIVE_INFINITY;
  }

  markFree(slot: number): void {
    if (slot <= this.capacity) this.takenUntil[slot] = 0;
  }

  /** A slot believed free or expired that no other buyer here is trying, from a random start. */
  pick(now: number): { slot: number; expired: boolean } | null {
    const start = 1 + randomInt(this.capacity);
    for (let step = 0; step < this.capacity; step++) {
      const slot = ((start - 1 + step) % this.capacity) + 1;
      const until = this.takenUntil[slot] as number;
      if (until <= now && !this.trying.has(slot)) {
        this.trying.add(slot);
        return { slot, expired: until > 0 };
      }
    }
    return null;
  }

  done(slot: number): void {
    this.trying.delete(slot);
  }

  /** The earliest moment a held place frees up (Infinity when every taken place is sold). */
  earliestExpiry(now: number): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (let slot = 1; slot <= this.capacity; slot++) {
      const until = this.takenUntil[slot] as number;
      if (until > now && until < earliest) earliest = until;
    }
    return earliest;
  }
}

const RELOAD_AFTER_MS = 1000;
const MAX_RELOADS = 3;
/** Events on sale in this process at once; the least recently loaded map goes first. */
const MAX_MAPS = 1000;
const slotMaps = new Map<string, Promise<SlotMap>>();

function slotMapOf(eventId: Types.ObjectId, capacity: number): Promise<SlotMap> {
  const key = eventId.toHexString();
  let map = slotMaps.get(key);
  if (!map) {
    if (slotMaps.size >= MAX_MAPS) slotMaps.delete(slotMaps.keys().next().value as string);
    map = SlotMap.load(eventId, capacity);
    slotMaps.set(key, map);
    map.catch(() => slotMaps.delete(key));
  }
  return map;
}

/** Drops this process's beliefs about an event's places: the next sale reads them again. */
export function forgetPlaces(eventId: Types.ObjectId | string): void {
  slotMaps.delete(String(eventId));
}

/** Tells this process's map (if it has one for the event) what became of some places. */
async function believe(eventId: Types.ObjectId, change: (map: SlotMap) => void): Promise<void> {
  const map = await slotMaps.get(eventId.toHexString())?.catch(() => undefined);
  if (map) change(map);
}

/**
 * Takes one place for `claim`: its slot, or null when the event is sold out. Idempotent per claim:
 * a claim that already owns a seat answers that seat. Sold out is only answered after the
 * beliefs were reloaded from the database and still show nothing free or expired.
 */
export async function takeSeat(request: SeatRequest, claim: string): Promise<number | null> {
  const { eventId, capacity } = request;
  for (let attempt = 0; attempt < capacity + MAX_RELOADS; attempt++) {
    let loading = slotMapOf(eventId, capacity);
    let map = await loading;
    if (map.capacity !== capacity) {
      forgetPlaces(eventId);
      loading = slotMapOf(eventId, capacity);
      map = await loading;
    }
    const now = new Date();
    const candidate = map.pick(now.getTime());
    if (!candidate) {
      if (Date.now() - map.loadedAt < RELOAD_AFTER_MS) return null;
      // Only the beliefs this buyer used: a map another buyer has just reloaded stays, or
      // hundreds of buyers of a busy event would keep discarding each other's maps (and with them
      // which places are being tried) until they ran out of attempts.
      if (slotMaps.get(eventId.toHexString()) === loading) forgetPlaces(eventId);
      continue;
    }
    try {
      const taken = candidate.expired
        ? await tryTakeOver(request, claim, candidate.slot, now)
        : await tryInsert(request, claim, candidate.slot);
      if (taken === 'mine')
        return (await Seat.findOne({ claim }, { slot: 1 }).lean())?.slot ?? null;
      if (taken === 'taken') {
        map.markTaken(candidate.slot, request.expiresAt ?? null);
        return candidate.slot;
      }
      // Someone else has it: note that, and try another place. No seat there at all means the
      // expired hold this buyer meant to take over was swept (or released) meanwhile: the place
      // is free, and believing it still expired would have this buyer retry the takeover until
      // it ran out of attempts.
      const seat = await Seat.findOne(
        { eventId, slot: candidate.slot },
        { state: 1, expiresAt: 1 },
      ).lean();
      if (!seat) map.markFree(candidate.slot);
      else map.markTaken(candidate.slot, seat.state === 'held' ? (seat.expiresAt ?? null) : null);
    } finally {
      map.done(candidate.slot);
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

/** Deletes seats, and their places are for sale again at once in this process. */
async function freePlaces(filter: QueryFilter<SeatFields>): Promise<void> {
  const seats = await Seat.find(filter, { eventId: 1, slot: 1 }).lean();
  if (seats.length === 0) return;
  await Seat.deleteMany({ ...filter, _id: { $in: seats.map((seat) => seat._id) } });
  const [first] = seats;
  if (first)
    await believe(first.eventId, (map) => {
      for (const seat of seats) map.markFree(seat.slot);
    });
}

/** Returns a hold's places that were not sold (payment failed, abandoned, or refunded). */
export function releaseHeldSeats(holdId: Types.ObjectId): Promise<void> {
  return freePlaces({ holdId, state: 'held' });
}

/** Returns every place of a hold that did not become a ticket (held, or secured then refunded). */
export function releaseAllSeats(holdId: Types.ObjectId): Promise<void> {
  return freePlaces({ holdId });
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
  if (!seat) return null;
  await believe(seat.eventId, (map) => map.markTaken(seat.slot, null));
  return seat.slot as number;
}

/** Frees the place of a cancelled ticket. */
export function freeSeat(claim: string): Promise<void> {
  return freePlaces({ claim });
}

/** Frees the places of cancelled tickets, all of one event (a moderator removed it). */
export function freeSeats(claims: string[]): Promise<void> {
  return freePlaces({ claim: { $in: claims } });
}

/** Places sold or held by an unexpired hold: what is not for sale right now. */
export function placesTaken(eventId: Types.ObjectId): Promise<number> {
  return Seat.countDocuments({
    eventId,
    $or: [{ state: 'sold' }, { expiresAt: { $gt: new Date() } }],
  });
}
