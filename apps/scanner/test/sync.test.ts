import { describe, expect, it, vi } from 'vitest';
import { describeEntry } from '../src/core/present.ts';
import { needsAttention } from '../src/core/queue.ts';
import { type AutoSyncEnvironment, startAutoSync } from '../src/core/sync.ts';
import { apiError, OTHER_EVENT_ID } from './fixtures.ts';
import { scannerDevice, utcTime } from './harness.ts';

/** A device that scanned `names.length` tickets while offline, then came back online. */
async function deviceWithQueue(names: string[], options?: Parameters<typeof scannerDevice>[0]) {
  const device = await scannerDevice(options);
  await device.keys.refresh();
  const tickets = [];
  for (const name of names) tickets.push(await device.api.addTicket(name));
  device.network.online = false;
  for (const ticket of tickets) await device.scan(ticket.payload);
  device.network.online = true;
  return { ...device, tickets };
}

const tooMany =
  (seconds = 3) =>
  () =>
    apiError('TOO_MANY_REQUESTS', 429, `Too many attempts. Try again in ${seconds} seconds.`);

describe('syncing the offline queue', () => {
  it('sends the queued scans in the order they were made, with their original nonces, paced', async () => {
    const device = await deviceWithQueue(['Ada', 'Brian', 'Chen']);

    const report = await device.sync.run();

    expect(report).toEqual({ attempted: 3, accepted: 3, conflicts: 0, failed: 0, remaining: 0 });
    expect(device.api.calls.map((call) => call.kind === 'scan' && call.input.payload)).toEqual(
      device.tickets.map((ticket) => ticket.payload),
    );
    expect(device.api.nonces).toEqual(['nonce0001', 'nonce0002', 'nonce0003']);
    expect(device.api.calls.every((call) => call.input.gate === 'North gate')).toBe(true);
    expect(device.sleeps).toEqual([250, 250]);
    const entries = await device.queue.queued();
    expect(entries.map((entry) => describeEntry(entry, utcTime))).toEqual([
      'Synced: checked in (Ada)',
      'Synced: checked in (Brian)',
      'Synced: checked in (Chen)',
    ]);
  });

  it("records conflicts with the server's reason and counts them on the badge until dismissed", async () => {
    const device = await deviceWithQueue(['Ada', 'Brian', 'Chen']);
    const [ada, brian] = device.tickets;
    // Meanwhile, online at another gate: Ada was let in there, Brian's ticket was cancelled.
    device.api.checkInElsewhere(ada?.code as string, 'Sam Gate', 'South gate');
    const brianTicket = device.api.tickets.get(brian?.code as string);
    if (brianTicket) brianTicket.status = 'cancelled';

    const report = await device.sync.run();

    expect(report).toMatchObject({ accepted: 1, conflicts: 2, remaining: 0 });
    expect(await device.queue.counts()).toEqual({ pending: 0, attention: 2 });
    const entries = await device.queue.queued();
    expect(entries.map((entry) => [entry.result?.result, needsAttention(entry)])).toEqual([
      ['already_used', true],
      ['cancelled', true],
      ['ok', false],
    ]);
    expect(describeEntry(entries[0] as (typeof entries)[0], utcTime)).toBe(
      'Conflict: already used. First scanned at 18:01 by Sam Gate at South gate',
    );
    expect(describeEntry(entries[1] as (typeof entries)[0], utcTime)).toBe(
      'Conflict: ticket cancelled. This ticket was cancelled.',
    );

    await device.queue.acknowledge(entries[0]?.nonce as string);
    expect(await device.queue.counts()).toEqual({ pending: 0, attention: 1 });
  });

  it('backs off on TOO_MANY_REQUESTS, doubling, and retries the same scan with the same nonce', async () => {
    const device = await deviceWithQueue(['Ada', 'Brian'], {
      sync: { backoff: { initialMs: 1_000, maxMs: 30_000, maxRetries: 4 } },
    });
    device.api.failNext(tooMany(0), tooMany(0));

    const report = await device.sync.run();

    expect(report).toMatchObject({ attempted: 4, accepted: 2, remaining: 0 });
    expect(device.api.nonces).toEqual(['nonce0001', 'nonce0001', 'nonce0001', 'nonce0002']);
    expect(device.sleeps).toEqual([1_000, 2_000, 250]);
  });

  it('waits as long as the server asks when that is longer', async () => {
    const device = await deviceWithQueue(['Ada']);
    device.api.failNext(tooMany(7));

    await device.sync.run();

    expect(device.sleeps).toEqual([7_000]);
    expect(await device.queue.counts()).toEqual({ pending: 0, attention: 0 });
  });

  it('gives up the run after too many TOO_MANY_REQUESTS in a row and keeps the scans pending', async () => {
    const device = await deviceWithQueue(['Ada', 'Brian'], {
      sync: { backoff: { initialMs: 1_000, maxMs: 3_000, maxRetries: 3 } },
    });
    device.api.failNext(tooMany(0), tooMany(0), tooMany(0), tooMany(0));

    const report = await device.sync.run();

    expect(report).toMatchObject({ stoppedBy: 'rate_limited', remaining: 2, accepted: 0 });
    expect(device.sleeps).toEqual([1_000, 2_000, 3_000]);
    const [first] = await device.queue.pending();
    expect(first).toMatchObject({ nonce: 'nonce0001', attempts: 4 });
    expect(describeEntry(first as NonNullable<typeof first>)).toMatch(
      /^Waiting to sync \(4 tries: Too many attempts/,
    );

    // The next run (the periodic retry) finishes the job, in order, with the same nonces.
    const next = await device.sync.run();
    expect(next).toMatchObject({ accepted: 2, remaining: 0 });
    expect(device.api.nonces.slice(-2)).toEqual(['nonce0001', 'nonce0002']);
  });

  it('stops at a network failure and resumes in order on the next run', async () => {
    const device = await deviceWithQueue(['Ada', 'Brian', 'Chen']);
    // Ada goes through, then the network drops while Brian's scan is sent.
    const send = device.api.scan.bind(device.api);
    let calls = 0;
    device.api.scan = (input) => {
      calls += 1;
      device.api.down = calls === 2;
      return send(input);
    };

    const first = await device.sync.run();

    expect(first).toMatchObject({ stoppedBy: 'network', accepted: 1, remaining: 2 });
    const second = await device.sync.run();
    expect(second).toMatchObject({ accepted: 2, remaining: 0 });
    expect(device.api.nonces).toEqual(['nonce0001', 'nonce0002', 'nonce0002', 'nonce0003']);
  });

  it('sends nothing while offline', async () => {
    const device = await deviceWithQueue(['Ada']);
    device.network.online = false;

    expect(await device.sync.run()).toMatchObject({ stoppedBy: 'offline', remaining: 1 });
    expect(device.api.calls).toEqual([]);
  });

  it('sends only the signed-in scanner’s scans and stops when the session ended', async () => {
    const device = await deviceWithQueue(['Ada']);
    device.user.current = 'someone-else';
    expect(await device.sync.run()).toMatchObject({ attempted: 0, remaining: 0 });
    device.user.current = null;
    expect(await device.sync.run()).toMatchObject({ attempted: 0, stoppedBy: 'signed_out' });

    device.user.current = 'user-1';
    device.api.failNext(() => apiError('UNAUTHORIZED', 401, 'Log in first.'));
    expect(await device.sync.run()).toMatchObject({ stoppedBy: 'signed_out', remaining: 1 });
    expect(await device.sync.run()).toMatchObject({ accepted: 1, remaining: 0 });
  });

  it('leaves an event whose check-in is not open pending and goes on with the others', async () => {
    const device = await scannerDevice();
    await device.keys.refresh();
    const early = await device.api.addTicket('Early', { eventId: OTHER_EVENT_ID });
    const open = await device.api.addTicket('Open');
    device.network.online = false;
    await device.scan(early.payload, { eventId: OTHER_EVENT_ID });
    await device.scan(open.payload);
    device.network.online = true;
    device.api.failNext(() =>
      apiError(
        'PRECONDITION_FAILED',
        412,
        'Check-in for this event opens at 2030-06-01T20:00:00Z.',
      ),
    );

    const report = await device.sync.run();

    expect(report).toMatchObject({ accepted: 1, remaining: 1 });
    const [waiting] = await device.queue.pending();
    expect(waiting?.eventId).toBe(OTHER_EVENT_ID);
  });

  it('marks a scan the server refuses outright as failed, shown with the conflicts', async () => {
    const device = await deviceWithQueue(['Ada', 'Brian']);
    device.api.failNext(() => apiError('BAD_REQUEST', 400, 'payload is too long to be a ticket'));

    const report = await device.sync.run();

    expect(report).toMatchObject({ failed: 1, accepted: 1, remaining: 0 });
    const [refused] = await device.queue.queued();
    expect(refused?.status).toBe('failed');
    expect(describeEntry(refused as NonNullable<typeof refused>)).toBe(
      'Not accepted: payload is too long to be a ticket',
    );
    expect(await device.queue.counts()).toEqual({ pending: 0, attention: 1 });
  });

  it('runs once at a time', async () => {
    const device = await deviceWithQueue(['Ada', 'Brian']);
    const [a, b] = await Promise.all([device.sync.run(), device.sync.run()]);
    expect(a).toBe(b);
    expect(device.api.calls).toHaveLength(2);
  });

  it('queued manual check-ins are sent as manual check-ins', async () => {
    const device = await scannerDevice();
    const ticket = await device.api.addTicket('Grace');
    device.network.online = false;
    await device.manual({ ticketId: ticket.id, attendeeName: 'Grace' });
    device.network.online = true;

    await device.sync.run();

    expect(device.api.calls).toEqual([
      {
        kind: 'manual',
        input: {
          eventId: device.context.eventId,
          ticketId: ticket.id,
          nonce: 'nonce0001',
          gate: 'North gate',
          device: 'scanner-test',
        },
      },
    ]);
  });

  it('forgets old answered scans but never pending ones or undismissed conflicts', async () => {
    const device = await deviceWithQueue(['Ada', 'Brian', 'Chen']);
    device.api.checkInElsewhere(device.tickets[0]?.code as string, 'Sam', null);
    await device.sync.run(); // Ada: conflict; Brian, Chen: checked in
    const dee = await device.api.addTicket('Dee');
    device.network.online = false;
    await device.scan(dee.payload); // pending
    device.clock.now += 4 * 24 * 60 * 60 * 1000;
    const threeDays = 3 * 24 * 60 * 60 * 1000;

    expect(await device.queue.prune(threeDays)).toBe(2);
    const left = await device.queue.queued();
    expect(left.map((entry) => [entry.status, entry.result?.result])).toEqual([
      ['answered', 'already_used'],
      ['pending', undefined],
    ]);

    await device.queue.acknowledge(left[0]?.nonce as string);
    expect(await device.queue.prune(threeDays)).toBe(1);
    expect((await device.queue.queued()).map((entry) => entry.status)).toEqual(['pending']);
  });
});

describe('automatic sync', () => {
  function environment(online: boolean) {
    const listeners: Array<() => void> = [];
    let tick: (() => void) | undefined;
    const env: AutoSyncEnvironment & { online: boolean } = {
      online,
      isOnline: () => env.online,
      onOnline: (listener) => {
        listeners.push(listener);
        return () => listeners.splice(listeners.indexOf(listener), 1);
      },
      setInterval: (callback) => {
        tick = callback;
        return 1;
      },
      clearInterval: () => {
        tick = undefined;
      },
    };
    return {
      env,
      comeOnline: () => {
        env.online = true;
        for (const listener of [...listeners]) listener();
      },
      tick: () => tick?.(),
      listeners,
    };
  }

  it('syncs at start, when the device comes back online, and periodically while online', () => {
    const run = vi.fn(async () => ({
      attempted: 0,
      accepted: 0,
      conflicts: 0,
      failed: 0,
      remaining: 0,
    }));
    const { env, comeOnline, tick, listeners } = environment(false);

    const stop = startAutoSync({ run }, env, { intervalMs: 1_000 });
    expect(run).not.toHaveBeenCalled();
    tick();
    expect(run).not.toHaveBeenCalled();
    comeOnline();
    expect(run).toHaveBeenCalledTimes(1);
    tick();
    expect(run).toHaveBeenCalledTimes(2);

    stop();
    expect(listeners).toHaveLength(0);
  });
});
