import { describe, expect, it } from 'vitest';
import { useTestMongo, usingRealMongo } from './helpers/mongo.ts';

const ctx = useTestMongo('ttl');

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return Date.now() - started;
}

// Real MongoDB's TTL monitor runs once a minute, too slow for a test; the embedded engine sweeps every second.
describe.skipIf(usingRealMongo)('TTL indexes', () => {
  it('removes expired documents within a bounded delay and keeps the others', async () => {
    const holds = ctx.db.collection<{ _id: string; expiresAt?: unknown }>('holds');
    await holds.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    const now = Date.now();
    await holds.insertMany([
      { _id: 'expired', expiresAt: new Date(now - 1000) },
      { _id: 'soon', expiresAt: new Date(now + 800) },
      { _id: 'later', expiresAt: new Date(now + 60_000) },
      { _id: 'array', expiresAt: [new Date(now + 60_000), new Date(now - 5000)] },
      { _id: 'not-a-date', expiresAt: 'tomorrow' },
      { _id: 'missing' },
    ]);
    const ids = async () => (await holds.find().sort({ _id: 1 }).toArray()).map((doc) => doc._id);
    await waitFor(async () => !(await ids()).includes('expired'), 3000);
    await waitFor(async () => !(await ids()).includes('soon'), 3000);
    expect(await ids()).toEqual(['later', 'missing', 'not-a-date']);
  });

  it('counts expireAfterSeconds from the indexed date', async () => {
    const sessions = ctx.db.collection<{ _id: string; createdAt: Date }>('sessions');
    await sessions.createIndex({ createdAt: 1 }, { expireAfterSeconds: 1 });
    await sessions.insertOne({ _id: 'fresh', createdAt: new Date() });
    expect(await sessions.countDocuments()).toBe(1);
    const elapsed = await waitFor(async () => (await sessions.countDocuments()) === 0, 4000);
    expect(elapsed).toBeGreaterThanOrEqual(500);
  });
});
