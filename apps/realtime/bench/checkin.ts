/**
 * `pnpm bench:checkin`: door check-in at full path against the API in its own process (see
 * @spot/api/bench), with Redis and this app's realtime server (its own process too). Prints one
 * JSON line:
 *   {"scansPerSec", "p50Ms", "p99Ms", "floorScansPerSec", "ratio", "deliveryP99Ms"}
 * scansPerSec: most `checkin.scan` calls answered per second over HTTP (session cookie, rate
 *   limit, signature check, door check, the transaction, counter, publish), SCANNERS in parallel
 *   from a door team of DOOR_STAFF phones, after WARM_UP_SCANS (see below);
 * p50Ms/p99Ms: scan latency with RATE scans per second offered (open loop);
 * floorScansPerSec: the same database and Redis work done straight through the drivers here, as
 *   many in parallel, after FLOOR_WARM_UP_SCANS (its live updates go out on the live channel too,
 *   so Redis and the realtime server relay them as they do the API's);
 *   ratio = scansPerSec / floorScansPerSec, both measured in ROUNDS alternating rounds;
 * deliveryP99Ms: from sending a scan to its `checkin` update reaching a socket watching the event,
 *   with SOCKETS sockets connected (in rooms of EVENTS events), measured in the RATE phase.
 * This process is the load generator: it sends over keep-alive node:http and runs at a lower CPU
 * priority, so that it takes as little as it can from the servers it measures; the floor, which
 * is measured, runs at theirs.
 */
import { fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createAccount } from '@spot/api';
import { benchEvent, startBenchStack } from '@spot/api/bench';
import {
  eventRoom,
  jsonAroundCounter,
  LIVE_CHANNEL,
  type LiveMessage,
  organizerRoom,
} from '@spot/api/realtime';
import {
  CONSUME_WINDOW,
  type CountingCommands,
  INCREMENT_EXISTING_AND_PUBLISH,
  type RateLimitCommands,
  signTicketPayload,
  withScripts,
} from '@spot/api/test-support';
import { CheckIn, Event, Ticket } from '@spot/db';
import { ApiAgent, endWithThisProcess, freePort } from '@spot/testing';
import { Redis } from 'ioredis';
import mongoose, { type Types } from 'mongoose';
import type { WatchersCommand, WatchersReply } from './watchers.ts';

const SCANNERS = 32;
// The API lets a phone scan 150 times in 10 s; each of these scans at most about 110 times in
// any 10 s of the run (the warm-up, then the latency phase).
const DOOR_STAFF = 48;
// A fresh server compiles its hot paths for its first few thousand scans, on compiler threads
// that take the second core from everything else here: both sides are measured once warm.
const WARM_UP_SCANS = 3000;
const FLOOR_WARM_UP_SCANS = 3000;
const THROUGHPUT_SCANS = 3000;
const FLOOR_SCANS = 6000;
// This machine's speed drifts by tens of percent within a run (a shared virtual machine): the
// two sides take turns, so that each meets the same machine.
const ROUNDS = 3;
const RATE = 300;
const RATE_SECONDS = 10;
const SETTLE_MS = 2000;
const SOCKETS = 1000;
const EVENTS = 200;
const WATCHERS = SOCKETS / EVENTS;
const LOAD_GENERATOR_NICENESS = 10;

const stack = await startBenchStack({ prefix: 'spot_bench_checkin', redis: true });

