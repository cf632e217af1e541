import { AuditLog, Report } from '@spot/db';
import { describe, expect, it } from 'vitest';
import { DAY, storeEvents, userIdOf } from './events-fixtures.ts';
import { failure, outcome, useApi } from './harness.ts';

const api = useApi('spot_api_admin_reports');

const upcoming = (count: number, extra: Record<string, unknown> = {}) =>
  storeEvents(
    Array.from({ length: count }, () => ({ startDate: new Date(Date.now() + 3 * DAY), extra })),
  );

interface QueuedReport {
  id: string;
  reason: string;
  text: string | null;
  status: string;
  event: { id: string } | null;
  reporter: { id: string } | null;
}

describe('reports', () => {
  it('any signed-in user reports an event once; reporting again updates the same report', async () => {
    const [eventId] = await upcoming(1);
    const reporter = await api.signedIn('user');
    expect(
      await outcome(api.agent().mutate('moderation.reportEvent', { eventId, reason: 'scam' })),
    ).toBe('UNAUTHORIZED');

    const first = (await reporter.mutate('moderation.reportEvent', {
      eventId,
      reason: 'scam',
      text: 'Asks for payment by bank transfer.',
    })) as { id: string; status: string };
    expect(first.status).toBe('open');
    const second = (await reporter.mutate('moderation.reportEvent', {
      eventId,
      reason: 'fake',
    })) as { id: string; reason: string; text: string | null };
    expect(second).toMatchObject({ id: first.id, reason: 'fake', text: null });
    expect(await Report.countDocuments({ eventId })).toBe(1);

    // Others report it too: one row each.
    await (await api.signedIn('organizer')).mutate('moderation.reportEvent', {
      eventId,
      reason: 'offensive',
    });
    expect(await Report.countDocuments({ eventId, status: 'open' })).toBe(2);
  });

  it('only listed events can be reported', async () => {
    const reporter = await api.signedIn('user');
    const hidden = [
      ...(await upcoming(1, { isPublished: false })),
      ...(await upcoming(1, { removed: { at: new Date(), reason: 'Gone' } })),
    ];
    for (const eventId of hidden) {
      expect(
        await outcome(reporter.mutate('moderation.reportEvent', { eventId, reason: 'spam' })),
      ).toBe('NOT_FOUND');
    }
    expect(await Report.countDocuments({ eventId: { $in: hidden } })).toBe(0);
  });

  it('is rate-limited per user', async () => {
    const events = await upcoming(11);
    const reporter = await api.signedIn('user');
    for (const eventId of events.slice(0, 10)) {
      await reporter.mutate('moderation.reportEvent', { eventId, reason: 'spam' });
    }
    const refused = await failure(
      reporter.mutate('moderation.reportEvent', { eventId: events[10], reason: 'spam' }),
    );
    expect(refused.data?.code).toBe('TOO_MANY_REQUESTS');
    expect(refused.message).toMatch(/Try again in \d+ seconds/);
    expect(await Report.countDocuments({ eventId: events[10] })).toBe(0);
    // Another user is not affected.
    const other = await api.signedIn('user');
    expect(
      await outcome(
        other.mutate('moderation.reportEvent', { eventId: events[10], reason: 'spam' }),
      ),
    ).toBe('OK');
  });

  it('admins see a queue and dismiss or action reports, each in the audit log', async () => {
    const admin = await api.signedIn('admin');
    const [first, second] = await upcoming(2);
    const reporter = await api.signedIn('user');
    const reporterId = await userIdOf(reporter);
    await reporter.mutate('moderation.reportEvent', {
      eventId: first,
      reason: 'scam',
      text: 'Scam',
    });
    await reporter.mutate('moderation.reportEvent', { eventId: second, reason: 'spam' });

    const queue = (await admin.query('admin.reports', { status: 'open', limit: 1 })) as {
      items: QueuedReport[];
      nextCursor: string | null;
    };
    expect(queue.items).toEqual([
      expect.objectContaining({
        reason: 'spam',
        event: expect.objectContaining({ id: second }),
        reporter: expect.objectContaining({ id: reporterId }),
      }),
    ]);
    const next = (await admin.query('admin.reports', {
      status: 'open',
      limit: 1,
      cursor: queue.nextCursor,
    })) as { items: QueuedReport[] };
    expect(next.items.map((report) => report.event?.id)).toEqual([first]);

    const [spam, scam] = [queue.items[0] as QueuedReport, next.items[0] as QueuedReport];
    await admin.mutate('admin.resolveReport', { id: spam.id, status: 'dismissed', note: 'Fine' });
    await admin.mutate('admin.resolveReport', { id: scam.id, status: 'actioned' });
    expect(
      await outcome(admin.mutate('admin.resolveReport', { id: spam.id, status: 'actioned' })),
    ).toBe('PRECONDITION_FAILED');
    const open = (await admin.query('admin.reports', { status: 'open', eventId: first })) as {
      items: QueuedReport[];
    };
    expect(open.items).toEqual([]);
    expect(
      (
        await AuditLog.find({ 'target.id': { $in: [spam.id, scam.id] } })
          .sort({ at: 1 })
          .lean()
      ).map((row) => [row.action, row.details]),
    ).toEqual([
      [
        'report.dismiss',
        {
          before: { status: 'open' },
          after: { status: 'dismissed' },
          reason: 'Fine',
          eventId: second,
        },
      ],
      [
        'report.action',
        { before: { status: 'open' }, after: { status: 'actioned' }, reason: null, eventId: first },
      ],
    ]);

    // A dismissed report comes back to the queue when its author reports the event again.
    await reporter.mutate('moderation.reportEvent', { eventId: second, reason: 'scam' });
    expect((await Report.findById(spam.id).lean())?.status).toBe('open');
  });
});
