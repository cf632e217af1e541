import { generateKeyPairSync } from 'node:crypto';
import { AuditLog, CheckIn, FailedScan, Ticket } from '@spot/db';
import { CompactSign } from 'jose';
import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../src/index.ts';
import { issueTickets, nonce, openDoorEvent } from './checkin-fixtures.ts';
import { DAY, storeEvents, userIdOf } from './events-fixtures.ts';
import { type Agent, failure, uniqueEmail, useApi } from './harness.ts';

const api = useApi('spot_api_checkin');

interface ScanAnswer {
  result: string;
  message: string;
  attendeeName?: string;
  ticketType?: string;
  scannedAt?: Date;
  firstScan?: { scannedAt: Date; scannedBy: string; gate: string | null; manual: boolean };
}

let organizer: Agent;
let organizerId: string;
let otherOrganizer: Agent;
let attendee: Agent;
let attendeeId: string;

async function person(name: string): Promise<string> {
  const user = await createAccount({
    email: uniqueEmail(name.toLowerCase().replace(/\W+/g, '-')),
    password: 'correct horse battery',
    name,
    role: 'user',
  });
  return user._id.toHexString();
}

const scan = (agent: Agent, input: Record<string, unknown>) =>
  agent.mutate('checkin.scan', { nonce: nonce(), ...input }) as Promise<ScanAnswer>;

beforeAll(async () => {
  organizer = await api.signedIn('organizer');
  organizerId = await userIdOf(organizer);
  otherOrganizer = await api.signedIn('organizer');
  attendee = await api.signedIn('user');
  attendeeId = await userIdOf(attendee);
});

