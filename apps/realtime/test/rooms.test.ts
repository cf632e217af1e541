import { eventRoom, organizerRoom } from '@spot/api/realtime';
import { Event, User } from '@spot/db';
import { beforeAll, describe, expect, it } from 'vitest';
import { NOT_SIGNED_IN } from '../src/client-events.ts';
import type { RealtimeServer } from '../src/server.ts';
import { type Account, eventually, fetchHealth, settle, useRealtimeStack } from './harness.ts';

const stack = useRealtimeStack('spot_realtime_rooms');

describe('who may connect and join which room', () => {
  let server: RealtimeServer;
  let organizer: Account;
  let otherOrganizer: Account;
  let staff: Account;
  let user: Account;
  let admin: Account;
  let eventId: string;

  beforeAll(async () => {
    server = await stack.realtime();
    [organizer, otherOrganizer, staff, user, admin] = await Promise.all([
      stack.account('organizer'),
      stack.account('organizer'),
      stack.account('user'),
      stack.account('user'),
      stack.account('admin'),
    ]);
    eventId = await stack.event(organizer, [staff]);
  });

  it('refuses a socket without a session, with a message saying why', async () => {
    await expect(stack.connect(server)).rejects.toThrow(NOT_SIGNED_IN);
    await expect(
      stack.connect(server, { cookie: 'spot_session=forged.token.value' }),
    ).rejects.toThrow(NOT_SIGNED_IN);
    await expect(stack.connect(server, { token: 'not-a-token' })).rejects.toThrow(NOT_SIGNED_IN);
  });

  it('refuses a session cookie used as a realtime token (another audience)', async () => {
    const sessionToken = organizer.cookie.slice('spot_session='.length);
    await expect(stack.connect(server, { token: sessionToken })).rejects.toThrow(NOT_SIGNED_IN);
  });

  it('accepts a realtime token instead of the cookie (the scanner on its own origin)', async () => {
    const { token, expiresIn } = (await staff.agent.query('checkin.realtimeToken')) as {
      token: string;
      expiresIn: number;
    };
    expect(expiresIn).toBeGreaterThan(0);
    const client = await stack.connect(server, { token });
    expect(await client.join(eventRoom(eventId))).toEqual({ ok: true });
  });

  it('refuses pages of other sites, whatever the transport', async () => {
    await expect(
      stack.connect(server, { cookie: organizer.cookie, origin: 'https://evil.example' }),
    ).rejects.toThrow();
    const client = await stack.connect(server, {
      cookie: organizer.cookie,
      origin: 'http://localhost:3000',
    });
    expect(client.socket.connected).toBe(true);
  });

  it("lets the event's organizer, its staff and admins join its room", async () => {
    for (const member of [organizer, staff, admin]) {
      const client = await stack.connect(server, { cookie: member.cookie });
      expect(await client.join(eventRoom(eventId)), member.email).toEqual({ ok: true });
    }
  });

  it('refuses a plain user and another organizer', async () => {
    for (const outsider of [user, otherOrganizer]) {
      const client = await stack.connect(server, { cookie: outsider.cookie });
      expect(await client.join(eventRoom(eventId))).toEqual({
        ok: false,
        error: `not allowed to join ${eventRoom(eventId)}`,
      });
      expect(
        server.io.sockets.adapter.rooms.get(eventRoom(eventId))?.has(client.socket.id ?? ''),
      ).not.toBe(true);
    }
  });

  it("lets users join their own organizer room and admins anyone's, nobody else", async () => {
    const own = await stack.connect(server, { cookie: organizer.cookie });
    expect(await own.join(organizerRoom(organizer.id))).toEqual({ ok: true });
    expect(await own.join(organizerRoom(otherOrganizer.id))).toMatchObject({ ok: false });
    const byAdmin = await stack.connect(server, { cookie: admin.cookie });
    expect(await byAdmin.join(organizerRoom(organizer.id))).toEqual({ ok: true });
  });

  it('refuses rooms that are not event or organizer rooms, and malformed names', async () => {
    const client = await stack.connect(server, { cookie: admin.cookie });
    for (const room of ['lobby', 'event:not-an-id', `event:${eventId}:x`, '', 42, null]) {
      expect(await client.join(room), String(room)).toMatchObject({ ok: false });
    }
    // Another socket's own room would let it read that socket's messages.
    const other = await stack.connect(server, { cookie: organizer.cookie });
    expect(await client.join(other.socket.id)).toMatchObject({ ok: false });
  });

  it('leaves a room on request', async () => {
    const client = await stack.connect(server, { cookie: organizer.cookie });
    await client.join(eventRoom(eventId));
    expect(await client.leave(eventRoom(eventId))).toEqual({ ok: true });
    const room = server.io.sockets.adapter.rooms.get(eventRoom(eventId));
    expect(room?.has(client.socket.id ?? '')).not.toBe(true);
  });

  it('ignores every other client event, counting it on /health', async () => {
    const watcher = await stack.connect(server, { cookie: organizer.cookie });
    await watcher.join(eventRoom(eventId));
    const forger = await stack.connect(server, { cookie: staff.cookie });
    await forger.join(eventRoom(eventId));
    const before = await fetchHealth(server);

    const forged = { eventId, checkins: 9999, change: 'checked_in' };
    forger.socket.emit('checkin', forged);
    forger.socket.emit('sales', { eventId, sold: 9999 });
    forger.socket.emit('live-status', { redis: 'down' });
    await settle();

    const after = await fetchHealth(server);
    expect(after.ignoredClientEvents - before.ignoredClientEvents).toBe(3);
    for (const client of [watcher, forger]) {
      expect(client.payloads('checkin')).toEqual([]);
      expect(client.payloads('sales')).toEqual([]);
    }
    // The forger is still connected (and its own status untouched): ignored, not punished.
    expect(forger.socket.connected).toBe(true);
    expect(watcher.payloads('live-status')).toHaveLength(1);
  });

  it('tells every socket on connect whether live updates flow, and /health reports it', async () => {
    const expected = process.env.REDIS_URL ? 'up' : 'down';
    await eventually(() => server.health().redis === expected, `Redis ${expected}`);
    const client = await stack.connect(server, { cookie: user.cookie });
    await settle(100);
    expect(client.payloads('live-status')).toEqual([{ redis: expected }]);
    const health = await fetchHealth(server);
    expect(health).toMatchObject({ status: 'ok', redis: expected });
    expect(health.sockets).toBeGreaterThanOrEqual(1);
  });
});

