/**
 * Serves production builds for the browser suite: `next build` of apps/web once, a private
 * database (the embedded engine, or MONGODB_URI's server when set), then the production web
 * server (server.ts, as `pnpm start` runs it) on a free port. Production takes payments through Stripe only, so the server's Stripe SDK talks to the
 * local Stripe stand-in from @spot/testing; a small control endpoint lets tests do what the
 * buyer's card and Stripe's webhook would (see stripe-control.ts).
 *
 * For the door check-in suite it also runs, when Redis is at hand: a private redis-server, the
 * realtime server (apps/realtime, in its own process) and a production build of the scanner PWA
 * (apps/scanner), whose `/api/trpc` rewrite is baked at build time to this web server. Everything
 * started here is stopped in the teardown.
 *
 * Every URL uses the host name `localhost`: the session cookie is host-scoped, and the browser
 * must send the web app's cookie to the realtime server (same host, another port).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import {
  freePort,
  hasRedisServer,
  type LocalStripe,
  RedisProcess,
  startLocalStripe,
  startTestDatabase,
} from '@spot/testing';
import type { TestProject } from 'vitest/node';
import { browserUnavailable } from './chromium.ts';
import { nextBin, nextEnv, WEB_DIR, WEB_SERVER_ARGS } from './next-app.ts';
import { startStripeControl } from './stripe-control.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the production server, or '' when the browser suite is skipped. */
    webUrl: string;
    /** An organizer account created in the e2e database before the server starts. */
    organizer: Account;
    /** Published upcoming paid events of that organizer: plenty of places, and a single one. */
    paidEvents: { roomy: SeededEvent; single: SeededEvent };
    /** Base URL of the Stripe control endpoint (stripe-control.ts), '' when skipped. */
    stripeControlUrl: string;
    /** The door check-in suite: the scanner's URL and what there is to scan. */
    checkin: CheckinSetup;
    /** The e2e database, to seed what no API makes (an admin account); '' when skipped. */
    databaseUri: string;
    /**
     * A ticket left used without its CheckIn before the web server started, as a process dying
     * between a scan's two writes leaves it; the server's housekeeping should heal it.
     */
    halfWrittenTicketId: string;
  }
}

export interface Account {
  name: string;
  email: string;
  password: string;
}

export interface SeededEvent {
  id: string;
  title: string;
  price: number;
  currency: string;
}

export interface CheckinSetup {
  /** Why the check-in suite cannot run here (no Redis for live updates), or null when it can. */
  unavailable: string | null;
  /** Base URL of the scanner PWA (`next start` of apps/scanner). */
  scannerUrl: string;
  /** A published event of the organizer whose doors are open (it starts in half an hour). */
  event: { id: string; title: string };
  /** Door staff the organizer added to that event: works the scanner. */
  staff: Account;
  /** Valid tickets of that event, each with its signed QR payload, as the holder's phone shows it. */
  tickets: { payload: string; attendeeName: string }[];
}

/** Where the browser, the tests and the servers reach each other (see the comment above). */
const HOST = 'localhost';
const SCANNER_DIR = join(WEB_DIR, '../scanner');
const REALTIME_MAIN = join(WEB_DIR, '../realtime/src/main.ts');
const READY_TIMEOUT_MS = 30_000;

function runNextBuild(dir: string, label: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [nextBin(dir), 'build'], {
      cwd: dir,
      env: nextEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) {
        console.log(`[e2e] next build (${label}): ${((Date.now() - started) / 1000).toFixed(1)} s`);
        resolve();
      } else {
        reject(
          new Error(`next build of ${label} failed (${signal ?? code}):\n${output.slice(-8000)}`),
        );
      }
    });
  });
}

function stopProcessGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

interface ServerProcess {
  name: string;
  url: string;
  /** The last 20 kB of its output. */
  log(): string;
  exited(): boolean;
  stop(): Promise<void>;
}

/**
 * A Node server in its own process group, so stopping it also stops any child it spawns; its
 * stderr is echoed with a `[name]` prefix. Killed outright if this process exits first.
 */
function spawnServer(
  name: string,
  url: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): ServerProcess {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env,
  });
  let log = '';
  const append = (chunk: Buffer) => {
    log = (log + chunk).slice(-20_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', (chunk: Buffer) => {
    append(chunk);
    process.stderr.write(`[${name}] ${chunk}`);
  });
  const killOnExit = () => stopProcessGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    name,
    url,
    log: () => log,
    exited,
    async stop() {
      process.off('exit', killOnExit);
      if (!exited()) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        stopProcessGroup(child, 'SIGTERM');
        await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5000))]);
      }
      stopProcessGroup(child, 'SIGKILL');
    },
  };
}