async function startRealtimeProcess(): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  // As `pnpm start` runs it (see the README).
  const flags = ['--max-semi-space-size=64', '--single-threaded-gc'];
  const child = endWithThisProcess(
    spawn(process.execPath, [...flags, '--import', 'tsx', main], {
      env: {
        ...process.env,
        MONGODB_URI: stack.mongoUri,
        REDIS_URL: stack.redisUrl,
        REALTIME_PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Redis is up')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`realtime exited (${code}): ${output}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}
const realtime = await startRealtimeProcess();
// The servers measured and this load generator share the machine's cores: at a lower priority
// it takes CPU when they leave some, as a load generator on its own machine would. That only
// delays when it sees answers, so latencies are if anything overstated. Linux gives each thread
// its own priority, so every thread is set: V8's collector threads, started before this
// line, would otherwise take cores from the servers whenever this process collects.
function setOwnPriority(niceness: number) {
  const threads = existsSync('/proc/self/task') ? readdirSync('/proc/self/task').map(Number) : [0];
  for (const thread of threads) setPriority(thread, niceness);
}
setOwnPriority(LOAD_GENERATOR_NICENESS);

/**
 * The floor is measured, not a load generator: at a lower priority it would lose the cores to
 * the servers it waits on, and the ratio would flatter the API. Raising a priority again needs
 * root (or CAP_SYS_NICE), as CI has.
 */
async function atServerPriority<T>(work: () => Promise<T>): Promise<T> {
  setOwnPriority(0);
  try {
    return await work();
  } finally {
    setOwnPriority(LOAD_GENERATOR_NICENESS);
  }
}

/** The dashboards' sockets, in their own process (see watchers.ts). */
async function startWatchers(connect: Extract<WatchersCommand, { type: 'connect' }>) {
  const child = endWithThisProcess(
    fork(fileURLToPath(new URL('./watchers.ts', import.meta.url)), {
      execArgv: ['--import', 'tsx'],
    }),
  );
  const nextReply = () =>
    new Promise<WatchersReply>((resolve, reject) => {
      child.once('message', (reply: WatchersReply) => resolve(reply));
      child.once('exit', (code) => reject(new Error(`the watchers exited (${code})`)));
    });
  const connected = nextReply();
  child.send(connect);
  const reply = await connected;
  if (reply.type === 'failed') throw new Error(`watchers: ${reply.error}`);
  return {
    /** What the measured event's sockets received: [ticketId, receivedAt], then they disconnect. */
    async report(): Promise<Array<[string, number]>> {
      const received = nextReply();
      child.send({ type: 'report' } satisfies WatchersCommand);
      const answer = await received;
      return answer.type === 'received' ? answer.deliveries : [];
    },
  };
}

const percentile = (sorted: number[], q: number) =>
  Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 10) / 10;

async function signedInAgent(role: 'organizer' | 'user' | 'admin', name: string, index: number) {
  const email = `${role}${index}-${randomBytes(4).toString('hex')}@example.com`;
  const password = 'benchmark password';
  const user = await createAccount({ email, password, name, role });
  const agent = new ApiAgent(stack.trpcUrl, `10.9.${index >> 8}.${index & 255}`);
  await agent.mutate('auth.login', { email, password });
  return { agent, id: user._id };
}

async function storeEvents(organizerId: Types.ObjectId, staff: Types.ObjectId[], count: number) {
  const startDate = new Date(Date.now() + 30 * 60_000);
  const events = await Event.insertMany(
    Array.from({ length: count }, (_, i) =>
      benchEvent({ title: `Door night ${i}`, startDate, organizerId, staff }),
    ),
  );
  return events.map((event) => event._id);
}

async function issueTickets(
  eventId: Types.ObjectId,
  holder: { _id: Types.ObjectId; name: string },
  count: number,
) {
  const tickets = [];
  for (let i = 0; i < count; i++) {
    const ticketCode = crypto.randomUUID();
    tickets.push({
      eventId,
      userId: holder._id,
      holderName: holder.name,
      ticketCode,
      qrPayload: await signTicketPayload(ticketCode, eventId.toHexString()),
      status: 'valid',
    });
  }
  const written = await Ticket.insertMany(tickets, { lean: true });
  return written.map((ticket) => ({
    id: String(ticket._id),
    code: ticket.ticketCode,
    payload: ticket.qrPayload,
  }));
}

type Issued = Awaited<ReturnType<typeof issueTickets>>[number];

/**
 * The scanners' requests, as a phone sends them (a tRPC mutation over keep-alive HTTP with the
 * session cookie), through node:http rather than fetch: fetch costs this process several times
 * the CPU, which the API process would then lack on a small machine.
 */
const keepAlive = new HttpAgent({ keepAlive: true });
function postMutation(agent: ApiAgent, path: string, input: unknown): Promise<unknown> {
  const body = JSON.stringify({ json: input });
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${stack.trpcUrl}/${path}`,
      {
        method: 'POST',
        agent: keepAlive,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-forwarded-for': agent.ip,
          cookie: agent.cookie ?? '',
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          // Thrown in this listener, an error would end the process without stopping the servers.
          const text = Buffer.concat(chunks).toString();
          try {
            if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
            resolve(JSON.parse(text).result.data.json);
          } catch (error) {
            reject(new Error(`${path}: ${(error as Error).message}: ${text.slice(0, 300)}`));
          }
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

try {
  const organizer = await signedInAgent('organizer', 'Organizer', 0);
  const scanners = await Promise.all(
    Array.from({ length: DOOR_STAFF }, (_, i) => signedInAgent('user', `Door staff ${i}`, i + 1)),
  );
  const dashboard = await signedInAgent('admin', 'Dashboard', 999);
  const attendee = await createAccount({
    email: `attendee-${randomBytes(4).toString('hex')}@example.com`,
    password: 'benchmark password',
    name: 'Attendee',
    role: 'user',
  });
  const [eventId, ...otherEvents] = await storeEvents(
    organizer.id,
    scanners.map((scanner) => scanner.id),
    EVENTS,
  );
  if (!eventId) throw new Error('no event');
  const id = eventId.toHexString();
  const tickets = await issueTickets(
    eventId,
    attendee,
    WARM_UP_SCANS + THROUGHPUT_SCANS + RATE * RATE_SECONDS + FLOOR_WARM_UP_SCANS + FLOOR_SCANS,
  );
  let nextTicket = 0;
  const take = (): Issued => {
    const ticket = tickets[nextTicket++];
    if (!ticket) throw new Error('out of tickets');
    return ticket;
  };

  // Sockets: WATCHERS per event room; those of the measured event note when updates reach them.
  const watchers = await startWatchers({
    type: 'connect',
    url: realtime.url,
    cookie: dashboard.agent.cookie ?? '',
    rooms: [eventId, ...otherEvents].map((room) => room.toHexString()),
    sockets: SOCKETS,
  });
  const sentAt = new Map<string, number>();

  let scanCount = 0;
  const scan = async (ticket: Issued) => {
    const scanner = scanners[scanCount++ % DOOR_STAFF] as (typeof scanners)[number];
    const answer = (await postMutation(scanner.agent, 'checkin.scan', {
      eventId: id,
      payload: ticket.payload,
      nonce: randomBytes(12).toString('base64url'),
      gate: 'Main',
    })) as { result: string };
    if (answer.result !== 'ok') throw new Error(`scan answered ${answer.result}`);
  };
  /** Runs `count` calls of `work`, `parallel` at a time; answers the seconds they took. */
  const closedLoop = async (count: number, parallel: number, work: () => Promise<void>) => {
    let left = count;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (left-- > 0) await work();
      }),
    );
    return (performance.now() - started) / 1000;
  };

  // The floor: what one scan asks of MongoDB and Redis, straight through the drivers (the door
  // team is cached per process in both, so neither reads the event per scan).
  const db = mongoose.connection.getClient().db(mongoose.connection.db?.databaseName);
  const redis = withScripts<
    RateLimitCommands & Pick<CountingCommands, 'incrementExistingAndPublish'>
  >(new Redis(stack.redisUrl as string), {
    consumeWindow: CONSUME_WINDOW,
    incrementExistingAndPublish: INCREMENT_EXISTING_AND_PUBLISH,
  });
  const floorCounter = `bench:event:${id}:checkins`;
  await redis.set(floorCounter, 0);
  const scannerIds = scanners.map((scanner) => scanner.id);
  const SESSION_FIELDS = { name: 1, email: 1, role: 1, isPremium: 1, status: 1, sessionVersion: 1 };
  let floorCount = 0;
  const floorScan = async () => {
    const ticket = take();
    const scannerId = scannerIds[floorCount++ % DOOR_STAFF] as Types.ObjectId;
    await db.collection('users').findOne({ _id: scannerId }, { projection: SESSION_FIELDS });
    await redis.consumeWindow(`bench:rate:${scannerId}`, 10);
    const session = mongoose.connection.getClient().startSession();
    try {
      await session.withTransaction(async () => {
        const used = await db
          .collection('tickets')
          .findOneAndUpdate(
            { eventId, ticketCode: ticket.code, status: 'valid' },
            { $set: { status: 'used', checkedInAt: new Date() } },
            { session, projection: { eventId: 1, userId: 1, holderName: 1 } },
          );
        if (!used) throw new Error('floor: ticket not valid');
        await db.collection('checkins').insertOne(
          {
            eventId,
            ticketId: used._id,
            scannedBy: scannerId,
            scannedAt: new Date(),
            manual: false,
          },
          { session },
        );
      });
    } finally {
      await session.endSession();
    }
    // The counter and the live update in one call, on the channel the realtime server relays,
    // as the API does.
    const update: LiveMessage = {
      rooms: [eventRoom(id), organizerRoom(organizer.id.toHexString())],
      event: 'checkin',
      data: {
        eventId: id,
        checkins: null,
        change: 'checked_in',
        scan: {
          ticketId: ticket.id,
          attendeeName: attendee.name,
          scannedAt: new Date().toISOString(),
          scannedBy: 'Door staff',
          gate: 'Main',
          manual: false,
        },
      },
    };
    await redis.incrementExistingAndPublish(
      floorCounter,
      1,
      LIVE_CHANNEL,
      ...jsonAroundCounter(update, 'checkins'),
    );
  };
  await closedLoop(WARM_UP_SCANS, SCANNERS, () => scan(take()));

  // The servers settle after running flat out (collections of what that left behind), so that
  // the latencies below are those of steady operation at RATE. They are measured before the
  // floor runs here: this process would otherwise still be collecting what the floor left
  // behind, and send late.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

  // Open loop: one scan every 1/RATE s, whatever the previous ones are doing.
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  const rateStarted = performance.now();
  for (let i = 0; i < RATE * RATE_SECONDS; i++) {
    const due = rateStarted + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const ticket = take();
    const t0 = performance.now();
    sentAt.set(ticket.id, performance.timeOrigin + t0);
    inFlight.push(scan(ticket).then(() => void latencies.push(performance.now() - t0)));
  }
  await Promise.all(inFlight);

  await atServerPriority(() => closedLoop(FLOOR_WARM_UP_SCANS, SCANNERS, floorScan));
  let apiSeconds = 0;
  let floorSeconds = 0;
  for (let round = 0; round < ROUNDS; round++) {
    apiSeconds += await closedLoop(THROUGHPUT_SCANS / ROUNDS, SCANNERS, () => scan(take()));
    floorSeconds += await atServerPriority(() =>
      closedLoop(FLOOR_SCANS / ROUNDS, SCANNERS, floorScan),
    );
  }
  redis.disconnect();
  const scansPerSec = THROUGHPUT_SCANS / apiSeconds;
  const floorScansPerSec = FLOOR_SCANS / floorSeconds;
  const deliveries: number[] = [];
  for (const [ticketId, receivedAt] of await watchers.report()) {
    const sent = sentAt.get(ticketId);
    if (sent !== undefined) deliveries.push(receivedAt - sent);
  }

  const checkIns = await CheckIn.countDocuments({ eventId });
  const expected =
    WARM_UP_SCANS + THROUGHPUT_SCANS + RATE * RATE_SECONDS + FLOOR_WARM_UP_SCANS + FLOOR_SCANS;
  if (checkIns !== expected) console.error(`expected ${expected} check-ins, found ${checkIns}`);
  if (deliveries.length !== RATE * RATE_SECONDS * WATCHERS)
    console.error(
      `expected ${RATE * RATE_SECONDS * WATCHERS} deliveries, got ${deliveries.length}`,
    );

  const sortedLatencies = latencies.sort((a, b) => a - b);
  const sortedDeliveries = deliveries.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      scansPerSec: Math.round(scansPerSec),
      p50Ms: percentile(sortedLatencies, 0.5),
      p99Ms: percentile(sortedLatencies, 0.99),
      floorScansPerSec: Math.round(floorScansPerSec),
      ratio: Math.round((scansPerSec / floorScansPerSec) * 100) / 100,
      deliveryP99Ms: percentile(sortedDeliveries, 0.99),
    }),
  );
} finally {
  realtime.stop();
  await stack.stop();
}
