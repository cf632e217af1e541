import type { CheckinUpdate, LiveMessage, SalesUpdate } from '@spot/api/realtime';
import { eventRoom, organizerRoom } from '@spot/api/realtime';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeServer } from '../src/server.ts';
import { type Account, eventually, settle, useRealtimeStack } from './harness.ts';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) console.warn('relay tests skipped: set REDIS_URL to a Redis to run them');

const stack = useRealtimeStack('spot_realtime_relay');

function checkinMessage(eventId: string, checkins: number): LiveMessage & { event: 'checkin' } {
  const data: CheckinUpdate = {
    eventId,
    checkins,
    change: 'checked_in',
    scan: {
      ticketId: `ticket-${checkins}`,
      attendeeName: 'Ada Lovelace',
      scannedAt: new Date().toISOString(),
      scannedBy: 'Door team',
      gate: 'North',
      manual: false,
    },
  };
  return { rooms: [eventRoom(eventId)], event: 'checkin', data };
}

describe.skipIf(!redisUrl)('relaying live updates from Redis to rooms', () => {
  let server: RealtimeServer;
  let organizer: Account;
  let otherOrganizer: Account;
  let staff: Account;
  let user: Account;
  let eventId: string;

  beforeAll(async () => {
    server = await stack.realtime();
    [organizer, otherOrganizer, staff, user] = await Promise.all([
      stack.account('organizer'),
      stack.account('organizer'),
      stack.account('user'),
      stack.account('user'),
    ]);
    eventId = await stack.event(organizer, [staff]);
    await eventually(() => server.health().redis === 'up', 'Redis up');
  });

  it('delivers a published check-in to the sockets in the event room, and only to them', async () => {
    const organizerSocket = await stack.connect(server, { cookie: organizer.cookie });
    expect(await organizerSocket.join(eventRoom(eventId))).toEqual({ ok: true });
    const staffSocket = await stack.connect(server, { cookie: staff.cookie });
    expect(await staffSocket.join(eventRoom(eventId))).toEqual({ ok: true });
    const outsiders = [
      await stack.connect(server, { cookie: user.cookie }),
      await stack.connect(server, { cookie: otherOrganizer.cookie }),
    ];
    for (const outsider of outsiders)
      expect(await outsider.join(eventRoom(eventId))).toMatchObject({ ok: false });

    const message = checkinMessage(eventId, 1);
    await stack.publish(message);

    await eventually(() => organizerSocket.payloads('checkin').length > 0, 'the check-in');
    await eventually(() => staffSocket.payloads('checkin').length > 0, 'the check-in (staff)');
    await settle();
    expect(organizerSocket.payloads('checkin')).toEqual([message.data]);
    expect(staffSocket.payloads('checkin')).toEqual([message.data]);
    for (const outsider of outsiders) expect(outsider.payloads('checkin')).toEqual([]);
  });

  it("delivers sales to the organizer's own room", async () => {
    const client = await stack.connect(server, { cookie: organizer.cookie });
    expect(await client.join(organizerRoom(organizer.id))).toEqual({ ok: true });
    const data: SalesUpdate = { eventId, sold: 12 };
    await stack.publish({ rooms: [organizerRoom(organizer.id)], event: 'sales', data });
    await eventually(() => client.payloads('sales').length > 0, 'the sales update');
    expect(client.payloads('sales')).toEqual([data]);
  });

  it("never delivers to a socket's own room, nor malformed messages", async () => {
    const client = await stack.connect(server, { cookie: organizer.cookie });
    expect(await client.join(eventRoom(eventId))).toEqual({ ok: true });
    await stack.publish({
      rooms: [client.socket.id ?? ''],
      event: 'sales',
      data: { eventId, sold: 1 },
    });
    for (const malformed of [
      'not json',
      JSON.stringify({ rooms: eventRoom(eventId), event: 'sales', data: { eventId, sold: 2 } }),
      JSON.stringify({ rooms: [eventRoom(eventId)], event: 'disconnect', data: {} }),
      JSON.stringify({ rooms: [eventRoom(eventId)], event: 'sales' }),
    ])
      await stack.publish(malformed);
    const valid: SalesUpdate = { eventId, sold: 3 };
    await stack.publish({ rooms: [eventRoom(eventId)], event: 'sales', data: valid });
    await eventually(() => client.payloads('sales').length > 0, 'the valid message');
    await settle();
    expect(client.received.filter((entry) => entry.event !== 'live-status')).toEqual([
      { event: 'sales', data: valid },
    ]);
  });

  it('a real scan over HTTP reaches the organizer socket once, in both of its rooms', async () => {
    const doorEventId = await stack.event(organizer, [staff], 30 * 60_000);
    const attendee = await stack.account('user');
    const ticket = await stack.ticket(doorEventId, attendee);
    const client = await stack.connect(server, { cookie: organizer.cookie });
    expect(await client.join(eventRoom(doorEventId))).toEqual({ ok: true });
    expect(await client.join(organizerRoom(organizer.id))).toEqual({ ok: true });

    const result = await staff.agent.mutate('checkin.scan', {
      eventId: doorEventId,
      payload: ticket.payload,
      nonce: `realtime-${Date.now()}`,
      gate: 'North',
    });
    expect(result).toMatchObject({ result: 'ok', attendeeName: attendee.name, checkins: 1 });

    await eventually(() => client.payloads('checkin').length > 0, 'the scan');
    await settle();
    expect(client.payloads('checkin')).toEqual([
      {
        eventId: doorEventId,
        checkins: 1,
        change: 'checked_in',
        scan: {
          ticketId: ticket.id,
          attendeeName: attendee.name,
          scannedAt: expect.any(String),
          scannedBy: staff.name,
          gate: 'North',
          manual: false,
        },
      },
    ]);
    // What the live page loads first agrees with what the socket said.
    const live = await organizer.agent.query('analytics.live', { eventId: doorEventId });
    expect(live).toMatchObject({ checkins: 1, sold: 1, recentScans: [{ ticketId: ticket.id }] });

    // The next update is published by Redis itself with the counter it incremented: the text
    // around the number must still be exactly the message, whatever the name holds.
    const awkwardName = 'Zoë "Z" O\'Neil \\ 🎟 </script>';
    const second = await stack.ticket(doorEventId, attendee, awkwardName);
    await staff.agent.mutate('checkin.scan', {
      eventId: doorEventId,
      payload: second.payload,
      nonce: `realtime-${Date.now()}-2`,
    });
    await eventually(() => client.payloads('checkin').length > 1, 'the second scan');
    expect(client.payloads('checkin')[1]).toMatchObject({
      eventId: doorEventId,
      checkins: 2,
      scan: { ticketId: second.id, attendeeName: awkwardName, gate: null },
    });
  });

  it('with two instances on one Redis, each delivers to its own sockets exactly once', async () => {
    const second = await stack.realtime();
    await eventually(() => second.health().redis === 'up', 'second instance up');
    const onFirst = await stack.connect(server, { cookie: organizer.cookie });
    const onSecond = await stack.connect(second, { cookie: staff.cookie });
    expect(await onFirst.join(eventRoom(eventId))).toEqual({ ok: true });
    expect(await onSecond.join(eventRoom(eventId))).toEqual({ ok: true });
    // Through the Redis adapter each instance sees the other's sockets.
    expect((await server.io.in(eventRoom(eventId)).fetchSockets()).map((s) => s.id)).toEqual(
      expect.arrayContaining([onFirst.socket.id, onSecond.socket.id]),
    );

    const message = checkinMessage(eventId, 2);
    await stack.publish(message);
    await eventually(
      () => onFirst.payloads('checkin').length > 0 && onSecond.payloads('checkin').length > 0,
      'both sockets',
    );
    await settle(600);
    expect(onFirst.payloads('checkin')).toEqual([message.data]);
    expect(onSecond.payloads('checkin')).toEqual([message.data]);
  });
});
