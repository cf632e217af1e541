import { Event, type EventFields } from '@spot/db';
import { isValidObjectId, type Types } from 'mongoose';
import type { SessionUser } from '../lib/session.ts';

/** Who may work an event's door: its organizer, the staff they added, and admins. */
export type DoorRole = 'organizer' | 'staff' | 'admin';

export const DOOR_FIELDS = {
  title: 1,
  organizerId: 1,
  staff: 1,
  startDate: 1,
  endDate: 1,
  capacity: 1,
  cancelledAt: 1,
  'location.city': 1,
} as const;

export type DoorEvent = Pick<
  EventFields,
  'title' | 'organizerId' | 'staff' | 'startDate' | 'endDate' | 'capacity' | 'cancelledAt'
> & { _id: Types.ObjectId; location: { city: string } };

export function doorRole(
  user: SessionUser,
  event: Pick<DoorEvent, 'organizerId' | 'staff'>,
): DoorRole | null {
  if (event.organizerId.toHexString() === user.id) return 'organizer';
  if (event.staff?.some((member) => member.toHexString() === user.id)) return 'staff';
  return user.role === 'admin' ? 'admin' : null;
}

/**
 * The event with the user's role at its door, or null when the user has none there or the event
 * does not exist (one answer for both, so event ids do not leak).
 */
export async function findDoorEvent(
  user: SessionUser,
  eventId: string,
): Promise<{ event: DoorEvent; role: DoorRole } | null> {
  if (!isValidObjectId(eventId)) return null;
  const event = await doorEvent(eventId);
  const role = event && doorRole(user, event);
  return event && role ? { event, role } : null;
}

/**
 * Every scan asks who may work the door, and a door team changes rarely: each process keeps an
 * event's team for a few seconds. A staff change made here applies at once; one made by another
 * API instance within DOOR_CACHE_MS.
 */
const DOOR_CACHE_MS = 5000;
const MAX_CACHED_DOORS = 1000;
const cachedDoors = new Map<string, { event: Promise<DoorEvent | null>; until: number }>();

function doorEvent(eventId: string): Promise<DoorEvent | null> {
  const now = Date.now();
  const cached = cachedDoors.get(eventId);
  if (cached && cached.until > now) return cached.event;
  if (cachedDoors.size >= MAX_CACHED_DOORS) cachedDoors.clear();
  const event = Event.findById(eventId, DOOR_FIELDS).lean().exec() as Promise<DoorEvent | null>;
  cachedDoors.set(eventId, { event, until: now + DOOR_CACHE_MS });
  event.catch(() => cachedDoors.delete(eventId));
  return event;
}

/** The event's door team changed in this process: the next scan reads it again. */
export function forgetDoor(eventId: string): void {
  cachedDoors.delete(eventId);
}
