import net from 'node:net';
import { BSON } from 'bson';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedMongo, startEmbeddedMongo } from '../src/index.ts';
import { usingRealMongo } from './helpers/mongo.ts';

/**
 * Throws random and malformed frames at a dedicated engine for a bounded time while a
 * well-behaved client keeps working. The engine runs in this process: an uncaught exception or
 * unhandled rejection would fail the run.
 */
const FUZZ_MS = 4000;
const ATTACKERS = 6;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);

function random(seed: number): () => number {
  let state = seed || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

function header(length: number, opCode: number): Buffer {
  const buffer = Buffer.alloc(16);
  buffer.writeInt32LE(length, 0);
  buffer.writeInt32LE(1, 4);
  buffer.writeInt32LE(0, 8);
  buffer.writeInt32LE(opCode, 12);
  return buffer;
}

function opMsg(body: Buffer, flags = 0): Buffer {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32LE(flags, 0);
  return Buffer.concat([header(16 + 5 + body.length, 2013), prefix, body]);
}

/** A BSON document nested `depth` levels deep under key `a`, built without recursion. */
function nestedDocument(depth: number): Buffer {
  const parts: Buffer[] = [];
  for (let level = 0; level < depth; level++) {
    const size = 5 + 8 * (depth - level);
    const head = Buffer.alloc(7);
    head.writeInt32LE(size, 0);
    head.write('\u0003a\u0000', 4, 'latin1');
    parts.push(head);
  }
  parts.push(Buffer.from([5, 0, 0, 0, 0]), Buffer.alloc(depth));
  return Buffer.concat(parts);
}

function bytes(next: () => number, length: number): Buffer {
  return Buffer.from(Array.from({ length }, () => Math.floor(next() * 256)));
}

function mutate(next: () => number, frame: Buffer): Buffer {
  const copy = Buffer.from(frame);
  const flips = 1 + Math.floor(next() * 4);
  for (let i = 0; i < flips; i++) copy[Math.floor(next() * copy.length)] = Math.floor(next() * 256);
  return copy;
}

const VALID_COMMANDS = [
  { ping: 1, $db: 'admin' },
  { insert: 'fuzz', documents: [{ a: 1, b: 'x', c: [1, 2, { d: null }] }], $db: 'fuzz' },
  { find: 'fuzz', filter: { a: { $gte: 0 } }, sort: { b: 1 }, $db: 'fuzz' },
  { update: 'fuzz', updates: [{ q: { a: 1 }, u: { $inc: { a: 1 } }, multi: true }], $db: 'fuzz' },
  {
    aggregate: 'fuzz',
    pipeline: [{ $group: { _id: '$b', n: { $sum: 1 } } }],
    cursor: {},
    $db: 'fuzz',
  },
  { createIndexes: 'fuzz', indexes: [{ key: { a: 1 }, name: 'a_1' }], $db: 'fuzz' },
];

/** One hostile frame: garbage, lies about lengths, broken BSON, bombs, or a valid command with flipped bytes. */
function hostileFrame(next: () => number): Buffer {
  const valid = opMsg(
    Buffer.from(BSON.serialize(VALID_COMMANDS[Math.floor(next() * VALID_COMMANDS.length)] ?? {})),
  );
  switch (Math.floor(next() * 9)) {
    case 0:
      return bytes(next, 1 + Math.floor(next() * 300));
    case 1:
      return Buffer.concat([header(Math.floor(next() * 16), 2013), bytes(next, 20)]);
    case 2:
      return header(2 ** 30, 2013);
    case 3:
      return Buffer.concat([header(16 + 64, Math.floor(next() * 5000)), bytes(next, 64)]);
    case 4:
      return opMsg(bytes(next, 5 + Math.floor(next() * 200)));
    case 5:
      return opMsg(nestedDocument(1000 + Math.floor(next() * 20_000)));
    case 6:
      return valid.subarray(0, Math.floor(next() * valid.length));
    case 7:
      return opMsg(
        Buffer.concat([
          Buffer.from(BSON.serialize({ ping: 1, $db: 'admin' })),
          Buffer.from([1]),
          bytes(next, 12),
        ]),
      );
    default:
      return mutate(next, valid);
  }
}

/** Sends frames on one connection until the server closes it or the deadline passes. */
function attack(port: number, next: () => number, deadline: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const finish = () => {
      socket.destroy();
      resolve();
    };
    socket.on('error', finish);
    socket.on('close', finish);
    socket.on('data', () => {});
    socket.on('connect', () => {
      const send = () => {
        if (socket.destroyed) return;
        if (Date.now() > deadline || next() < 0.15) return finish();
        socket.write(hostileFrame(next), () => setTimeout(send, Math.floor(next() * 5)));
      };
      send();
    });
    setTimeout(finish, Math.max(0, deadline - Date.now()) + 500);
  });
}

describe.skipIf(usingRealMongo)(`hostile input (FUZZ_SEED=${SEED})`, () => {
  let mongo: EmbeddedMongo;
  let victim: MongoClient;

  beforeAll(async () => {
    mongo = await startEmbeddedMongo({ port: 0, maxConnections: 40 });
    victim = await MongoClient.connect(mongo.uri, {
      maxPoolSize: 4,
      serverSelectionTimeoutMS: 5000,
    });
  });

  afterAll(async () => {
    await victim?.close();
    await mongo?.stop();
  });

  it('random and malformed frames never take the server down, and other clients keep working', async () => {
    const next = random(SEED);
    const deadline = Date.now() + FUZZ_MS;
    const heapBefore = process.memoryUsage().heapUsed;
    const orders = victim.db('shop').collection<{ _id: number; total: number }>('orders');
    let served = 0;
    const steadyClient = (async () => {
      for (let i = 0; Date.now() < deadline; i++) {
        await orders.insertOne({ _id: i, total: i * 10 });
        expect((await orders.findOne({ _id: i }))?.total).toBe(i * 10);
        served += 1;
      }
    })();
    const attackers = Array.from({ length: ATTACKERS }, async () => {
      while (Date.now() < deadline) await attack(mongo.port, next, deadline);
    });
    await Promise.all([steadyClient, ...attackers]);

    expect(served).toBeGreaterThan(50);
    expect(await orders.countDocuments()).toBe(served);
    const fresh = await MongoClient.connect(mongo.uri, { serverSelectionTimeoutMS: 5000 });
    try {
      expect((await fresh.db('admin').command({ ping: 1 })).ok).toBe(1);
    } finally {
      await fresh.close();
    }
    global.gc?.();
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(256 * 1024 * 1024);
  });

  it('connections beyond the limit are refused while existing ones keep working', async () => {
    const sockets = await Promise.all(
      Array.from(
        { length: 60 },
        () =>
          new Promise<net.Socket>((resolve) => {
            const socket = net.connect(mongo.port, '127.0.0.1', () => resolve(socket));
            socket.on('error', () => resolve(socket));
          }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const open = sockets.filter((socket) => !socket.destroyed && socket.readyState === 'open');
    expect(open.length).toBeLessThanOrEqual(40);
    expect((await victim.db('admin').command({ ping: 1 })).ok).toBe(1);
    for (const socket of sockets) socket.destroy();
  });
});
