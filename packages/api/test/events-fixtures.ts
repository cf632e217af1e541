import { randomUUID } from 'node:crypto';
import { Event, type EventCategory, Ticket, type TicketStatus } from '@spot/db';
import { Types } from 'mongoose';
import type { Agent } from './harness.ts';

export const HOUR = 60 * 60 * 1000;
export const DAY = 24 * HOUR;

/** A valid events.create input, starting `inDays` from now and lasting three hours. */
export function eventInput(overrides: Record<string, unknown> = {}, inDays = 7) {
  const startDate = new Date(Date.now() + inDays * DAY);
  return {
    title: 'Riverside Jazz Night',
    description: 'A jazz quartet plays by the river on Friday at 19:30. Bring a blanket.',
    category: 'music',
    location: { city: 'Lyon', lat: 45.764, lng: 4.8357 },
    startDate,
    endDate: new Date(startDate.getTime() + 3 * HOUR),
    capacity: 100,
    ...overrides,
  };
}

/** Creates an event through the API as `agent`; answers its id. */
export async function createEvent(
  agent: Agent,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const event = (await agent.mutate('events.create', eventInput(overrides))) as { id: string };
  return event.id;
}

export async function userIdOf(agent: Agent): Promise<string> {
  return ((await agent.query('auth.me')) as { id: string }).id;
}

export interface StoredEventSpec {
  title?: string;
  description?: string;
  category?: EventCategory;
  city?: string;
  lat?: number;
  lng?: number;
  startDate: Date;
  endDate?: Date;
  isPublished?: boolean;
  organizerId?: Types.ObjectId;
  extra?: Record<string, unknown>;
}

/** Writes events straight to the database (past dates, removed ones…); answers their ids. */
export async function storeEvents(specs: StoredEventSpec[]): Promise<string[]> {
  const created = await Event.insertMany(
    specs.map((spec) => ({
      title: spec.title ?? 'Stored event',
      description: spec.description ?? 'An event written directly for a test.',
      category: spec.category ?? 'other',
      location: {
        city: spec.city ?? 'Lyon',
        lat: spec.lat ?? 45.764,
        lng: spec.lng ?? 4.8357,
        point: { type: 'Point', coordinates: [spec.lng ?? 4.8357, spec.lat ?? 45.764] },
      },
      startDate: spec.startDate,
      endDate: spec.endDate ?? new Date(spec.startDate.getTime() + 2 * HOUR),
      capacity: 50,
      organizerId: spec.organizerId ?? new Types.ObjectId(),
      isPublished: spec.isPublished ?? true,
      ...spec.extra,
    })),
  );
  return created.map((event) => event._id.toHexString());
}

/** Tickets as the (future) checkout would write them. */
export async function storeTickets(
  eventId: string,
  statuses: TicketStatus[],
): Promise<Types.ObjectId[]> {
  const tickets = await Ticket.insertMany(
    statuses.map((status) => ({
      eventId,
      userId: new Types.ObjectId(),
      ticketCode: randomUUID(),
      qrPayload: 'signed-elsewhere',
      status,
    })),
  );
  return tickets.map((ticket) => ticket._id);
}
