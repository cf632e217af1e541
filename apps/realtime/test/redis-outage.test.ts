import type { LiveMessage } from '@spot/api/realtime';
import { eventRoom } from '@spot/api/realtime';
import { freePort, hasRedisServer, RedisProcess } from '@spot/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  eventually,
  fetchHealth,
  type LiveClient,
  useRealtimeStack,
} from './harness.ts';

const redisUrl = process.env.REDIS_URL;
const runnable = Boolean(redisUrl) && hasRedisServer();
if (!runnable)
  console.warn('Redis outage tests skipped: they need REDIS_URL set and redis-server on the PATH');

const stack = useRealtimeStack('spot_realtime_outage');

function salesMessage(eventId: string, sold: number): LiveMessage {
  return { rooms: [eventRoom(eventId)], event: 'sales', data: { eventId, sold } };
}

function statuses(client: LiveClient): string[] {
  return client.payloads('live-status').map((status) => (status as { redis: string }).redis);
}

describe.skipIf(!runnable)('when Redis goes away and comes back', () => {
  let organizer: Account;
  let eventId: string;
  let redis: RedisProcess | undefined;

  beforeAll(async () => {
    organizer = await stack.account('organizer');
    eventId = await stack.event(organizer);
  });

  afterEach(async () => {
    await redis?.kill();
  });

  it('keeps sockets connected, says "down" then "up", and relays again without a restart', async () => {
    redis = new RedisProcess(await freePort());
    await redis.start();
    const server = await stack.realtime(redis.url);
    await eventually(() => server.health().redis === 'up', 'Redis up');
    const client = await stack.connect(server, { cookie: organizer.cookie });
    expect(await client.join(eventRoom(eventId))).toEqual({ ok: true });
    const socketId = client.socket.id;
    await stack.publish(salesMessage(eventId, 1), redis.url);
    await eventually(() => client.payloads('sales').length === 1, 'the first update');

    await redis.kill();
    await eventually(() => statuses(client).at(-1) === 'down', 'live-status down');
    expect((await fetchHealth(server)).redis).toBe('down');
    expect(client.socket.connected).toBe(true);

    await redis.start();
    await eventually(() => statuses(client).at(-1) === 'up', 'live-status up', 15_000);
    expect(statuses(client)).toEqual(['up', 'down', 'up']);
    await stack.publish(salesMessage(eventId, 2), redis.url);
    await eventually(() => client.payloads('sales').length === 2, 'the update after the outage');
    expect(client.payloads('sales')).toEqual([
      { eventId, sold: 1 },
      { eventId, sold: 2 },
    ]);
    // The same connection all along, still in its room.
    expect(client.socket.id).toBe(socketId);
    expect((await fetchHealth(server)).redis).toBe('up');
  });

  it('starts while Redis is unreachable, accepts sockets, and begins relaying once it appears', async () => {
    redis = new RedisProcess(await freePort());
    const started = Date.now();
    const server = await stack.realtime(redis.url);
    expect(Date.now() - started).toBeLessThan(2000);
    const client = await stack.connect(server, { cookie: organizer.cookie });
    expect(await client.join(eventRoom(eventId))).toEqual({ ok: true });
    expect(statuses(client)).toEqual(['down']);
    expect((await fetchHealth(server)).redis).toBe('down');

    await redis.start();
    await eventually(() => statuses(client).at(-1) === 'up', 'live-status up', 15_000);
    await stack.publish(salesMessage(eventId, 3), redis.url);
    await eventually(() => client.payloads('sales').length === 1, 'the first update');
    // The adapter's subscriptions were waiting too: the instances see each other again.
    expect((await server.io.in(eventRoom(eventId)).fetchSockets()).length).toBe(1);
  });

  it('closes promptly while Redis is down (nothing waits on it)', async () => {
    const server = await stack.realtime(`redis://127.0.0.1:${await freePort()}`);
    await stack.connect(server, { cookie: organizer.cookie });
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
