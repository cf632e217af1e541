import { describe, expect, it } from 'vitest';
import { NONCE_PATTERN, newNonce } from '../src/core/nonce.ts';
import { apiError, makeSigningKey, OTHER_EVENT_ID, signPayload } from './fixtures.ts';
import { scannerDevice } from './harness.ts';

describe('scanning online', () => {
  it('shows the attendee in green and sends gate, device and a valid nonce', async () => {
    const device = await scannerDevice();
    await device.keys.refresh();
    const ticket = await device.api.addTicket('Ada Lovelace');

    const { screen } = await device.scan(ticket.payload);

    expect(screen).toMatchObject({
      tone: 'ok',
      code: 'ok',
      source: 'server',
      title: 'Ada Lovelace',
    });
    expect(screen?.details).toContain('General admission');
    expect(device.api.calls).toEqual([
      {
        kind: 'scan',
        input: {
          eventId: device.context.eventId,
          payload: ticket.payload,
          nonce: 'nonce0001',
          gate: 'North gate',
          device: 'scanner-test',
        },
      },
    ]);
  });

  it('shows a second scan of the same ticket in yellow with who scanned it first, when and where', async () => {
    const device = await scannerDevice();
    const ticket = await device.api.addTicket('Ada Lovelace');
    device.api.checkInElsewhere(ticket.code, 'Sam Gate', 'South gate');

    const { screen } = await device.scan(ticket.payload);

    expect(screen).toMatchObject({ tone: 'warn', code: 'already_used', title: 'Ada Lovelace' });
    expect(screen?.details[0]).toBe('First scanned at 18:01 by Sam Gate at South gate');
  });

  it('refuses a forged ticket in red on the device, without asking the server', async () => {
    const device = await scannerDevice();
    await device.keys.refresh();
    const forger = await makeSigningKey();
    const forged = await signPayload(
      { privateKey: forger.privateKey, jwk: device.serverKey.jwk },
      { t: 'code-1', e: device.context.eventId },
    );

    const { screen } = await device.scan(forged);

    expect(screen).toMatchObject({
      tone: 'bad',
      code: 'invalid_signature',
      source: 'device',
      title: 'Not a valid Spot ticket',
    });
    expect(device.api.calls).toEqual([]);
  });

  it("refuses another event's ticket in red: 'Ticket for another event'", async () => {
    const device = await scannerDevice();
    const ticket = await device.api.addTicket('Ada', { eventId: OTHER_EVENT_ID });

    const { screen } = await device.scan(ticket.payload);

    expect(screen).toMatchObject({ tone: 'bad', code: 'wrong_event', source: 'device' });
    expect(screen?.title).toBe('Ticket for another event');
    expect(device.api.calls).toEqual([]);
  });

  it("shows the server's refusals in red with its reason", async () => {
    const device = await scannerDevice();
    const ticket = await device.api.addTicket('Ada', { status: 'cancelled' });

    const { screen } = await device.scan(ticket.payload);

    expect(screen).toMatchObject({ tone: 'bad', code: 'cancelled', title: 'Ticket cancelled' });
    expect(screen?.details).toEqual(['This ticket was cancelled.']);
  });

  it('says when check-in opens instead of queueing when it is not open yet', async () => {
    const device = await scannerDevice();
    const ticket = await device.api.addTicket('Ada');
    device.api.failNext(() =>
      apiError(
        'PRECONDITION_FAILED',
        412,
        'Check-in for this event opens at 2030-06-01T18:30:00.000Z.',
      ),
    );

    const { screen } = await device.scan(ticket.payload);

    expect(screen).toMatchObject({ tone: 'bad', code: 'not_open' });
    expect(screen?.details).toEqual(['Check-in opens at 18:30.']);
    expect(await device.queue.counts()).toEqual({ pending: 0, attention: 0 });
  });

  it('fetches a new server key when a ticket carries a key id it does not know', async () => {
    const device = await scannerDevice();
    const oldKey = await makeSigningKey();
    await device.store.setKey({ jwk: oldKey.jwk, fetchedAt: 0 });
    const ticket = await device.api.addTicket('Ada');

    const { screen } = await device.scan(ticket.payload);

    expect(screen?.code).toBe('ok');
    expect(device.keyFetches).toHaveLength(1);
  });

  it('checks in an attendee picked from the search by ticket id', async () => {
    const device = await scannerDevice();
    const ticket = await device.api.addTicket('Grace Hopper');

    const { screen } = await device.manual({ ticketId: ticket.id, attendeeName: 'Grace Hopper' });

    expect(screen).toMatchObject({ code: 'ok', title: 'Grace Hopper' });
    expect(device.api.calls[0]).toEqual({
      kind: 'manual',
      input: {
        eventId: device.context.eventId,
        ticketId: ticket.id,
        nonce: 'nonce0001',
        gate: 'North gate',
        device: 'scanner-test',
      },
    });
  });
});

