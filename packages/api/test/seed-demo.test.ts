import { fileURLToPath } from 'node:url';
import { connectDatabase, disconnectDatabase, Event, Ticket } from '@spot/db';
import { runToExit, startTestDatabase, type TestDatabase } from '@spot/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

const SEED = fileURLToPath(new URL('../src/scripts/seed-demo.ts', import.meta.url));
const HOUR = 60 * 60 * 1000;

let database: TestDatabase;
beforeAll(async () => {
  database = await startTestDatabase('spot_seed_demo');
  await connectDatabase(database.uri);
});
afterAll(async () => {
  await disconnectDatabase();
  await database?.stop();
});

/** `pnpm dev`'s seed step against this file's database: its first line of output. */
async function seed(): Promise<string> {
  const { code, output } = await runToExit(process.execPath, ['--import', 'tsx', SEED], {
    env: { ...process.env, MONGODB_URI: database.uri },
    timeoutMs: 30_000,
  });
  expect(code, output).toBe(0);
  return output.split('\n')[0] ?? '';
}

it('the dev seed tops up a demo that time made stale: a door night to scan, upcoming events', async () => {
  expect(await seed()).toBe('Demo data: 3 accounts and 7 events added.');
  expect(await seed()).toBe('Demo data already present.');

  // Days later: the door night and one demo event are over, the door night's tickets were used.
  const past = {
    startDate: new Date(Date.now() - 30 * HOUR),
    endDate: new Date(Date.now() - 27 * HOUR),
  };
  await Event.updateMany({ title: { $in: ['Demo Door Night', 'Riverside Jazz Night'] } }, past);
  await Ticket.updateMany({}, { status: 'used' });
  expect(await seed()).toBe('Demo data: 0 accounts and 2 events added.');

  const doorNight = await Event.findOne({
    title: 'Demo Door Night',
    startDate: { $gt: new Date() },
  });
  expect(doorNight?.startDate.getTime()).toBeLessThan(Date.now() + 2 * HOUR);
  expect(await Ticket.countDocuments({ eventId: doorNight?._id, status: 'valid' })).toBe(2);
  expect(
    await Event.countDocuments({ title: 'Riverside Jazz Night', startDate: { $gt: new Date() } }),
  ).toBe(1);
});