/** Free ports, a different one each call (each is free when picked: the OS could repeat one). */
function portPicker(): () => Promise<number> {
  const picked = new Set<number>();
  return async () => {
    let port = await freePort();
    while (picked.has(port)) port = await freePort();
    picked.add(port);
    return port;
  };
}

/** Polls `ready` (a failed fetch counts as not yet) until it answers true. */
async function waitUntilReady(server: ServerProcess, ready: () => Promise<boolean>) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exited()) throw new Error(`${server.name} exited early:\n${server.log()}`);
    try {
      if (await ready()) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${server.name} was not ready within ${READY_TIMEOUT_MS} ms:\n${server.log()}`);
}

/** The API answering through `url` means the server (and its database connection) is up. */
const apiAnswers = (url: string) => async () => (await fetch(`${url}/api/trpc/auth.me`)).ok;

/**
 * The Redis the servers publish and relay live updates through: a private, empty redis-server
 * when the binary is installed (CI installs it), else the one REDIS_URL names. A private one is
 * preferred because the web server also keeps its rate limits in Redis (sign-ups: 10 an hour per
 * address): in a shared Redis they would add up across runs and with other packages' tests.
 */
async function liveRedis(): Promise<{ url: string; stop?: () => Promise<void> } | null> {
  if (hasRedisServer()) {
    const redis = await RedisProcess.start();
    const killOnExit = () => void redis.kill();
    process.once('exit', killOnExit);
    return {
      url: redis.url,
      stop: async () => {
        process.off('exit', killOnExit);
        await redis.kill();
      },
    };
  }
  const shared = process.env.REDIS_URL;
  if (!shared) return null;
  console.warn(
    '[e2e] redis-server is not installed: the check-in suite uses REDIS_URL; rate limits the ' +
      'suite consumes there (sign-ups, log-ins) last up to an hour and may refuse a rerun',
  );
  return { url: shared };
}

interface Secrets {
  JWT_SECRET: string;
  QR_SIGNING_KEY: string;
}

/**
 * Accounts are made the way the admin CLI and the dev seed make them (sign-up makes users only,
 * organizers are never created through the public API); events and tickets with the models, as
 * the organizer's form and the ticket issuance write them. QR payloads are signed by the API's
 * own signer with the servers' QR_SIGNING_KEY.
 */
async function seedDatabase(uri: string, secrets: Secrets) {
  // The API's config is read once per process: give it the servers' secrets for the seeding
  // (it never reads the dev secrets file then), and leave this process's environment as it was.
  const saved = { JWT_SECRET: process.env.JWT_SECRET, QR_SIGNING_KEY: process.env.QR_SIGNING_KEY };
  Object.assign(process.env, secrets);
  const { createAccount } = await import('@spot/api');
  const { connectDatabase, disconnectDatabase } = await import('@spot/db');
  const tag = randomBytes(4).toString('hex');
  const organizer = {
    name: `Olga Organizer ${tag}`,
    email: `olga-${tag}@example.com`,
    password: `organizer pass ${tag}`,
  };
  const staff = {
    name: `Sam Door ${tag}`,
    email: `sam-${tag}@example.com`,
    password: `door staff pass ${tag}`,
  };
  await connectDatabase(uri);
  try {
    const account = await createAccount({ ...organizer, role: 'organizer' });
    const staffAccount = await createAccount({ ...staff, role: 'user' });
    const paidEvents = {
      roomy: await seedPaidEvent(account.id, `Harbour lights concert ${tag}`, 100),
      single: await seedPaidEvent(account.id, `Private tasting for one ${tag}`, 1),
    };
    const door = await seedDoorEvent(account.id, staffAccount.id, tag, secrets.QR_SIGNING_KEY);
    const halfWrittenTicketId = await seedHalfWrittenCheckIn(paidEvents.roomy.id, account.id);
    return { organizer, paidEvents, checkin: { ...door, staff }, halfWrittenTicketId };
  } finally {
    await disconnectDatabase();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** A ticket marked used ten minutes ago with no CheckIn record: a scan whose process died. */
async function seedHalfWrittenCheckIn(eventId: string, holderId: string): Promise<string> {
  const { signTicketPayload } = await import('@spot/api/test-support');
  const { Ticket } = await import('@spot/db');
  const ticketCode = randomUUID();
  const ticket = await Ticket.create({
    eventId,
    userId: holderId,
    ticketCode,
    qrPayload: await signTicketPayload(ticketCode, eventId),
    status: 'used',
    checkedInAt: new Date(Date.now() - 10 * 60 * 1000),
    price: 2500,
    currency: 'eur',
  });
  return ticket._id.toHexString();
}

/** A published paid event a week from now, written with the model (as the organizer's form would). */
async function seedPaidEvent(organizerId: string, title: string, capacity: number) {
  const { Event } = await import('@spot/db');
  const start = new Date(Date.now() + 7 * 24 * 60 * 60 * 1000);
  const event = await Event.create({
    title,
    description: `${title}: an evening to remember, seeded for the browser tests.`,
    category: 'music',
    location: { city: 'Lyon', lat: 45.764, lng: 4.8357 },
    startDate: start,
    endDate: new Date(start.getTime() + 3 * 60 * 60 * 1000),
    organizerId,
    capacity,
    isPublished: true,
    price: 2500,
    currency: 'eur',
  });
  return { id: event._id.toHexString(), title, price: 2500, currency: 'eur' };
}

/**
 * A free event starting in half an hour (its doors are open: check-in opens
 * CHECKIN_OPENS_BEFORE_MINUTES, 180 by default, before the start) with `staffId` on its door
 * team, and two attendees' valid tickets.
 */
async function seedDoorEvent(organizerId: string, staffId: string, tag: string, qrKey: string) {
  const { createAccount } = await import('@spot/api');
  const { signTicketPayload } = await import('@spot/api/test-support');
  const { getConfig } = await import('@spot/config');
  const { Event, Ticket } = await import('@spot/db');
  if (getConfig().QR_SIGNING_KEY !== qrKey)
    throw new Error('the API config of the setup process was loaded before its QR key was set');
  const title = `Courtyard salsa night ${tag}`;
  const start = new Date(Date.now() + 30 * 60 * 1000);
  const event = await Event.create({
    title,
    description: `${title}: dancing under the lights, seeded for the browser check-in tests.`,
    category: 'music',
    location: { city: 'Lyon', lat: 45.764, lng: 4.8357 },
    startDate: start,
    endDate: new Date(start.getTime() + 3 * 60 * 60 * 1000),
    organizerId,
    staff: [staffId],
    capacity: 50,
    isPublished: true,
  });
  const eventId = event._id.toHexString();
  const tickets = [];
  for (const name of ['Ada Lovelace', 'Grace Hopper']) {
    const attendeeName = `${name} ${tag}`;
    const attendee = await createAccount({
      name: attendeeName,
      email: `${name.split(' ')[0]?.toLowerCase()}-${tag}@example.com`,
      password: `attendee pass ${tag}`,
      role: 'user',
    });
    const ticketCode = randomUUID();
    const payload = await signTicketPayload(ticketCode, eventId);
    await Ticket.create({
      eventId,
      userId: attendee.id,
      ticketCode,
      qrPayload: payload,
      status: 'valid',
      price: 0,
      currency: 'eur',
    });
    tickets.push({ payload, attendeeName });
  }
  return { event: { id: eventId, title }, tickets };
}

const NO_ACCOUNT: Account = { name: '', email: '', password: '' };

function provideCheckinUnavailable(project: TestProject, reason: string) {
  project.provide('checkin', {
    unavailable: reason,
    scannerUrl: '',
    event: { id: '', title: '' },
    staff: NO_ACCOUNT,
    tickets: [],
  });
}

export default async function setup(project: TestProject) {
  const unavailable = browserUnavailable();
  if (unavailable) {
    console.warn(`[e2e] browser suite skipped: ${unavailable}`);
    project.provide('webUrl', '');
    project.provide('organizer', NO_ACCOUNT);
    const none = { id: '', title: '', price: 0, currency: '' };
    project.provide('paidEvents', { roomy: none, single: none });
    project.provide('stripeControlUrl', '');
    project.provide('databaseUri', '');
    project.provide('halfWrittenTicketId', '');
    provideCheckinUnavailable(project, unavailable);
    return;
  }

  // Stopped in reverse order by the teardown (and on a failed start).
  const stops: (() => Promise<void> | void)[] = [];
  const teardown = async () => {
    for (let stop = stops.pop(); stop; stop = stops.pop()) {
      try {
        await stop();
      } catch (error) {
        console.error('[e2e] teardown step failed:', error);
      }
    }
  };

  try {
    // Ports first: each build bakes in the URL of another server.
    const pickPort = portPicker();
    const webPort = await pickPort();
    const realtimePort = await pickPort();
    const scannerPort = await pickPort();
    const webUrl = `http://${HOST}:${webPort}`;
    const realtimeUrl = `http://${HOST}:${realtimePort}`;
    const scannerUrl = `http://${HOST}:${scannerPort}`;

    const redis = await liveRedis();
    if (redis?.stop) stops.push(redis.stop);
    const checkinUnavailable = redis
      ? null
      : 'no Redis for live updates: set REDIS_URL or install redis-server ' +
        '(apt-get install -y redis-server)';
    if (checkinUnavailable) console.warn(`[e2e] check-in suite skipped: ${checkinUnavailable}`);

    // One after the other: the machines have two cores.
    await runNextBuild(WEB_DIR, 'web', { NEXT_PUBLIC_REALTIME_URL: realtimeUrl });
    if (redis) await runNextBuild(SCANNER_DIR, 'scanner', { WEB_URL: webUrl });

    const database = await startTestDatabase('web_e2e');
    stops.push(() => database.stop());
    const secrets: Secrets = {
      JWT_SECRET: randomBytes(48).toString('base64url'),
      QR_SIGNING_KEY: generateKeyPairSync('ed25519')
        .privateKey.export({ format: 'pem', type: 'pkcs8' })
        .toString(),
    };
    const { organizer, paidEvents, checkin, halfWrittenTicketId } = await seedDatabase(
      database.uri,
      secrets,
    );
    const stripe: LocalStripe = await startLocalStripe();
    stops.push(() => stripe.close());

    // The same configuration for the three servers: sessions and QR codes are valid in each.
    const serverEnv = nextEnv({
      ...secrets,
      MONGODB_URI: database.uri,
      // Production refuses simulated payments: Stripe it is, the local stand-in.
      STRIPE_SECRET_KEY: stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      STRIPE_API_HOST: stripe.host,
      STRIPE_API_PORT: String(stripe.port),
      STRIPE_API_PROTOCOL: stripe.protocol,
      WEB_URL: webUrl,
      WEB_PORT: String(webPort),
      NEXT_PUBLIC_REALTIME_URL: realtimeUrl,
      REALTIME_PORT: String(realtimePort),
      SCANNER_PORT: String(scannerPort),
      SCANNER_URL: scannerUrl,
      // Live updates are published to Redis; without it, rate limits stay in the server's memory.
      REDIS_URL: redis?.url ?? '',
    });

    const web = spawnServer('web', webUrl, WEB_SERVER_ARGS, { cwd: WEB_DIR, env: serverEnv });
    stops.push(() => web.stop());
    const webReady = waitUntilReady(web, apiAnswers(webUrl));
    const waits = [webReady];
    if (redis) {
      // tsx comes from apps/realtime's dependencies: `--import` resolves from the cwd.
      const realtime = spawnServer('realtime', realtimeUrl, ['--import', 'tsx', REALTIME_MAIN], {
        cwd: dirname(dirname(REALTIME_MAIN)),
        env: serverEnv,
      });
      stops.push(() => realtime.stop());
      const scanner = spawnServer(
        'scanner',
        scannerUrl,
        [nextBin(SCANNER_DIR), 'start', '-p', String(scannerPort), '-H', '127.0.0.1'],
        { cwd: SCANNER_DIR, env: nextEnv({ WEB_URL: webUrl, SCANNER_PORT: String(scannerPort) }) },
      );
      stops.push(() => scanner.stop());
      waits.push(
        waitUntilReady(realtime, async () => {
          const health = await fetch(`${realtimeUrl}/health`);
          return health.ok && ((await health.json()) as { redis: string }).redis === 'up';
        }),
        // Through the scanner's rewrite: the web URL baked into its build answers (asked once
        // the web server is up, so that the scanner does not log every refused attempt).
        webReady.then(() => waitUntilReady(scanner, apiAnswers(scannerUrl))),
      );
    }
    await Promise.all(waits);
    const control = await startStripeControl(stripe, `${webUrl}/api/stripe/webhook`);
    stops.push(() => control.close());

    project.provide('webUrl', webUrl);
    project.provide('organizer', organizer);
    project.provide('paidEvents', paidEvents);
    project.provide('stripeControlUrl', control.url);
    project.provide('databaseUri', database.uri);
    project.provide('halfWrittenTicketId', halfWrittenTicketId);
    if (checkinUnavailable) provideCheckinUnavailable(project, checkinUnavailable);
    else project.provide('checkin', { unavailable: null, scannerUrl, ...checkin });
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
