import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-adapter';
import { type AccessChange, eventRoom, forgetDoor, type LiveMessage } from '@spot/api/realtime';
import { Server } from 'socket.io';
import {
  authenticate,
  type ClientEventStats,
  handleClientEvents,
  keepRevalidating,
  revalidateNow,
} from './client-events.ts';
import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from './events.ts';
import { connectLiveFeed, type RedisStatus } from './live-feed.ts';

export type LiveServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

export interface RealtimeOptions {
  /** 0 picks a free port (tests). */
  port: number;
  host?: string;
  /** Absent: live updates are off; sockets still connect and are told Redis is down. */
  redisUrl?: string;
  /** Browser origins allowed to connect (the web app, the scanner), with credentials. */
  corsOrigins: string[];
  /**
   * How often connected sockets' sessions and rooms are checked again (default 60 s): the safety
   * net behind the API's access announcements, which are lost while Redis is down.
   */
  revalidateEveryMs?: number;
}

export interface Health {
  status: 'ok';
  redis: RedisStatus;
  sockets: number;
  ignoredClientEvents: number;
}

export interface RealtimeServer {
  readonly io: LiveServer;
  readonly port: number;
  readonly url: string;
  health(): Health;
  close(): Promise<void>;
}

// Only the rooms clients can join: never a socket's own room, whatever a message names.
const LIVE_ROOM = /^(event|organizer):[^:]+$/;

/** Emits a message to this instance's sockets in its rooms. */
function relay(io: LiveServer, message: LiveMessage): void {
  const rooms = message.rooms.filter((room) => LIVE_ROOM.test(room));
  if (rooms.length === 0) return;
  // Local only: every instance relays from the channel itself, so a broadcast through the
  // adapter would reach each socket once per instance.
  const target = io.local.to(rooms);
  if (message.event === 'checkin') target.emit('checkin', message.data);
  else target.emit('sales', message.data);
}

/** Checks at once this instance's sockets whose access the change may have ended. */
function recheckAccess(io: LiveServer, change: AccessChange): void {
  const namespace = io.of('/');
  if ('userId' in change) {
    for (const socket of namespace.sockets.values()) {
      if (socket.data.user?.id === change.userId) revalidateNow(socket);
    }
    return;
  }
  // This process keeps door teams for a few seconds: the check must read the new one.
  forgetDoor(change.eventId);
  for (const id of namespace.adapter.rooms.get(eventRoom(change.eventId)) ?? []) {
    const socket = namespace.sockets.get(id);
    if (socket) revalidateNow(socket);
  }
}

export async function startRealtimeServer(options: RealtimeOptions): Promise<RealtimeServer> {
  const stats: ClientEventStats = { ignoredClientEvents: 0 };
  const http = createServer((request, response) => serveHttp(request, response));
  const allowedOrigins = new Set(options.corsOrigins);
  const io: LiveServer = new Server(http, {
    serveClient: false,
    cors: { origin: options.corsOrigins, credentials: true },
    // CORS does not cover WebSockets: refuse other sites' pages here, whatever the transport.
    allowRequest: (request, callback) => {
      const origin = request.headers.origin;
      callback(null, origin === undefined || allowedOrigins.has(origin));
    },
  });

  const feed = options.redisUrl
    ? connectLiveFeed(options.redisUrl, {
        onMessage: (message) => relay(io, message),
        onAccessChange: (change) => recheckAccess(io, change),
        onStatus: (redis) => {
          console.log(
            redis === 'up'
              ? 'realtime: Redis is up, live updates flow'
              : 'realtime: Redis is down, live updates paused',
          );
          // Each instance speaks for its own link to Redis, to its own sockets.
          io.local.emit('live-status', { redis });
        },
      })
    : undefined;
  if (feed) io.adapter(createAdapter(feed.pub, feed.sub));
  const redisStatus = (): RedisStatus => feed?.status() ?? 'down';

  io.use(authenticate);
  io.on('connection', (socket) => {
    socket.emit('live-status', { redis: redisStatus() });
    handleClientEvents(socket, stats);
    keepRevalidating(socket, options.revalidateEveryMs ?? 60_000);
  });

  const health = (): Health => ({
    status: 'ok',
    redis: redisStatus(),
    sockets: io.of('/').sockets.size,
    ignoredClientEvents: stats.ignoredClientEvents,
  });

  // Socket.io answers its own path (/socket.io/) before this handler sees a request.
  function serveHttp(request: IncomingMessage, response: ServerResponse) {
    if (request.method === 'GET' && request.url?.split('?')[0] === '/health') {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify(health()));
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('Not found\n');
  }

  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port, options.host, () => {
        http.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    // E.g. the port is taken: leave nothing running behind the error.
    await feed?.close();
    throw error;
  }
  const { port } = http.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    io,
    port,
    url: `http://${options.host ?? 'localhost'}:${port}`,
    health,
    close() {
      closing ??= (async () => {
        // Also closes the HTTP server (and with it every socket).
        await io.close();
        await feed?.close();
      })();
      return closing;
    },
  };
}
