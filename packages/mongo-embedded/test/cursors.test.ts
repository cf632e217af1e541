import {
  type CommandStartedEvent,
  type CommandSucceededEvent,
  Long,
  type MongoClient,
  MongoServerError,
} from 'mongodb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rejectionOf, useTestMongo } from './helpers/mongo.ts';

const ctx = useTestMongo('cursors');
const N = 250;

let monitored: MongoClient;
let started: CommandStartedEvent[] = [];
let succeeded: CommandSucceededEvent[] = [];

const coll = () =>
  monitored.db(ctx.dbName).collection<{ _id: number; n: number; even: boolean }>('many');
const idString = (id: unknown) => Long.fromValue(id as Long).toString();
const commands = (name: string) => started.filter((e) => e.commandName === name);
const replies = (name: string) =>
  succeeded.filter((e) => e.commandName === name).map((e) => ({ reply: e.reply as any }));

beforeAll(async () => {
  const docs = Array.from({ length: N }, (_, i) => ({ _id: i, n: i, even: i % 2 === 0 }));
  await ctx.db.collection<any>('many').insertMany(docs);
  monitored = await ctx.newClient({ monitorCommands: true });
  monitored.on('commandStarted', (e) => started.push(e));
  monitored.on('commandSucceeded', (e) => succeeded.push(e));
});

beforeEach(() => {
  started = [];
  succeeded = [];
});

