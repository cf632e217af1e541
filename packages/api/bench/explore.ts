/**
 * `pnpm bench:explore`: seeds 20,000 published events into a private database (the embedded
 * engine, or MONGODB_URI), serves the tRPC endpoint over HTTP and times a mix of filtered
 * `explore.list` calls made one after another. Prints one JSON line:
 *   {"events": 20000, "p50Ms": …, "p95Ms": …}
 * `--by-shape` also prints each query shape's figures on stderr.
 */
import { parseArgs } from 'node:util';
import { connectDatabase, disconnectDatabase, EVENT_CATEGORIES, Event } from '@spot/db';
import { serveNodeHandler, startTestDatabase } from '@spot/testing';
import { createTRPCClient, httpLink } from '@trpc/client';
import { Types } from 'mongoose';
import superjson from 'superjson';
import { handleTrpcRequest, TRPC_ENDPOINT } from '../src/http.ts';
import type { AppRouter } from '../src/index.ts';

const EVENTS = 20_000;
const CALLS_PER_SHAPE = 100;
const WARM_UP_CALLS = 40;
const DAY = 24 * 60 * 60 * 1000;

const CITIES = [
  ['Paris', 48.8566, 2.3522],
  ['Lyon', 45.764, 4.8357],
  ['Marseille', 43.2965, 5.3698],
  ['Toulouse', 43.6047, 1.4442],
  ['Nice', 43.7102, 7.262],
  ['Nantes', 47.2184, -1.5536],
  ['Strasbourg', 48.5734, 7.7521],
  ['Bordeaux', 44.8378, -0.5792],
  ['Lille', 50.6292, 3.0573],
  ['Grenoble', 45.1885, 5.7245],
  ['Brussels', 50.8503, 4.3517],
  ['Geneva', 46.2044, 6.1432],
  ['Barcelona', 41.3874, 2.1686],
  ['Milan', 45.4642, 9.19],
  ['Berlin', 52.52, 13.405],
  ['Amsterdam', 52.3676, 4.9041],
  ['London', 51.5074, -0.1278],
  ['Madrid', 40.4168, -3.7038],
  ['Rome', 41.9028, 12.4964],
  ['Vienna', 48.2082, 16.3738],
] as const;

const WORDS = (
  'jazz market workshop sunset river garden vintage acoustic festival tasting rooftop family ' +
  'night morning trail harbour gallery studio street kitchen forest lantern picnic quartet ' +
  'cinema poetry startup design coding robots yoga cycling wine cheese bakery vinyl techno ' +
  'salsa choir theatre puppets science history chess climbing kayak sailing photography ' +
  'pottery comedy karaoke brunch lecture marathon orchestra opera ballet circus drones'
).split(' ');

/** A fixed-seed generator (mulberry32), so every run queries the same data the same way. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const next = random(20_000);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
const words = (count: number) => Array.from({ length: count }, () => pick(WORDS)).join(' ');

function seededEvents(now: number, organizerId: Types.ObjectId) {
  return Array.from({ length: EVENTS }, () => {
    const [city, cityLat, cityLng] = pick(CITIES);
    // Within about 20 km of the city centre.
    const lat = cityLat + (next() - 0.5) * 0.36;
    const lng = cityLng + (next() - 0.5) * 0.5;
    const startDate = new Date(now + next() * 365 * DAY);
    return {
      title: `${words(2)} in ${city}`,
      description: `${words(14)}.`,
      category: pick(EVENT_CATEGORIES),
      tags: [],
      location: { city, lat, lng, point: { type: 'Point', coordinates: [lng, lat] } },
      startDate,
      endDate: new Date(startDate.getTime() + (1 + next() * 5) * 60 * 60 * 1000),
      capacity: 50 + Math.floor(next() * 950),
      organizerId,
      isPublished: true,
    };
  });
}

type Filters = Record<string, unknown>;
const SHAPES: Record<string, (now: number) => Filters> = {
  category: () => ({ category: pick(EVENT_CATEGORIES) }),
  dateWindow: (now) => {
    const from = new Date(now + next() * 350 * DAY);
    return { from, to: new Date(from.getTime() + 7 * DAY) };
  },
  radius25km: () => {
    const [, lat, lng] = pick(CITIES);
    return { lat, lng, radiusKm: 25 };
  },
  text: () => ({ text: pick(WORDS) }),
};

function percentile(sortedMs: number[], fraction: number): number {
  const index = Math.min(sortedMs.length - 1, Math.ceil(fraction * sortedMs.length) - 1);
  return Math.round((sortedMs[index] as number) * 10) / 10;
}

function summary(durations: number[]) {
  const sorted = [...durations].sort((a, b) => a - b);
  return { p50Ms: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95) };
}

const { values: options } = parseArgs({ options: { 'by-shape': { type: 'boolean' } } });
const database = await startTestDatabase('spot_bench_explore');
await connectDatabase(database.uri);
const served = await serveNodeHandler(handleTrpcRequest);
try {
  const now = Date.now();
  const events = seededEvents(now, new Types.ObjectId());
  for (let start = 0; start < events.length; start += 1000) {
    await Event.insertMany(events.slice(start, start + 1000), { lean: true });
  }

  const client = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${served.baseUrl}${TRPC_ENDPOINT}`, transformer: superjson })],
  });
  const shapeNames = Object.keys(SHAPES);
  const timed = async (shape: string): Promise<number> => {
    const filters = SHAPES[shape]?.(now) ?? {};
    const started = performance.now();
    await client.explore.list.query(filters);
    return performance.now() - started;
  };
  for (let call = 0; call < WARM_UP_CALLS; call++) await timed(pick(shapeNames));

  const byShape = new Map<string, number[]>(shapeNames.map((shape) => [shape, []]));
  for (let round = 0; round < CALLS_PER_SHAPE; round++) {
    for (const shape of shapeNames) byShape.get(shape)?.push(await timed(shape));
  }

  const all = [...byShape.values()].flat();
  console.log(JSON.stringify({ events: EVENTS, ...summary(all) }));
  if (options['by-shape']) {
    for (const [shape, durations] of byShape) {
      console.error(JSON.stringify({ shape, ...summary(durations) }));
    }
  }
} finally {
  await served.close();
  await disconnectDatabase();
  await database.stop();
}
