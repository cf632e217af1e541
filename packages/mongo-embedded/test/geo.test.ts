import { beforeAll, describe, expect, it } from 'vitest';
import { useTestMongo } from './helpers/mongo.ts';

const ctx = useTestMongo('geo');

const places = () => ctx.db.collection<any>('places');
const center = [2.3522, 48.8566]; // Paris, Hôtel de Ville area

beforeAll(async () => {
  await places().createIndex({ loc: '2dsphere' });
  await places().insertMany([
    { _id: 'lyon', loc: { type: 'Point', coordinates: [4.8357, 45.764] } },
    { _id: 'versailles', loc: { type: 'Point', coordinates: [2.1204, 48.8049] } },
    { _id: 'center', loc: { type: 'Point', coordinates: center } },
    { _id: 'eiffel', loc: { type: 'Point', coordinates: [2.2945, 48.8584] } },
  ]);
});

describe('2dsphere queries', () => {
  it('$near returns points within $maxDistance, nearest first', async () => {
    const out = await places()
      .find({
        loc: {
          $near: { $geometry: { type: 'Point', coordinates: center }, $maxDistance: 20_000 },
        },
      })
      .toArray();
    expect(out.map((d) => d._id)).toEqual(['center', 'eiffel', 'versailles']);
  });

  it('$geoWithin $centerSphere selects points inside a radius', async () => {
    const tenKmInRadians = 10 / 6378.1;
    const out = await places()
      .find({ loc: { $geoWithin: { $centerSphere: [center, tenKmInRadians] } } })
      .toArray();
    expect(out.map((d) => d._id).sort()).toEqual(['center', 'eiffel']);
  });

  it('$geoWithin a polygon', async () => {
    const box = {
      type: 'Polygon',
      coordinates: [
        [
          [2.0, 48.7],
          [2.5, 48.7],
          [2.5, 49.0],
          [2.0, 49.0],
          [2.0, 48.7],
        ],
      ],
    };
    const out = await places()
      .find({ loc: { $geoWithin: { $geometry: box } } })
      .toArray();
    expect(out.map((d) => d._id).sort()).toEqual(['center', 'eiffel', 'versailles']);
  });

  it('$geoNear adds the distance in meters', async () => {
    const out = await places()
      .aggregate([
        {
          $geoNear: {
            near: { type: 'Point', coordinates: center },
            distanceField: 'dist',
            spherical: true,
          },
        },
        { $project: { dist: 1 } },
      ])
      .toArray();
    expect(out.map((d) => d._id)).toEqual(['center', 'eiffel', 'versailles', 'lyon']);
    expect(out[0]?.dist).toBe(0);
    expect(out[1]?.dist).toBeGreaterThan(4_000);
    expect(out[1]?.dist).toBeLessThan(4_500);
    expect(out[3]?.dist).toBeGreaterThan(380_000);
    expect(out[3]?.dist).toBeLessThan(400_000);
  });
});
