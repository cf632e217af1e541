import type { MongoClient } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestMongo } from './helpers/mongo.ts';

const ctx = useTestMongo('concurrency');

const CLIENTS = 5;
const PER_CLIENT = 10;
const TOTAL = CLIENTS * PER_CLIENT;

let clients: MongoClient[] = [];

beforeAll(async () => {
  clients = [];
  for (let i = 0; i < CLIENTS; i++) clients.push(await ctx.newClient());
  await ctx.db.createCollection('tokens');
  await ctx.db.collection('users').createIndex({ email: 1 }, { unique: true });
  await ctx.db.collection('upserts').createIndex({ key: 1 }, { unique: true });
});

/** 50 callers: either all through the pooled client, or 10 each through 5 separate clients. */
function callers(mode: 'pooled' | 'separate'): MongoClient[] {
  return Array.from({ length: TOTAL }, (_, i) =>
    mode === 'pooled' ? ctx.client : (clients[i % CLIENTS] as MongoClient),
  );
}

describe.each(['pooled', 'separate'] as const)('concurrency (%s clients)', (mode) => {
  it('50 concurrent findOneAndUpdate on one valid token: exactly one wins', async () => {
    const id = `token-${mode}`;
    await ctx.db.collection<any>('tokens').insertOne({ _id: id, status: 'valid' });
    const results = await Promise.all(
      callers(mode).map((c, i) =>
        c
          .db(ctx.dbName)
          .collection<any>('tokens')
          .findOneAndUpdate(
            { _id: id, status: 'valid' },
            { $set: { status: 'used', by: i } },
            { returnDocument: 'after' },
          ),
      ),
    );
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r === null)).toHaveLength(TOTAL - 1);
    const doc = await ctx.db.collection<any>('tokens').findOne({ _id: id });
    expect(doc?.status).toBe('used');
    expect(doc?.by).toBe(winners[0]?.by);
  });

  it('50 concurrent inserts of the same unique key: exactly one succeeds, the rest get 11000', async () => {
    const email = `same-${mode}@x.io`;
    const settled = await Promise.allSettled(
      callers(mode).map((c, i) => c.db(ctx.dbName).collection('users').insertOne({ email, n: i })),
    );
    const ok = settled.filter((s) => s.status === 'fulfilled');
    const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(TOTAL - 1);
    for (const f of failed) expect(f.reason?.code).toBe(11000);
    expect(await ctx.db.collection('users').countDocuments({ email })).toBe(1);
  });

  it('50 concurrent $inc on one document all apply', async () => {
    const id = `counter-${mode}`;
    await ctx.db.collection<any>('counters').insertOne({ _id: id, n: 0 });
    const res = await Promise.all(
      callers(mode).map((c) =>
        c
          .db(ctx.dbName)
          .collection<any>('counters')
          .updateOne({ _id: id }, { $inc: { n: 1 } }),
      ),
    );
    expect(res.every((r) => r.modifiedCount === 1)).toBe(true);
    expect((await ctx.db.collection<any>('counters').findOne({ _id: id }))?.n).toBe(TOTAL);
  });

  it('50 concurrent upserts on a unique key produce one document counting every call', async () => {
    const key = `k-${mode}`;
    const settled = await Promise.allSettled(
      callers(mode).map((c) =>
        c
          .db(ctx.dbName)
          .collection('upserts')
          .updateOne({ key }, { $inc: { hits: 1 } }, { upsert: true }),
      ),
    );
    expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);
    const docs = await ctx.db.collection('upserts').find({ key }).toArray();
    expect(docs).toHaveLength(1);
    expect(docs[0]?.hits).toBe(TOTAL);
  });

  it('concurrent inserts of distinct documents are all stored', async () => {
    const tag = `bulk-${mode}`;
    await Promise.all(
      callers(mode).map((c, i) =>
        c
          .db(ctx.dbName)
          .collection('bulk')
          .insertMany(Array.from({ length: 5 }, (_, j) => ({ tag, i, j }))),
      ),
    );
    expect(await ctx.db.collection('bulk').countDocuments({ tag })).toBe(TOTAL * 5);
  });
});
