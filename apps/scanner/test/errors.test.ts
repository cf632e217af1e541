import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTRPCClient, httpLink } from '@trpc/client';
import { initTRPC, TRPCError } from '@trpc/server';
import { createHTTPServer } from '@trpc/server/adapters/standalone';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyError, isTransient } from '../src/core/errors.ts';

/**
 * The classification is about what the real tRPC client throws: a router that fails the way the
 * API does, served over HTTP, called through httpLink with superjson like the scanner.
 */
const t = initTRPC.create({ transformer: superjson });
const router = t.router({
  fail: t.procedure
    .input((value) => value as { code: TRPCError['code']; message: string })
    .mutation(({ input }) => {
      throw new TRPCError({ code: input.code, message: input.message });
    }),
  slow: t.procedure.mutation(() => new Promise((resolve) => setTimeout(resolve, 500))),
});

let api: ReturnType<typeof createHTTPServer>;
let proxy: Server;
let apiUrl = '';
let proxyUrl = '';

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

beforeAll(async () => {
  api = createHTTPServer({ router });
  apiUrl = await listen(api as unknown as Server);
  // What Next's rewrite answers when apps/web is down: an HTML error page.
  proxy = createServer((_request, response) => {
    response.writeHead(502, { 'content-type': 'text/html' });
    response.end('<html><body>Bad gateway</body></html>');
  });
  proxyUrl = await listen(proxy);
});

afterAll(async () => {
  await new Promise((resolve) => api.close(resolve));
  await new Promise((resolve) => proxy.close(resolve));
});

function client(url: string) {
  return createTRPCClient<typeof router>({ links: [httpLink({ url, transformer: superjson })] });
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

const fail = (code: TRPCError['code'], message: string) =>
  errorOf(client(apiUrl).fail.mutate({ code, message }));

describe('what a failed API call means for the door', () => {
  it('TOO_MANY_REQUESTS: slow down, as long as the server says', async () => {
    const problem = classifyError(
      await fail('TOO_MANY_REQUESTS', 'Too many attempts. Try again in 12 seconds.'),
    );
    expect(problem).toEqual({
      kind: 'rate_limited',
      message: 'Too many attempts. Try again in 12 seconds.',
      retryAfterMs: 12_000,
    });
    expect(isTransient(problem)).toBe(true);
  });

  it('PRECONDITION_FAILED: not open yet; UNAUTHORIZED: signed out; CONFLICT: scan again', async () => {
    expect(classifyError(await fail('PRECONDITION_FAILED', 'Opens at …'))).toEqual({
      kind: 'not_open',
      message: 'Opens at …',
    });
    expect(classifyError(await fail('UNAUTHORIZED', 'Log in first.')).kind).toBe('signed_out');
    expect(classifyError(await fail('CONFLICT', 'Scan again.')).kind).toBe('changed');
  });

  it('other 4xx are refusals (not retried); 5xx are server trouble (retried)', async () => {
    for (const code of ['BAD_REQUEST', 'FORBIDDEN', 'NOT_FOUND'] as const) {
      const problem = classifyError(await fail(code, 'No.'));
      expect(problem.kind).toBe('refused');
      expect(isTransient(problem)).toBe(false);
    }
    const problem = classifyError(await fail('INTERNAL_SERVER_ERROR', 'Boom'));
    expect(problem.kind).toBe('server');
    expect(isTransient(problem)).toBe(true);
  });

  it('no answer at all is a network problem: refused connection, proxy error page, timeout', async () => {
    const closed = createServer();
    const closedUrl = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));

    const refused = await errorOf(
      client(closedUrl).fail.mutate({ code: 'BAD_REQUEST', message: '' }),
    );
    expect(classifyError(refused).kind).toBe('network');

    const gateway = await errorOf(
      client(proxyUrl).fail.mutate({ code: 'BAD_REQUEST', message: '' }),
    );
    expect(classifyError(gateway).kind).toBe('network');

    const timedOut = await errorOf(
      client(apiUrl).slow.mutate(undefined, { signal: AbortSignal.timeout(50) }),
    );
    expect(classifyError(timedOut)).toEqual({
      kind: 'network',
      message: 'No connection to the server.',
    });
  });
});
