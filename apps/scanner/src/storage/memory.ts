import type { KeyStore, StoredKey } from '../core/keys.ts';
import type { ScanEntry, ScanStore } from '../core/queue.ts';

/**
 * The device storage in memory: for tests, and the browser's fallback when IndexedDB cannot be
 * opened (some private modes). Entries are copied in and out, as IndexedDB would.
 */
export class MemoryStore implements ScanStore, KeyStore {
  private readonly entries = new Map<string, ScanEntry>();
  private key: StoredKey | undefined;

  async put(entry: ScanEntry): Promise<void> {
    this.entries.set(entry.nonce, structuredClone(entry));
  }

  async get(nonce: string): Promise<ScanEntry | undefined> {
    const entry = this.entries.get(nonce);
    return entry && structuredClone(entry);
  }

  async byTicket(eventId: string, ticketKey: string): Promise<ScanEntry[]> {
    return [...this.entries.values()]
      .filter((entry) => entry.eventId === eventId && entry.ticketKey === ticketKey)
      .map((entry) => structuredClone(entry));
  }

  async all(): Promise<ScanEntry[]> {
    return [...this.entries.values()].map((entry) => structuredClone(entry));
  }

  async delete(nonce: string): Promise<void> {
    this.entries.delete(nonce);
  }

  async getKey(): Promise<StoredKey | undefined> {
    return this.key && structuredClone(this.key);
  }

  async setKey(key: StoredKey): Promise<void> {
    this.key = structuredClone(key);
  }
}
