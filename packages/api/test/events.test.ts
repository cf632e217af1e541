import { AuditLog, Event, Ticket } from '@spot/db';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createEvent, DAY, eventInput, HOUR, storeTickets, userIdOf } from './events-fixtures.ts';
import { type Agent, failure, outcome, useApi } from './harness.ts';

const api = useApi('spot_api_events');

let owner: Agent;
let otherOrganizer: Agent;
let admin: Agent;

beforeAll(async () => {
  owner = await api.signedIn('organizer');
  otherOrganizer = await api.signedIn('organizer');
  admin = await api.signedIn('admin');
});

interface OrganizerEventView {
  id: string;
  title: string;
  status: string;
  capacity: number;
  tags: string[];
  coverImage: string | null;
  startDate: Date;
  endDate: Date;
  isPublished: boolean;
  cancelledAt: Date | null;
  ticketsSold: number;
}

const getEvent = (agent: Agent, id: string) =>
  agent.query('events.get', { id }) as Promise<OrganizerEventView>;

describe('ownership', () => {
  it("another organizer gets NOT_FOUND from every procedure on an organizer's event, and changes nothing", async () => {
    const id = await createEvent(owner);
    await owner.mutate('events.publish', { id });
    const before = await Event.findById(id).lean();
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['get', () => otherOrganizer.query('events.get', { id })],
      ['update', () => otherOrganizer.mutate('events.update', { id, title: 'Taken over' })],
      ['publish', () => otherOrganizer.mutate('events.publish', { id })],
      ['unpublish', () => otherOrganizer.mutate('events.unpublish', { id })],
      ['delete', () => otherOrganizer.mutate('events.delete', { id })],
      ['cancel', () => otherOrganizer.mutate('events.cancel', { id })],
    ];
    for (const [name, call] of calls) expect(await outcome(call()), name).toBe('NOT_FOUND');
    expect(await Event.findById(id).lean()).toEqual(before);
  });

  it('answers exactly as for an id that does not exist, so ids do not leak', async () => {
    const id = await createEvent(owner);
    const foreign = await failure(otherOrganizer.query('events.get', { id }));
    const missing = await failure(
      otherOrganizer.query('events.get', { id: '0123456789abcdef01234567' }),
    );
    expect(foreign.message).toBe(missing.message);
    expect(foreign.data?.httpStatus).toBe(missing.data?.httpStatus);
  });

  it("admins can read anyone's event; its organizer reads it; mine lists only one's own", async () => {
    const id = await createEvent(owner, { title: 'Owner only draft' });
    expect((await getEvent(admin, id)).title).toBe('Owner only draft');
    expect((await getEvent(owner, id)).status).toBe('draft');
    const others = (await otherOrganizer.query('events.mine')) as { items: Array<{ id: string }> };
    expect(others.items.map((event) => event.id)).not.toContain(id);
  });

  it('an unpublished event page is NOT_FOUND for the public, visible to its organizer and admins', async () => {
    const id = await createEvent(owner);
    expect(await outcome(api.agent().query('explore.get', { id }))).toBe('NOT_FOUND');
    expect(await outcome(otherOrganizer.query('explore.get', { id }))).toBe('NOT_FOUND');
    expect(await outcome(owner.query('explore.get', { id }))).toBe('OK');
    expect(await outcome(admin.query('explore.get', { id }))).toBe('OK');
  });
});