describe('cursors', () => {
  it('toArray returns all 250 documents, using getMore after the default first batch of 101', async () => {
    const docs = await coll().find({}).sort({ _id: 1 }).toArray();
    expect(docs).toHaveLength(N);
    expect(docs.map((d) => d._id)).toEqual(Array.from({ length: N }, (_, i) => i));
    const find = replies('find');
    expect(find).toHaveLength(1);
    expect(find[0]?.reply.cursor.firstBatch).toHaveLength(101);
    expect(commands('getMore').length).toBeGreaterThanOrEqual(1);
  });

  it('for await iterates over every document', async () => {
    const seen: number[] = [];
    for await (const doc of coll().find({}).sort({ _id: -1 })) seen.push(doc._id);
    expect(seen).toHaveLength(N);
    expect(seen[0]).toBe(N - 1);
    expect(seen[N - 1]).toBe(0);
    expect(new Set(seen).size).toBe(N);
  });

  it('a small batchSize fetches the rest with getMore batches of that size', async () => {
    const docs = await coll().find({}, { batchSize: 20 }).sort({ _id: 1 }).toArray();
    expect(docs.map((d) => d._id)).toEqual(Array.from({ length: N }, (_, i) => i));
    expect(replies('find')[0]?.reply.cursor.firstBatch).toHaveLength(20);
    const getMores = replies('getMore');
    // 230 remaining documents in batches of at most 20.
    expect(getMores.length).toBeGreaterThanOrEqual(12);
    for (const g of getMores) expect(g.reply.cursor.nextBatch.length).toBeLessThanOrEqual(20);
    const total = getMores.reduce((s, g) => s + g.reply.cursor.nextBatch.length, 0);
    expect(total).toBe(N - 20);
    // The last reply closes the cursor.
    expect(idString(getMores.at(-1)?.reply.cursor.id)).toBe('0');
  });

  it('a filtered, sorted cursor stays consistent across batches', async () => {
    const docs = await coll().find({ even: true }, { batchSize: 7 }).sort({ n: -1 }).toArray();
    expect(docs).toHaveLength(N / 2);
    expect(docs.map((d) => d.n)).toEqual(Array.from({ length: N / 2 }, (_, i) => N - 2 - 2 * i));
  });

  it('limit is honoured across batches', async () => {
    const docs = await coll().find({}, { batchSize: 30 }).sort({ _id: 1 }).limit(150).toArray();
    expect(docs).toHaveLength(150);
    expect(docs.at(-1)?._id).toBe(149);
    const skipped = await coll().find({}, { batchSize: 30 }).sort({ _id: 1 }).skip(200).toArray();
    expect(skipped.map((d) => d._id)).toEqual(Array.from({ length: 50 }, (_, i) => 200 + i));
  });

  it('next() walks the cursor and returns null once exhausted', async () => {
    const cursor = coll()
      .find({ _id: { $lt: 3 } }, { batchSize: 2 })
      .sort({ _id: 1 });
    expect((await cursor.next())?._id).toBe(0);
    expect((await cursor.next())?._id).toBe(1);
    expect(await cursor.hasNext()).toBe(true);
    expect((await cursor.next())?._id).toBe(2);
    expect(await cursor.hasNext()).toBe(false);
    expect(await cursor.next()).toBeNull();
    await cursor.close();
  });

  it('closing a cursor early kills it on the server', async () => {
    const session = monitored.startSession();
    try {
      const cursor = coll().find({}, { batchSize: 10, session }).sort({ _id: 1 });
      expect((await cursor.next())?._id).toBe(0);
      const id = cursor.id;
      expect(id).toBeDefined();
      expect(Long.fromValue(id as Long).isZero()).toBe(false);
      await cursor.close();
      expect(commands('killCursors')).toHaveLength(1);
      const err = await rejectionOf(
        monitored
          .db(ctx.dbName)
          .command({ getMore: id as Long, collection: 'many', batchSize: 10 }, { session }),
      );
      expect(err).toBeInstanceOf(MongoServerError);
      expect(err.code).toBe(43);
      expect(err.codeName).toBe('CursorNotFound');
    } finally {
      await session.endSession();
    }
  });

  it('killCursors reports the killed cursor id', async () => {
    const session = monitored.startSession();
    try {
      const db = monitored.db(ctx.dbName);
      const res = await db.command({ find: 'many', filter: {}, batchSize: 2 }, { session });
      expect(res.cursor.firstBatch).toHaveLength(2);
      const id = Long.fromValue(res.cursor.id);
      expect(id.isZero()).toBe(false);
      expect(res.cursor.ns).toBe(`${ctx.dbName}.many`);

      const more = await db.command({ getMore: id, collection: 'many', batchSize: 3 }, { session });
      expect(more.cursor.nextBatch).toHaveLength(3);
      expect(idString(more.cursor.id)).toBe(id.toString());

      const killed = await db.command({ killCursors: 'many', cursors: [id] }, { session });
      expect(killed.cursorsKilled.map(idString)).toEqual([id.toString()]);
      expect(killed.cursorsNotFound).toEqual([]);

      const err = await rejectionOf(
        db.command({ getMore: id, collection: 'many', batchSize: 3 }, { session }),
      );
      expect(err.code).toBe(43);
    } finally {
      await session.endSession();
    }
  });

  it('getMore on an unknown cursor id fails with CursorNotFound', async () => {
    const err = await rejectionOf(
      ctx.db.command({ getMore: Long.fromString('123456789012'), collection: 'many' }),
    );
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(43);
  });

  it('two open cursors can be interleaved', async () => {
    const a = coll().find({}, { batchSize: 5 }).sort({ _id: 1 });
    const b = coll().find({}, { batchSize: 5 }).sort({ _id: -1 });
    const fromA: number[] = [];
    const fromB: number[] = [];
    for (let i = 0; i < 40; i++) {
      fromA.push((await a.next())?._id as number);
      fromB.push((await b.next())?._id as number);
    }
    expect(fromA).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(fromB).toEqual(Array.from({ length: 40 }, (_, i) => N - 1 - i));
    await a.close();
    await b.close();
  });

  it('a batch never exceeds 16 MiB: big documents come back over several getMores', async () => {
    const big = monitored.db(ctx.dbName).collection<any>('big_docs');
    const pad = 'p'.repeat(1024 * 1024);
    // 40 MiB in one insert command: a single message above 16 MiB but below 48 MB.
    await big.insertMany(Array.from({ length: 40 }, (_, i) => ({ _id: i, pad })));
    started = [];
    succeeded = [];
    const docs = await big.find().sort({ _id: 1 }).toArray();
    expect(docs.map((d) => d._id)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(docs.every((d) => d.pad.length === pad.length)).toBe(true);
    const first = replies('find')[0]?.reply.cursor.firstBatch.length;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(16);
    for (const g of replies('getMore'))
      expect(g.reply.cursor.nextBatch.length).toBeLessThanOrEqual(16);
    expect(commands('getMore').length).toBeGreaterThanOrEqual(2);
  });

  it('aggregate cursors page through large results too', async () => {
    const out = await coll()
      .aggregate([{ $match: { n: { $gte: 10 } } }, { $sort: { n: 1 } }], { batchSize: 25 })
      .toArray();
    expect(out).toHaveLength(N - 10);
    expect(out[0]?._id).toBe(10);
    expect(out.at(-1)?._id).toBe(N - 1);
    expect(replies('aggregate')[0]?.reply.cursor.firstBatch).toHaveLength(25);
    expect(commands('getMore').length).toBeGreaterThanOrEqual(9);
  });
});
