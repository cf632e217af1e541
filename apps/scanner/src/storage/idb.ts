import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { KeyStore, StoredKey } from '../core/keys.ts';
import type { ScanEntry, ScanStore } from '../core/queue.ts';

const DB_NAME = 'spot-scanner';
const DB_VERSION = 1;
const KEY_RECORD = 'qr-public-key';

interface ScannerDb extends DBSchema {
  scans: {
    key: string;
    value: ScanEntry;
    indexes: { byTicket: [string, string] };
  };
  meta: {
    key: string;
    value: StoredKey;
  };
}

/** The scan queue and the ticket key in IndexedDB (survives reloads, closing the app, no network). */
export class IdbStore implements ScanStore, KeyStore {
  private constructor(private readonly db: IDBPDatabase<ScannerDb>) {}

  static async open(): Promise<IdbStore> {
    const db = await openDB<ScannerDb>(DB_NAME, DB_VERSION, {
      upgrade(database) {
        const scans = database.createObjectStore('scans', { keyPath: 'nonce' });
        scans.createIndex('byTicket', ['eventId', 'ticketKey']);
        database.createObjectStore('meta');
      },
      blocking() {
        // A newer version of the app wants to upgrade the database: let it.
        db.close();
      },
    });
    return new IdbStore(db);
  }

  async put(entry: ScanEntry): Promise<void> {
    // Structured clone: the server's Dates stay Dates.
    await this.db.put('scans', entry);
  }

  get(nonce: string): Promise<ScanEntry | undefined> {
    return this.db.get('scans', nonce);
  }

  byTicket(eventId: string, ticketKey: string): Promise<ScanEntry[]> {
    return this.db.getAllFromIndex('scans', 'byTicket', [eventId, ticketKey]);
  }

  all(): Promise<ScanEntry[]> {
    return this.db.getAll('scans');
  }

  async delete(nonce: string): Promise<void> {
    await this.db.delete('scans', nonce);
  }

  getKey(): Promise<StoredKey | undefined> {
    return this.db.get('meta', KEY_RECORD);
  }

  async setKey(key: StoredKey): Promise<void> {
    await this.db.put('meta', key, KEY_RECORD);
  }
}
