import net from 'node:net';
import type { Document } from 'bson';
import { REPLICA_SET_NAME } from './commands/handshake.ts';
import { Engine } from './engine.ts';
import { Catalog } from './storage/catalog.ts';
import { Persistence, replyWaitsForLog } from './storage/persistence.ts';
import {
  checkDeclaredLength,
  decodeMessage,
  encodeReply,
  type IncomingCommand,
  ProtocolError,
} from './wire.ts';

const DEFAULT_MAX_CONNECTIONS = 1000;
const MAX_IN_FLIGHT_PER_CONNECTION = 64;
const MAX_UNREAD_REPLY_BYTES = 64 * 1024 * 1024;
/** Bytes of incomplete frames held across all connections, so slow senders cannot exhaust memory. */
const PARTIAL_FRAME_BUDGET = 512 * 1024 * 1024;

export interface EmbeddedMongoOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /**
   * Data directory: loaded at start, and every acknowledged write is on disk before its reply.
   * Without it, data lives in memory only.
   */
  dbPath?: string;
  /** Connections beyond this are closed on arrival (default 1000). */
  maxConnections?: number;
}

export interface EmbeddedMongo {
  /** Connection string with the replica set name, so the driver enables transactions. */
  uri: string;
  host: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Reassembles length-prefixed frames from TCP chunks without re-copying the backlog on every
 * chunk, so a large message arriving in many pieces costs one copy.
 */
class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly budget: { available: number }) {}

  /** Frees this connection's share of the budget (call once the socket closes). */
  release(): void {
    this.budget.available += this.buffered;
    this.buffered = 0;
    this.chunks = [];
  }

  push(chunk: Buffer): Buffer[] {
    if (chunk.length > this.budget.available) {
      throw new ProtocolError('server-wide buffer budget exhausted');
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    this.budget.available -= chunk.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.buffered < 4) break;
      const head = this.chunks[0] && this.chunks[0].length >= 4 ? this.chunks[0] : this.collapse();
      const length = head.readInt32LE(0);
      checkDeclaredLength(length);
      if (this.buffered < length) break;
      const all = this.collapse();
      frames.push(all.subarray(0, length));
      const rest = all.subarray(length);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.budget.available += this.buffered - rest.length;
      this.buffered = rest.length;
    }
    return frames;
  }

  private collapse(): Buffer {
    const all = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    this.chunks = [all];
    return all;
  }
}

let nextConnectionId = 1;

function serve(engine: Engine, socket: net.Socket, budget: { available: number }): void {
  const connectionId = nextConnectionId++;
  const reader = new FrameReader(budget);
  // Commands on one connection run in order; the driver never pipelines on a connection.
  let queue: Promise<void> = Promise.resolve();
  let inFlight = 0;
  socket.setNoDelay(true);
  engine.connectionCount += 1;
  socket.on('close', () => {
    engine.connectionCount -= 1;
    reader.release();
  });
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    let requests: IncomingCommand[];
    try {
      requests = reader.push(chunk).map(decodeMessage);
    } catch {
      // An untrustworthy frame leaves no way to find the next one: drop the connection.
      socket.destroy();
      return;
    }
    for (const request of requests) {
      inFlight += 1;
      // A client that sends without reading its replies is not read from until it catches up.
      if (inFlight >= MAX_IN_FLIGHT_PER_CONNECTION) socket.pause();
      queue = queue
        .then(async () => {
          const reply: Document = await engine.execute(request.body, connectionId);
          // With dbPath, a write is acknowledged only once its log record is durable.
          const persistence = engine.catalog.persistence;
          if (persistence && !persistence.idle && !request.moreToCome) {
            if (replyWaitsForLog(request.body)) await persistence.flushed();
          }
          if (!request.moreToCome && !socket.destroyed) socket.write(encodeReply(request, reply));
        })
        .catch(() => {
          socket.destroy();
        })
        .finally(() => {
          inFlight -= 1;
          if (
            inFlight < MAX_IN_FLIGHT_PER_CONNECTION &&
            socket.writableLength < MAX_UNREAD_REPLY_BYTES
          ) {
            socket.resume();
          }
        });
    }
  });
  socket.on('drain', () => {
    if (inFlight < MAX_IN_FLIGHT_PER_CONNECTION) socket.resume();
  });
}

export async function startEmbeddedMongo(
  options: EmbeddedMongoOptions = {},
): Promise<EmbeddedMongo> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<net.Socket>();
  const budget = { available: PARTIAL_FRAME_BUDGET };
  let engine: Engine | undefined;
  const server = net.createServer((socket) => {
    if (!engine) return socket.destroy();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serve(engine, socket, budget);
  });
  server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;

  // The data is loaded before listening; the lock keeps other processes off the directory.
  const loaded = new Catalog();
  const persistence = options.dbPath ? Persistence.open(options.dbPath, loaded) : undefined;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (error) => {
    await persistence?.close();
    throw error;
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('embedded mongo: no TCP address');
  const port = address.port;
  engine = new Engine(`${host}:${port}`);
  if (persistence) {
    engine.catalog.adopt(loaded);
    persistence.attach(engine.catalog);
  }
  engine.ttl.start();

  return {
    uri: `mongodb://${host}:${port}/?replicaSet=${REPLICA_SET_NAME}`,
    host,
    port,
    stop: async () => {
      engine?.ttl.stop();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await persistence?.close();
    },
  };
}
