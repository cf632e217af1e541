import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface ServedHandler {
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * A body that is whole after its first chunk (every tRPC answer) goes out in one write with its
 * length; a longer one is streamed as the handler produces it (CSV exports), at the pace the
 * client reads. A client that went away, or a body that failed half-way, ends the connection.
 */
async function sendBody(body: ReadableStream<Uint8Array>, res: ServerResponse): Promise<void> {
  const reader = body.getReader();
  try {
    const first = await reader.read();
    const second = first.done ? first : await reader.read();
    if (second.done) {
      res.end(first.value);
      return;
    }
    async function* chunks() {
      try {
        yield first.value as Uint8Array;
        yield second.value;
        for (let next = await reader.read(); !next.done; next = await reader.read()) {
          yield next.value;
        }
      } finally {
        await reader.cancel().catch(() => undefined);
      }
    }
    await pipeline(Readable.from(chunks()), res);
  } catch {
    res.destroy();
  }
}

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Serves a node:http handler over real HTTP on a free local port. */
export async function serveNodeHandler(handle: NodeHandler): Promise<ServedHandler> {
  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      console.error('The handler failed:', error);
      res.destroy();
    });
  });
  // A deep accept queue: load tests open thousands of connections at once.
  await new Promise<void>((resolve) =>
    server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve),
  );
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Serves a fetch-style handler (a Next.js route handler) over real HTTP on a free local port;
 * response bodies are streamed, not buffered.
 */
export function serveFetchHandler(
  handle: (request: Request) => Promise<Response>,
): Promise<ServedHandler> {
  return serveNodeHandler(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(name, value);
    }
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    const response = await handle(
      new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body }),
    );
    res.statusCode = response.status;
    for (const [name, value] of response.headers)
      if (name !== 'set-cookie') res.setHeader(name, value);
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) res.setHeader('set-cookie', cookies);
    if (!response.body) res.end();
    else await sendBody(response.body, res);
  });
}
