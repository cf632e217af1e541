import { randomBytes, randomUUID } from 'node:crypto';
import { createAccount } from '@spot/api';
import { handleTrpcRequest, TRPC_ENDPOINT } from '@spot/api/http';
import type { LiveMessage } from '@spot/api/realtime';
import { LIVE_CHANNEL } from '@spot/api/realtime';
// The API's shared Redis client (it publishes live updates and counts scans); closed after the file.
import { closeRedis, signTicketPayload } from '@spot/api/test-support';
import { connectDatabase, disconnectDatabase, Event, type Role, Ticket } from '@spot/db';
import {
  ApiAgent,
  type ServedHandler,
  serveNodeHandler,
  startTestDatabase,
  type TestDatabase,
} from '@spot/testing';
import { Redis } from 'ioredis';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Health, RealtimeServer } from '../src/server.ts';
import { startRealtimeServer } from '../src/server.ts';

export const WEB_ORIGIN = 'http://localhost:3000';
const PASSWORD = 'correct horse battery';

export interface Account {
  id: string;
  email: string;
  name: string;
  /** Signed in over HTTP: its cookie jar holds the session. */
  agent: ApiAgent;
  /** `spot_session=…`, as a browser would send it to the realtime server. */
  cookie: string;
}

export interface ConnectOptions {
  cookie?: string;
  token?: string;
  origin?: string;
}

/** A socket.io client that records every event it receives. */
export class LiveClient {
  readonly received: Array<{ event: string; data: unknown }> = [];

  constructor(readonly socket: Socket) {
    socket.onAny((event: string, data: unknown) => {
      this.received.push({ event, data });
    });
  }

  /** What arrived under `event`, in order. */
  payloads(event: string): unknown[] {
    return this.received.filter((entry) => entry.event === event).map((entry) => entry.data);
  }

  join(room: unknown): Promise<unknown> {
    return this.socket.timeout(5000).emitWithAck('join', room);
  }

  leave(room: unknown): Promise<unknown> {
    return this.socket.timeout(5000).emitWithAck('leave', room);
  }
}

const runId = randomBytes(3).toString('hex');
let accounts = 0;

export function useRealtimeStack(prefix: string) {
  let database: TestDatabase | undefined;
  let api: ServedHandler | undefined;
  const servers: RealtimeServer[] = [];
  const sockets: Socket[] = [];
  const publishers = new Map<string, Redis>();

  beforeAll(async () => {
    database = await startTestDatabase(prefix);
    await connectDatabase(database.uri);
    api = await serveNodeHandler(handleTrpcRequest);
  });

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });

  afterAll(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    await Promise.all(servers.splice(0).map((server) => server.close()));
    for (const publisher of publishers.values()) publisher.disconnect();
    await api?.close();
    await closeRedis();
    await disconnectDatabase();
    await database?.stop();
  });

  const stack = {
    apiUrl: () => `${api?.baseUrl}${TRPC_ENDPOINT}`,

    /** An account created directly (as the admin CLI would), then signed in over HTTP. */
    async account(role: Role): Promise<Account> {
      const email = `${role}${++accounts}-${runId}@example.com`;
      const name = `${role} ${accounts}`;
      const user = await createAccount({ email, password: PASSWORD, name, role });
      const agent = new ApiAgent(stack.apiUrl());
      await agent.mutate('auth.login', { email, password: PASSWORD });
      if (!agent.cookie) throw new Error('login set no session cookie');
      return { id: String(user._id), email, name, agent, cookie: agent.cookie };
    },

    /** A published event written straight to the database; its doors open 3 h before the start. */
    async event(
      organizer: Account,
      staff: Account[] = [],
      startsInMs = 7 * 24 * 3600_000,
    ): Promise<string> {
      const startDate = new Date(Date.now() + startsInMs);
      const event = await Event.create({
        title: 'Live numbers night',
        description: 'An event for the realtime tests.',
        category: 'music',
        location: { city: 'Lyon', lat: 45.764, lng: 4.8357 },
        startDate,
        endDate: new Date(startDate.getTime() + 3 * 3600_000),
        capacity: 100,
        isPublished: true,
        organizerId: organizer.id,
        staff: staff.map((member) => member.id),
      });
      return event._id.toHexString();
    },

    /** A valid ticket with its signed QR payload, as the issuance writes it. */
    async ticket(
      eventId: string,
      holder: Account,
      holderName = holder.name,
    ): Promise<{ id: string; payload: string }> {
      const ticketCode = randomUUID();
      const ticket = await Ticket.create({
        eventId,
        userId: holder.id,
        holderName,
        ticketCode,
        qrPayload: await signTicketPayload(ticketCode, eventId),
        status: 'valid',
      });
      return { id: ticket._id.toHexString(), payload: ticket.qrPayload };
    },

    async realtime(
      redisUrl = process.env.REDIS_URL,
      revalidateEveryMs?: number,
    ): Promise<RealtimeServer> {
      const server = await startRealtimeServer({
        port: 0,
        host: '127.0.0.1',
        redisUrl,
        corsOrigins: [WEB_ORIGIN],
        revalidateEveryMs,
      });
      servers.push(server);
      return server;
    },

    /** PUBLISHes a message on the live channel as the API does (or any text), to any Redis. */
    async publish(message: LiveMessage | string, redisUrl = process.env.REDIS_URL): Promise<void> {
      if (!redisUrl) throw new Error('publish needs a Redis URL');
      let publisher = publishers.get(redisUrl);
      if (!publisher) {
        publisher = new Redis(redisUrl, { retryStrategy: () => 100 });
        publisher.on('error', () => {});
        publishers.set(redisUrl, publisher);
      }
      const text = typeof message === 'string' ? message : JSON.stringify(message);
      await publisher.publish(LIVE_CHANNEL, text);
    },

    /** Connects over WebSocket; resolves once connected, rejects with the server's refusal. */
    async connect(server: RealtimeServer, options: ConnectOptions = {}): Promise<LiveClient> {
      const headers: Record<string, string> = {};
      if (options.cookie) headers.cookie = options.cookie;
      if (options.origin) headers.origin = options.origin;
      const socket = connectSocket(server.url, {
        transports: ['websocket'],
        forceNew: true,
        extraHeaders: headers,
        auth: options.token ? { token: options.token } : {},
        reconnectionDelay: 100,
        reconnectionDelayMax: 500,
      });
      sockets.push(socket);
      const client = new LiveClient(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', (error) => {
          socket.disconnect();
          reject(error);
        });
      });
      return client;
    },
  };
  return stack;
}

/** Waits until `check` holds (polling), or fails naming what was awaited. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Lets in-flight messages land, so a test can assert that nothing (more) arrived. */
export function settle(ms = 400): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function fetchHealth(server: RealtimeServer): Promise<Health> {
  const response = await fetch(`${server.url}/health`);
  return (await response.json()) as Health;
}
