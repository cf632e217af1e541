/**
 * A CSV export of 50,000 bookings streams: the API process's live memory stays flat while the
 * file is read, and the file parses back to every row. The database runs in its own process (the
 * embedded engine as `pnpm dev` runs it, or MONGODB_URI's server), so this process's memory is
 * the API's and the reader's alone, as in production.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Event, Ticket, User } from '@spot/db';
import { startEngineProcess } from '@spot/testing';
import { parse } from 'csv-parse';
import { Types } from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BUYERS, makePro, useExports } from './analytics-fixtures.ts';
import { userIdOf } from './events-fixtures.ts';
import { type Agent, useApi } from './harness.ts';

const engine = process.env.MONGODB_URI ? undefined : await startEngineProcess();
if (engine) process.env.MONGODB_URI = engine.uri;
// Registered before useApi's hooks, so it runs after them (after-hooks run in reverse order).
afterAll(() => engine?.stop());

const api = useApi('spot_api_analytics_export_memory');
const download = useExports();

const BOOKINGS = 50_000;
const TICKETS_PER_BUYER = 2;
const BATCH = 5_000;
/**
 * Live memory may grow this much while the export is read. Streaming holds a cursor batch (500
 * rows), a chunk of CSV (256 rows), socket buffers and the parser's own: 2–3 MB measured.
 * The whole file is about 8 MB as bytes (twice that as a JS string) and the rows as documents
 * far more (a cursor fetching 16 MB batches, ~22,000 rows, grew it by 57 MB), so anything that
 * gathers the export in memory fails this.
 */
const MAX_LIVE_GROWTH_BYTES = 5 * 1024 * 1024;
const SAMPLE_EVERY_ROWS = 2_500;

// Measuring live memory needs a full collection before each sample.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
function liveBytes(): number {
  collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

const TRICKY = [BUYERS.zoe, BUYERS.danny, BUYERS.multiline, BUYERS.formula];

let organizer: Agent;
let eventId: Types.ObjectId;
let seedingMs = 0;

/** 25,000 buyers of two tickets each; the tricky names buy first, and Zoë buys last too. */
beforeAll(async () => {
  const started = Date.now();
  organizer = await api.signedIn('organizer');
  await makePro(organizer);
  const [event] = await Event.insertMany([
    {
      title: 'Stadium night',
      description: 'Fifty thousand people, seeded for the export memory test.',
      category: 'music',
      location: { city: 'Lyon', lat: 45.764, lng: 4.8357 },
      startDate: new Date('2025-06-21T18:00:00Z'),
      endDate: new Date('2025-06-21T23:00:00Z'),
      organizerId: await userIdOf(organizer),
      capacity: 100_000,
      isPublished: true,
      price: 4500,
      currency: 'eur',
    },
  ]);
  eventId = (event as { _id: Types.ObjectId })._id;
  const buyers = BOOKINGS / TICKETS_PER_BUYER;
  const firstSale = Date.parse('2025-01-01T00:00:00Z');
  for (let from = 0; from < buyers; from += BATCH / TICKETS_PER_BUYER) {
    const people = Array.from({ length: BATCH / TICKETS_PER_BUYER }, (_, offset) => {
      const index = from + offset;
      const tricky = index < TRICKY.length ? TRICKY[index] : undefined;
      return {
        _id: new Types.ObjectId(),
        name: tricky?.name ?? `Guest ${index} Dupont-Lefèvre`,
        email: `guest.${index}.dupont-lefevre@example.com`,
        passwordHash: 'not-a-real-hash',
        role: 'user',
        isPremium: false,
        status: 'active',
        sessionVersion: 0,
        createdAt: new Date(firstSale),
      };
    });
    await User.insertMany(people, { lean: true });
    await Ticket.insertMany(
      people.flatMap((person, offset) =>
        Array.from({ length: TICKETS_PER_BUYER }, (_, ticket) => {
          const row = (from + offset) * TICKETS_PER_BUYER + ticket;
          return {
            eventId,
            userId: person._id,
            ticketCode: randomUUID(),
            qrPayload: 'signed-elsewhere',
            status: 'valid',
            price: 4500,
            currency: 'eur',
            createdAt: new Date(firstSale + row * 1000),
          };
        }),
      ),
      { lean: true },
    );
  }
  // The last booking of all is Zoë's again: the file's tail is checked too.
  const zoe = await User.findOne({ name: BUYERS.zoe.name }, { _id: 1 }).lean();
  await Ticket.updateOne(
    { eventId, createdAt: new Date(firstSale + (BOOKINGS - 1) * 1000) },
    { $set: { userId: zoe?._id } },
  );
  seedingMs = Date.now() - started;
}, 120_000);

it(`streams ${BOOKINGS.toLocaleString('en')} bookings with flat memory, and they parse back`, async () => {
  const started = Date.now();
  const before = liveBytes();
  let peak = before;
  let bytes = 0;

  const response = await download(organizer, eventId.toHexString(), 'bookings');
  expect(response.status).toBe(200);
  const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  const records = body.pipe(parse({ bom: true }));
  let rows = 0;
  let header: string[] = [];
  const kept = new Map<number, string[]>();
  for await (const record of records as AsyncIterable<string[]>) {
    if (rows === 0) header = record;
    else if (rows <= TRICKY.length * TICKETS_PER_BUYER || rows === BOOKINGS) kept.set(rows, record);
    rows += 1;
    if (rows % SAMPLE_EVERY_ROWS === 0) peak = Math.max(peak, liveBytes());
  }
  // Buffers of the seeding may still be draining at the start: growth is measured from the
  // lower of the levels before and after the export.
  const peakGrowth = peak - Math.min(before, liveBytes());
  const exportMs = Date.now() - started;
  console.log(
    JSON.stringify({
      bookings: BOOKINGS,
      csvMB: +(bytes / 2 ** 20).toFixed(1),
      peakLiveGrowthMB: +(peakGrowth / 2 ** 20).toFixed(2),
      boundMB: MAX_LIVE_GROWTH_BYTES / 2 ** 20,
      seedingMs,
      exportMs,
    }),
  );

  expect(rows).toBe(1 + BOOKINGS);
  expect(header.slice(0, 3)).toEqual(['Booked at (UTC)', 'Attendee', 'Email']);
  expect(peakGrowth).toBeLessThan(MAX_LIVE_GROWTH_BYTES);
  expect(bytes).toBeGreaterThan(MAX_LIVE_GROWTH_BYTES);

  // Two tickets per buyer, the tricky buyers first.
  const attendee = (row: number) => kept.get(row)?.[1];
  expect(
    Array.from({ length: TRICKY.length * TICKETS_PER_BUYER }, (_, row) => attendee(row + 1)),
  ).toEqual(
    TRICKY.flatMap((buyer) => [buyer.name, buyer.name]).map((name) =>
      name.startsWith('=') ? `'${name}` : name,
    ),
  );
  expect(kept.get(1)?.slice(4)).toEqual(['booked', '', '45.00', 'EUR', 'no']);
  expect(attendee(BOOKINGS)).toBe(BUYERS.zoe.name);
  expect(kept.get(BOOKINGS)?.[0]).toBe('2025-01-01 13:53:19');
}, 60_000);
