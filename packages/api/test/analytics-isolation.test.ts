import { beforeAll, describe, expect, it } from 'vitest';
import { makePro, seedJazzNight, useExports } from './analytics-fixtures.ts';
import { userIdOf } from './events-fixtures.ts';
import { type Agent, outcome, useApi } from './harness.ts';
import { UNKNOWN_ID } from './policy-fixtures.ts';

const api = useApi('spot_api_analytics_isolation');
const download = useExports();

/** Every read an organizer has on one of their events' analytics, bookings and door log. */
const EVENT_READS = [
  'analytics.summary',
  'analytics.timeSeries',
  'analytics.funnel',
  'analytics.live',
  'tickets.bookings',
  'checkin.failedScans',
];
const EXPORTS = ['bookings', 'check-ins'];

describe("an organizer cannot see another organizer's analytics, bookings or exports", () => {
  let owner: Agent;
  let rival: Agent;
  let eventId: string;

  beforeAll(async () => {
    owner = await api.signedIn('organizer');
    rival = await api.signedIn('organizer');
    // Both on Pro: the refusal below is about whose event it is, not about the plan.
    await Promise.all([makePro(owner), makePro(rival)]);
    ({ eventId } = await seedJazzNight(await userIdOf(owner)));
  });

  it("answers NOT_FOUND for the other's event, exactly as for an event that does not exist", async () => {
    for (const procedure of EVENT_READS) {
      expect(await outcome(owner.query(procedure, { eventId })), procedure).toBe('OK');
      expect(await outcome(rival.query(procedure, { eventId })), procedure).toBe('NOT_FOUND');
      expect(await outcome(owner.query(procedure, { eventId: UNKNOWN_ID })), procedure).toBe(
        'NOT_FOUND',
      );
    }
    expect(await outcome(rival.mutate('analytics.rebuildCounters', { eventId }))).toBe('NOT_FOUND');
  });

  it("refuses the other's exports with 404 and a short message", async () => {
    for (const kind of EXPORTS) {
      const mine = await download(owner, eventId, kind);
      expect(mine.status, kind).toBe(200);
      await mine.body?.cancel();
      const theirs = await download(rival, eventId, kind);
      expect(theirs.status, kind).toBe(404);
      expect(theirs.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await theirs.text()).toBe('Event not found.\n');
      expect((await download(owner, UNKNOWN_ID, kind)).status).toBe(404);
    }
  });

  it('lets admins read and export any event', async () => {
    const admin = await api.signedIn('admin');
    for (const procedure of EVENT_READS) {
      expect(await outcome(admin.query(procedure, { eventId })), procedure).toBe('OK');
    }
    const exported = await download(admin, eventId, 'bookings');
    expect(exported.status).toBe(200);
    expect((await exported.text()).split('\r\n')).toHaveLength(1 + 8 + 1);
  });

  it('answers exports with 401 signed out, 403 for users and free organizers, 404 for unknown kinds and ids', async () => {
    const anonymous = api.agent();
    const signedOut = await download(anonymous, eventId, 'bookings');
    expect([signedOut.status, await signedOut.text()]).toEqual([401, 'Please sign in.\n']);

    const user = await api.signedIn('user');
    const attendee = await download(user, eventId, 'bookings');
    expect([attendee.status, await attendee.text()]).toEqual([
      403,
      'Only organizers can do this.\n',
    ]);

    // The plan is checked first: a free organizer learns nothing about whose event it is.
    const free = await api.signedIn('organizer');
    const ownFreeEvent = (await seedJazzNight(await userIdOf(free))).eventId;
    for (const id of [ownFreeEvent, eventId]) {
      const refused = await download(free, id, 'check-ins');
      expect(refused.status).toBe(403);
      expect(await refused.text()).toMatch(/^CSV export is part of Spot Pro\. Upgrade/);
    }

    for (const [id, kind] of [
      [eventId, 'passwords'],
      [eventId, 'constructor'],
      ['not-an-id', 'bookings'],
    ] as const) {
      const missing = await download(owner, id, kind);
      expect([missing.status, await missing.text()], `${id}/${kind}`).toEqual([
        404,
        'No such export.\n',
      ]);
    }
    const badZone = await download(owner, eventId, 'bookings', '?timezone=Mars/Olympus');
    expect([badZone.status, await badZone.text()]).toEqual([
      400,
      'timezone must be an IANA time zone such as Europe/Paris\n',
    ]);
  });
});
