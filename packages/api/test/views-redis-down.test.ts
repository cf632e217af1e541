import { describe, expect, it } from 'vitest';
import { createEvent } from './events-fixtures.ts';
import { useApi } from './harness.ts';
import { expectRecorded } from './views-fixtures.ts';

// Nothing listens on port 1: Redis is "down" for this whole file (config is read lazily).
process.env.REDIS_URL = 'redis://127.0.0.1:1';

const api = useApi('spot_api_views_down');

describe('event page views while Redis is down', () => {
  it('explore still answers quickly, and the Mongo history is still written (repeats once)', async () => {
    const organizer = await api.signedIn('organizer');
    const id = await createEvent(organizer, { title: 'Offline counting' });
    await organizer.mutate('events.publish', { id });

    const started = Date.now();
    const list = (await api.agent().query('explore.list')) as { items: Array<{ id: string }> };
    expect(list.items.map((item) => item.id)).toContain(id);
    for (const address of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) {
      const visitor = api.agent(address);
      const page = (await visitor.query('explore.get', { id })) as { title: string };
      expect(page.title).toBe('Offline counting');
      await visitor.query('explore.get', { id });
    }
    expect(Date.now() - started).toBeLessThan(5000);
    // Repeats are caught in process memory meanwhile.
    await expectRecorded(id, 'view', 3);
  });
});
