import { CheckIn } from '@spot/db';
import { freePort, hasRedisServer, RedisProcess } from '@spot/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueTickets, nonce, openDoorEvent } from './checkin-fixtures.ts';
import { userIdOf } from './events-fixtures.ts';
import { type Agent, useApi } from './harness.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const redisAvailable = hasRedisServer();
const port = redisAvailable ? await freePort() : 0;
// Config is read lazily, on the first request: this file's API uses its own Redis.
if (redisAvailable) process.env.REDIS_URL = `redis://127.0.0.1:${port}`;

const api = useApi('spot_api_checkin_outage');

describe.skipIf(!redisAvailable)('check-in while Redis goes down and comes back', () => {
  let redisServer: RedisProcess;
  let observer: Redis;
  let organizer: Agent;
  let organizerId: string;

  beforeAll(async () => {
    redisServer = await RedisProcess.start(port);
    observer = new Redis(port, '127.0.0.1', { retryStrategy: () => 100 });
    observer.on('error', () => {});
    organizer = await api.signedIn('organizer');
    organizerId = await userIdOf(organizer);
  });
  afterAll(async () => {
    observer?.disconnect();
    await redisServer?.kill();
  });

  const scan = (eventId: string, payload: string) =>
    organizer.mutate('checkin.scan', { eventId, payload, nonce: nonce() }) as Promise<{
      result: string;
    }>;
  const live = (eventId: string) =>
    organizer.query('analytics.live', { eventId }) as Promise<{ checkins: number; source: string }>;

  it('answers every scan of a burst during the outage, stores every CheckIn, and rebuilds the counter', async () => {
    const eventId = await openDoorEvent(organizerId);
    const tickets = await issueTickets(eventId, Array(60).fill(organizerId));
    for (const ticket of tickets.slice(0, 10)) await scan(eventId, ticket.payload);
    expect(await live(eventId)).toMatchObject({ checkins: 10, source: 'redis' });

    // Redis dies in the middle of a burst of 50 scans, in waves of 5.
    const answers: Array<{ result: string }> = [];
    const burst = (async () => {
      const rest = tickets.slice(10);
      for (let i = 0; i < rest.length; i += 5) {
        answers.push(
          ...(await Promise.all(rest.slice(i, i + 5).map((t) => scan(eventId, t.payload)))),
        );
      }
    })();
    let burstDone = false;
    void burst.then(() => {
      burstDone = true;
    });
    await sleep(30);
    await redisServer.kill();
    expect(burstDone, 'Redis went down while scans were still coming').toBe(false);
    await burst;

    expect(answers).toHaveLength(50);
    expect(answers.every((answer) => answer.result === 'ok')).toBe(true);
    expect(await CheckIn.countDocuments({ eventId })).toBe(60);
    // The live numbers come from Mongo meanwhile.
    expect(await live(eventId)).toMatchObject({ checkins: 60, source: 'mongo' });

    // Back, empty: the API reconnects by itself and recounts the events it missed.
    await redisServer.start();
    let counter: string | null = null;
    for (let waited = 0; waited < 10_000 && counter !== '60'; waited += 100) {
      counter = await observer.get(`event:${eventId}:checkins`).catch(() => null);
      if (counter !== '60') await sleep(100);
    }
    expect(counter).toBe('60');
    expect(await live(eventId)).toMatchObject({ checkins: 60, source: 'redis' });
  });

  it('a counter lost from Redis is recounted from Mongo, not restarted at 1', async () => {
    const eventId = await openDoorEvent(organizerId);
    const [first, second, third] = await issueTickets(eventId, Array(3).fill(organizerId));
    await scan(eventId, first?.payload ?? '');
    await scan(eventId, second?.payload ?? '');
    await observer.del(`event:${eventId}:checkins`);
    await scan(eventId, third?.payload ?? '');
    expect(await observer.get(`event:${eventId}:checkins`)).toBe('3');
  });

  it("counters that drifted are recounted from Mongo on the organizer's demand", async () => {
    const eventId = await openDoorEvent(organizerId);
    const [ticket] = await issueTickets(eventId, [organizerId]);
    await scan(eventId, ticket?.payload ?? '');
    await observer.set(`event:${eventId}:checkins`, '42');
    await observer.set(`event:${eventId}:sold`, '-3');
    expect(await live(eventId)).toMatchObject({ checkins: 42 });
    expect(await organizer.mutate('analytics.rebuildCounters', { eventId })).toMatchObject({
      checkins: 1,
      sold: 1,
      source: 'redis',
    });
    expect(await observer.get(`event:${eventId}:checkins`)).toBe('1');
    expect(await observer.get(`event:${eventId}:sold`)).toBe('1');
  });
});
