import { Event, type EventCategory, User } from '@spot/db';
import { TRPCError } from '@trpc/server';
import type { PipelineStage } from 'mongoose';
import { recordClick, recordView, type Viewer } from '../analytics/service.ts';
import {
  eventStatus,
  isPubliclyVisible,
  type PublicEvent,
  type StoredEvent,
  toPublicEvent,
} from '../events/output.ts';
import { MAX_EVENT_DURATION_MS, type PageInput } from '../events/schemas.ts';
import { countSoldTickets } from '../events/service.ts';
import { afterPosition, type CursorPosition, decodeCursor, pageOf } from '../lib/cursor.ts';
import { escapeRegex } from '../lib/regex.ts';
import { MAX_TICKETS_PER_PURCHASE } from '../tickets/schemas.ts';
import { placesTaken } from '../tickets/seats.ts';
import type { Context } from '../trpc.ts';
import type { ExploreListInput } from './schemas.ts';

/** What a list is narrowed to; built from explore.list's input or from a user's profile. */
interface DiscoveryFilters {
  categories?: EventCategory[];
  from?: Date;
  to?: Date;
  text?: string;
  city?: string;
  near?: { lat: number; lng: number; radiusKm?: number };
}

export interface ExploreItem extends PublicEvent {
  /** Set when the list is sorted by distance from a point. */
  distanceKm?: number;
}

export interface ExplorePage {
  items: ExploreItem[];
  nextCursor: string | null;
}

/**
 * Listed events: published, neither cancelled nor removed, not yet over, and matching every
 * filter; after the cursor position of a soonest-first list when given. All `startDate` bounds
 * share one condition, so an index on it can seek; the lower one holds because no event lasts
 * longer than MAX_EVENT_DURATION_MS.
 */
function listedFilter(
  filters: DiscoveryFilters,
  afterStart?: CursorPosition,
): Record<string, unknown> {
  const notOverAt = Math.max(Date.now(), filters.from?.getTime() ?? 0);
  const startDate: Record<string, Date> = {
    $gte: new Date(Math.max(notOverAt - MAX_EVENT_DURATION_MS, afterStart?.key ?? 0)),
  };
  if (filters.to) startDate.$lt = filters.to;
  const clauses: Array<Record<string, unknown>> = [];
  if (afterStart) {
    clauses.push(afterPosition('startDate', new Date(afterStart.key), afterStart.id, 1).after);
  }
  if (filters.text) {
    const matching = { $regex: escapeRegex(filters.text), $options: 'i' };
    clauses.push({ $or: [{ title: matching }, { description: matching }] });
  }
  const categories = filters.categories ?? [];
  return {
    isPublished: true,
    cancelledAt: null,
    'removed.at': null,
    startDate,
    endDate: { $gt: new Date(notOverAt) },
    ...(categories.length === 1 && { category: categories[0] }),
    ...(categories.length > 1 && { category: { $in: categories } }),
    ...(filters.city && {
      'location.city': { $regex: `^${escapeRegex(filters.city)}$`, $options: 'i' },
    }),
    ...(clauses.length > 0 && { $and: clauses }),
  };
}

/** Soonest first, ties by id. */
function soonest(
  filters: DiscoveryFilters,
  limit: number,
  position: CursorPosition | undefined,
): Promise<StoredEvent[]> {
  return Event.find(listedFilter(filters, position))
    .sort({ startDate: 1, _id: 1 })
    .limit(limit + 1)
    .lean();
}

type WithDistance = StoredEvent & { distanceMeters: number };

/** Nearest first, ties by id, through the 2dsphere index on `location.point`. */
async function nearest(
  filters: DiscoveryFilters & { near: NonNullable<DiscoveryFilters['near']> },
  limit: number,
  position: CursorPosition | undefined,
): Promise<WithDistance[]> {
  const { lat, lng, radiusKm } = filters.near;
  const pipeline: PipelineStage[] = [
    {
      $geoNear: {
        near: { type: 'Point', coordinates: [lng, lat] },
        key: 'location.point',
        distanceField: 'distanceMeters',
        spherical: true,
        query: listedFilter(filters),
        ...(radiusKm !== undefined && { maxDistance: radiusKm * 1000 }),
        // A metre of slack: whether the bound is inclusive is left to the $match below.
        ...(position && { minDistance: Math.max(0, position.key - 1) }),
      },
    },
  ];
  if (position) {
    pipeline.push({
      $match: afterPosition('distanceMeters', position.key, position.id, 1).after,
    });
  }
  pipeline.push({ $sort: { distanceMeters: 1, _id: 1 } }, { $limit: limit + 1 });
  return Event.aggregate<WithDistance>(pipeline);
}

