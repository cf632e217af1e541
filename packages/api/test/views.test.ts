import { AnalyticsEvent } from '@spot/db';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, userIdOf } from './events-fixtures.ts';
import { type Agent, useApi } from './harness.ts';
import { expectRecorded } from './views-fixtures.ts';

const api = useApi('spot_api_views');
const redisUrl = process.env.REDIS_URL;

describe.skipIf(!redisUrl)('event page views with Redis', () => {
  let redis: Redis;
  let organizer: Agent;

  beforeAll(async () => {
    redis = new Redis(redisUrl as string);
    organizer = await api.signedIn('organizer');
  });
  afterAll(() => redis.disconnect());

  async function publishedEvent(): Promise<string> {
    const id = await createEvent(organizer);
    await organizer.mutate('events.publish', { id });
    return id;
  }

  const viewsCounter = async (id: string) => Number(await redis.get(`event:${id}:views`));

  it('N views by distinct viewers: N view documents, and the Redis counter agrees', async () => {
    const id = await publishedEvent();
    const signedIn = [await api.signedIn('user'), await api.signedIn('user')];
    const anonymous = Array.from({ length: 5 }, (_, index) => api.agent(`192.0.2.${index + 1}`));
    for (const viewer of [...signedIn, ...anonymous]) await viewer.query('explore.get', { id });
    await expectRecorded(id, 'view', 7);
    expect(await viewsCounter(id)).toBe(7);
    const userIds = (await AnalyticsEvent.find({ eventId: id, type: 'view' }).lean())
      .map((view) => (view.userId ? String(view.userId) : null))
      .filter((userId) => userId !== null)
      .sort();
    expect(userIds).toEqual((await Promise.all(signedIn.map(userIdOf))).sort());
  });

  it('repeated views by one viewer within the window count once', async () => {
    const id = await publishedEvent();
    const visitor = api.agent('192.0.2.50');
    const user = await api.signedIn('user');
    for (let i = 0; i < 4; i++) {
      await visitor.query('explore.get', { id });
      await user.query('explore.get', { id });
    }
    // Same account from another address: still the same viewer.
    const sameUserElsewhere = api.agent('198.51.100.7');
    sameUserElsewhere.cookie = user.cookie;
    await sameUserElsewhere.query('explore.get', { id });
    await expectRecorded(id, 'view', 2);
    expect(await viewsCounter(id)).toBe(2);
    expect(await redis.ttl(`analytics:view:${id}:u:${await userIdOf(user)}`)).toBeGreaterThan(
      29 * 60,
    );
  });

  it('the organizer previewing their own page is not counted', async () => {
    const id = await publishedEvent();
    await organizer.query('explore.get', { id });
    await expectRecorded(id, 'view', 0);
    expect(await viewsCounter(id)).toBe(0);
  });

  it('asking for the ticket options records a click (once per viewer), not a view', async () => {
    const id = await publishedEvent();
    const visitor = api.agent('192.0.2.80');
    await visitor.query('explore.ticketOptions', { id });
    await visitor.query('explore.ticketOptions', { id });
    await api.agent('192.0.2.81').query('explore.ticketOptions', { id });
    await expectRecorded(id, 'click', 2);
    await expectRecorded(id, 'view', 0);
    expect(await viewsCounter(id)).toBe(0);
  });
});