describe('create', () => {
  it('saves an unpublished draft with normalised tags', async () => {
    const created = (await owner.mutate(
      'events.create',
      eventInput({ tags: ['Jazz', 'jazz', ' Live '], coverImage: 'https://img.example.com/a.png' }),
    )) as OrganizerEventView;
    expect(created).toMatchObject({
      status: 'draft',
      isPublished: false,
      tags: ['jazz', 'live'],
      coverImage: 'https://img.example.com/a.png',
    });
    expect(created.startDate).toBeInstanceOf(Date);
    const stored = await Event.findById(created.id).lean();
    expect(stored?.location?.point?.coordinates).toEqual([4.8357, 45.764]);
  });

  it('names every bad field and writes nothing', async () => {
    const before = await Event.countDocuments();
    const error = await failure(
      owner.mutate('events.create', {
        title: 'x',
        description: '   ',
        category: 'karaoke',
        location: { city: 'Lyon', lat: 91, lng: 0 },
        startDate: new Date(Date.now() - HOUR),
        endDate: new Date(Date.now() - 2 * HOUR),
        capacity: 100_001,
        coverImage: 'javascript:alert(1)',
      }),
    );
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.data?.zodError?.fieldErrors).toEqual({
      title: ['Title must be at least 3 characters'],
      description: ['Description is required'],
      category: [expect.stringContaining('Category must be one of: music, sports')],
      location: ['Latitude must be between -90 and 90'],
      startDate: ['Start must be in the future'],
      endDate: ['End must be after the start'],
      capacity: ['Capacity must be at most 100,000'],
      coverImage: ['Cover image must be an http(s) URL'],
    });
    expect(await Event.countDocuments()).toBe(before);
  });

  it('refuses capacity 0, fractional capacity, a missing location, unparseable dates and events over 30 days', async () => {
    const error = await failure(
      owner.mutate(
        'events.create',
        eventInput({ capacity: 2.5, location: undefined, startDate: 'soon', endDate: 'later' }),
      ),
    );
    expect(Object.keys(error.data?.zodError?.fieldErrors ?? {}).sort()).toEqual([
      'capacity',
      'endDate',
      'location',
      'startDate',
    ]);
    const tooLong = eventInput();
    tooLong.endDate = new Date(tooLong.startDate.getTime() + 30 * DAY + HOUR);
    const long = await failure(owner.mutate('events.create', tooLong));
    expect(long.data?.zodError?.fieldErrors).toEqual({
      endDate: ['An event lasts at most 30 days; split longer ones'],
    });
    const zero = await failure(owner.mutate('events.create', eventInput({ capacity: 0 })));
    expect(zero.data?.zodError?.fieldErrors).toEqual({
      capacity: ['Capacity must be at least 1'],
    });
  });
});

describe('update', () => {
  it('changes only the given fields; null removes the cover image', async () => {
    const id = await createEvent(owner, { coverImage: 'https://img.example.com/a.png' });
    const updated = (await owner.mutate('events.update', {
      id,
      title: 'Riverside Jazz Night, second set',
      coverImage: null,
    })) as OrganizerEventView;
    expect(updated).toMatchObject({
      title: 'Riverside Jazz Night, second set',
      coverImage: null,
      capacity: 100,
    });
    expect((await Event.findById(id).lean())?.coverImage).toBeUndefined();
  });

  it('keeps the GeoJSON point in step when the location moves', async () => {
    const id = await createEvent(owner);
    await owner.mutate('events.update', { id, location: { city: 'Paris', lat: 48.85, lng: 2.35 } });
    const stored = await Event.findById(id).lean();
    expect(stored?.location).toMatchObject({
      city: 'Paris',
      point: { type: 'Point', coordinates: [2.35, 48.85] },
    });
  });

  it('checks the schedule against the stored dates and names the field', async () => {
    const id = await createEvent(owner);
    const stored = await getEvent(owner, id);
    const error = await failure(
      owner.mutate('events.update', { id, endDate: new Date(stored.startDate.getTime() - HOUR) }),
    );
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.data?.zodError?.fieldErrors).toEqual({ endDate: ['End must be after the start'] });
    const past = await failure(
      owner.mutate('events.update', { id, startDate: new Date(Date.now() - DAY) }),
    );
    expect(past.data?.zodError?.fieldErrors).toMatchObject({
      startDate: ['Start must be in the future'],
    });
    expect((await getEvent(owner, id)).endDate).toEqual(stored.endDate);
  });

  it('names bad fields of a partial update', async () => {
    const id = await createEvent(owner);
    const error = await failure(
      owner.mutate('events.update', { id, title: '', capacity: -1, category: 'karaoke' }),
    );
    expect(Object.keys(error.data?.zodError?.fieldErrors ?? {}).sort()).toEqual([
      'capacity',
      'category',
      'title',
    ]);
  });
});