function toItem(event: StoredEvent | WithDistance): ExploreItem {
  const item: ExploreItem = toPublicEvent(event);
  if ('distanceMeters' in event) item.distanceKm = Math.round(event.distanceMeters / 100) / 10;
  return item;
}

/** One page of a discovery list; the cursor only works for the same list and filters. */
async function discover(
  list: string,
  filters: DiscoveryFilters,
  page: PageInput,
): Promise<ExplorePage> {
  const scope = `${list}:${JSON.stringify(filters)}`;
  const position = page.cursor ? decodeCursor(page.cursor, scope) : undefined;
  const { near } = filters;
  const rows: Array<StoredEvent | WithDistance> = near
    ? await nearest({ ...filters, near }, page.limit, position)
    : await soonest(filters, page.limit, position);
  const { rows: events, nextCursor } = pageOf(rows, page.limit, scope, (event) => ({
    key: 'distanceMeters' in event ? event.distanceMeters : event.startDate.getTime(),
    id: event._id,
  }));
  return { items: events.map(toItem), nextCursor };
}

export function listEvents(input: ExploreListInput): Promise<ExplorePage> {
  const { category, from, to, text, city, lat, lng, radiusKm, cursor, limit } = input;
  const near = lat !== undefined && lng !== undefined ? { lat, lng, radiusKm } : undefined;
  return discover(
    'explore.list',
    { categories: category && [category], from, to, text, city, near },
    { cursor, limit },
  );
}

/** Upcoming events in the user's interests (all, if none), nearest first when we know where. */
export async function eventsForYou(
  ctx: Context & { user: { id: string } },
  page: PageInput,
): Promise<ExplorePage> {
  const profile = await User.findById(ctx.user.id).select('interests location').lean();
  const interests = profile?.interests ?? [];
  const { lat, lng } = profile?.location ?? {};
  return discover(
    'explore.forYou',
    {
      categories: interests.length > 0 ? interests : undefined,
      near: typeof lat === 'number' && typeof lng === 'number' ? { lat, lng } : undefined,
    },
    page,
  );
}

function isItsOrganizer(ctx: Context, event: StoredEvent): boolean {
  return ctx.user !== null && event.organizerId.equals(ctx.user.id);
}

/** Hidden events answer NOT_FOUND, like missing ones, except to their organizer and admins. */
async function findViewableEvent(ctx: Context, id: string): Promise<StoredEvent> {
  const event = await Event.findById(id).lean();
  const viewable =
    event && (isPubliclyVisible(event) || isItsOrganizer(ctx, event) || ctx.user?.role === 'admin');
  if (!viewable) throw new TRPCError({ code: 'NOT_FOUND', message: 'Event not found.' });
  return event;
}

/** Interest from the public counts; the organizer previewing their own page does not. */
function audienceViewer(ctx: Context, event: StoredEvent): Viewer | undefined {
  if (!isPubliclyVisible(event) || isItsOrganizer(ctx, event)) return undefined;
  return { userId: ctx.user?.id, ip: ctx.ip, userAgent: ctx.userAgent };
}

export async function getEventPage(
  ctx: Context,
  id: string,
): Promise<PublicEvent & { organizer: { id: string; name: string } }> {
  const event = await findViewableEvent(ctx, id);
  const organizer = await User.findById(event.organizerId).select('name').lean();
  const viewer = audienceViewer(ctx, event);
  // Not awaited: the page never waits for, or fails because of, the counting.
  if (viewer) void recordView(event._id, viewer);
  return {
    ...toPublicEvent(event),
    organizer: { id: event.organizerId.toHexString(), name: organizer?.name ?? 'Former organizer' },
  };
}

/** The "Get tickets" area: seats left, and whether they can be bought now. Counts as a click. */
export async function ticketOptions(ctx: Context, id: string) {
  const event = await findViewableEvent(ctx, id);
  const [sold, taken] = await Promise.all([countSoldTickets(event._id), placesTaken(event._id)]);
  const viewer = audienceViewer(ctx, event);
  if (viewer) void recordClick(event._id, viewer);
  // Places held by buyers still paying are not for sale either; expired holds count as free.
  const unavailable = Math.max(sold, taken);
  return {
    eventId: event._id.toHexString(),
    capacity: event.capacity,
    sold,
    remaining: Math.max(0, event.capacity - unavailable),
    soldOut: unavailable >= event.capacity,
    onSale: eventStatus(event) === 'published' && event.startDate > new Date(),
    price: event.price ?? 0,
    currency: event.currency ?? 'eur',
    maxPerPurchase: MAX_TICKETS_PER_PURCHASE,
  };
}
