import { MongoClient, MongoServerError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { clientOptions, rejectionOf, useTestMongo } from './helpers/mongo.ts';

const ctx = useTestMongo('handshake');

describe('handshake and server commands', () => {
  it('hello describes a writable primary of a replica set', async () => {
    const res = await ctx.client.db('admin').command({ hello: 1 });
    expect(res.ok).toBe(1);
    expect(res.isWritablePrimary).toBe(true);
    expect(res.secondary).toBe(false);
    expect(typeof res.setName).toBe('string');
    expect(res.setName.length).toBeGreaterThan(0);
    expect(res.maxWireVersion).toBeGreaterThanOrEqual(9);
    expect(res.minWireVersion).toBeLessThanOrEqual(res.maxWireVersion);
    expect(res.maxBsonObjectSize).toBe(16 * 1024 * 1024);
    expect(res.maxMessageSizeBytes).toBe(48_000_000);
    expect(res.maxWriteBatchSize).toBe(100_000);
    expect(res.localTime).toBeInstanceOf(Date);
    expect(Math.abs(res.localTime.getTime() - Date.now())).toBeLessThan(60_000);
    expect(res.logicalSessionTimeoutMinutes).toBeGreaterThan(0);
    expect(res.hosts).toContain(res.primary);
    expect(res.primary).toBe(res.me);
  });

  it('legacy isMaster answers with ismaster: true', async () => {
    const res = await ctx.client.db('admin').command({ isMaster: 1 });
    expect(res.ok).toBe(1);
    expect(res.ismaster).toBe(true);
    expect(typeof res.setName).toBe('string');
    expect(res.maxWireVersion).toBeGreaterThanOrEqual(9);
  });

  it('the driver sees a server that supports sessions and transactions', async () => {
    const session = ctx.client.startSession();
    try {
      // A transaction can only start against a replica-set member.
      session.startTransaction();
      await ctx.db.collection('handshake_tx').insertOne({ ok: true }, { session });
      await session.commitTransaction();
    } finally {
      await session.endSession();
    }
    expect(await ctx.db.collection('handshake_tx').countDocuments({ ok: true })).toBe(1);
  });

  it('ping answers ok: 1', async () => {
    const res = await ctx.client.db('admin').command({ ping: 1 });
    expect(res.ok).toBe(1);
    const res2 = await ctx.db.command({ ping: 1 });
    expect(res2.ok).toBe(1);
  });

  it('buildInfo has a version string', async () => {
    const res = await ctx.client.db('admin').command({ buildInfo: 1 });
    expect(res.ok).toBe(1);
    expect(typeof res.version).toBe('string');
    expect(res.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Array.isArray(res.versionArray)).toBe(true);
  });

  it('getParameter returns the featureCompatibilityVersion', async () => {
    const res = await ctx.client
      .db('admin')
      .command({ getParameter: 1, featureCompatibilityVersion: 1 });
    expect(res.ok).toBe(1);
    expect(typeof res.featureCompatibilityVersion?.version).toBe('string');
    expect(res.featureCompatibilityVersion.version).toMatch(/^\d+\.\d+$/);
  });

  it('listDatabases lists a database once it holds data', async () => {
    await ctx.db.collection('present').insertOne({ x: 1 });
    const res = await ctx.client.db('admin').admin().listDatabases();
    const mine = res.databases.find((d) => d.name === ctx.dbName);
    expect(mine).toBeDefined();
    expect(typeof mine?.sizeOnDisk).toBe('number');
    expect(mine?.empty).toBe(false);
    expect(typeof res.totalSize).toBe('number');

    const names = await ctx.client.db('admin').admin().listDatabases({ nameOnly: true });
    expect(names.databases.map((d) => d.name)).toContain(ctx.dbName);
  });

  it('an unknown command fails with CommandNotFound (59) naming the command', async () => {
    const err = await rejectionOf(ctx.db.command({ notARealCommandXyz: 1 }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(59);
    expect(err.codeName).toBe('CommandNotFound');
    expect(err.message).toContain('notARealCommandXyz');
  });

  it('a client asking for zlib compression still works', async () => {
    const c = new MongoClient(ctx.uri, { ...clientOptions, compressors: ['zlib'] });
    try {
      await c.connect();
      const coll = c.db(ctx.dbName).collection('compressed');
      await coll.insertMany(Array.from({ length: 50 }, (_, i) => ({ i, pad: 'z'.repeat(500) })));
      expect(await coll.countDocuments()).toBe(50);
      expect((await coll.find().sort({ i: -1 }).limit(1).toArray())[0]?.i).toBe(49);
    } finally {
      await c.close();
    }
  });

  it('a fresh client can connect, run a command and close repeatedly', async () => {
    for (let i = 0; i < 3; i++) {
      const c = new MongoClient(ctx.uri, clientOptions);
      await c.connect();
      const res = await c.db('admin').command({ ping: 1 });
      expect(res.ok).toBe(1);
      await c.close();
    }
  });
});