describe('scanning at the door', () => {
  it('names the attendee as the ticket was issued to, not by a second lookup of the account', async () => {
    const eventId = await openDoorEvent(organizerId);
    const [ticket] = await issueTickets(eventId, [await person('Augusta Ada King')]);
    await Ticket.updateOne({ _id: ticket?.id }, { $set: { holderName: 'Ada Lovelace' } });
    expect(await scan(organizer, { eventId, payload: ticket?.payload })).toMatchObject({
      result: 'ok',
      attendeeName: 'Ada Lovelace',
    });
  });

  it('admits a valid ticket once and names the attendee; a second scan says when, by whom, where', async () => {
    const eventId = await openDoorEvent(organizerId);
    const [ticket] = await issueTickets(eventId, [await person('Ada Lovelace')]);
    const first = await scan(organizer, { eventId, payload: ticket?.payload, gate: 'North' });
    expect(first).toMatchObject({
      result: 'ok',
      attendeeName: 'Ada Lovelace',
      ticketType: 'General admission',
    });
    expect((await Ticket.findById(ticket?.id).lean())?.status).toBe('used');
    const record = await CheckIn.findOne({ ticketId: ticket?.id }).lean();
    expect(record).toMatchObject({ gate: 'North', manual: false });
    expect(record?.scannedBy.toHexString()).toBe(organizerId);

    const again = await scan(organizer, { eventId, payload: ticket?.payload, gate: 'South' });
    expect(again.result).toBe('already_used');
    expect(again.attendeeName).toBe('Ada Lovelace');
    expect(again.firstScan?.gate).toBe('North');
    expect(again.firstScan?.scannedBy).toMatch(/^organizer/);
    expect(again.firstScan?.scannedAt.getTime()).toBe(first.scannedAt?.getTime());
  });

  it('100 simultaneous scans of one ticket: exactly one ok, 99 already_used with its time, one CheckIn', async () => {
    const eventId = await openDoorEvent(organizerId);
    const [ticket] = await issueTickets(eventId, [await person('Grace Hopper')]);
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        scan(organizer, { eventId, payload: ticket?.payload, gate: `Gate ${i % 4}` }),
      ),
    );
    const winners = answers.filter((answer) => answer.result === 'ok');
    const losers = answers.filter((answer) => answer.result === 'already_used');
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(99);
    const firstTime = winners[0]?.scannedAt?.getTime();
    for (const loser of losers) expect(loser.firstScan?.scannedAt.getTime()).toBe(firstTime);
    expect(await CheckIn.countDocuments({ ticketId: ticket?.id })).toBe(1);
    const live = (await organizer.query('analytics.live', { eventId })) as { checkins: number };
    expect(live.checkins).toBe(1);
  });

  it('names each refusal: another event, cancelled, unknown, forged, someone else’s door', async () => {
    const eventId = await openDoorEvent(organizerId);
    const elsewhere = await openDoorEvent(organizerId, 'The other night');
    const holder = await person('Alan Turing');
    const [forElsewhere] = await issueTickets(elsewhere, [holder]);
    const [cancelled] = await issueTickets(eventId, [holder]);
    await Ticket.updateOne({ _id: cancelled?.id }, { $set: { status: 'cancelled' } });

    expect((await scan(organizer, { eventId, payload: forElsewhere?.payload })).result).toBe(
      'wrong_event',
    );
    expect((await scan(organizer, { eventId, payload: cancelled?.payload })).result).toBe(
      'cancelled',
    );
    // Signed by us, but for a ticket that was never issued.
    const { signTicketPayload } = await import('../src/tickets/qr.ts');
    const neverIssued = await signTicketPayload(crypto.randomUUID(), eventId);
    expect((await scan(organizer, { eventId, payload: neverIssued })).result).toBe(
      'unknown_ticket',
    );

    // A forger's own key, and a genuine payload with one character changed.
    const forgerKey = generateKeyPairSync('ed25519').privateKey;
    const forged = await new CompactSign(
      new TextEncoder().encode(JSON.stringify({ t: crypto.randomUUID(), e: eventId, v: 1 })),
    )
      .setProtectedHeader({ alg: 'EdDSA' })
      .sign(forgerKey);
    const [genuine] = await issueTickets(eventId, [holder]);
    const payload = genuine?.payload ?? '';
    const middle = Math.floor(payload.length * 0.75);
    const tampered = `${payload.slice(0, middle)}${payload[middle] === 'A' ? 'B' : 'A'}${payload.slice(middle + 1)}`;
    for (const bad of [forged, tampered, 'not-a-ticket']) {
      const answer = await scan(organizer, { eventId, payload: bad });
      expect(answer.result).toBe('invalid_signature');
    }
    expect((await Ticket.findById(genuine?.id).lean())?.status).toBe('valid');

    // Another organizer and a plain user are not on this event's door team.
    expect((await scan(otherOrganizer, { eventId, payload })).result).toBe('not_allowed');
    expect((await scan(attendee, { eventId, payload })).result).toBe('not_allowed');
    expect((await Ticket.findById(genuine?.id).lean())?.status).toBe('valid');

    const log = (await organizer.query('checkin.failedScans', { eventId, limit: 50 })) as {
      items: Array<{ reason: string; scannedBy: string }>;
    };
    expect(log.items.map((item) => item.reason).sort()).toEqual(
      [
        'cancelled',
        'invalid_signature',
        'invalid_signature',
        'invalid_signature',
        'not_allowed',
        'not_allowed',
        'unknown_ticket',
        'wrong_event',
      ].sort(),
    );
    expect(
      (await failure(otherOrganizer.query('checkin.failedScans', { eventId }))).data?.code,
    ).toBe('NOT_FOUND');
  });

  it('a retried attempt (same nonce) gets its original answer back, a new attempt does not', async () => {
    const eventId = await openDoorEvent(organizerId);
    const [ticket] = await issueTickets(eventId, [await person('Katherine Johnson')]);
    const attempt = { eventId, payload: ticket?.payload, nonce: nonce() };
    const first = await scan(organizer, attempt);
    const retried = await scan(organizer, attempt);
    expect(retried).toMatchObject({ result: 'ok', attendeeName: 'Katherine Johnson' });
    expect(retried.scannedAt?.getTime()).toBe(first.scannedAt?.getTime());
    expect((await scan(organizer, { eventId, payload: ticket?.payload })).result).toBe(
      'already_used',
    );
    expect(await CheckIn.countDocuments({ ticketId: ticket?.id })).toBe(1);
  });

  it('refuses scans before check-in opens, saying when it opens', async () => {
    const [eventId] = await storeEvents([
      { startDate: new Date(Date.now() + 2 * DAY), organizerId: new Types.ObjectId(organizerId) },
    ]);
    const [ticket] = await issueTickets(eventId as string, [attendeeId]);
    const error = await failure(scan(organizer, { eventId, payload: ticket?.payload }));
    expect(error.data?.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toMatch(/opens at/);
    expect((await Ticket.findById(ticket?.id).lean())?.status).toBe('valid');
  });
});

describe('door staff', () => {
  it('the organizer adds a staff member who may scan (and nothing more); removed, they may not', async () => {
    const eventId = await openDoorEvent(organizerId);
    const email = uniqueEmail('door-volunteer');
    await createAccount({
      email,
      password: 'correct horse battery',
      name: 'Volunteer',
      role: 'user',
    });
    const volunteer = api.agent();
    await volunteer.mutate('auth.login', { email, password: 'correct horse battery' });
    const [first, second] = await issueTickets(eventId, [attendeeId, attendeeId]);

    expect((await scan(volunteer, { eventId, payload: first?.payload })).result).toBe(
      'not_allowed',
    );
    const staff = (await organizer.mutate('checkin.addStaff', { eventId, email })) as Array<{
      email: string;
    }>;
    expect(staff.map((member) => member.email)).toEqual([email]);
    expect(
      (await failure(otherOrganizer.mutate('checkin.addStaff', { eventId, email }))).data?.code,
    ).toBe('NOT_FOUND');

    const events = (await volunteer.query('checkin.scannableEvents')) as Array<{
      id: string;
      role: string;
    }>;
    expect(events).toContainEqual(expect.objectContaining({ id: eventId, role: 'staff' }));
    expect((await scan(volunteer, { eventId, payload: first?.payload })).result).toBe('ok');
    // Scanner-only rights: no organizer reads.
    expect((await failure(volunteer.query('analytics.live', { eventId }))).data?.code).toBe(
      'FORBIDDEN',
    );

    const volunteerId = await userIdOf(volunteer);
    await organizer.mutate('checkin.removeStaff', { eventId, userId: volunteerId });
    expect((await scan(volunteer, { eventId, payload: second?.payload })).result).toBe(
      'not_allowed',
    );
  });
});

