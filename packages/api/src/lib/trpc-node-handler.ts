import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type AnyProcedure,
  type AnyRouter,
  callTRPCProcedure,
  getErrorShape,
  getTRPCErrorFromUnknown,
  type ProcedureType,
  TRPCError,
  transformTRPCResponse,
} from '@trpc/server';
import { getHTTPStatusCode } from '@trpc/server/http';
import type { TRPCResponse } from '@trpc/server/rpc';

/** What a context needs of a request's headers; node's and fetch's both give it. */
interface HeaderReader {
  get(name: string): string | null;
}

interface NodeTrpcHandlerOptions<TContext> {
  router: AnyRouter;
  /** Where the router is mounted, such as `/api/trpc`. */
  endpoint: string;
  createContext(headers: HeaderReader): Promise<TContext>;
  /** The headers procedures set on the answer through the context (a login's Set-Cookie). */
  responseHeaders(ctx: TContext): Headers;
  onError(failure: { error: TRPCError; path: string | undefined }): void;
  /** A longer body is refused with 413 PAYLOAD_TOO_LARGE, and no more of it is read. */
  maxBodyBytes: number;
}

const METHOD_FOR: Record<ProcedureType, string | undefined> = {
  query: 'GET',
  mutation: 'POST',
  // Subscriptions need a streaming link, which this handler does not serve.
  subscription: undefined,
};

