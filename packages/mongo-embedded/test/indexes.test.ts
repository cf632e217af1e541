import { type Collection, Double, Int32, MongoBulkWriteError, MongoServerError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { rejectionOf, useTestMongo } from './helpers/mongo.ts';

const ctx = useTestMongo('indexes');

let counter = 0;
function fresh(): Collection<any> {
  counter += 1;
  return ctx.db.collection<any>(`idx_${counter}`);
}

function expectDup(err: Record<string, any>, keyPattern: object, keyValue: object) {
  expect(err).toBeInstanceOf(MongoServerError);
  expect(err.code).toBe(11000);
  expect(err.message).toMatch(/E11000 duplicate key/);
  expect(err.keyPattern).toEqual(keyPattern);
  expect(err.keyValue).toEqual(keyValue);
}

describe('index management', () => {
  it('createIndex returns generated names and listIndexes shows key, name and unique', async () => {
    const c = fresh();
    await c.insertOne({ a: 1, b: 1 });
    expect(await c.createIndex({ a: 1 })).toBe('a_1');
    expect(await c.createIndex({ a: 1, b: -1 }, { unique: true })).toBe('a_1_b_-1');
    expect(await c.createIndex({ 'sub.field': 1 }, { name: 'custom_name' })).toBe('custom_name');

    const list = await c.listIndexes().toArray();
    expect(list.map((i) => i.name).sort()).toEqual(['_id_', 'a_1', 'a_1_b_-1', 'custom_name']);
    const byName = Object.fromEntries(list.map((i) => [i.name, i]));
    expect(byName._id_?.key).toEqual({ _id: 1 });
    expect(byName._id_?.unique).toBeUndefined();
    expect(byName.a_1?.key).toEqual({ a: 1 });
    expect(byName.a_1?.unique).toBeUndefined();
    expect(byName['a_1_b_-1']?.key).toEqual({ a: 1, b: -1 });
    expect(Object.keys(byName['a_1_b_-1']?.key)).toEqual(['a', 'b']);
    expect(byName['a_1_b_-1']?.unique).toBe(true);
    expect(byName.custom_name?.key).toEqual({ 'sub.field': 1 });
    for (const i of list) expect(i.v).toBe(2);

    expect(await c.indexExists('a_1')).toBe(true);
    expect(await c.indexExists('zzz_1')).toBe(false);
  });

  it('createIndex on a missing collection creates it', async () => {
    const c = fresh();
    await c.createIndex({ k: 1 });
    const names = (await ctx.db.listCollections({}, { nameOnly: true }).toArray()).map(
      (x) => x.name,
    );
    expect(names).toContain(c.collectionName);
  });

  it('creating the same index twice is a no-op', async () => {
    const c = fresh();
    expect(await c.createIndex({ a: 1 })).toBe('a_1');
    expect(await c.createIndex({ a: 1 })).toBe('a_1');
    expect((await c.listIndexes().toArray()).filter((i) => i.name === 'a_1')).toHaveLength(1);
  });

  it('createIndexes creates several at once', async () => {
    const c = fresh();
    const names = await c.createIndexes([
      { key: { x: 1 } },
      { key: { y: -1 }, name: 'y_desc' },
      { key: { z: 1 }, unique: true },
    ]);
    expect(names).toEqual(['x_1', 'y_desc', 'z_1']);
    const list = await c.listIndexes().toArray();
    expect(list.map((i) => i.name).sort()).toEqual(['_id_', 'x_1', 'y_desc', 'z_1']);
    expect(list.find((i) => i.name === 'z_1')?.unique).toBe(true);
  });

  it('dropIndex by name or key, dropIndexes drops all but _id_', async () => {
    const c = fresh();
    await c.createIndexes([{ key: { a: 1 } }, { key: { b: 1 } }, { key: { c: 1 } }]);
    await c.dropIndex('a_1');
    expect((await c.listIndexes().toArray()).map((i) => i.name).sort()).toEqual([
      '_id_',
      'b_1',
      'c_1',
    ]);
    await c.dropIndex({ b: 1 } as any);
    expect((await c.listIndexes().toArray()).map((i) => i.name).sort()).toEqual(['_id_', 'c_1']);
    await c.createIndex({ d: 1 });
    await c.dropIndexes();
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('dropIndex of a missing index fails with IndexNotFound (27)', async () => {
    const c = fresh();
    await c.insertOne({ a: 1 });
    const err = await rejectionOf(c.dropIndex('nope_1'));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(27);
  });

  it('the _id_ index cannot be dropped', async () => {
    const c = fresh();
    await c.insertOne({ a: 1 });
    const err = await rejectionOf(c.dropIndex('_id_'));
    expect(err).toBeInstanceOf(MongoServerError);
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('listIndexes on a missing collection fails with NamespaceNotFound (26)', async () => {
    const err = await rejectionOf(ctx.db.collection('idx_never_created').listIndexes().toArray());
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(26);
  });

  it('an invalid index type is rejected', async () => {
    const c = fresh();
    const err = await rejectionOf(c.createIndex({ a: 'bogus' as any }));
    expect(err).toBeInstanceOf(MongoServerError);
  });

  it('hint accepts an existing index and rejects an unknown one with BadValue (2)', async () => {
    const c = fresh();
    await c.insertMany([{ a: 2 }, { a: 1 }]);
    await c.createIndex({ a: 1 });
    const hinted = await c.find({}).hint({ a: 1 }).sort({ a: 1 }).toArray();
    expect(hinted.map((d) => d.a)).toEqual([1, 2]);
    expect((await c.find({}).hint('a_1').toArray()).length).toBe(2);
    const err = await rejectionOf(c.find({}).hint({ zzz: 1 }).toArray());
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(2);
  });

  it('accepts and lists 2dsphere and TTL indexes', async () => {
    const c = fresh();
    expect(await c.createIndex({ loc: '2dsphere' })).toBe('loc_2dsphere');
    expect(await c.createIndex({ createdAt: 1 }, { expireAfterSeconds: 3600 })).toBe('createdAt_1');
    const list = await c.listIndexes().toArray();
    expect(list.find((i) => i.name === 'loc_2dsphere')?.key).toEqual({ loc: '2dsphere' });
    const ttl = list.find((i) => i.name === 'createdAt_1');
    expect(ttl?.key).toEqual({ createdAt: 1 });
    expect(ttl?.expireAfterSeconds).toBe(3600);
    await c.insertOne({
      loc: { type: 'Point', coordinates: [2.35, 48.85] },
      createdAt: new Date(),
    });
    expect(await c.countDocuments()).toBe(1);
  });
});

describe('unique indexes', () => {
  it('rejects a duplicate insert with 11000, keyPattern and keyValue', async () => {
    const c = fresh();
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertOne({ email: 'a@x.io' });
    const err = await rejectionOf(c.insertOne({ email: 'a@x.io', other: 1 }));
    expectDup(err, { email: 1 }, { email: 'a@x.io' });
    expect(err.message).toContain('email_1');
    expect(await c.countDocuments()).toBe(1);
  });

  it('reports index-violating documents per index in insertMany', async () => {
    const c = fresh();
    await c.createIndex({ email: 1 }, { unique: true });
    const err = await rejectionOf(
      c.insertMany([{ email: 'p' }, { email: 'q' }, { email: 'p' }, { email: 'r' }], {
        ordered: false,
      }),
    );
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    expect(err.writeErrors).toHaveLength(1);
    expect(err.writeErrors[0].index).toBe(2);
    expect(err.writeErrors[0].code).toBe(11000);
    expect(err.writeErrors[0].errmsg).toMatch(/E11000 duplicate key/);
    expect(err.writeErrors[0].errmsg).toContain('email_1');
    expect(err.insertedCount).toBe(3);
  });

  it('numerically equal values of different types collide', async () => {
    const c = fresh();
    await c.createIndex({ n: 1 }, { unique: true });
    await c.insertOne({ n: new Int32(1) });
    const err = await rejectionOf(c.insertOne({ n: new Double(1) }));
    expect(err.code).toBe(11000);
  });

  it('enforces compound unique keys only on the full combination', async () => {
    const c = fresh();
    await c.createIndex({ org: 1, user: 1 }, { unique: true });
    await c.insertMany([
      { org: 'o1', user: 'u1' },
      { org: 'o1', user: 'u2' },
      { org: 'o2', user: 'u1' },
    ]);
    const err = await rejectionOf(c.insertOne({ org: 'o1', user: 'u2' }));
    expectDup(err, { org: 1, user: 1 }, { org: 'o1', user: 'u2' });
    expect(await c.countDocuments()).toBe(3);
  });

  it('unique on a nested field', async () => {
    const c = fresh();
    await c.createIndex({ 'profile.handle': 1 }, { unique: true });
    await c.insertOne({ profile: { handle: 'h' } });
    const err = await rejectionOf(c.insertOne({ profile: { handle: 'h', x: 1 } }));
    expectDup(err, { 'profile.handle': 1 }, { 'profile.handle': 'h' });
  });

  it('unique on an array field rejects documents sharing an element', async () => {
    const c = fresh();
    await c.createIndex({ tags: 1 }, { unique: true });
    await c.insertOne({ tags: ['x', 'y'] });
    await c.insertOne({ tags: ['z', 'z'] });
    const err = await rejectionOf(c.insertOne({ tags: ['y', 'w'] }));
    expect(err.code).toBe(11000);
    expect(await c.countDocuments()).toBe(2);
  });

  it('an updateOne that would create a duplicate fails and leaves the document unchanged', async () => {
    const c = fresh();
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertMany([
      { _id: 1, email: 'a' },
      { _id: 2, email: 'b' },
    ]);
    const err = await rejectionOf(c.updateOne({ _id: 2 }, { $set: { email: 'a' } }));
    expectDup(err, { email: 1 }, { email: 'a' });
    expect(await c.findOne({ _id: 2 })).toEqual({ _id: 2, email: 'b' });
    const err2 = await rejectionOf(c.replaceOne({ _id: 2 }, { email: 'a' }));
    expect(err2.code).toBe(11000);
  });

  it('updateMany stops at the document that would collide', async () => {
    const c = fresh();
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertMany([
      { _id: 1, email: 'p' },
      { _id: 2, email: 'q' },
    ]);
    const err = await rejectionOf(c.updateMany({}, { $set: { email: 'same' } }));
    expect(err.code).toBe(11000);
    expect(await c.countDocuments({ email: 'same' })).toBe(1);
  });

  it('an upsert that would create a duplicate fails with 11000', async () => {
    const c = fresh();
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertOne({ k: 1, email: 'a' });
    const err = await rejectionOf(
      c.updateOne({ k: 2 }, { $set: { email: 'a' } }, { upsert: true }),
    );
    expectDup(err, { email: 1 }, { email: 'a' });
    expect(await c.countDocuments()).toBe(1);
  });

  it('without sparse, two documents missing the field collide on null', async () => {
    const c = fresh();
    await c.createIndex({ nick: 1 }, { unique: true });
    await c.insertOne({ a: 1 });
    const err = await rejectionOf(c.insertOne({ a: 2 }));
    expectDup(err, { nick: 1 }, { nick: null });
  });

  it('a sparse unique index allows many documents missing the field, but not duplicates', async () => {
    const c = fresh();
    await c.createIndex({ nick: 1 }, { unique: true, sparse: true });
    await c.insertMany([{ a: 1 }, { a: 2 }, { a: 3 }]);
    await c.insertOne({ nick: 'n' });
    const err = await rejectionOf(c.insertOne({ nick: 'n' }));
    expect(err.code).toBe(11000);
    // null is an indexed value even for a sparse index
    await c.insertOne({ nick: null });
    const errNull = await rejectionOf(c.insertOne({ nick: null }));
    expect(errNull.code).toBe(11000);
    expect(await c.countDocuments()).toBe(5);
    const list = await c.listIndexes().toArray();
    expect(list.find((i) => i.name === 'nick_1')).toMatchObject({ unique: true, sparse: true });
  });

  it('a partial unique index only constrains documents matching the filter', async () => {
    const c = fresh();
    await c.createIndex({ email: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await c.insertMany([
      { email: 'x', active: false },
      { email: 'x', active: false },
      { email: 'x' },
      { email: 'x', active: true },
    ]);
    const err = await rejectionOf(c.insertOne({ email: 'x', active: true }));
    expectDup(err, { email: 1 }, { email: 'x' });
    // Moving a document into the filter is checked too.
    const errUpd = await rejectionOf(
      c.updateOne({ email: 'x', active: false }, { $set: { active: true } }),
    );
    expect(errUpd.code).toBe(11000);
    const list = await c.listIndexes().toArray();
    expect(list.find((i) => i.name === 'email_1')?.partialFilterExpression).toEqual({
      active: true,
    });
    expect(await c.countDocuments()).toBe(4);
  });

  it('a partial index with $exists lets documents without the field coexist', async () => {
    const c = fresh();
    await c.createIndex(
      { phone: 1 },
      { unique: true, partialFilterExpression: { phone: { $exists: true } } },
    );
    await c.insertMany([{ a: 1 }, { a: 2 }, { phone: '1' }]);
    const err = await rejectionOf(c.insertOne({ phone: '1' }));
    expect(err.code).toBe(11000);
  });

  it('building a unique index over existing duplicates fails and leaves no index', async () => {
    const c = fresh();
    await c.insertMany([{ u: 1 }, { u: 2 }, { u: 1 }]);
    const err = await rejectionOf(c.createIndex({ u: 1 }, { unique: true }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(11000);
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
    await c.insertOne({ u: 2 });
    expect(await c.countDocuments({ u: 2 })).toBe(2);
  });

  it('dropping a unique index lifts the constraint', async () => {
    const c = fresh();
    await c.createIndex({ u: 1 }, { unique: true });
    await c.insertOne({ u: 1 });
    expect((await rejectionOf(c.insertOne({ u: 1 }))).code).toBe(11000);
    await c.dropIndex('u_1');
    await c.insertOne({ u: 1 });
    expect(await c.countDocuments({ u: 1 })).toBe(2);
  });

  it('deleting a document frees its unique key', async () => {
    const c = fresh();
    await c.createIndex({ u: 1 }, { unique: true });
    await c.insertOne({ u: 'k' });
    await c.deleteOne({ u: 'k' });
    await c.insertOne({ u: 'k' });
    await c.updateOne({ u: 'k' }, { $set: { u: 'k2' } });
    await c.insertOne({ u: 'k' });
    expect(await c.countDocuments()).toBe(2);
  });

  it('an index with the same name but a different spec is rejected', async () => {
    const c = fresh();
    await c.createIndex({ a: 1 });
    const err = await rejectionOf(c.createIndex({ a: 1 }, { unique: true }));
    expect(err).toBeInstanceOf(MongoServerError);
    const list = await c.listIndexes().toArray();
    expect(list.find((i) => i.name === 'a_1')?.unique).toBeUndefined();
  });
});
