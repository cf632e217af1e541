import { classifyError } from './errors.ts';
import type { ScanEntry, ScanQueue } from './queue.ts';
import type { CheckinApi, ScanPlace, ScanResult } from './types.ts';

export interface BackoffOptions {
  /** The first wait after TOO_MANY_REQUESTS; doubles with each one in a row. */
  initialMs: number;
  maxMs: number;
  /** TOO_MANY_REQUESTS answers in a row before the run gives up (the next run tries again). */
  maxRetries: number;
}

export interface SyncOptions {
  api: CheckinApi;
  queue: ScanQueue;
  /** The signed-in user's id (only the scans they made are sent), null when nobody is. */
  userId: () => string | null;
  isOnline: () => boolean;
  sleep?: (ms: number) => Promise<void>;
  /** Pause between two requests, so a long queue does not hit the rate limit. */
  paceMs?: number;
  backoff?: Partial<BackoffOptions>;
  /** A request with no answer after this long counts as a network failure. */
  timeoutMs?: number;
}

/** Why a run ended before the queue was empty. */
export type SyncStop = 'offline' | 'network' | 'server' | 'rate_limited' | 'signed_out';

export interface SyncReport {
  /** Requests sent. */
  attempted: number;
  /** Scans the server accepted (`ok`). */
  accepted: number;
  /** Scans the server answered with anything else (already used meanwhile, cancelled…). */
  conflicts: number;
  /** Scans the server refused to take at all (they will not be retried). */
  failed: number;
  /** Scans still pending after the run. */
  remaining: number;
  stoppedBy?: SyncStop;
}

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 30_000, maxRetries: 4 };

/** Aborts a request after `ms` (where the browser can), so a hanging network counts as none. */
export function timeoutSignal(ms: number): AbortSignal | undefined {
  return ms > 0 && typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(ms) : undefined;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What a request is made of. */
export type Sendable = Pick<
  ScanEntry,
  'kind' | 'eventId' | 'nonce' | 'payload' | 'ticketId' | 'gate' | 'device'
>;

function place(entry: Sendable): ScanPlace {
  return {
    ...(entry.gate ? { gate: entry.gate } : {}),
    ...(entry.device ? { device: entry.device } : {}),
  };
}

/** Sends a queued entry as it was made: same nonce, gate and device. */
export function sendEntry(
  api: CheckinApi,
  entry: Sendable,
  signal?: AbortSignal,
): Promise<ScanResult> {
  const options = signal ? { signal } : undefined;
  if (entry.kind === 'manual') {
    if (!entry.ticketId) throw new Error('A manual check-in without its ticket id.');
    return api.manualCheckIn(
      { eventId: entry.eventId, ticketId: entry.ticketId, nonce: entry.nonce, ...place(entry) },
      options,
    );
  }
  if (!entry.payload) throw new Error('A queued scan without its payload.');
  return api.scan(
    { eventId: entry.eventId, payload: entry.payload, nonce: entry.nonce, ...place(entry) },
    options,
  );
}

/**
 * Sends the offline queue, oldest scan first, one request at a time with a pause between them.
 * Each entry keeps its nonce, so a scan whose answer was lost earlier gets that answer again.
 * TOO_MANY_REQUESTS waits (doubling, or as long as the server asked) and retries the same entry;
 * no network, a server error or a signed-out session end the run with the rest still pending.
 */
export class SyncEngine {
  private running: Promise<SyncReport> | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly paceMs: number;
  private readonly backoff: BackoffOptions;
  private readonly timeoutMs: number;

  constructor(private readonly options: SyncOptions) {
    this.sleep = options.sleep ?? realSleep;
    this.paceMs = options.paceMs ?? 200;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** One run at a time: a call while one is going returns that run. */
  run(): Promise<SyncReport> {
    this.running ??= this.runOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runOnce(): Promise<SyncReport> {
    const { queue, api } = this.options;
    const report: SyncReport = { attempted: 0, accepted: 0, conflicts: 0, failed: 0, remaining: 0 };
    const userId = this.options.userId();
    const entries = userId ? await queue.pending(userId) : [];
    /** Events whose check-in is not open yet: their other scans wait for the next run. */
    const notOpen = new Set<string>();
    let rateLimited = 0;
    /** How long to wait before the next request: the pace, or a back-off. */
    let wait = 0;

    for (let index = 0; index < entries.length && !report.stoppedBy; ) {
      let entry = entries[index] as ScanEntry;
      if (notOpen.has(entry.eventId)) {
        index += 1;
        continue;
      }
      if (wait > 0) await this.sleep(wait);
      wait = this.paceMs;
      if (!this.options.isOnline()) {
        report.stoppedBy = 'offline';
        break;
      }
      report.attempted += 1;
      let result: ScanResult;
      try {
        result = await sendEntry(api, entry, timeoutSignal(this.timeoutMs));
      } catch (error) {
        const problem = classifyError(error);
        if (problem.kind === 'signed_out') {
          report.stoppedBy = 'signed_out';
          break;
        }
        const final = problem.kind === 'refused';
        entry = await queue.attemptFailed(entry, problem.message, final);
        entries[index] = entry;
        switch (problem.kind) {
          case 'network':
          case 'server':
            report.stoppedBy = problem.kind;
            break;
          case 'rate_limited': {
            rateLimited += 1;
            if (rateLimited > this.backoff.maxRetries) {
              report.stoppedBy = 'rate_limited';
              break;
            }
            const doubling = this.backoff.initialMs * 2 ** (rateLimited - 1);
            wait = Math.max(Math.min(doubling, this.backoff.maxMs), problem.retryAfterMs ?? 0);
            break; // the same entry again, after the wait
          }
          case 'not_open':
            notOpen.add(entry.eventId);
            index += 1;
            break;
          case 'changed':
            index += 1;
            break;
          case 'refused':
            report.failed += 1;
            index += 1;
            break;
        }
        continue;
      }
      rateLimited = 0;
      await queue.settle(entry, result);
      if (result.result === 'ok') report.accepted += 1;
      else report.conflicts += 1;
      index += 1;
    }

    report.remaining = userId ? (await queue.pending(userId)).length : 0;
    if (!userId && (await queue.pending()).length > 0) report.stoppedBy = 'signed_out';
    return report;
  }
}

export interface AutoSyncEnvironment {
  isOnline(): boolean;
  /** Calls `listener` when the device comes back online; returns the unsubscribe. */
  onOnline(listener: () => void): () => void;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/**
 * Runs the queue when the device comes back online and every `intervalMs` while it is online
 * (the `online` event is unreliable on some phones, and rate-limited runs need a later retry).
 */
export function startAutoSync(
  engine: Pick<SyncEngine, 'run'>,
  env: AutoSyncEnvironment,
  options: { intervalMs?: number; onReport?: (report: SyncReport) => void } = {},
): () => void {
  const attempt = () => {
    if (!env.isOnline()) return;
    engine.run().then(options.onReport, () => undefined);
  };
  const unsubscribe = env.onOnline(attempt);
  const handle = env.setInterval(attempt, options.intervalMs ?? 20_000);
  attempt();
  return () => {
    unsubscribe();
    env.clearInterval(handle);
  };
}
