import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Role } from '@spot/db';
import { connectDatabase, disconnectDatabase } from '@spot/db';
import { startTestDatabase, type TestDatabase } from '@spot/testing';
import { createTRPCUntypedClient, httpLink, TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import { afterAll, beforeAll } from 'vitest';
import { handleTrpcRequest, TRPC_ENDPOINT } from '../src/http.ts';
import { type AppRouter, createAccount } from '../src/index.ts';
import { closeRedis } from '../src/lib/redis.ts';

/** Serves the real tRPC fetch handler over HTTP, the way Next.js mounts it. */
async function serve(): Promise<{ server: Server; baseUrl: string }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(name, value);
    }
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    const response = await handleTrpcRequest(
      new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body }),
    );
    res.statusCode = response.status;
    for (const [name, value] of response.headers)
      if (name !== 'set-cookie') res.setHeader(name, value);
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) res.setHeader('set-cookie', cookies);
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A browser stand-in: keeps the session cookie between calls and shows what the server set. */
export class Agent {
  cookie: string | undefined;
  lastSetCookies: string[] = [];
  readonly client;

  constructor(
    baseUrl: string,
    readonly ip = `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
  ) {
    this.client = createTRPCUntypedClient({
      links: [
        httpLink({
          url: `${baseUrl}${TRPC_ENDPOINT}`,
          transformer: superjson,
          fetch: async (url, options) => {
            const headers = new Headers(options?.headers);
            headers.set('x-forwarded-for', this.ip);
            if (this.cookie) headers.set('cookie', this.cookie);
            const response = await fetch(url, { ...options, headers } as RequestInit);
            this.lastSetCookies = response.headers.getSetCookie();
            for (const setCookie of this.lastSetCookies) {
              const [pair = ''] = setCookie.split(';');
              this.cookie = pair.endsWith('=') ? undefined : pair;
            }
            return response;
          },
        }),
      ],
    });
  }

  query(path: string, input?: unknown): Promise<unknown> {
    return this.client.query(path, input);
  }

  mutate(path: string, input?: unknown): Promise<unknown> {
    return this.client.mutation(path, input);
  }
}

export interface ApiHarness {
  baseUrl: string;
  agent(ip?: string): Agent;
  /** An account created directly (as the admin CLI would), then signed in over HTTP. */
  signedIn(role: Role, email?: string): Promise<Agent>;
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
  let server: Server;
  const harness = {
    baseUrl: '',
    agent: (ip?: string) => new Agent(harness.baseUrl, ip),
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
    ({ server, baseUrl: harness.baseUrl } = await serve());
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
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
