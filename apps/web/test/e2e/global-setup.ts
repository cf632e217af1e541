/**
 * Serves a production build of apps/web for the browser suite: `next build` once, a private
 * database (the embedded engine, or MONGODB_URI's server when set), then `next start` on a free
 * port. Production takes payments through Stripe only, so the server's Stripe SDK talks to the
 * local Stripe stand-in from @spot/testing; a small control endpoint lets tests do what the
 * buyer's card and Stripe's webhook would (see stripe-control.ts). Everything started here is
 * stopped in the teardown.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, type LocalStripe, startLocalStripe, startTestDatabase } from '@spot/testing';
import type { TestProject } from 'vitest/node';
import { browserUnavailable } from './chromium.ts';
import { startStripeControl } from './stripe-control.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the production server, or '' when the browser suite is skipped. */
    webUrl: string;
    /** An organizer account created in the e2e database before the server starts. */
    organizer: { name: string; email: string; password: string };
    /** Published upcoming paid events of that organizer: plenty of places, and a single one. */
    paidEvents: { roomy: SeededEvent; single: SeededEvent };
    /** Base URL of the Stripe control endpoint (stripe-control.ts), '' when skipped. */
    stripeControlUrl: string;
  }
}

export interface SeededEvent {
  id: string;
  title: string;
  price: number;
  currency: string;
}

const WEB_DIR = fileURLToPath(new URL('../..', import.meta.url));
const NEXT_BIN = join(
  dirname(createRequire(import.meta.url).resolve('next/package.json')),
  'dist/bin/next',
);
const READY_TIMEOUT_MS = 30_000;

/** Next's environment: production, whatever vitest set NODE_ENV to. */
function nextEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ...extra };
}

function runNextBuild(): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [NEXT_BIN, 'build'], {
      cwd: WEB_DIR,
      env: nextEnv(),
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
        console.log(`[e2e] next build: ${((Date.now() - started) / 1000).toFixed(1)} s`);
        resolve();
      } else {
        reject(new Error(`next build failed (${signal ?? code}):\n${output.slice(-8000)}`));
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

async function waitUntilServing(url: string, server: ChildProcess, log: () => string) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null)
      throw new Error(`next start exited early:\n${log()}`);
    try {
      // The API answering means the database connection is up as well.
      const response = await fetch(`${url}/api/trpc/auth.me`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`next start did not answer within ${READY_TIMEOUT_MS} ms:\n${log()}`);
}

/**
 * Organizers are never created through the public API (sign-up makes users): the account is made
 * the way the admin CLI and the dev seed make one.
 */
async function seedOrganizer(uri: string) {
  const { createAccount } = await import('@spot/api');
  const { connectDatabase, disconnectDatabase } = await import('@spot/db');
  const tag = randomBytes(4).toString('hex');
  const organizer = {
    name: `Olga Organizer ${tag}`,
    email: `olga-${tag}@example.com`,
    password: `organizer pass ${tag}`,
  };
  await connectDatabase(uri);
  try {
    const account = await createAccount({ ...organizer, role: 'organizer' });
    const paidEvents = {
      roomy: await seedPaidEvent(account.id, `Harbour lights concert ${tag}`, 100),
      single: await seedPaidEvent(account.id, `Private tasting for one ${tag}`, 1),
    };
    return { organizer, paidEvents };
  } finally {
    await disconnectDatabase();
  }
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

export default async function setup(project: TestProject) {
  const unavailable = browserUnavailable();
  if (unavailable) {
    console.warn(`[e2e] browser suite skipped: ${unavailable}`);
    project.provide('webUrl', '');
    project.provide('organizer', { name: '', email: '', password: '' });
    const none = { id: '', title: '', price: 0, currency: '' };
    project.provide('paidEvents', { roomy: none, single: none });
    project.provide('stripeControlUrl', '');
    return;
  }

  await runNextBuild();
  const database = await startTestDatabase('web_e2e');
  let stripe: LocalStripe | undefined;
  let control: { url: string; close: () => Promise<void> } | undefined;
  const stopServices = async () => {
    await control?.close();
    await stripe?.close();
    await database.stop();
  };
  let seeded: Awaited<ReturnType<typeof seedOrganizer>>;
  try {
    seeded = await seedOrganizer(database.uri);
    stripe = await startLocalStripe();
  } catch (error) {
    await stopServices();
    throw error;
  }
  const { organizer, paidEvents } = seeded;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const qrKey = generateKeyPairSync('ed25519')
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString();
  // Its own process group, so the teardown stops `next start` and any child it spawns.
  const server = spawn(
    process.execPath,
    [NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: WEB_DIR,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: nextEnv({
        MONGODB_URI: database.uri,
        JWT_SECRET: randomBytes(48).toString('base64url'),
        QR_SIGNING_KEY: qrKey,
        // Production refuses simulated payments: Stripe it is, the local stand-in.
        STRIPE_SECRET_KEY: stripe.secretKey,
        STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
        STRIPE_API_HOST: stripe.host,
        STRIPE_API_PORT: String(stripe.port),
        STRIPE_API_PROTOCOL: stripe.protocol,
        WEB_URL: url,
        // Rate limits stay in the server's memory: a shared Redis would carry them across runs.
        REDIS_URL: '',
      }),
    },
  );
  let log = '';
  const append = (chunk: Buffer) => {
    log = (log + chunk).slice(-20_000);
  };
  server.stdout?.on('data', append);
  server.stderr?.on('data', (chunk: Buffer) => {
    append(chunk);
    process.stderr.write(`[next] ${chunk}`);
  });
  const killOnExit = () => stopProcessGroup(server, 'SIGKILL');
  process.once('exit', killOnExit);

  const teardown = async () => {
    process.off('exit', killOnExit);
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      stopProcessGroup(server, 'SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    }
    stopProcessGroup(server, 'SIGKILL');
    await stopServices();
  };

  try {
    await waitUntilServing(url, server, () => log);
    control = await startStripeControl(stripe, `${url}/api/stripe/webhook`);
  } catch (error) {
    await teardown();
    throw error;
  }
  project.provide('webUrl', url);
  project.provide('organizer', organizer);
  project.provide('paidEvents', paidEvents);
  project.provide('stripeControlUrl', control.url);
  return teardown;
}
