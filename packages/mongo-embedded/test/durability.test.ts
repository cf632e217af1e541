import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Binary,
  Decimal128,
  type Document,
  Double,
  Int32,
  Long,
  MongoClient,
  MongoServerError,
  ObjectId,
} from 'mongodb';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { type EmbeddedMongo, startEmbeddedMongo } from '../src/index.ts';
import { clientOptions } from './helpers/mongo.ts';

/** Documents with any `_id` (the driver's default schema expects ObjectId in filters). */
type Loose = any;

const CLI = fileURLToPath(new URL('../bin/spot-mongo.mjs', import.meta.url));
const dirs: string[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spot-durability-'));
  dirs.push(dir);
  return dir;
}

interface Running {
  mongo: EmbeddedMongo;
  client: MongoClient;
  stop(): Promise<void>;
}

async function open(dbPath: string, port = 0): Promise<Running> {
  const mongo = await startEmbeddedMongo({ port, dbPath });
  const client = await MongoClient.connect(mongo.uri, clientOptions);
  return {
    mongo,
    client,
    stop: async () => {
      await client.close();
      await mongo.stop();
    },
  };
}

function logFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => name.startsWith('log-'));
}

/** Starts the CLI with --dbpath in a child process; resolves with its URI once it listens. */
async function startChild(
  dbPath: string,
  env: Record<string, string> = {},
): Promise<{ uri: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [CLI, '--port', '0', '--dbpath', dbPath], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  // Keep reading stdout for the child's whole life (leaving a for-await loop would close it).
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /connect with (\S+)/.exec(output);
      if (match?.[1]) resolve({ uri: match[1], child });
    });
    child.once('exit', () => reject(new Error(`engine exited before listening: ${output}`)));
  });
}

const ACKNOWLEDGED_BEFORE_KILL = 200;

afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.SPOT_MONGO_COMPACT_BYTES;
});

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!!process.env.MONGODB_URI)('durability with dbPath (embedded engine only)', () => {
  it('keeps documents, types, collections, indexes and transactions across a restart', async () => {
    const dir = tempDir();
    const id = new ObjectId();
    const when = new Date('2024-05-06T07:08:09.010Z');
    let running = await open(dir);
    {
      const db = running.client.db('app');
      const users = db.collection<Loose>('users');
      await users.createIndex({ email: 1 }, { unique: true });
      await users.createIndex({ city: 1, age: -1 }, { name: 'city_age' });
      await users.createIndex({ temp: 1 });
      await users.dropIndex('temp_1');
      await users.insertOne({
        _id: id,
        email: 'a@x.io',
        int: 5,
        long: Long.fromString('9007199254740993'),
        smallLong: Long.fromNumber(7),
        integralDouble: new Double(5),
        double: 1.5,
        negativeZero: new Double(-0),
        infinity: Number.POSITIVE_INFINITY,
        bigDouble: 2 ** 60,
        decimal: Decimal128.fromString('1234.5678901234567890'),
        when,
        bin: new Binary(Buffer.from([1, 2, 3]), 0),
        nested: { list: [1, new Double(2), 'three'] },
      });
      await users.insertMany([
        { _id: 2, email: 'b@x.io', counter: 1 },
        { _id: 3, email: 'c@x.io' },
      ]);
      await users.updateOne({ _id: 2 }, { $inc: { counter: 41 } });
      await users.deleteOne({ _id: 3 });
      await db.createCollection('validated', { validator: { name: { $type: 'string' } } });
      await db.collection<Loose>('gone').insertOne({ x: 1 });
      await db.collection<Loose>('gone').drop();
      await running.client.db('otherdb').collection<Loose>('c').insertOne({ x: 1 });
      await running.client.db('otherdb').dropDatabase();
      await users
        .aggregate([
          { $match: { email: 'a@x.io' } },
          { $project: { email: 1 } },
          { $out: 'emails' },
        ])
        .toArray();
      await users
        .aggregate([{ $match: { _id: 2 } }, { $project: { email: 1 } }, { $merge: 'merged' }])
        .toArray();

      const session = running.client.startSession();
      await session.withTransaction(async () => {
        await db.collection<Loose>('orders').insertOne({ _id: 'committed-1' }, { session });
        await db.collection<Loose>('orders').insertOne({ _id: 'committed-2' }, { session });
      });
      session.startTransaction();
      await db.collection<Loose>('orders').insertOne({ _id: 'aborted' }, { session });
      await session.abortTransaction();
      await session.endSession();
    }
    await running.stop();

    const warn = vi.spyOn(console, 'warn');
    running = await open(dir);
    try {
      expect(warn).not.toHaveBeenCalled();
      const db = running.client.db('app');
      const users = db.collection<Loose>('users');
      const doc = (await users.findOne({ _id: id }, { promoteValues: false })) as Document;
      expect(doc.int).toBeInstanceOf(Int32);
      expect(doc.int.value).toBe(5);
      expect(doc.long).toBeInstanceOf(Long);
      expect(doc.long.toString()).toBe('9007199254740993');
      expect(doc.smallLong).toBeInstanceOf(Long);
      expect(doc.integralDouble).toBeInstanceOf(Double);
      expect(doc.integralDouble.value).toBe(5);
      expect(doc.double).toBeInstanceOf(Double);
      expect(doc.double.value).toBe(1.5);
      expect(Object.is(doc.negativeZero.value, -0)).toBe(true);
      expect(doc.infinity.value).toBe(Number.POSITIVE_INFINITY);
      expect(doc.bigDouble).toBeInstanceOf(Double);
      expect(doc.bigDouble.value).toBe(2 ** 60);
      expect(doc.decimal).toBeInstanceOf(Decimal128);
      expect(doc.decimal.toString()).toBe('1234.5678901234567890');
      expect(doc._id).toEqual(id);
      expect(doc.when).toEqual(when);
      expect(doc.bin).toBeInstanceOf(Binary);
      expect(Buffer.from(doc.bin.buffer)).toEqual(Buffer.from([1, 2, 3]));
      expect(doc.nested.list[1]).toBeInstanceOf(Double);
      expect(Object.keys(doc)[0]).toBe('_id');

      expect(await users.find({}, { projection: { _id: 1, counter: 1 } }).toArray()).toEqual([
        { _id: id },
        { _id: 2, counter: 42 },
      ]);
      const indexes = await users.listIndexes().toArray();
      expect(indexes.map((index) => index.name)).toEqual(['_id_', 'email_1', 'city_age']);
      expect(indexes[1]).toMatchObject({ key: { email: 1 }, unique: true });
      const duplicate = await users.insertOne({ email: 'a@x.io' }).catch((error) => error);
      expect(duplicate).toBeInstanceOf(MongoServerError);
      expect(duplicate.code).toBe(11000);

      const collections = await db.listCollections().toArray();
      expect(collections.map((c) => c.name).sort()).toEqual([
        'emails',
        'merged',
        'orders',
        'users',
        'validated',
      ]);
      expect((collections.find((c) => c.name === 'validated') as Document).options).toEqual({
        validator: { name: { $type: 'string' } },
      });
      const { databases } = await running.client.db('admin').admin().listDatabases();
      expect(databases.map((d) => d.name)).not.toContain('otherdb');
      expect(await db.collection<Loose>('emails').find().toArray()).toEqual([
        { _id: id, email: 'a@x.io' },
      ]);
      expect(await db.collection<Loose>('merged').find().toArray()).toEqual([
        { _id: 2, email: 'b@x.io' },
      ]);
      expect(await db.collection<Loose>('orders').find().sort({ _id: 1 }).toArray()).toEqual([
        { _id: 'committed-1' },
        { _id: 'committed-2' },
      ]);
      // Transactions after the restart do not conflict with the loaded documents.
      const session = running.client.startSession();
      await session.withTransaction(
        async () => {
          await users.updateOne({ _id: 2 }, { $inc: { counter: 1 } }, { session });
        },
        { maxCommitTimeMS: 1000 },
      );
      await session.endSession();
      expect(await users.findOne({ _id: 2 })).toMatchObject({ counter: 43 });
    } finally {
      await running.stop();
    }
  });

  it('keeps every acknowledged write when the process is killed', async () => {
    const dir = tempDir();
    // A low threshold, so that a compaction also happens among the concurrent writes.
    const { uri, child } = await startChild(dir, { SPOT_MONGO_COMPACT_BYTES: '5000' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // The directory is locked by the live child.
    await expect(startEmbeddedMongo({ port: 0, dbPath: dir })).rejects.toThrow(
      new RegExp(`in use by process ${child.pid}`),
    );
    // Short timeouts: after the kill, closing these clients must not wait on a dead server, and
    // an insert whose answer never comes (once seen under a loaded full run) fails instead of
    // hanging the test.
    const clients = await Promise.all(
      Array.from({ length: 4 }, () =>
        MongoClient.connect(uri, {
          ...clientOptions,
          retryWrites: false,
          serverSelectionTimeoutMS: 500,
          connectTimeoutMS: 500,
          socketTimeoutMS: 5000,
        }),
      ),
    );
    // Four writers; the child dies the moment the ACKNOWLEDGED_BEFORE_KILL-th acknowledgement
    // arrives, with the other writers' inserts still in flight.
    const acknowledged: number[] = [];
    let next = 0;
    let killed = false;
    await Promise.all(
      clients.map(async (client) => {
        const items = client.db('crash').collection<Loose>('items');
        while (!killed) {
          const n = next++;
          try {
            await items.insertOne({ _id: n, payload: 'x'.repeat(50) });
          } catch (error) {
            if (killed) return;
            throw error;
          }
          acknowledged.push(n);
          if (acknowledged.length === ACKNOWLEDGED_BEFORE_KILL) {
            killed = true;
            child.kill('SIGKILL');
          }
        }
      }),
    );
    await exited;

    // The engine comes back at the same address, and only then do the writers' clients close:
    // with nothing answering there, the driver's close could wait for the server indefinitely
    // (seen in loaded runs).
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const running = await open(dir, Number(new URL(uri).port));
    await Promise.all(clients.map((client) => client.close(true)));
    try {
      expect(warn.mock.calls.some(([message]) => /stale lock/.test(String(message)))).toBe(true);
      const ids = (await running.client
        .db('crash')
        .collection<Loose>('items')
        .distinct('_id')) as unknown as number[];
      expect(acknowledged.length).toBeGreaterThanOrEqual(ACKNOWLEDGED_BEFORE_KILL);
      const stored = new Set(ids);
      expect(acknowledged.filter((n) => !stored.has(n))).toEqual([]);
      // At most the writes in flight at the kill are there without an acknowledgement.
      expect(ids.length - acknowledged.length).toBeLessThanOrEqual(3);
      expect(fs.readdirSync(dir).some((name) => name.startsWith('snapshot-'))).toBe(true);
    } finally {
      await running.stop();
    }
  });

  it('drops a torn or corrupt tail with a warning and keeps everything before it', async () => {
    const dir = tempDir();
    let running = await open(dir);
    const items = () => running.client.db('torn').collection<Loose>('items');
    await items().insertMany(Array.from({ length: 100 }, (_, i) => ({ _id: i })));
    await running.stop();

    const [log] = logFiles(dir);
    const file = path.join(dir, log as string);
    const content = fs.readFileSync(file);
    // A half-written record: its header promises 1000 bytes, 32 made it to the disk.
    const end = content.length;
    const torn = Buffer.alloc(40, 0xab);
    torn.writeUInt32LE(1000, 0);
    fs.appendFileSync(file, torn);

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    running = await open(dir);
    try {
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toMatch(
        new RegExp(`${log}: a record cut short at offset ${end}; dropping the last 40 bytes`),
      );
      expect(await items().countDocuments()).toBe(100);
      await items().deleteMany({});
      await items().insertOne({ _id: 'after' });
    } finally {
      await running.stop();
    }

    // Garbage appended to a clean log is dropped too; the writes after the first repair stay.
    fs.appendFileSync(path.join(dir, logFiles(dir)[0] as string), Buffer.from('not a record'));
    warn.mockClear();
    running = await open(dir);
    try {
      expect(warn).toHaveBeenCalledTimes(1);
      expect(await items().find().toArray()).toEqual([{ _id: 'after' }]);
    } finally {
      await running.stop();
    }
  });

  it('compacts the log into a snapshot and restarts from snapshot plus log', async () => {
    process.env.SPOT_MONGO_COMPACT_BYTES = String(64 * 1024);
    const dir = tempDir();
    let running = await open(dir);
    const items = () => running.client.db('compact').collection<Loose>('items');
    await items().createIndex({ n: 1 }, { unique: true });
    for (let round = 0; round < 6; round++) {
      // Two concurrent batches: records queued during a compaction are covered by its snapshot.
      await Promise.all(
        [0, 100].map((start) =>
          items().insertMany(
            Array.from({ length: 100 }, (_, i) => ({
              n: round * 200 + start + i,
              text: 'y'.repeat(100),
            })),
          ),
        ),
      );
      await items().updateMany({ n: { $lt: 100 } }, { $inc: { touched: 1 } });
    }
    await items().deleteMany({ n: { $gte: 1100 } });
    const before = await items().find().toArray();
    await running.stop();

    const files = fs.readdirSync(dir).sort();
    const snapshots = files.filter((name) => name.startsWith('snapshot-'));
    expect(snapshots).toHaveLength(1);
    expect(logFiles(dir)).toEqual([snapshots[0]?.replace('snapshot-', 'log-')]);
    expect(snapshots[0]).not.toBe('snapshot-00000000.bson');

    // Leftovers of an interrupted compaction: an older log and a temp file must be ignored.
    const other = tempDir();
    const ghost = await open(other);
    await ghost.client.db('compact').collection<Loose>('items').insertOne({ n: -1 });
    await ghost.stop();
    fs.copyFileSync(path.join(other, 'log-00000000.bson'), path.join(dir, 'log-00000000.bson'));
    fs.writeFileSync(path.join(dir, 'snapshot-99999999.bson.tmp'), 'partial');

    running = await open(dir);
    try {
      expect(await items().find().toArray()).toEqual(before);
      expect(before).toHaveLength(1100);
      expect(before.find((doc) => doc.n === 0)).toMatchObject({ touched: 6 });
      const duplicate = await items()
        .insertOne({ n: 5 })
        .catch((error) => error);
      expect(duplicate.code).toBe(11000);
      expect(fs.readdirSync(dir).sort()).toEqual([...files, 'mongod.lock'].sort());
    } finally {
      await running.stop();
    }
  });

  it('refuses a data directory locked by a live process and takes over a stale lock', async () => {
    const dir = tempDir();
    const first = await open(dir);
    try {
      await expect(startEmbeddedMongo({ port: 0, dbPath: dir })).rejects.toThrow(
        /is in use by process \d+ \(lock file .*mongod\.lock\)/,
      );
    } finally {
      await first.stop();
    }
    expect(fs.existsSync(path.join(dir, 'mongod.lock'))).toBe(false);

    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    fs.writeFileSync(path.join(dir, 'mongod.lock'), `${dead}\n`);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const second = await open(dir);
    await second.stop();
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/stale lock/);

    // A live pid whose start time differs from the recorded one is a recycled pid (Linux).
    if (fs.existsSync('/proc/self/stat')) {
      fs.writeFileSync(path.join(dir, 'mongod.lock'), `${process.pid} 1\n`);
      const third = await open(dir);
      await third.stop();
      expect(String(warn.mock.calls[1]?.[0])).toMatch(/stale lock/);
    }
  });

  it('corrupt snapshot is a clear error', async () => {
    process.env.SPOT_MONGO_COMPACT_BYTES = String(16 * 1024);
    const dir = tempDir();
    const running = await open(dir);
    await running.client
      .db('s')
      .collection<Loose>('c')
      .insertMany(Array.from({ length: 400 }, (_, i) => ({ i, text: 'z'.repeat(100) })));
    await running.stop();
    const snapshot = fs.readdirSync(dir).find((name) => name.startsWith('snapshot-')) as string;
    const file = path.join(dir, snapshot);
    const content = fs.readFileSync(file);
    content[20] = (content[20] ?? 0) ^ 0xff;
    fs.writeFileSync(file, content);
    await expect(startEmbeddedMongo({ port: 0, dbPath: dir })).rejects.toThrow(
      /snapshot .* is corrupt \(a checksum mismatch at offset 0\)/,
    );
    expect(fs.existsSync(path.join(dir, 'mongod.lock'))).toBe(false);
  });
});
