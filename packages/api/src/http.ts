import type { IncomingMessage, ServerResponse } from 'node:http';
import { getConfig } from '@spot/config';
import { connectDatabase, defaultMongoUri } from '@spot/db';
import mongoose from 'mongoose';
import { reconcileCheckIns } from './checkin/reconciler.ts';
import { runPeriodically } from './lib/periodic.ts';
import { readyRedis } from './lib/redis.ts';
import { createNodeTrpcHandler } from './lib/trpc-node-handler.ts';
import { closeExpiredHolds } from './payments/issuance.ts';
import { appRouter } from './root.ts';
import { createCallerFactory, createContext } from './trpc.ts';

export const TRPC_ENDPOINT = '/api/trpc';

let connecting: Promise<unknown> | undefined;

/** Connects once per process (to MONGODB_URI, or the embedded engine `pnpm dev` runs). */
export function ensureDatabase(): Promise<unknown> {
  if (mongoose.connection.readyState === 1) return Promise.resolve();
  const config = getConfig();
  connecting ??= connectDatabase(config.MONGODB_URI ?? defaultMongoUri(config.MONGO_PORT)).catch(
    (error) => {
      connecting = undefined;
      throw error;
    },
  );
  return connecting;
}

/** Far above any input the API takes (the longest is an event's description). */
const MAX_REQUEST_BYTES = 1_000_000;

/**
 * The tRPC HTTP endpoint on node:http's request and response: apps/web's server hands it
 * `/api/trpc/*` before Next sees the request; tests and benchmarks serve it on a bare server.
 */
export const handleTrpcRequest: (req: IncomingMessage, res: ServerResponse) => Promise<void> =
  createNodeTrpcHandler({
    router: appRouter,
    endpoint: TRPC_ENDPOINT,
    // Connecting in the context: while the database is unreachable, calls fail as tRPC errors.
    createContext: async (headers) => {
      await ensureDatabase();
      return createContext({ headers, resHeaders: new Headers() });
    },
    responseHeaders: (ctx) => ctx.resHeaders,
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        console.error(`tRPC ${path ?? '?'} failed:`, error.cause ?? error);
    },
    maxBodyBytes: MAX_REQUEST_BYTES,
  });

export interface Health {
  status: 'ok' | 'unavailable';
  database: 'up' | 'down';
  /** 'off' when REDIS_URL is unset; without Redis only live updates pause. */
  redis: 'up' | 'down' | 'off';
}

/** A load balancer gives up on a check after a few seconds; the answer comes sooner. */
const DATABASE_PING_TIMEOUT_MS = 1500;

async function databaseAnswers(): Promise<boolean> {
  if (mongoose.connection.readyState !== 1) {
    // Not connected (yet): reconnecting takes longer than a check may; the next check sees it.
    ensureDatabase().catch(() => undefined);
    return false;
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), DATABASE_PING_TIMEOUT_MS);
  });
  const pinged = mongoose.connection
    .getClient()
    .db('admin')
    .command({ ping: 1 })
    .then(() => true)
    .catch(() => false);
  try {
    return await Promise.race([pinged, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * GET /api/health, for load balancers: 200 while the database answers, 503 otherwise. Redis is
 * reported, never fatal: without it the app keeps working and only live updates pause.
 */
export async function handleHealthRequest(): Promise<Response> {
  const [database, redis] = await Promise.all([databaseAnswers(), readyRedis()]);
  const health: Health = {
    status: database ? 'ok' : 'unavailable',
    database: database ? 'up' : 'down',
    redis: !getConfig().REDIS_URL ? 'off' : redis ? 'up' : 'down',
  };
  return Response.json(health, {
    status: database ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
  });
}

const createCaller = createCallerFactory(appRouter);

/**
 * The API called in process, for server-rendered pages: the same procedures, context (the
 * session cookie in `headers` decides who is calling) and errors (TRPCError) as over HTTP.
 * Cookies a procedure would set are dropped: use it for reads.
 */
export async function createServerCaller(headers: Headers) {
  await ensureDatabase();
  return createCaller(await createContext({ headers, resHeaders: new Headers() }));
}

/**
 * Housekeeping of a long-running API server (apps/web/server.ts starts it), at
 * start-up and periodically: the check-in reconciler, and closing holds nobody paid. Each run
 * connects first, so a database that is not up yet when the server starts only fails the runs
 * until it is.
 */
export function startBackgroundJobs(): void {
  const connectedFirst = (job: () => Promise<number>) => async () => {
    await ensureDatabase();
    return job();
  };
  runPeriodically(
    'Check-in reconciler (half-written check-ins undone)',
    5 * 60_000,
    connectedFirst(() => reconcileCheckIns()),
  );
  runPeriodically(
    'Expired holds closed',
    60_000,
    connectedFirst(() => closeExpiredHolds()),
  );
}