describe('scanning offline', () => {
  it('queues a locally valid scan as pending (blue) without a request', async () => {
    const device = await scannerDevice();
    await device.keys.refresh();
    const ticket = await device.api.addTicket('Ada');
    device.network.online = false;

    const { outcome, screen } = await device.scan(ticket.payload);

    expect(screen).toMatchObject({
      tone: 'pending',
      code: 'pending',
      label: 'Pending (offline)',
      source: 'device',
    });
    expect(screen?.details[0]).toBe('Genuine ticket for this event (signature checked).');
    expect(device.api.calls).toEqual([]);
    expect(outcome.kind === 'queued' && outcome.entry).toMatchObject({
      nonce: 'nonce0001',
      status: 'pending',
      verified: true,
      gate: 'North gate',
    });
    expect(await device.queue.counts()).toEqual({ pending: 1, attention: 0 });
  });

  it('still refuses forgeries and other events offline, with the kept key', async () => {
    const device = await scannerDevice();
    await device.keys.refresh();
    const other = await device.api.addTicket('Ada', { eventId: OTHER_EVENT_ID });
    device.network.online = false;

    expect((await device.scan(other.payload)).screen?.code).toBe('wrong_event');
    expect((await device.scan('not-a-ticket')).screen?.code).toBe('invalid_signature');
    const rotated = await makeSigningKey();
    const unknownKey = await signPayload(rotated, { t: 'x', e: device.context.eventId });
    const { screen } = await device.scan(unknownKey);
    expect(screen?.code).toBe('invalid_signature');
    expect(screen?.details[0]).toMatch(/key this device does not know/);
    expect(await device.queue.counts()).toEqual({ pending: 0, attention: 0 });
  });

  it("flags the same ticket scanned twice offline: 'already scanned on this device (pending)'", async () => {
    const device = await scannerDevice();
    await device.keys.refresh();
    const ticket = await device.api.addTicket('Ada');
    device.network.online = false;
    await device.scan(ticket.payload);

    const again = await device.scan(ticket.payload);

    expect(again.screen).toMatchObject({
      tone: 'warn',
      code: 'duplicate_pending',
      title: 'Already scanned on this device (pending)',
    });
    expect(again.screen?.details).toContain('Scanned on this device at 17:30 at North gate');
    expect(await device.queue.counts()).toEqual({ pending: 1, attention: 0 });

    // Back online before the queue synced: still not sent a second time.
    device.network.online = true;
    expect((await device.scan(ticket.payload)).screen?.code).toBe('duplicate_pending');
    expect(device.api.calls).toEqual([]);
  });

  it('remembers tickets checked in online and says so when they come back offline', async () => {
    const device = await scannerDevice();
    const ticket = await device.api.addTicket('Ada');
    await device.scan(ticket.payload);
    device.network.online = false;

    const { screen } = await device.scan(ticket.payload);

    expect(screen).toMatchObject({ tone: 'warn', code: 'already_used', source: 'device' });
    expect(screen?.details[0]).toBe('Checked in on this device at 18:01 at North gate');
  });

  it('queues a scan whose request got no answer, with the nonce it was sent with', async () => {
    const device = await scannerDevice();
    const ticket = await device.api.addTicket('Ada');
    device.api.loseNextAnswer = true; // the server checks it in; the answer is lost

    const { screen, outcome } = await device.scan(ticket.payload);

    expect(screen).toMatchObject({ tone: 'pending', label: 'Pending (no connection)' });
    expect(outcome.kind === 'queued' && outcome.entry.nonce).toBe('nonce0001');

    const report = await device.sync.run();

    // The retry carries the same nonce, so the server answers "ok" again, not "already used".
    expect(device.api.nonces).toEqual(['nonce0001', 'nonce0001']);
    expect(report).toMatchObject({ accepted: 1, conflicts: 0, remaining: 0 });
    expect(await device.queue.counts()).toEqual({ pending: 0, attention: 0 });
  });

  it('queues unverified when the device never had the key, and says so', async () => {
    const device = await scannerDevice();
    const ticket = await device.api.addTicket('Ada');
    device.network.online = false;

    const { outcome, screen } = await device.scan(ticket.payload);

    expect(screen?.code).toBe('pending');
    expect(screen?.details[0]).toBe('The signature could not be checked on this device.');
    expect(outcome.kind === 'queued' && outcome.entry.verified).toBe(false);
  });

  it('ignores an empty code', async () => {
    const device = await scannerDevice();
    expect(await device.scan('   ')).toEqual({ outcome: { kind: 'empty' }, screen: null });
  });
});

describe('nonces', () => {
  it('match what the API accepts', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(nonce).toMatch(NONCE_PATTERN);
  });
});
