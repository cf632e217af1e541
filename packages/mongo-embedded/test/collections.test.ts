import { describe, expect, it } from 'vitest';
import { useTestMongo } from './helpers/mongo.ts';

const ctx = useTestMongo('collections');

const names = async (dbName = ctx.dbName) =>
  (await ctx.client.db(dbName).listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .sort();

describe('collections', () => {
  it('createCollection makes an empty collection that listCollections shows', async () => {
    const coll = await ctx.db.createCollection('made');
    expect(coll.collectionName).toBe('made');
    expect(await names()).toContain('made');
    expect(await ctx.db.collection('made').countDocuments()).toBe(0);
    const full = await ctx.db.listCollections({ name: 'made' }).toArray();
    expect(full).toHaveLength(1);
    expect(full[0]?.name).toBe('made');
    expect(full[0]?.type).toBe('collection');
  });

  it('the first insert creates a collection implicitly', async () => {
    expect(await names()).not.toContain('implicit');
    await ctx.db.collection('implicit').insertOne({ a: 1 });
    expect(await names()).toContain('implicit');
  });

  it('listCollections filters by name and names with dots work', async () => {
    await ctx.db.collection('with.dot.name').insertOne({ a: 1 });
    await ctx.db.collection('other_one').insertOne({ a: 1 });
    const filtered = await ctx.db.listCollections({ name: 'with.dot.name' }).toArray();
    expect(filtered.map((c) => c.name)).toEqual(['with.dot.name']);
    expect(await ctx.db.collection('with.dot.name').countDocuments()).toBe(1);
    const none = await ctx.db.listCollections({ name: 'no_such' }).toArray();
    expect(none).toEqual([]);
  });

  it('drop returns true and removes the collection, its documents and indexes', async () => {
    const c = ctx.db.collection('to_drop');
    await c.insertMany([{ a: 1 }, { a: 2 }]);
    await c.createIndex({ a: 1 }, { unique: true });
    expect(await c.drop()).toBe(true);
    expect(await names()).not.toContain('to_drop');
    expect(await c.countDocuments()).toBe(0);
    // Recreated collection starts clean: the unique index is gone.
    await c.insertMany([{ a: 1 }, { a: 1 }]);
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('dropping a missing collection returns false', async () => {
    expect(await ctx.db.collection('never_existed').drop()).toBe(false);
    expect(await ctx.db.dropCollection('never_existed_either')).toBe(false);
  });

  it('databases are isolated from each other', async () => {
    const otherName = ctx.extraDbName('iso');
    const other = ctx.client.db(otherName);
    await ctx.db.collection('shared_name').insertMany([{ a: 1 }, { a: 2 }]);
    await other.collection('shared_name').insertOne({ a: 3 });
    expect(await ctx.db.collection('shared_name').countDocuments()).toBe(2);
    expect(await other.collection('shared_name').countDocuments()).toBe(1);
    expect(await names(otherName)).toEqual(['shared_name']);
  });

  it('dropDatabase removes every collection and the database from listDatabases', async () => {
    const name = ctx.extraDbName('drop');
    const db = ctx.client.db(name);
    await ctx.db.collection('keep_me').insertOne({ kept: true });
    await db.collection('a').insertOne({ x: 1 });
    await db.collection('b').insertOne({ x: 2 });
    await db.collection('b').createIndex({ x: 1 });
    let dbs = await ctx.client.db('admin').admin().listDatabases({ nameOnly: true });
    expect(dbs.databases.map((d) => d.name)).toContain(name);

    expect(await db.dropDatabase()).toBe(true);
    expect(await names(name)).toEqual([]);
    expect(await db.collection('a').countDocuments()).toBe(0);
    dbs = await ctx.client.db('admin').admin().listDatabases({ nameOnly: true });
    expect(dbs.databases.map((d) => d.name)).not.toContain(name);
    // The file's own database is untouched.
    expect(await ctx.db.collection('keep_me').countDocuments()).toBe(1);
    expect(await names()).toContain('keep_me');
  });
});
