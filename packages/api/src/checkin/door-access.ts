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
  const scope =
    user.role === 'admin' ? {} : { $or: [{ organizerId: user.id }, { staff: user.id }] };
  const event = (await Event.findOne(
    { _id: eventId, ...scope },
    DOOR_FIELDS,
  ).lean()) as DoorEvent | null;
  const role = event && doorRole(user, event);
  return event && role ? { event, role } : null;
}
