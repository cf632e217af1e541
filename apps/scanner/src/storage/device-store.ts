import type { KeyStore, StoredKey } from '../core/keys.ts';
import type { ScanEntry, ScanStore } from '../core/queue.ts';
import { IdbStore } from './idb.ts';
import { MemoryStore } from './memory.ts';

type DeviceStore = ScanStore & KeyStore;

/**
 * The browser's store, usable at once: IndexedDB once it has opened, memory when it cannot be
 * opened (then the queue lasts only as long as the page, and the app says nothing worse).
 */
export function openDeviceStore(): DeviceStore {
  const opened: Promise<DeviceStore> = IdbStore.open().catch((error: unknown) => {
    console.warn('IndexedDB is not available; scans are kept in memory only.', error);
    return new MemoryStore();
  });
  return {
    put: async (entry: ScanEntry) => (await opened).put(entry),
    get: async (nonce: string) => (await opened).get(nonce),
    byTicket: async (eventId: string, ticketKey: string) =>
      (await opened).byTicket(eventId, ticketKey),
    all: async () => (await opened).all(),
    delete: async (nonce: string) => (await opened).delete(nonce),
    getKey: async () => (await opened).getKey(),
    setKey: async (key: StoredKey) => (await opened).setKey(key),
  };
}