describe('editing rules once tickets are sold', () => {
  it('capacity cannot go below the tickets sold (valid and used); down to exactly that is fine', async () => {
    const id = await createEvent(owner, { capacity: 10 });
    await storeTickets(id, ['valid', 'valid', 'used', 'cancelled']);
    const error = await failure(owner.mutate('events.update', { id, capacity: 2 }));
    expect(error.data?.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toBe('Capacity cannot go below the 3 tickets already sold.');
    expect((await getEvent(owner, id)).capacity).toBe(10);
    expect(await outcome(owner.mutate('events.update', { id, capacity: 3 }))).toBe('OK');
    expect(await getEvent(owner, id)).toMatchObject({ capacity: 3, ticketsSold: 3 });
  });

  it('moving the start or end is allowed and written to the audit log with before and after', async () => {
    const id = await createEvent(owner);
    await storeTickets(id, ['valid']);
    const before = await getEvent(owner, id);
    const startDate = new Date(before.startDate.getTime() + DAY);
    const endDate = new Date(before.endDate.getTime() + DAY + HOUR);
    await owner.mutate('events.update', { id, startDate, endDate });
    await owner.mutate('events.update', { id, title: 'Same schedule, new title' });
    const entries = await AuditLog.find({ 'target.id': id }).lean();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: expect.anything(),
      action: 'event.rescheduled',
      target: { kind: 'event', id },
      details: {
        before: { startDate: before.startDate, endDate: before.endDate },
        after: { startDate, endDate },
      },
    });
    expect(String(entries[0]?.actor)).toBe(await userIdOf(owner));
  });

  it('an edit whose audit entry cannot be written is undone, so nothing is half-written', async () => {
    const id = await createEvent(owner, { coverImage: 'https://img.example.com/a.png' });
    const before = await Event.findById(id).lean();
    const stored = await getEvent(owner, id);
    const auditDown = vi.spyOn(AuditLog, 'create').mockRejectedValueOnce(new Error('disk full'));
    try {
      const startDate = new Date(stored.startDate.getTime() + HOUR);
      const error = await failure(
        owner.mutate('events.update', { id, startDate, title: 'Moved', coverImage: null }),
      );
      expect(error.data?.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      auditDown.mockRestore();
    }
    expect(await Event.findById(id).lean()).toEqual(before);
  });

  it('an event with sold tickets cannot be deleted; one without can', async () => {
    const sold = await createEvent(owner);
    await storeTickets(sold, ['valid']);
    const error = await failure(owner.mutate('events.delete', { id: sold }));
    expect(error.data?.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toMatch(/cannot be deleted\. Cancel it instead/);
    expect(await Event.exists({ _id: sold })).toBeTruthy();

    const unsold = await createEvent(owner);
    expect(await owner.mutate('events.delete', { id: unsold })).toEqual({ id: unsold });
    expect(await outcome(getEvent(owner, unsold))).toBe('NOT_FOUND');
  });

  it('cancel marks the event cancelled and cancels its valid tickets; it is then final', async () => {
    const id = await createEvent(owner);
    await owner.mutate('events.publish', { id });
    await storeTickets(id, ['valid', 'valid', 'used', 'cancelled']);
    const result = (await owner.mutate('events.cancel', { id })) as {
      event: OrganizerEventView;
      ticketsCancelled: number;
    };
    expect(result.ticketsCancelled).toBe(2);
    expect(result.event.status).toBe('cancelled');
    expect(result.event.cancelledAt).toBeInstanceOf(Date);
    const statuses = (await Ticket.find({ eventId: id }).lean()).map((ticket) => ticket.status);
    expect(statuses.sort()).toEqual(['cancelled', 'cancelled', 'cancelled', 'used']);

    expect(await outcome(owner.mutate('events.update', { id, title: 'Back on' }))).toBe(
      'PRECONDITION_FAILED',
    );
    expect(await outcome(owner.mutate('events.publish', { id }))).toBe('PRECONDITION_FAILED');
    expect(await outcome(api.agent().query('explore.get', { id }))).toBe('NOT_FOUND');
    expect(await outcome(owner.mutate('events.delete', { id }))).toBe('PRECONDITION_FAILED');
    // Calling it again is harmless (and is how a failed refund run would be retried).
    const again = (await owner.mutate('events.cancel', { id })) as { ticketsCancelled: number };
    expect(again.ticketsCancelled).toBe(0);
  });
});

describe('publish and unpublish', () => {
  it('moves an event between draft and published', async () => {
    const id = await createEvent(owner);
    expect(((await owner.mutate('events.publish', { id })) as OrganizerEventView).status).toBe(
      'published',
    );
    expect(await outcome(api.agent().query('explore.get', { id }))).toBe('OK');
    expect(((await owner.mutate('events.unpublish', { id })) as OrganizerEventView).status).toBe(
      'draft',
    );
    expect(await outcome(api.agent().query('explore.get', { id }))).toBe('NOT_FOUND');
  });

  it('refuses to publish an event removed by a moderator', async () => {
    const id = await createEvent(owner);
    await Event.updateOne({ _id: id }, { $set: { removed: { at: new Date(), reason: 'spam' } } });
    const error = await failure(owner.mutate('events.publish', { id }));
    expect(error.data?.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toMatch(/removed by a moderator/);
  });
});

describe('mine', () => {
  it('pages through all of the organizer’s events, drafts included, newest first', async () => {
    const organizer = await api.signedIn('organizer');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await createEvent(organizer, { title: `Event ${i}` }));
    await organizer.mutate('events.publish', { id: ids[1] });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = (await organizer.query('events.mine', { cursor, limit: 2 })) as {
        items: Array<{ id: string; status: string }>;
        nextCursor: string | null;
      };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((event) => event.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it("refuses another organizer's cursor", async () => {
    for (let i = 0; i < 3; i++) await createEvent(owner);
    const page = (await owner.query('events.mine', { limit: 1 })) as { nextCursor: string };
    const error = await failure(
      otherOrganizer.query('events.mine', { cursor: page.nextCursor, limit: 1 }),
    );
    expect(error.data?.zodError?.fieldErrors).toEqual({ cursor: [expect.any(String)] });
  });
});

describe('suggest', () => {
  const suggest = (title: string, description: string) =>
    owner.mutate('events.suggest', { title, description });

  it('reads the category and tags from keywords, the title weighing more', async () => {
    expect(
      await suggest(
        'Jazz quartet concert by the river',
        'An evening concert with a jazz quartet and a wine tasting, Friday 12 June at 19:30.',
      ),
    ).toEqual({
      category: 'music',
      tags: ['jazz', 'quartet', 'concert', 'wine', 'tasting'],
      warnings: [],
    });
  });

  it('warns about a vague title, a short description and no date', async () => {
    expect(await suggest('Party', 'Come along!')).toEqual({
      category: 'nightlife',
      tags: ['party'],
      warnings: [
        { code: 'vague_title', message: expect.stringContaining('vague') },
        { code: 'short_description', message: expect.stringContaining('(11 of at least 80') },
        { code: 'missing_date', message: expect.stringContaining('No date or time') },
      ],
    });
  });

  it('falls back to "other" without keywords, and ties go to the category listed first', async () => {
    const other = (await suggest('Mystery gathering downtown', '')) as { category: string };
    expect(other.category).toBe('other');
    const tie = (await suggest('Hackathon and business breakfast', '')) as { category: string };
    expect(tie.category).toBe('tech');
    // The same draft always gets the same answer.
    expect(await suggest('TypeScript workshop for beginners', 'Tomorrow 7pm.')).toEqual(
      await suggest('TypeScript workshop for beginners', 'Tomorrow 7pm.'),
    );
  });
});
