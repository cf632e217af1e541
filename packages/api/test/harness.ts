import { randomBytes } from 'node:crypto';
import type { Role } from '@spot/db';
import { connectDatabase, disconnectDatabase } from '@spot/db';
import {
  ApiAgent,
  type ServedHandler,
  serveNodeHandler,
  startTestDatabase,
  type TestDatabase,
} from '@spot/testing';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll } from 'vitest';
import { handleTrpcRequest, TRPC_ENDPOINT } from '../src/http.ts';
import { type AppRouter, createAccount } from '../src/index.ts';
import { closeRedis } from '../src/lib/redis.ts';

/** A browser stand-in over HTTP (see ApiAgent in @spot/testing). */
export { ApiAgent as Agent };

export interface ApiHarness {
  baseUrl: string;
  agent(ip?: string): ApiAgent;
  /** An account created directly (as the admin CLI would), then signed in over HTTP. */
  signedIn(role: Role, email?: string): Promise<ApiAgent>;
}

let accounts = 0;

/**
 * Rate-limit counters outlive a test run when Redis is shared, so every email a test uses is
 * unique to the run.
 */
const runId = randomBytes(3).toString('hex');
export function uniqueEmail(name: string): string {
  return `${name}-${runId}@example.com`;
}

export function useApi(prefix: string): ApiHarness {
  let database: TestDatabase;
  let served: ServedHandler | undefined;
  const harness = {
    baseUrl: '',
    agent: (ip?: string) => new ApiAgent(`${harness.baseUrl}${TRPC_ENDPOINT}`, ip),
    async signedIn(role: Role, email = uniqueEmail(`${role}${++accounts}`)) {
      const password = 'correct horse battery';
      await createAccount({ email, password, name: `${role} ${accounts}`, role });
      const agent = harness.agent();
      await agent.mutate('auth.login', { email, password });
      return agent;
    },
  };
  beforeAll(async () => {
    database = await startTestDatabase(prefix);
    await connectDatabase(database.uri);
    // The real tRPC endpoint over HTTP, as apps/web mounts it.
    served = await serveNodeHandler(handleTrpcRequest);
    harness.baseUrl = served.baseUrl;
  });
  afterAll(async () => {
    await served?.close();
    await closeRedis();
    await disconnectDatabase();
    await database?.stop();
  });
  return harness;
}

/** The tRPC error code a call failed with (e.g. 'UNAUTHORIZED'), or 'OK' if it succeeded. */
export async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
  } catch (error) {
    if (error instanceof TRPCClientError) return String(error.data?.code);
    throw error;
  }
}

export async function failure(call: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCClientError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
