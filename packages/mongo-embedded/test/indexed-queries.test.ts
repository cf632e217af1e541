import { describe, expect, it } from 'vitest';
import { useTestMongo } from './helpers/mongo.ts';

const ctx = useTestMongo('indexed_queries');

interface Row {
  _id: number;
  a?: number | string | null;
  b?: number;
  tags?: number[];
}

/** A deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function rows(count: number, next: () => number): Row[] {
  return Array.from({ length: count }, (_, i) => {
    const roll = next();
    const row: Row = { _id: i, b: Math.floor(next() * 5) };
    // Mostly numbers, some strings, nulls and missing values: ranges must respect type brackets.
    if (roll < 0.75) row.a = Math.floor(next() * 50);
    else if (roll < 0.85) row.a = `s${Math.floor(next() * 10)}`;
    else if (roll < 0.92) row.a = null;
    if (next() < 0.5)
      row.tags = Array.from({ length: Math.floor(next() * 4) }, () => Math.floor(next() * 20));
    return row;
  });
}

const ids = (docs: Array<{ _id: unknown }>) => docs.map((doc) => doc._id);

/**
 * The same documents live in an indexed and an unindexed collection; every query must return
 * the same documents in the same order from both, whichever way the server reads them.
 */
describe('queries on indexed fields answer exactly like a scan', () => {
  const next = random(42);
  const data = rows(600, next);
  const indexed = () => ctx.db.collection<Row>('indexed');
  const plain = () => ctx.db.collection<Row>('plain');

  it('setup', async () => {
    await indexed().insertMany(data);
    await plain().insertMany(data);
    await indexed().createIndex({ a: 1 });
    await indexed().createIndex({ b: 1, a: -1 });
    await indexed().createIndex({ tags: 1 });
  });

  const queries: Array<[string, Record<string, unknown>, Record<string, 1 | -1>]> = [
    ['range on a', { a: { $gte: 10, $lt: 20 } }, { _id: 1 }],
    ['open range on a', { a: { $gt: 45 } }, { _id: 1 }],
    ['upper-only range on a', { a: { $lte: 3 } }, { _id: 1 }],
    ['string range on a', { a: { $gte: 's3' } }, { _id: 1 }],
    ['equality prefix then range', { b: 2, a: { $gt: 20 } }, { _id: 1 }],
    ['equality prefix, sort by the next field descending', { b: 3 }, { a: -1, _id: 1 }],
    ['sort by an indexed field', {}, { a: 1, _id: 1 }],
    ['reverse sort by an indexed field', { a: { $gte: 5 } }, { a: -1, _id: -1 }],
    ['multikey equality', { tags: 7 }, { _id: 1 }],
    [
      'multikey range (different elements may satisfy each end)',
      { tags: { $gt: 5, $lt: 8 } },
      { _id: 1 },
    ],
    ['range plus an unindexed condition', { a: { $lt: 30 }, b: { $ne: 1 } }, { b: 1, _id: 1 }],
    ['$in on _id (repeated and missing ids)', { _id: { $in: [5, 77, 5, 9999, 3] } }, { _id: 1 }],
    [
      '$in on _id with another condition',
      { _id: { $in: [1, 2, 3, 4, 5, 6] }, b: { $gt: 1 } },
      { _id: 1 },
    ],
    [
      '$in on an indexed field, numbers and strings',
      { a: { $in: [3, 's2', 41, 3.0] } },
      { _id: 1 },
    ],
    ['equality prefix then $in', { b: 2, a: { $in: [10, 20, 30, 40] } }, { a: -1, _id: 1 }],
    ['$in on a multikey field', { tags: { $in: [1, 7] } }, { _id: 1 }],
    ['$in with null also matches missing values', { a: { $in: [null, 4] } }, { _id: 1 }],
  ];

  for (const [name, filter, sort] of queries) {
    it(name, async () => {
      const fromIndex = await indexed().find(filter).sort(sort).toArray();
      const fromScan = await plain().find(filter).sort(sort).toArray();
      expect(fromIndex.length).toBeGreaterThan(0);
      expect(ids(fromIndex)).toEqual(ids(fromScan));
    });
  }

  it('sort by an indexed field with skip and limit pages through the same order', async () => {
    const pages = [];
    for (let page = 0; page < 4; page++) {
      pages.push(
        ...(await indexed()
          .find({ a: { $gte: 0 } })
          .sort({ a: 1, _id: 1 })
          .skip(page * 25)
          .limit(25)
          .toArray()),
      );
    }
    const whole = await plain()
      .find({ a: { $gte: 0 } })
      .sort({ a: 1, _id: 1 })
      .limit(100)
      .toArray();
    expect(ids(pages)).toEqual(ids(whole));
  });

  it('writes keep the index in step: updated, deleted and inserted documents', async () => {
    // `a` mixes types on purpose; these writes only touch its numeric values.
    type NumericRow = Omit<Row, 'a'> & { a?: number };
    for (const collection of [
      ctx.db.collection<NumericRow>('indexed'),
      ctx.db.collection<NumericRow>('plain'),
    ]) {
      await collection.updateMany({ a: { $gte: 40 } }, { $inc: { a: -40 } });
      await collection.deleteMany({ b: 4, a: { $lt: 10 } });
      await collection.insertOne({ _id: 10_000, a: 15, b: 2, tags: [7] });
    }
    for (const [, filter, sort] of queries) {
      expect(ids(await indexed().find(filter).sort(sort).toArray())).toEqual(
        ids(await plain().find(filter).sort(sort).toArray()),
      );
    }
  });

  it('$set and $unset keep the indexes they touch and the ones they leave in step', async () => {
    // `a` is in two indexes, `b` in one of them, `tags` in another: each write below changes
    // some of a document's indexed values and keeps the others.
    for (const collection of [ctx.db.collection<Row>('indexed'), ctx.db.collection<Row>('plain')]) {
      await collection.updateMany({ b: 1 }, { $set: { a: 33, note: 'moved' } });
      await collection.updateMany({ b: 2, a: { $lt: 20 } }, { $unset: { a: '' } });
      await collection.updateMany({ a: 7 }, { $set: { tags: [7, 8] } });
      await collection.updateMany({ b: 0 }, { $set: { b: 0 } });
    }
    expect(await indexed().countDocuments({ note: 'moved' })).toBeGreaterThan(0);
    for (const [, filter, sort] of queries) {
      expect(ids(await indexed().find(filter).sort(sort).toArray())).toEqual(
        ids(await plain().find(filter).sort(sort).toArray()),
      );
    }
  });

  it('a transaction sees its own writes through an indexed query, others do not', async () => {
    const session = ctx.client.startSession();
    try {
      session.startTransaction();
      await indexed().insertOne({ _id: 20_000, a: 25, b: 0 }, { session });
      await indexed().updateOne({ _id: 0 }, { $set: { a: 26 } }, { session });
      const inside = await indexed()
        .find({ a: { $gte: 25, $lte: 26 } }, { session })
        .sort({ a: 1, _id: 1 })
        .toArray();
      expect(ids(inside)).toContain(20_000);
      expect(ids(inside)).toContain(0);
      const outside = await indexed()
        .find({ a: { $gte: 25, $lte: 26 } })
        .toArray();
      expect(ids(outside)).not.toContain(20_000);
    } finally {
      await session.abortTransaction();
      await session.endSession();
    }
  });
});