describe('manual check-in and undo', () => {
  it('finds an attendee by name, checks them in by hand, and a later QR scan says so', async () => {
    const eventId = await openDoorEvent(organizerId);
    const holder = await person('Hedy Lamarr');
    const [ticket] = await issueTickets(eventId, [holder]);
    await issueTickets(eventId, [await person('Someone Else')]);
    const matches = (await organizer.query('checkin.searchAttendees', {
      eventId,
      query: 'lamarr',
    })) as Array<{ ticketId: string; attendeeName: string; status: string }>;
    expect(matches).toEqual([
      expect.objectContaining({
        ticketId: ticket?.id,
        attendeeName: 'Hedy Lamarr',
        status: 'valid',
      }),
    ]);
    const manual = (await organizer.mutate('checkin.manualCheckIn', {
      eventId,
      ticketId: ticket?.id,
      nonce: nonce(),
    })) as ScanAnswer;
    expect(manual).toMatchObject({ result: 'ok', attendeeName: 'Hedy Lamarr' });
    const rescan = await scan(organizer, { eventId, payload: ticket?.payload });
    expect(rescan.result).toBe('already_used');
    expect(rescan.firstScan?.manual).toBe(true);
    expect(
      (await failure(otherOrganizer.query('checkin.searchAttendees', { eventId, query: 'lamarr' })))
        .data?.code,
    ).toBe('NOT_FOUND');
  });

  it('undoes a check-in within 15 minutes (audited), and refuses older ones', async () => {
    const eventId = await openDoorEvent(organizerId);
    const [ticket, older] = await issueTickets(eventId, [attendeeId, attendeeId]);
    await scan(organizer, { eventId, payload: ticket?.payload });
    await organizer.mutate('checkin.undo', {
      eventId,
      ticketId: ticket?.id,
      reason: 'wrong person',
    });
    expect((await Ticket.findById(ticket?.id).lean())?.status).toBe('valid');
    expect(await CheckIn.countDocuments({ ticketId: ticket?.id })).toBe(0);
    const audit = await AuditLog.findOne({
      action: 'checkin.undo',
      'target.id': ticket?.id,
    }).lean();
    expect(audit?.actor.toHexString()).toBe(organizerId);
    expect((audit?.details as { reason?: string } | undefined)?.reason).toBe('wrong person');
    expect((await scan(organizer, { eventId, payload: ticket?.payload })).result).toBe('ok');

    await scan(organizer, { eventId, payload: older?.payload });
    await CheckIn.updateOne(
      { ticketId: older?.id },
      { $set: { scannedAt: new Date(Date.now() - 16 * 60_000) } },
    );
    const late = await failure(organizer.mutate('checkin.undo', { eventId, ticketId: older?.id }));
    expect(late.data?.code).toBe('PRECONDITION_FAILED');
    expect((await Ticket.findById(older?.id).lean())?.status).toBe('used');
    const live = (await organizer.query('analytics.live', { eventId })) as { checkins: number };
    expect(live.checkins).toBe(2);
  });
});

describe('scan rate limit', () => {
  it('a scanner is limited to 150 scans per 10 seconds; another scanner is not affected', async () => {
    const busy = await api.signedIn('organizer');
    const eventId = await openDoorEvent(await userIdOf(busy));
    const answers = await Promise.all(
      Array.from({ length: 150 }, () => scan(busy, { eventId, payload: 'unreadable' })),
    );
    expect(answers.every((answer) => answer.result === 'invalid_signature')).toBe(true);
    const limited = await failure(scan(busy, { eventId, payload: 'unreadable' }));
    expect(limited.data?.code).toBe('TOO_MANY_REQUESTS');
    expect(limited.message).toMatch(/Try again in \d+ seconds/);
    expect((await scan(organizer, { eventId, payload: 'unreadable' })).result).toBe('not_allowed');
  });
});

describe('failed scans are kept for disputes', () => {
  it('a retried failed attempt is logged once', async () => {
    const eventId = await openDoorEvent(organizerId);
    const attempt = { eventId, payload: 'garbage', nonce: nonce() };
    await scan(organizer, attempt);
    await scan(organizer, attempt);
    expect(await FailedScan.countDocuments({ eventId, nonce: attempt.nonce })).toBe(1);
  });
});
