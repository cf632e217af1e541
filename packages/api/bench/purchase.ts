/**
 * `pnpm bench:purchase`: one paid event, 200 concurrent buyers over HTTP (the simulated payment
 * provider) against the API in its own process (see stack.ts). Each buyer keeps buying one
 * ticket at a time until the event is sold out, then pays each hold through
 * `payments.simulatePay` (the webhook's issuance path). A smaller event is sold out first to warm
 * the server up (connections, JIT), unmeasured. Prints one JSON line:
 *   {"buyers": 200, "holdsPerSec": …, "ticketsPerSec": …, "oversold": 0}
 * holdsPerSec: successful holds per second of the buying phase; ticketsPerSec: tickets issued per
 * second of the paying phase; oversold: valid tickets beyond the capacity (must be 0).
 */
import { randomBytes } from 'node:crypto';
import { Event, Seat, Ticket } from '@spot/db';
import { ApiAgent } from '@spot/testing';
import { TRPCClientError } from '@trpc/client';
import { Types } from 'mongoose';
import { createAccount } from '../src/index.ts';
import { benchEvent, startBenchStack } from './stack.ts';

const BUYERS = Number(process.env.BENCH_BUYERS ?? 200);
const CAPACITY = Number(process.env.BENCH_CAPACITY ?? 2000);
const WARM_UP_CAPACITY = 600;
const PRICE = 2500;

async function storeEvent(title: string, capacity: number): Promise<string> {
  const startDate = new Date(Date.now() + 7 * 86_400_000);
  const [event] = await Event.insertMany([
    benchEvent({
      title,
      startDate,
      organizerId: new Types.ObjectId(),
      capacity,
      price: PRICE,
      currency: 'eur',
    }),
  ]);
  return String(event?._id);
}

type Hold = { client: ApiAgent; holdId: string };

/** Every buyer buys one ticket at a time until the event answers sold out. */
async function buyUntilSoldOut(buyers: ApiAgent[], eventId: string) {
  const holds: Hold[] = [];
  const latencies: number[] = [];
  const started = performance.now();
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
  return { holds, latencies, seconds: (performance.now() - started) / 1000 };
}

/** As many concurrent payers as buyers work through the holds. */
async function payAll(holds: Hold[]): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: BUYERS }, async () => {
      while (next < holds.length) {
        const hold = holds[next++];
        if (hold) await hold.client.mutate('payments.simulatePay', { holdId: hold.holdId });
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

const stack = await startBenchStack({ prefix: 'spot_bench_purchase', redis: false });
try {
  const run = randomBytes(3).toString('hex');
  const buyers: ApiAgent[] = [];
  for (let start = 0; start < BUYERS; start += 25) {
    buyers.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(25, BUYERS - start) }, async (_, offset) => {
          const index = start + offset;
          const email = `buyer${index}-${run}@example.com`;
          const password = 'benchmark password';
          await createAccount({ email, password, name: `Buyer ${index}`, role: 'user' });
          const client = new ApiAgent(stack.trpcUrl, `10.1.${index >> 8}.${index & 255}`);
          await client.mutate('auth.login', { email, password });
          return client;
        }),
      )),
    );
  }

  const warmUp = await buyUntilSoldOut(buyers, await storeEvent('Warm-up night', WARM_UP_CAPACITY));
  await payAll(warmUp.holds);

  const eventId = await storeEvent('Benchmark night', CAPACITY);
  const buying = await buyUntilSoldOut(buyers, eventId);
  const paySeconds = await payAll(buying.holds);

  const valid = await Ticket.countDocuments({ eventId, status: 'valid' });
  const seats = await Seat.countDocuments({ eventId });
  console.log(
    JSON.stringify({
      buyers: BUYERS,
      holdsPerSec: Math.round(buying.holds.length / buying.seconds),
      ticketsPerSec: Math.round(valid / paySeconds),
      oversold: Math.max(0, valid - CAPACITY, seats - CAPACITY),
    }),
  );
  if (process.env.BENCH_VERBOSE) {
    const sorted = [...buying.latencies].sort((a, b) => a - b);
    const at = (q: number) => Math.round(sorted[Math.floor(q * (sorted.length - 1))] ?? 0);
    console.error(
      JSON.stringify({ buySeconds: buying.seconds, paySeconds, p50: at(0.5), p99: at(0.99) }),
    );
  }
  if (valid !== CAPACITY) console.error(`expected ${CAPACITY} tickets, got ${valid}`);
} finally {
  await stack.stop();
}
