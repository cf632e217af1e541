import { AuditLog, Event, Ticket, User } from '@spot/db';
import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { DAY, storeEvents, storeTickets, userIdOf } from './events-fixtures.ts';
import { type Agent, failure, outcome, uniqueEmail, useApi } from './harness.ts';

const api = useApi('spot_api_admin_users');
const PASSWORD = 'correct horse battery';

async function auditRows(action: string, targetId: string) {
  return AuditLog.find({ action, 'target.id': targetId }).lean();
}

/** A published upcoming event of `organizer`, straight in the database. */
async function publishedEventOf(organizer: Agent, title: string): Promise<string> {
  const [id] = await storeEvents([
    {
      title,
      startDate: new Date(Date.now() + 5 * DAY),
      organizerId: new Types.ObjectId(await userIdOf(organizer)),
    },
  ]);
  return id as string;
}

const listedIds = async (agent: Agent, text: string) =>
  ((await agent.query('explore.list', { text })) as { items: Array<{ id: string }> }).items.map(
    (item) => item.id,
  );

describe('admin: users', () => {
  it("suspension ends the user's sessions on their next request; unsuspension lets them log in again", async () => {
    const admin = await api.signedIn('admin');
    const email = uniqueEmail('suspended');
    const user = await api.signedIn('user', email);
    const userId = await userIdOf(user);
    const oldCookie = user.cookie;
    expect(await outcome(user.query('tickets.mine', {}))).toBe('OK');

    const suspended = (await admin.mutate('admin.suspend', {
      id: userId,
      reason: 'Chargeback fraud',
    })) as { user: { status: string; suspension: { reason: string } } };
    expect(suspended.user).toMatchObject({
      status: 'suspended',
      suspension: { reason: 'Chargeback fraud' },
    });

    // The very next request with the same cookie is anonymous.
    expect(await user.query('auth.me')).toBeNull();
    expect(await outcome(user.query('tickets.mine', {}))).toBe('UNAUTHORIZED');
    // And logging in is refused while suspended.
    const again = api.agent();
    expect((await failure(again.mutate('auth.login', { email, password: PASSWORD }))).message).toBe(
      'This account is suspended.',
    );

    await admin.mutate('admin.unsuspend', { id: userId, reason: 'Bank confirmed the payment' });
    // The old cookie stays dead (its session version is gone) …
    user.cookie = oldCookie;
    expect(await user.query('auth.me')).toBeNull();
    // … and a fresh login works.
    await again.mutate('auth.login', { email, password: PASSWORD });
    expect(await again.query('auth.me')).toMatchObject({ id: userId });

    expect(await auditRows('user.suspend', userId)).toEqual([
      expect.objectContaining({
        actor: new Types.ObjectId(await userIdOf(admin)),
        details: expect.objectContaining({
          reason: 'Chargeback fraud',
          before: { status: 'active' },
          after: expect.objectContaining({ status: 'suspended' }),
        }),
      }),
    ]);
    expect(await auditRows('user.unsuspend', userId)).toEqual([
      expect.objectContaining({
        details: expect.objectContaining({
          reason: 'Bank confirmed the payment',
          before: expect.objectContaining({ status: 'suspended' }),
          after: { status: 'active' },
        }),
      }),
    ]);
  });

  it("a suspended organizer's published events are hidden pending review, tickets stay valid", async () => {
    const admin = await api.signedIn('admin');
    const organizer = await api.signedIn('organizer');
    const visitor = api.agent();
    const organizerId = await userIdOf(organizer);
    const title = `Hidden review ${new Types.ObjectId().toHexString()}`;
    const published = await publishedEventOf(organizer, title);
    const [draft] = await storeEvents([
      {
        title,
        startDate: new Date(Date.now() + 6 * DAY),
        isPublished: false,
        organizerId: new Types.ObjectId(organizerId),
      },
    ]);
    const tickets = await storeTickets(published, ['valid', 'valid']);
    expect(await listedIds(visitor, title)).toEqual([published]);

    const result = (await admin.mutate('admin.suspend', {
      id: organizerId,
      reason: 'Selling tickets to a venue that does not exist',
    })) as { eventsHidden: number };
    expect(result.eventsHidden).toBe(1);
    expect(await listedIds(visitor, title)).toEqual([]);
    expect(await outcome(visitor.query('explore.get', { id: published }))).toBe('NOT_FOUND');
    expect(
      await outcome(visitor.mutate('tickets.purchase', { eventId: published, quantity: 1 })),
    ).toBe('UNAUTHORIZED');
    const buyer = await api.signedIn('user');
    expect(
      await outcome(buyer.mutate('tickets.purchase', { eventId: published, quantity: 1 })),
    ).toBe('NOT_FOUND');
    expect(await Ticket.countDocuments({ _id: { $in: tickets }, status: 'valid' })).toBe(2);
    const hidden = (await admin.query('admin.events', { status: 'hidden', organizerId })) as {
      items: Array<{ id: string; hiddenPendingReview: boolean; organizer: { status: string } }>;
    };
    expect(hidden.items).toEqual([
      expect.objectContaining({
        id: published,
        hiddenPendingReview: true,
        organizer: expect.objectContaining({ status: 'suspended' }),
      }),
    ]);

    await admin.mutate('admin.unsuspend', { id: organizerId, reason: 'Venue verified' });
    expect(await listedIds(visitor, title)).toEqual([published]);
    // The draft stays a draft: only what the suspension hid is published again.
    expect((await Event.findById(draft).lean())?.isPublished).toBe(false);
  });

  it('changes roles between user and organizer only, never on admins or oneself', async () => {
    const admin = await api.signedIn('admin');
    const user = await api.signedIn('user');
    const userId = await userIdOf(user);
    expect(await outcome(user.query('events.mine', {}))).toBe('FORBIDDEN');

    await admin.mutate('admin.setRole', {
      id: userId,
      role: 'organizer',
      reason: 'Verified venue',
    });
    // The session reloads the role on every request: no new login needed.
    expect(await outcome(user.query('events.mine', {}))).toBe('OK');
    await admin.mutate('admin.setRole', { id: userId, role: 'user' });
    expect(await outcome(user.query('events.mine', {}))).toBe('FORBIDDEN');
    expect(
      (
        await AuditLog.find({ action: 'user.role', 'target.id': userId }).sort({ at: 1 }).lean()
      ).map((row) => row.details),
    ).toEqual([
      { before: { role: 'user' }, after: { role: 'organizer' }, reason: 'Verified venue' },
      { before: { role: 'organizer' }, after: { role: 'user' }, reason: null },
    ]);

    const otherAdmin = await userIdOf(await api.signedIn('admin'));
    const self = await userIdOf(admin);
    for (const id of [otherAdmin, self]) {
      expect(await outcome(admin.mutate('admin.setRole', { id, role: 'user' }))).toBe(
        'PRECONDITION_FAILED',
      );
      expect(await outcome(admin.mutate('admin.suspend', { id, reason: 'Testing limits' }))).toBe(
        'PRECONDITION_FAILED',
      );
    }
    expect((await User.findById(otherAdmin).lean())?.status).toBe('active');
    expect(await AuditLog.countDocuments({ 'target.id': { $in: [otherAdmin, self] } })).toBe(0);
  });

  it('lists and searches accounts, pages through them and shows one with its history', async () => {
    const admin = await api.signedIn('admin');
    const tag = new Types.ObjectId().toHexString().slice(-8);
    const made = [];
    for (let index = 0; index < 3; index++) {
      made.push(await userIdOf(await api.signedIn('user', uniqueEmail(`find-${tag}-${index}`))));
    }
    const first = (await admin.query('admin.users', { query: `find-${tag}`, limit: 2 })) as {
      items: Array<{ id: string }>;
      nextCursor: string | null;
    };
    const second = (await admin.query('admin.users', {
      query: `find-${tag}`,
      limit: 2,
      cursor: first.nextCursor,
    })) as { items: Array<{ id: string }>; nextCursor: string | null };
    expect([...first.items, ...second.items].map((user) => user.id)).toEqual(made.reverse());
    expect(second.nextCursor).toBeNull();
    // A cursor only works for the filters it came from.
    expect(
      await outcome(admin.query('admin.users', { query: 'other', cursor: first.nextCursor })),
    ).toBe('BAD_REQUEST');

    const organizers = (await admin.query('admin.users', { role: 'organizer', limit: 50 })) as {
      items: Array<{ role: string }>;
    };
    expect(organizers.items.every((user) => user.role === 'organizer')).toBe(true);

    const target = made[0] as string;
    await admin.mutate('admin.suspend', { id: target, reason: 'Spam reports' });
    expect(await admin.query('admin.user', { id: target })).toMatchObject({
      id: target,
      status: 'suspended',
      suspension: { reason: 'Spam reports' },
      counts: { events: 0, tickets: 0, reportsFiled: 0, disputes: 0 },
      history: [expect.objectContaining({ action: 'user.suspend', reason: 'Spam reports' })],
    });
    expect(
      await outcome(admin.query('admin.user', { id: new Types.ObjectId().toHexString() })),
    ).toBe('NOT_FOUND');
  });

  it('admins browse the audit log newest first, by action, actor and target', async () => {
    const admin = await api.signedIn('admin');
    const adminId = await userIdOf(admin);
    const target = await userIdOf(await api.signedIn('user'));
    await admin.mutate('admin.setRole', { id: target, role: 'organizer', reason: 'Verified' });
    await admin.mutate('admin.suspend', { id: target, reason: 'Fraud' });
    await admin.mutate('admin.unsuspend', { id: target, reason: 'Cleared' });

    const page = async (filters: Record<string, unknown>) =>
      (await admin.query('admin.auditLog', filters)) as {
        items: Array<{ action: string; actor: { id: string } | null; target: { id: string } }>;
        nextCursor: string | null;
      };
    const all = await page({ actorId: adminId, targetId: target });
    expect(all.items.map((entry) => entry.action)).toEqual([
      'user.unsuspend',
      'user.suspend',
      'user.role',
    ]);
    expect(all.items[0]).toMatchObject({ actor: { id: adminId }, target: { id: target } });
    // An action prefix narrows to a family; exact actions work too.
    const suspensions = await page({ actorId: adminId, action: 'user.s', limit: 1 });
    expect(suspensions.items.map((entry) => entry.action)).toEqual(['user.suspend']);
    expect(suspensions.nextCursor).toBeNull();
    const first = await page({ actorId: adminId, limit: 2 });
    const rest = await page({ actorId: adminId, limit: 2, cursor: first.nextCursor });
    expect([...first.items, ...rest.items].map((entry) => entry.action)).toEqual([
      'user.unsuspend',
      'user.suspend',
      'user.role',
    ]);
    expect(await page({ actorId: target })).toMatchObject({ items: [] });
  });
});