function nodeHeaders(headers: IncomingMessage['headers']): HeaderReader {
  return {
    get(name) {
      const value = headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/**
 * tRPC's HTTP protocol, as `httpLink` and `httpBatchLink` speak it (queries by GET with
 * `?input=`, mutations by POST with a JSON body, `?batch=1`), served on node:http's own request
 * and response. tRPC's adapters first turn each request into a WHATWG Request and each answer
 * into a Response; on Node 20 that costs a door scan about a sixth of the API's time, which the
 * check-in benchmark showed. Answers are tRPC's: the same error shapes, the same statuses (207
 * for a batch with mixed outcomes). Streaming links and subscriptions are not served: no client
 * of this API uses them.
 */
export function createNodeTrpcHandler<TContext>(options: NodeTrpcHandlerOptions<TContext>) {
  const { router, maxBodyBytes } = options;
  const config = router._def._config;
  const procedures = router._def.procedures as Record<string, AnyProcedure | undefined>;
  const prefix = `${options.endpoint}/`;

  function send(
    req: IncomingMessage,
    res: ServerResponse,
    untransformed: TRPCResponse | TRPCResponse[],
    cookies: string[],
  ) {
    // A body no call read (or read only in part) is not worth reading: the connection ends.
    if (!req.complete) res.shouldKeepAlive = false;
    res.statusCode = getHTTPStatusCode(untransformed);
    res.setHeader('content-type', 'application/json');
    res.setHeader('vary', 'trpc-accept, accept');
    if (cookies.length > 0) res.setHeader('set-cookie', cookies);
    res.end(JSON.stringify(transformTRPCResponse(config, untransformed)));
  }

  function failed(
    cause: unknown,
    call: { path: string | undefined; type: ProcedureType | 'unknown'; input: unknown },
    ctx: TContext | undefined,
  ): TRPCResponse {
    const error = getTRPCErrorFromUnknown(cause);
    options.onError({ error, path: call.path });
    return { error: getErrorShape({ config, ctx, error, ...call }) };
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.byteLength;
      if (size > maxBodyBytes) {
        throw new TRPCError({
          code: 'PAYLOAD_TOO_LARGE',
          message: `The request is larger than ${maxBodyBytes} bytes.`,
        });
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /**
   * Each call's input, deserialized: from `?input=` on GET, from the body on POST. Read when the
   * first call asks for its input, as tRPC does: a call without input never fails on another's.
   */
  async function readInputs(req: IncomingMessage, url: URL, batchSize: number | null) {
    let raw: unknown;
    if (req.method === 'GET') {
      const query = url.searchParams.get('input');
      raw = query === null ? undefined : JSON.parse(query);
    } else {
      const body = await readBody(req);
      raw = body === '' ? undefined : JSON.parse(body);
    }
    const deserialize = (value: unknown) =>
      value === undefined ? undefined : config.transformer.input.deserialize(value);
    if (batchSize === null) return [deserialize(raw)];
    if (raw !== undefined && (typeof raw !== 'object' || raw === null)) {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: '"input" needs to be an object when doing a batch call',
      });
    }
    const byIndex = (raw ?? {}) as Record<string, unknown>;
    return Array.from({ length: batchSize }, (_, index) => deserialize(byIndex[index]));
  }

  function procedurePaths(pathname: string): string {
    if (!pathname.startsWith(prefix)) return '';
    try {
      return decodeURIComponent(pathname.slice(prefix.length));
    } catch {
      throw new TRPCError({ code: 'BAD_REQUEST', message: 'The procedure path is malformed.' });
    }
  }

  /** Refuses what no call of this request could serve: other methods, bodies not in JSON. */
  function refuseRequest(req: IncomingMessage): void {
    if (req.method !== 'GET' && req.method !== 'POST') {
      throw new TRPCError({
        code: 'METHOD_NOT_SUPPORTED',
        message: `Unsupported ${req.method}-request`,
      });
    }
    const contentType = req.headers['content-type'];
    if (req.method === 'POST' && !contentType?.startsWith('application/json')) {
      throw new TRPCError({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: contentType
          ? `Unsupported content-type "${contentType}"`
          : 'Missing content-type header',
      });
    }
  }

  return async function handleNodeTrpcRequest(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    if (req.method === 'HEAD') {
      res.statusCode = 204;
      res.end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const batch = url.searchParams.get('batch') === '1';
    let paths: string[];
    try {
      refuseRequest(req);
      const joined = procedurePaths(url.pathname);
      paths = batch ? joined.split(',') : [joined];
    } catch (cause) {
      send(
        req,
        res,
        failed(cause, { path: undefined, type: 'unknown', input: undefined }, undefined),
        [],
      );
      return;
    }
    let inputs: Promise<unknown[]> | undefined;
    const inputOf = async (batchIndex: number) => {
      inputs ??= readInputs(req, url, batch ? paths.length : null).catch((cause) => {
        if (cause instanceof TRPCError) throw cause;
        // Unparsable JSON, or a transformer that could not read it: the caller's fault.
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: cause instanceof Error ? cause.message : 'Invalid input',
          cause,
        });
      });
      return (await inputs)[batchIndex];
    };

    let ctx: TContext | undefined;
    let contextError: unknown;
    try {
      ctx = await options.createContext(nodeHeaders(req.headers));
    } catch (cause) {
      contextError = cause;
    }

    const outcomes = await Promise.all(
      paths.map(async (path, batchIndex): Promise<TRPCResponse> => {
        const type = Object.hasOwn(procedures, path) ? procedures[path]?._def.type : undefined;
        try {
          if (!type) {
            throw new TRPCError({
              code: 'NOT_FOUND',
              message: `No procedure found on path "${path}"`,
            });
          }
          if (METHOD_FOR[type] !== req.method) {
            throw new TRPCError({
              code: 'METHOD_NOT_SUPPORTED',
              message: `Unsupported ${req.method}-request to ${type} procedure at path "${path}"`,
            });
          }
          if (contextError !== undefined) throw contextError;
          const data = await callTRPCProcedure({
            router,
            path,
            type,
            ctx,
            getRawInput: () => inputOf(batchIndex),
            signal: undefined,
            batchIndex,
          });
          return { result: { data } };
        } catch (cause) {
          const input = await inputs?.then((read) => read[batchIndex]).catch(() => undefined);
          return failed(cause, { path, type: type ?? 'unknown', input }, ctx);
        }
      }),
    );
    const cookies = ctx ? options.responseHeaders(ctx).getSetCookie() : [];
    send(req, res, batch ? outcomes : (outcomes[0] as TRPCResponse), cookies);
  };
}
