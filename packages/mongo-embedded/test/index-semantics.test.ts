import { Decimal128, Double, Long } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestMongo } from './helpers/mongo.ts';

const ctx = useTestMongo('index_semantics');

/**
 * One awkward data set in three collections: no index, a regular index on `a`, and a sparse
 * index on `a`. An index never changes what a query returns, so every query must give the
 * hand-checked answer from all three.
 */
const docs = [
  { _id: 1, a: 1 },
  { _id: 2, a: new Double(1) },
  { _id: 3, a: Long.fromNumber(1) },
  { _id: 4, a: Decimal128.fromString('1') },
  { _id: 5, a: null },
  { _id: 6 },
  { _id: 7, a: [1, 5] },
  { _id: 8, a: [] },
  { _id: 9, a: 'x' },
  { _id: 10, a: 2.5 },
  { _id: 11, a: new Date(0) },
  { _id: 12, a: { sub: 1 } },
  { _id: 13, a: [null] },
  { _id: 14, a: true },
  { _id: 15, a: 'X' },
];

const variants = ['plain', 'indexed', 'sparse'] as const;
const coll = (v: (typeof variants)[number]) => ctx.db.collection<any>(`sem_${v}`);

beforeAll(async () => {
  for (const v of variants) await coll(v).insertMany(docs.map((d) => ({ ...d })));
  await coll('indexed').createIndex({ a: 1 });
  await coll('sparse').createIndex({ a: 1 }, { sparse: true });
});

const cases: Array<[string, object, number[]]> = [
  ['equality across numeric types and array elements', { a: 1 }, [1, 2, 3, 4, 7]],
  ['equality with a Long operand', { a: Long.fromNumber(1) }, [1, 2, 3, 4, 7]],
  ['null matches null, missing and arrays holding null', { a: null }, [5, 6, 13]],
  ['$in with null and a string', { a: { $in: [null, 'x'] } }, [5, 6, 9, 13]],
  ['$exists: false', { a: { $exists: false } }, [6]],
  ['$ne: null', { a: { $ne: null } }, [1, 2, 3, 4, 7, 8, 9, 10, 11, 12, 14, 15]],
  ['$nin with a number and null', { a: { $nin: [1, null] } }, [8, 9, 10, 11, 12, 14, 15]],
  ['$gt stays within numbers', { a: { $gt: 1 } }, [7, 10]],
  ['closed numeric range', { a: { $gte: 1, $lte: 2.5 } }, [1, 2, 3, 4, 7, 10]],
  ['string range is binary-ordered', { a: { $lt: 'Y' } }, [15]],
  ['date range', { a: { $gte: new Date(0) } }, [11]],
  ['empty array equality', { a: [] }, [8]],
  ['whole-array equality', { a: [1, 5] }, [7]],
  ['embedded document equality', { a: { sub: 1 } }, [12]],
  ['boolean equality', { a: true }, [14]],
  ['case-insensitive regex', { a: { $regex: '^x', $options: 'i' } }, [9, 15]],
  ['$elemMatch on scalars', { a: { $elemMatch: { $gt: 2 } } }, [7]],
  ['$type array', { a: { $type: 'array' } }, [7, 8, 13]],
];

describe.each(variants)('query semantics do not depend on indexes (%s)', (variant) => {
  it.each(cases)('%s', async (_name, filter, expected) => {
    const found = await coll(variant).find(filter).sort({ _id: 1 }).toArray();
    expect(found.map((d) => d._id)).toEqual(expected);
    expect(await coll(variant).countDocuments(filter)).toBe(expected.length);
    const viaAggregate = await coll(variant)
      .aggregate([{ $match: filter }, { $sort: { _id: 1 } }, { $project: { _id: 1 } }])
      .toArray();
    expect(viaAggregate.map((d) => d._id)).toEqual(expected);
  });

  it('ascending sort: [] < null/missing < numbers (arrays by smallest) < strings < objects < booleans < dates', async () => {
    const out = await coll(variant).find().sort({ a: 1, _id: 1 }).toArray();
    expect(out.map((d) => d._id)).toEqual([8, 5, 6, 13, 1, 2, 3, 4, 7, 10, 15, 9, 12, 14, 11]);
  });

  it('descending sort uses the largest array element', async () => {
    const out = await coll(variant).find().sort({ a: -1, _id: 1 }).toArray();
    expect(out.map((d) => d._id)).toEqual([11, 14, 12, 9, 15, 7, 10, 1, 2, 3, 4, 5, 6, 13, 8]);
  });

  it('range + sort + limit returns the first matches in order', async () => {
    const out = await coll(variant)
      .find({ a: { $gte: 1 } })
      .sort({ a: -1, _id: -1 })
      .limit(3)
      .toArray();
    expect(out.map((d) => d._id)).toEqual([7, 10, 4]);
  });
});

describe('multikey index maintenance', () => {
  it('array writes are visible through an index on the array field', async () => {
    const c = ctx.db.collection<any>('multikey');
    await c.createIndex({ tags: 1 });
    await c.createIndex({ 'items.k': 1 });
    await c.insertMany([
      { _id: 1, tags: ['a', 'b'], items: [{ k: 'x' }] },
      { _id: 2, tags: ['b'], items: [{ k: 'y' }, { k: 'z' }] },
    ]);
    const idsOf = async (f: object) =>
      (await c.find(f).sort({ _id: 1 }).toArray()).map((d) => d._id);

    await c.updateOne({ _id: 2 }, { $push: { tags: 'c' } } as any);
    expect(await idsOf({ tags: 'c' })).toEqual([2]);
    await c.updateOne({ _id: 1 }, { $pull: { tags: 'b' } } as any);
    expect(await idsOf({ tags: 'b' })).toEqual([2]);
    await c.updateOne({ _id: 1 }, { $set: { 'tags.0': 'z' } });
    expect(await idsOf({ tags: 'a' })).toEqual([]);
    expect(await idsOf({ tags: 'z' })).toEqual([1]);
    await c.updateOne({ _id: 2, 'items.k': 'y' }, { $set: { 'items.$.k': 'w' } });
    expect(await idsOf({ 'items.k': 'y' })).toEqual([]);
    expect(await idsOf({ 'items.k': 'w' })).toEqual([2]);
    await c.updateOne({ _id: 1 }, { $unset: { tags: '' } });
    expect(await idsOf({ tags: { $exists: true } })).toEqual([2]);
    expect(await idsOf({ tags: null })).toEqual([1]);
  });
});
