/**
 * The API's HTTP endpoint speaks tRPC's protocol itself (lib/trpc-node-handler.ts). Every request
 * here goes to it and to tRPC's own fetch adapter serving the same router, and both must answer
 * alike: status, body and content type.
 */
import { type ServedHandler, serveFetchHandler, serveNodeHandler } from '@spot/testing';
import { type AnyRouter, initTRPC } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPC_ENDPOINT } from '../src/http.ts';
import { appRouter } from '../src/index.ts';
import { createNodeTrpcHandler } from '../src/lib/trpc-node-handler.ts';
import { createContext } from '../src/trpc.ts';
import { useApi } from './harness.ts';

const api = useApi('spot_http_protocol');

interface Answer {
  status: number;
  contentType: string | null;
  body: unknown;
}

async function answerOf(baseUrl: string, path: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(`${baseUrl}${TRPC_ENDPOINT}/${path}`, {
    ...init,
    headers: { 'x-forwarded-for': '10.77.0.1', ...init.headers },
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: text ? JSON.parse(text) : null,
  };
}

/** tRPC's own adapter serving `router`, for comparison. */
function serveOfficial(
  router: AnyRouter,
  context: (headers: Headers, resHeaders: Headers) => Promise<unknown>,
) {
  return serveFetchHandler((req) =>
    fetchRequestHandler({
      endpoint: TRPC_ENDPOINT,
      req,
      router,
      createContext: ({ req: request, resHeaders }) => context(request.headers, resHeaders),
    }),
  );
}

const input = (value: unknown) => encodeURIComponent(JSON.stringify(superjson.serialize(value)));
const batchInput = (...values: unknown[]) =>
  encodeURIComponent(
    JSON.stringify(Object.fromEntries(values.map((v, i) => [i, superjson.serialize(v)]))),
  );
const postJson = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('the API answers as tRPC\u2019s own adapter does', () => {
  let official: ServedHandler;
  beforeAll(async () => {
    official = await serveOfficial(appRouter, (headers, resHeaders) =>
      createContext({ headers, resHeaders }),
    );
  });
  afterAll(() => official.close());

  const cases: Array<[string, string, RequestInit?]> = [
    ['a query', `explore.list?input=${input({})}`],
    ['a query without input', 'auth.me'],
    ['a batch of queries', `explore.list,auth.me?batch=1&input=${batchInput({}, undefined)}`],
    [
      'a batch where one call is refused (207)',
      `explore.list,events.mine?batch=1&input=${batchInput({}, {})}`,
    ],
    ['a query with invalid input (zod errors)', `explore.get?input=${input({ id: 'nope' })}`],
    ['a query that needs a session', `events.mine?input=${input({})}`],
    ['a mutation sent as GET', 'auth.logout'],
    ['a query sent as POST', 'explore.list', postJson(superjson.serialize({}))],
    ['an unknown procedure', 'nothing.here'],
    ['a batch with an unknown procedure', `auth.me,nothing.here?batch=1&input=${batchInput()}`],
    [
      'a mutation with invalid input',
      'auth.register',
      postJson(superjson.serialize({ email: 'not an email', password: 'x', name: '' })),
    ],
    [
      'a batch of mutations',
      'auth.register,auth.login?batch=1',
      postJson({
        0: superjson.serialize({ email: 'nope' }),
        1: superjson.serialize({ email: 'nope', password: '' }),
      }),
    ],
    ['a batch whose input is not an object', 'auth.me?batch=1&input=3'],
    ['a HEAD request', 'auth.me', { method: 'HEAD' }],
    ['an input that is not JSON', 'explore.list?input=%7Bnope'],
    ['a body that is not JSON', 'auth.login', { ...postJson({}), body: '{"json": {' }],
  ];

  it.each(cases)('%s', async (_name, path, init) => {
    const ours = await answerOf(api.baseUrl, path, init);
    const theirs = await answerOf(official.baseUrl, path, init);
    expect(ours).toEqual(theirs);
    if (init?.method !== 'HEAD') expect(ours.contentType).toBe('application/json');
  });

  it('fails every call of a request whose context failed, as tRPC does', async () => {
    const t = initTRPC.create({ transformer: superjson, isDev: false });
    const router = t.router({ ping: t.procedure.query(() => 'pong') });
    const failing = async () => {
      throw new Error('the database is unreachable');
    };
    const oursServed = await serveNodeHandler(
      createNodeTrpcHandler({
        router,
        endpoint: TRPC_ENDPOINT,
        createContext: failing,
        responseHeaders: () => new Headers(),
        onError: () => undefined,
        maxBodyBytes: 1000,
      }),
    );
    const theirsServed = await serveOfficial(router, failing);
    try {
      for (const path of ['ping', `ping,ping?batch=1&input=${batchInput()}`]) {
        const ours = await answerOf(oursServed.baseUrl, path);
        expect(ours.status).toBe(500);
        expect(ours).toEqual(await answerOf(theirsServed.baseUrl, path));
      }
    } finally {
      await oursServed.close();
      await theirsServed.close();
    }
  });
});

describe('requests tRPC\u2019s clients never send get a clear error', () => {
  const codeOf = (answer: Answer) =>
    (answer.body as { error: { json: { data: { code: string }; message: string } } }).error.json;

  it('a body that is not declared JSON: 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const answer = await answerOf(api.baseUrl, 'auth.login', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(answer.status).toBe(415);
    expect(codeOf(answer).data.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('a procedure path that does not decode: 400 BAD_REQUEST', async () => {
    const answer = await answerOf(api.baseUrl, 'auth.me%E0%A4%A');
    expect(answer.status).toBe(400);
    expect(codeOf(answer)).toMatchObject({
      message: 'The procedure path is malformed.',
      data: { code: 'BAD_REQUEST' },
    });
  });

  it('another method: 405 METHOD_NOT_SUPPORTED', async () => {
    const answer = await answerOf(api.baseUrl, 'auth.login', { method: 'PUT' });
    expect(answer.status).toBe(405);
    expect(codeOf(answer).data.code).toBe('METHOD_NOT_SUPPORTED');
  });
});
