import { describe, expect, it } from 'vitest';
import { rejectionOf, useTestMongo } from './helpers/mongo.ts';

const ctx = useTestMongo('merge_stage');

describe('$merge options', () => {
  it('keepExisting leaves matches alone; a whenMatched pipeline sees the incoming document as $$new', async () => {
    const sales = ctx.db.collection<{ _id: number; day: string; amount: number }>('sales');
    const daily = ctx.db.collection<{ _id: string; total: number }>('daily');
    await sales.insertMany([
      { _id: 1, day: 'mon', amount: 10 },
      { _id: 2, day: 'mon', amount: 5 },
      { _id: 3, day: 'tue', amount: 7 },
    ]);
    await daily.insertOne({ _id: 'mon', total: 100 });
    const byDay = { $group: { _id: '$day', total: { $sum: '$amount' } } };

    await sales
      .aggregate([byDay, { $merge: { into: 'daily', whenMatched: 'keepExisting' } }])
      .toArray();
    expect(await daily.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'mon', total: 100 },
      { _id: 'tue', total: 7 },
    ]);

    await sales
      .aggregate([
        byDay,
        {
          $merge: {
            into: 'daily',
            whenMatched: [{ $set: { total: { $add: ['$total', '$$new.total'] } } }],
          },
        },
      ])
      .toArray();
    expect(await daily.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'mon', total: 115 },
      { _id: 'tue', total: 14 },
    ]);

    const error = await rejectionOf(
      sales.aggregate([byDay, { $merge: { into: 'daily', whenMatched: 'fail' } }]).toArray(),
    );
    expect(error.code).toBe(11000);
  });
});
