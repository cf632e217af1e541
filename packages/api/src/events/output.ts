import type { EventCategory, EventFields } from '@spot/db';
import type { Types } from 'mongoose';

export type StoredEvent = EventFields & { _id: Types.ObjectId };

export type EventStatus = 'draft' | 'published' | 'ended' | 'cancelled' | 'removed';

/** The one state an event page or dashboard shows; the first that applies wins. */
export function eventStatus(event: StoredEvent, now = new Date()): EventStatus {
  if (event.removed?.at) return 'removed';
  if (event.cancelledAt) return 'cancelled';
  if (!event.isPublished) return 'draft';
  if (event.endDate <= now) return 'ended';
  return 'published';
}

/** Anyone may see it: published, and neither removed by a moderator nor cancelled. */
export function isPubliclyVisible(event: StoredEvent): boolean {
  return event.isPublished && !event.removed?.at && !event.cancelledAt;
}

/** What anyone may read about an event. */
export interface PublicEvent {
  id: string;
  title: string;
  description: string;
  category: EventCategory;
  tags: string[];
  location: { city: string; lat: number; lng: number };
  startDate: Date;
  endDate: Date;
  capacity: number;
  coverImage: string | null;
  status: EventStatus;
  /** Per ticket, in minor units of `currency`; 0 = free. */
  price: number;
  currency: string;
  allowTicketCancellation: boolean;
}

/** What its organizer (and admins) see on top: publication and moderation state. */
export interface OrganizerEvent extends PublicEvent {
  organizerId: string;
  isPublished: boolean;
  cancelledAt: Date | null;
  removed: { at: Date; reason: string | null } | null;
  createdAt: Date;
}

export function toPublicEvent(event: StoredEvent): PublicEvent {
  // Required by the schema; the inferred type does not know it.
  const location = event.location as NonNullable<StoredEvent['location']>;
  return {
    id: event._id.toHexString(),
    title: event.title,
    description: event.description,
    category: event.category,
    tags: event.tags ?? [],
    location: { city: location.city, lat: location.lat, lng: location.lng },
    startDate: event.startDate,
    endDate: event.endDate,
    capacity: event.capacity,
    coverImage: event.coverImage ?? null,
    status: eventStatus(event),
    price: event.price ?? 0,
    currency: event.currency ?? 'eur',
    allowTicketCancellation: event.allowTicketCancellation ?? false,
  };
}

export function toOrganizerEvent(event: StoredEvent): OrganizerEvent {
  return {
    ...toPublicEvent(event),
    organizerId: event.organizerId.toHexString(),
    isPublished: event.isPublished,
    cancelledAt: event.cancelledAt ?? null,
    removed: event.removed?.at
      ? { at: event.removed.at, reason: event.removed.reason ?? null }
      : null,
    createdAt: event.createdAt,
  };
}
