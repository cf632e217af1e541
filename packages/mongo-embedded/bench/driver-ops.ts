/**
 * Prints one JSON line of ops/s for single-document operations through the official driver on a
 * 1,000-document collection, plus lookups by a uniquely indexed field on 1k and 100k documents
 * (an index makes them cost about the same). The engine runs in its own process, as it does under `pnpm dev`;
 * with MONGODB_URI set, the same operations run against that server instead.
 * `persistentInsertOne` is insertOne against a second engine process with `--dbpath` (each
 * write durable on disk before its acknowledgement); it is left out with MONGODB_URI.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Collection, MongoClient, ObjectId } from 'mongodb';

const COLLECTION_SIZE = 1_000;
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3_000);
const CONCURRENCY = 4;

async function startEngineProcess(
  dbPath?: string,
): Promise<{ uri: string; stop: () => Promise<void> }> {
  const cli = fileURLToPath(new URL('../bin/spot-mongo.mjs', import.meta.url));
  const args = [cli, '--port', '0', ...(dbPath ? ['--dbpath', dbPath] : [])];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  for await (const chunk of child.stdout) {
    output += chunk;
    const match = /connect with (\S+)/.exec(output);
    if (match?.[1]) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      return {
        uri: match[1],
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      };
    }
  }
  throw new Error(`engine exited before listening: ${output}`);
}

/** Runs `operation` from CONCURRENCY callers for DURATION_MS and returns completed ops per second. */
async function measure(operation: (i: number) => Promise<unknown>): Promise<number> {
  let completed = 0;
  const started = performance.now();
  const deadline = started + DURATION_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        await operation(completed);
        completed += 1;
      }
    }),
  );
  return Math.round(completed / ((performance.now() - started) / 1000));
}

async function seed(collection: Collection): Promise<ObjectId[]> {
  const ids = Array.from({ length: COLLECTION_SIZE }, () => new ObjectId());
  await collection.insertMany(ids.map((_id, i) => ({ _id, n: i, name: `doc ${i}`, counter: 0 })));
  return ids;
}

const engine = process.env.MONGODB_URI ? undefined : await startEngineProcess();
const client = await MongoClient.connect(process.env.MONGODB_URI ?? (engine?.uri as string));
const db = client.db(`spot_bench_${process.pid}`);
try {
  const inserts = db.collection('inserts');
  await seed(inserts);
  const reads = db.collection('reads');
  const ids = await seed(reads);
  const pick = (i: number) => ids[(i * 7919) % ids.length] as ObjectId;

  // Warm up connections and JIT before timing.
  await measure((i) => reads.findOne({ _id: pick(i) }));

  const insertOne = await measure((i) => inserts.insertOne({ n: i, name: `new ${i}`, counter: 0 }));
  const findOneById = await measure((i) => reads.findOne({ _id: pick(i) }));
  const findOneAndUpdate = await measure((i) =>
    reads.findOneAndUpdate({ _id: pick(i) }, { $inc: { counter: 1 } }, { returnDocument: 'after' }),
  );
  const findByIndexedField1k = await measureIndexedLookup(db.collection('indexed1k'), 1_000);
  const findByIndexedField100k = await measureIndexedLookup(db.collection('indexed100k'), 100_000);
  const persistentInsertOne = engine ? await measurePersistentInsertOne() : undefined;
  console.log(
    JSON.stringify({
      insertOne,
      findOneById,
      findOneAndUpdate,
      findByIndexedField1k,
      findByIndexedField100k,
      persistentInsertOne,
    }),
  );
} finally {
  await db.dropDatabase();
  await client.close();
  await engine?.stop();
}

/** findOne by a random existing value of a unique indexed field, on `size` documents. */
async function measureIndexedLookup(collection: Collection, size: number): Promise<number> {
  await collection.createIndex({ code: 1 }, { unique: true });
  const codes = Array.from({ length: size }, () => crypto.randomUUID());
  for (let start = 0; start < size; start += 10_000) {
    await collection.insertMany(
      codes.slice(start, start + 10_000).map((code, i) => ({ code, n: start + i })),
    );
  }
  return measure((i) => collection.findOne({ code: codes[(i * 7919) % size] }));
}

/** insertOne from CONCURRENCY callers against an engine that keeps its data under a temp dbPath. */
async function measurePersistentInsertOne(): Promise<number> {
  const dbPath = fs.mkdtempSync(path.join(os.tmpdir(), 'spot-bench-'));
  const persistent = await startEngineProcess(dbPath);
  const persistentClient = await MongoClient.connect(persistent.uri);
  try {
    const collection = persistentClient.db('spot_bench').collection('inserts');
    await measure((i) => collection.findOne({ n: i })); // warm up connections
    return await measure((i) => collection.insertOne({ n: i, name: `new ${i}`, counter: 0 }));
  } finally {
    await persistentClient.close();
    await persistent.stop();
    fs.rmSync(dbPath, { recursive: true, force: true });
  }
}