/** Unique sort keys make the expected order exact, so an index walk that stops early or skips shows. */
describe('sorts and limits served by an index', () => {
  const next = random(7);
  const events = Array.from({ length: 400 }, (_, i) => ({
    _id: i,
    city: ['paris', 'lyon', 'nice'][i % 3] as string,
    startsAt: new Date(Date.UTC(2030, 0, 1) + Math.floor(next() * 1e9) * 1000 + i),
  }));
  const collection = () => ctx.db.collection<(typeof events)[number]>('events');
  const expected = (city: string, from: Date, direction: 1 | -1) =>
    events
      .filter((event) => event.city === city && event.startsAt >= from)
      .sort((x, y) => (x.startsAt.getTime() - y.startsAt.getTime()) * direction)
      .map((event) => event._id);

  it('setup', async () => {
    await collection().insertMany(events);
    await collection().createIndex({ city: 1, startsAt: 1 });
  });

  it('equality prefix + range + sort + limit, ascending and descending', async () => {
    const from = new Date(Date.UTC(2030, 3, 1));
    for (const direction of [1, -1] as const) {
      const all = expected('lyon', from, direction);
      expect(all.length).toBeGreaterThan(30);
      const page = await collection()
        .find({ city: 'lyon', startsAt: { $gte: from } })
        .sort({ startsAt: direction })
        .skip(5)
        .limit(20)
        .toArray();
      expect(ids(page)).toEqual(all.slice(5, 25));
    }
  });

  it('an inclusive bound keeps the document sitting exactly on it; an exclusive one drops it', async () => {
    const pivot = events[10] as (typeof events)[number];
    const inclusive = await collection()
      .find({ city: pivot.city, startsAt: { $gte: pivot.startsAt } })
      .sort({ startsAt: 1 })
      .limit(1)
      .toArray();
    expect(ids(inclusive)).toEqual([pivot._id]);
    const exclusive = await collection()
      .find({ city: pivot.city, startsAt: { $gt: pivot.startsAt } })
      .sort({ startsAt: 1 })
      .limit(1)
      .toArray();
    expect(ids(exclusive)).not.toContain(pivot._id);
    const upTo = await collection()
      .find({ city: pivot.city, startsAt: { $lte: pivot.startsAt } })
      .sort({ startsAt: -1 })
      .limit(1)
      .toArray();
    expect(ids(upTo)).toEqual([pivot._id]);
  });

  it('findOneAndUpdate with a sort takes the first document in index order', async () => {
    const first = expected('nice', new Date(0), 1)[0];
    const taken = await collection().findOneAndUpdate(
      { city: 'nice' },
      { $set: { taken: true } },
      { sort: { startsAt: 1 } },
    );
    expect(taken?._id).toBe(first);
  });
});
