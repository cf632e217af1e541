import { CheckIn, Ticket, User } from '@spot/db';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { Cursor, Types } from 'mongoose';
import { requirePro } from '../billing/gating.ts';
import { eventIdSchema } from '../events/schemas.ts';
import { ensureDatabase } from '../http.ts';
import { findOwnedEvent } from '../lib/owned-event.ts';
import { canonicalTimeZone, localDateTime, wallClock } from '../lib/time-zone.ts';
import { createContext, requireOrganizer } from '../trpc.ts';
import { type CsvCell, csvStream } from './csv.ts';
import { TIME_ZONE_MESSAGE } from './schemas.ts';

/*
 * CSV exports of an event's bookings and check-ins (Pro), served over plain HTTP so browsers
 * download them: GET {prefix}/{eventId}/{kind}[?timezone=Europe/Paris], with the session cookie.
 * Rows come from a MongoDB aggregation cursor read a batch at a time and are written as the
 * response is read (see csv.ts), so an export of any size holds about one batch in memory.
 */

/**
 * Documents per cursor batch: one round trip per this many rows. It belongs in the aggregate's
 * own options: given to `.cursor()` only, it sizes the first batch alone, and every getMore then
 * answers up to 16 MB (tens of thousands of rows, all in memory at once).
 */
const BATCHES = { batchSize: 500 };

interface Export {
  header(timezone: string): string[];
  rows(eventId: Types.ObjectId, timezone: string): AsyncIterable<CsvCell[]>;
}

/** Reads `cursor` to the end, and closes it when the reader stops early (a cancelled download). */
async function* closing<Row>(cursor: Cursor<Row>): AsyncGenerator<Row> {
  try {
    for (let row = await cursor.next(); row !== null; row = await cursor.next()) yield row;
  } finally {
    await cursor.close();
  }
}

const minorUnitDigits = new Map<string, number>();

/** An amount in minor units as a decimal in major units: 2550 eur → "25.50". */
function majorUnits(amount: number, currency: string): string {
  let digits = minorUnitDigits.get(currency);
  if (digits === undefined) {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    minorUnitDigits.set(currency, digits);
  }
  return (amount / 10 ** digits).toFixed(digits);
}

const BOOKING_STATUS = { valid: 'booked', used: 'checked in', cancelled: 'cancelled' } as const;

interface BookingRow {
  createdAt: Date;
  ticketCode: string;
  status: keyof typeof BOOKING_STATUS;
  checkedInAt?: Date;
  price?: number;
  currency?: string;
  refundId?: string;
  name?: string;
  email?: string;
}

interface CheckInRow {
  scannedAt: Date;
  gate?: string;
  manual: boolean;
  ticketCode?: string;
  name?: string;
  email?: string;
  scannedBy?: string;
}

const users = User.collection.name;

