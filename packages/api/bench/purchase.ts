/**
 * `pnpm bench:purchase`: one paid event, 200 concurrent buyers over HTTP (the simulated payment
 * provider), on a private database (the embedded engine, or MONGODB_URI). Each buyer keeps buying
 * one ticket at a time until the event is sold out, then pays each hold through
 * `payments.simulatePay` (the webhook's issuance path). Prints one JSON line:
 *   {"buyers": 200, "holdsPerSec": …, "ticketsPerSec": …, "oversold": 0}
 * holdsPerSec: successful holds per second of the buying phase; ticketsPerSec: tickets issued per
 * second of the paying phase; oversold: valid tickets beyond the capacity (must be 0).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';

process.env.NODE_ENV ??= 'test';
process.env.JWT_SECRET ??= randomBytes(48).toString('base64url');
process.env.QR_SIGNING_KEY ??= generateKeyPairSync('ed25519')
  .privateKey.export({ format: 'pem', type: 'pkcs8' })
  .toString();
delete process.env.STRIPE_SECRET_KEY;
delete process.env.STRIPE_WEBHOOK_SECRET;

// The engine runs in its own process, as under `pnpm dev`, so the API and the database each get a
// core (in one process they would share one). MONGODB_URI, when set, is used instead.
const { ApiAgent, serveFetchHandler, startEngineProcess, startTestDatabase } = await import(
  '@spot/testing'
);
const engine = process.env.MONGODB_URI ? undefined : await startEngineProcess();
if (engine) process.env.MONGODB_URI = engine.uri;

const { connectDatabase, disconnectDatabase, Event, Seat, Ticket } = await import('@spot/db');
const { TRPCClientError } = await import('@trpc/client');
const { Types } = await import('mongoose');
const { handleTrpcRequest, TRPC_ENDPOINT } = await import('../src/http.ts');
const { createAccount } = await import('../src/index.ts');

const BUYERS = Number(process.env.BENCH_BUYERS ?? 200);
const CAPACITY = Number(process.env.BENCH_CAPACITY ?? 2000);
const PRICE = 2500;

const database = await startTestDatabase('spot_bench_purchase');
await connectDatabase(database.uri);
const served = await serveFetchHandler(handleTrpcRequest);
try {
  const [eventDoc] = await Event.insertMany([
    {
      title: 'Benchmark night',
      description: 'One event, many buyers.',
      category: 'music',
      location: {
        city: 'Lyon',
        lat: 45.76,
        lng: 4.83,
        point: { type: 'Point', coordinates: [4.83, 45.76] },
      },
      startDate: new Date(Date.now() + 7 * 86_400_000),
      endDate: new Date(Date.now() + 7 * 86_400_000 + 3 * 3_600_000),
      organizerId: new Types.ObjectId(),
      capacity: CAPACITY,
      isPublished: true,
      price: PRICE,
      currency: 'eur',
    },
  ]);
  const eventId = String(eventDoc?._id);
  const run = randomBytes(3).toString('hex');
  const buyers = [];
  for (let start = 0; start < BUYERS; start += 25) {
    buyers.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(25, BUYERS - start) }, async (_, offset) => {
          const index = start + offset;
          const email = `buyer${index}-${run}@example.com`;
          const password = 'benchmark password';
          await createAccount({ email, password, name: `Buyer ${index}`, role: 'user' });
          const client = new ApiAgent(
            `${served.baseUrl}${TRPC_ENDPOINT}`,
            `10.1.${index >> 8}.${index & 255}`,
          );
          await client.mutate('auth.login', { email, password });
          return client;
        }),
      )),
    );
  }

  // Buying: every buyer loops until the event answers sold out.
  const latencies: number[] = [];
  const holds: Array<{ client: (typeof buyers)[number]; holdId: string }> = [];
  const buyStarted = performance.now();
  await Promise.all(
    buyers.map(async (client) => {
      for (;;) {
        const t0 = performance.now();
        try {
          const hold = (await client.mutate('tickets.purchase', { eventId, quantity: 1 })) as {
            holdId: string;
          };
          holds.push({ client, holdId: hold.holdId });
          latencies.push(performance.now() - t0);
        } catch (error) {
          if (error instanceof TRPCClientError && error.data?.code === 'CONFLICT') return;
          throw error;
        }
      }
    }),
  );
  const buySeconds = (performance.now() - buyStarted) / 1000;

  // Paying: 200 concurrent payers work through the holds.
  const payStarted = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: BUYERS }, async () => {
      while (next < holds.length) {
        const hold = holds[next++];
        if (hold) await hold.client.mutate('payments.simulatePay', { holdId: hold.holdId });
      }
    }),
  );
  const paySeconds = (performance.now() - payStarted) / 1000;

  const valid = await Ticket.countDocuments({ eventId, status: 'valid' });
  const seats = await Seat.countDocuments({ eventId });
  console.log(
    JSON.stringify({
      buyers: BUYERS,
      holdsPerSec: Math.round(holds.length / buySeconds),
      ticketsPerSec: Math.round(valid / paySeconds),
      oversold: Math.max(0, valid - CAPACITY, seats - CAPACITY),
    }),
  );
  if (process.env.BENCH_VERBOSE) {
    const sorted = [...latencies].sort((a, b) => a - b);
    const at = (q: number) => Math.round(sorted[Math.floor(q * (sorted.length - 1))] ?? 0);
    console.error(
      JSON.stringify({
        buySeconds,
        paySeconds,
        p50: at(0.5),
        p90: at(0.9),
        p99: at(0.99),
        firstHalf:
          latencies.slice(0, latencies.length / 2).reduce((a, b) => a + b, 0) /
          (latencies.length / 2),
      }),
    );
  }
  if (valid !== CAPACITY) console.error(`expected ${CAPACITY} tickets, got ${valid}`);
} finally {
  await served.close();
  await disconnectDatabase();
  await database.stop();
  engine?.stop();
}
