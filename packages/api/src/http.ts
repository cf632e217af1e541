import { getConfig } from '@spot/config';
import { connectDatabase, defaultMongoUri } from '@spot/db';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import mongoose from 'mongoose';
import { reconcileCheckIns } from './checkin/reconciler.ts';
import { runPeriodically } from './lib/periodic.ts';
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

/** The tRPC HTTP endpoint as a fetch handler: Next.js route handlers and tests mount it as is. */
export async function handleTrpcRequest(request: Request): Promise<Response> {
  await ensureDatabase();
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req: request,
    router: appRouter,
    createContext: ({ req, resHeaders }) => createContext({ headers: req.headers, resHeaders }),
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        console.error(`tRPC ${path ?? '?'} failed:`, error.cause ?? error);
    },
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
 * Housekeeping of a long-running API server (Next.js starts it from instrumentation.ts), at
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
