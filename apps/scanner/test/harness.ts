import { CheckInFlow, type ScanContext } from '../src/core/checkin.ts';
import { VerificationKeys } from '../src/core/keys.ts';
import { clockTime, presentOutcome } from '../src/core/present.ts';
import { ScanQueue } from '../src/core/queue.ts';
import { SyncEngine, type SyncOptions } from '../src/core/sync.ts';
import { MemoryStore } from '../src/storage/memory.ts';
import { EVENT_ID, FakeCheckinApi, makeSigningKey } from './fixtures.ts';

/** Times on screen, in UTC so the expectations do not depend on the machine. */
export const utcTime = clockTime('UTC');

/**
 * One scanner device against the fake API: its storage, queue, key, check-in flow and sync,
 * with a switch for the network, a clock, numbered nonces, and a recorded `sleep`.
 */
export async function scannerDevice(options: { sync?: Partial<SyncOptions> } = {}) {
  const serverKey = await makeSigningKey();
  const api = new FakeCheckinApi(serverKey);
  const store = new MemoryStore();
  const network = { online: true };
  const clock = { now: Date.UTC(2030, 5, 1, 17, 30) };
  const now = () => clock.now;
  let nonceCount = 0;
  const newNonce = () => `nonce${String(++nonceCount).padStart(4, '0')}`;
  const queue = new ScanQueue(store, { now });
  const keyFetches: number[] = [];
  const keys = new VerificationKeys({
    store,
    fetchKey: async () => {
      if (!network.online) throw new TypeError('fetch failed');
      keyFetches.push(now());
      return serverKey.jwk;
    },
    now,
  });
  const isOnline = () => network.online;
  const flow = new CheckInFlow({ api, queue, keys, isOnline, newNonce, now });
  const sleeps: number[] = [];
  const user = { current: 'user-1' as string | null };
  const sync = new SyncEngine({
    api,
    queue,
    isOnline,
    userId: () => user.current,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    paceMs: 250,
    ...options.sync,
  });
  const context: ScanContext = {
    eventId: EVENT_ID,
    userId: 'user-1',
    gate: 'North gate',
    device: 'scanner-test',
  };

  /** Scans like the scan screen: the outcome and what the screen shows. */
  async function scan(payload: string, at: Partial<ScanContext> = {}) {
    clock.now += 1_000;
    const outcome = await flow.scan(payload, { ...context, ...at });
    return { outcome, screen: presentOutcome(outcome, utcTime) };
  }

  async function manual(ticket: { ticketId: string; attendeeName: string }) {
    clock.now += 1_000;
    const outcome = await flow.manual(ticket, context);
    return { outcome, screen: presentOutcome(outcome, utcTime) };
  }

  return {
    serverKey,
    api,
    store,
    network,
    clock,
    queue,
    keys,
    flow,
    sync,
    sleeps,
    user,
    context,
    keyFetches,
    scan,
    manual,
  };
}