describe('sockets keep only what they are still allowed', () => {
  /** An event whose two staff members each have a socket in its room. */
  async function doorTeamOnline(server: RealtimeServer, organizer: Account) {
    const [volunteer, suspended] = await Promise.all([
      stack.account('user'),
      stack.account('user'),
    ]);
    const eventId = await stack.event(organizer, [volunteer, suspended]);
    const volunteerSocket = await stack.connect(server, { cookie: volunteer.cookie });
    const suspendedSocket = await stack.connect(server, { cookie: suspended.cookie });
    expect(await volunteerSocket.join(eventRoom(eventId))).toEqual({ ok: true });
    expect(await suspendedSocket.join(eventRoom(eventId))).toEqual({ ok: true });
    const inRoom = (client: typeof volunteerSocket) =>
      server.io.sockets.adapter.rooms.get(eventRoom(eventId))?.has(client.socket.id ?? '') ?? false;
    return { eventId, volunteer, suspended, volunteerSocket, suspendedSocket, inRoom };
  }

  it('a suspended account is disconnected; staff taken off the door leave the room', async () => {
    const server = await stack.realtime(process.env.REDIS_URL, 100);
    const organizer = await stack.account('organizer');
    const { eventId, volunteer, suspended, volunteerSocket, suspendedSocket, inRoom } =
      await doorTeamOnline(server, organizer);

    // What an admin's suspension does to the account (see the admin service), behind the API's
    // back: only the periodic check can notice.
    await User.updateOne(
      { _id: suspended.id },
      { $set: { status: 'suspended' }, $inc: { sessionVersion: 1 } },
    );
    await Event.updateOne({ _id: eventId }, { $pull: { staff: volunteer.id } });

    await eventually(() => !inRoom(suspendedSocket), 'the suspended socket to be dropped');
    // The server ended it: the client does not reconnect by itself.
    await settle(300);
    expect(suspendedSocket.socket.connected).toBe(false);
    // A door team is cached for a few seconds per process.
    await eventually(() => !inRoom(volunteerSocket), 'the volunteer to leave the room', 10_000);
    expect(volunteerSocket.socket.connected).toBe(true);
  });

  it("an admin's suspension and an organizer's staff change apply to live sockets at once", async () => {
    // The periodic check is a minute away: only the API's announcement can explain a prompt drop.
    const server = await stack.realtime();
    const [organizer, admin] = await Promise.all([
      stack.account('organizer'),
      stack.account('admin'),
    ]);
    const { eventId, volunteer, suspended, volunteerSocket, suspendedSocket, inRoom } =
      await doorTeamOnline(server, organizer);

    await admin.agent.mutate('admin.suspend', { id: suspended.id, reason: 'Ticket touting' });
    await eventually(() => !suspendedSocket.socket.connected, 'the suspended socket to drop', 3000);

    await organizer.agent.mutate('checkin.removeStaff', { eventId, userId: volunteer.id });
    await eventually(() => !inRoom(volunteerSocket), 'the volunteer to leave the room', 3000);
    expect(volunteerSocket.socket.connected).toBe(true);
  });
});