const EXPORTS: Record<string, Export> = {
  bookings: {
    header: (timezone) => [
      `Booked at (${timezone})`,
      'Attendee',
      'Email',
      'Ticket code',
      'Status',
      `Checked in at (${timezone})`,
      'Price',
      'Currency',
      'Refunded',
    ],
    async *rows(eventId, timezone) {
      const cursor = Ticket.aggregate(
        [
          { $match: { eventId } },
          { $sort: { createdAt: 1, _id: 1 } },
          { $lookup: { from: users, localField: 'userId', foreignField: '_id', as: 'holder' } },
          {
            $project: {
              _id: 0,
              createdAt: 1,
              ticketCode: 1,
              status: 1,
              checkedInAt: 1,
              price: 1,
              currency: 1,
              refundId: 1,
              name: { $first: '$holder.name' },
              email: { $first: '$holder.email' },
            },
          },
        ],
        BATCHES,
      ).cursor<BookingRow>();
      for await (const row of closing(cursor)) {
        yield [
          localDateTime(row.createdAt, timezone),
          row.name ?? null,
          row.email ?? null,
          row.ticketCode,
          BOOKING_STATUS[row.status],
          row.checkedInAt ? localDateTime(row.checkedInAt, timezone) : null,
          row.currency ? majorUnits(row.price ?? 0, row.currency) : null,
          row.currency?.toUpperCase() ?? null,
          row.refundId ? 'yes' : 'no',
        ];
      }
    },
  },
  'check-ins': {
    header: (timezone) => [
      `Scanned at (${timezone})`,
      'Attendee',
      'Email',
      'Ticket code',
      'Gate',
      'Method',
      'Scanned by',
    ],
    async *rows(eventId, timezone) {
      const cursor = CheckIn.aggregate(
        [
          { $match: { eventId } },
          { $sort: { scannedAt: 1, _id: 1 } },
          {
            $lookup: {
              from: Ticket.collection.name,
              localField: 'ticketId',
              foreignField: '_id',
              as: 'ticket',
            },
          },
          {
            $lookup: {
              from: users,
              localField: 'ticket.userId',
              foreignField: '_id',
              as: 'holder',
            },
          },
          { $lookup: { from: users, localField: 'scannedBy', foreignField: '_id', as: 'scanner' } },
          {
            $project: {
              _id: 0,
              scannedAt: 1,
              gate: 1,
              manual: 1,
              ticketCode: { $first: '$ticket.ticketCode' },
              name: { $first: '$holder.name' },
              email: { $first: '$holder.email' },
              scannedBy: { $first: '$scanner.name' },
            },
          },
        ],
        BATCHES,
      ).cursor<CheckInRow>();
      for await (const row of closing(cursor)) {
        yield [
          localDateTime(row.scannedAt, timezone),
          row.name ?? null,
          row.email ?? null,
          row.ticketCode ?? null,
          row.gate ?? null,
          row.manual ? 'manual' : 'scan',
          row.scannedBy ?? null,
        ];
      }
    },
  },
};

/** "Riverside Jazz Night — Zoë's" → "riverside-jazz-night-zoe-s": safe in any file system and header. */
function fileSlug(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 50)
    .replace(/^-+|-+$/g, '');
  return slug || 'event';
}

function fileName(
  kind: string,
  event: { title: string; startDate: Date },
  timezone: string,
): string {
  const day = new Date(wallClock(event.startDate.getTime(), timezone)).toISOString().slice(0, 10);
  return `${kind}-${fileSlug(event.title)}-${day}.csv`;
}

function plainText(status: number, message: string): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/**
 * GET …/{eventId}/{kind}: the CSV file, or a short plain-text refusal: 401 signed out, 403 not
 * an organizer or not on Pro (with the upgrade hint), 404 another organizer's event, an unknown
 * one or an unknown kind, 400 a timezone that is not an IANA zone. The same rules as the
 * analytics procedures; admins may export any event.
 */
export async function handleExportRequest(request: Request): Promise<Response> {
  try {
    await ensureDatabase();
    const url = new URL(request.url);
    const [eventId = '', kind = ''] = url.pathname.split('/').slice(-2);
    const ctx = await createContext({ headers: request.headers, resHeaders: new Headers() });
    const user = requireOrganizer(ctx.user);
    requirePro(ctx, 'CSV export');
    const exporter = Object.hasOwn(EXPORTS, kind) ? EXPORTS[kind] : undefined;
    if (!exporter || !eventIdSchema.safeParse(eventId).success) {
      return plainText(404, 'No such export.');
    }
    const timezone = canonicalTimeZone(url.searchParams.get('timezone') ?? 'UTC');
    if (!timezone) return plainText(400, TIME_ZONE_MESSAGE);
    const event = await findOwnedEvent(user, eventId, { title: 1, startDate: 1 });
    return new Response(csvStream(exporter.header(timezone), exporter.rows(event._id, timezone)), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${fileName(kind, event, timezone)}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  } catch (error) {
    if (error instanceof TRPCError && error.code !== 'INTERNAL_SERVER_ERROR') {
      return plainText(getHTTPStatusCodeFromError(error), error.message);
    }
    console.error('CSV export failed:', error);
    return plainText(500, 'Something went wrong on our side.');
  }
}
