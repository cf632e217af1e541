import type { ScanResult } from './types.ts';

/**
 * Every scan this device sent or has still to send, keyed by its nonce. It is the offline queue
 * (entries still `pending`) and the device's memory of what it scanned (so a ticket scanned twice
 * while offline is caught here). The storage is an interface: IndexedDB in the browser
 * (src/storage/idb.ts), a Map in tests (src/storage/memory.ts).
 */

export type EntryStatus =
  /** Not answered by the server yet: waiting for the network (the offline queue). */
  | 'pending'
  /** The server answered (`result`). */
  | 'answered'
  /** The server refused the request itself (bad input, forbidden…): it will never be answered. */
  | 'failed';

export interface ScanEntry {
  /** The attempt's nonce: sent with every retry. Primary key. */
  nonce: string;
  eventId: string;
  /** Who was signed in when it was scanned; only their session may send it. */
  userId: string;
  kind: 'qr' | 'manual';
  /** The QR payload (kind `qr`). */
  payload?: string;
  /** The ticket picked from the attendee search (kind `manual`). */
  ticketId?: string;
  /** Same ticket ⇔ same key: `code:<ticket code>` when the signature was checked, else the raw payload. */
  ticketKey: string;
  /** Known before the server answers for manual check-ins. */
  attendeeName?: string;
  gate?: string;
  device?: string;
  /** When it was scanned (device clock, ms). */
  scannedAt: number;
  /** `online`: answered at once. `queued`: went through the offline queue. */
  origin: 'online' | 'queued';
  /** Whether the signature was checked on this device before it was queued. */
  verified: boolean;
  status: EntryStatus;
  attempts: number;
  lastAttemptAt?: number;
  /** The last problem sending it (kept while it is pending; the reason when it failed). */
  lastError?: string;
  result?: ScanResult;
  answeredAt?: number;
  /** When the person at the door dismissed a conflict in the pending list. */
  acknowledgedAt?: number;
}

export interface ScanStore {
  put(entry: ScanEntry): Promise<void>;
  get(nonce: string): Promise<ScanEntry | undefined>;
  /** The entries for one ticket of one event, in any order. */
  byTicket(eventId: string, ticketKey: string): Promise<ScanEntry[]>;
  /** Every entry, in any order. */
  all(): Promise<ScanEntry[]>;
  delete(nonce: string): Promise<void>;
}

/** A queued scan the server did not accept (someone else's scan won, cancelled…) or could not take. */
export function isConflict(entry: ScanEntry): boolean {
  if (entry.origin !== 'queued') return false;
  if (entry.status === 'failed') return true;
  return entry.status === 'answered' && entry.result !== undefined && entry.result.result !== 'ok';
}

/** A conflict nobody has dismissed yet: counted on the pending badge. */
export function needsAttention(entry: ScanEntry): boolean {
  return isConflict(entry) && entry.acknowledgedAt === undefined;
}

export type NewEntry = Omit<ScanEntry, 'status' | 'attempts' | 'origin'>;

export interface QueueCounts {
  pending: number;
  attention: number;
}

const byScanTime = (a: ScanEntry, b: ScanEntry) =>
  a.scannedAt - b.scannedAt || a.nonce.localeCompare(b.nonce);

export class ScanQueue {
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;

  constructor(
    private readonly store: ScanStore,
    options: { now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Called after every change (the pending list and badge re-read). */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  private async save(entry: ScanEntry): Promise<ScanEntry> {
    await this.store.put(entry);
    this.changed();
    return entry;
  }

  /**
   * What this device already knows about a ticket: a scan still pending first, else the latest
   * answered one. Undefined when it has not scanned it.
   */
  async known(eventId: string, ticketKey: string): Promise<ScanEntry | undefined> {
    const entries = (await this.store.byTicket(eventId, ticketKey)).sort(byScanTime);
    return (
      entries.find((entry) => entry.status === 'pending') ??
      entries.filter((entry) => entry.status === 'answered').at(-1)
    );
  }

  /** Queues a scan the server could not be asked about now. */
  enqueue(entry: NewEntry, problem?: string): Promise<ScanEntry> {
    return this.save({
      ...entry,
      origin: 'queued',
      status: 'pending',
      attempts: problem ? 1 : 0,
      ...(problem ? { lastError: problem, lastAttemptAt: this.now() } : {}),
    });
  }

  /** Remembers a scan the server answered at once. */
  recordAnswer(entry: NewEntry, result: ScanResult): Promise<ScanEntry> {
    return this.save({
      ...entry,
      origin: 'online',
      status: 'answered',
      attempts: 1,
      lastAttemptAt: this.now(),
      result,
      answeredAt: this.now(),
    });
  }

  /** The server answered a queued scan. */
  settle(entry: ScanEntry, result: ScanResult): Promise<ScanEntry> {
    return this.save({
      ...entry,
      status: 'answered',
      attempts: entry.attempts + 1,
      lastAttemptAt: this.now(),
      lastError: undefined,
      result,
      answeredAt: this.now(),
    });
  }

  /** A try that got no answer (kept pending), or a refusal that ends it (`failed`). */
  attemptFailed(entry: ScanEntry, message: string, final: boolean): Promise<ScanEntry> {
    return this.save({
      ...entry,
      status: final ? 'failed' : 'pending',
      attempts: entry.attempts + 1,
      lastAttemptAt: this.now(),
      lastError: message,
    });
  }

  async acknowledge(nonce: string): Promise<void> {
    const entry = await this.store.get(nonce);
    if (entry && entry.acknowledgedAt === undefined)
      await this.save({ ...entry, acknowledgedAt: this.now() });
  }

  /** Pending scans in the order they were made; only `userId`'s when given. */
  async pending(userId?: string): Promise<ScanEntry[]> {
    return (await this.store.all())
      .filter((entry) => entry.status === 'pending' && (!userId || entry.userId === userId))
      .sort(byScanTime);
  }

  /** Everything that went through the queue (pending, synced, conflicts), oldest first. */
  async queued(): Promise<ScanEntry[]> {
    return (await this.store.all()).filter((entry) => entry.origin === 'queued').sort(byScanTime);
  }

  async counts(): Promise<QueueCounts> {
    const entries = await this.store.all();
    return {
      pending: entries.filter((entry) => entry.status === 'pending').length,
      attention: entries.filter(needsAttention).length,
    };
  }

  /**
   * Forgets answered scans older than `maxAgeMs` (the door's memory only matters during the
   * event). Pending scans and undismissed conflicts are kept whatever their age.
   */
  async prune(maxAgeMs: number): Promise<number> {
    const cutoff = this.now() - maxAgeMs;
    const old = (await this.store.all()).filter(
      (entry) => entry.status !== 'pending' && !needsAttention(entry) && entry.scannedAt < cutoff,
    );
    for (const entry of old) await this.store.delete(entry.nonce);
    if (old.length > 0) this.changed();
    return old.length;
  }
}
