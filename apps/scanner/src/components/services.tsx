'use client';

import { type ApiClient, useTRPCClient } from '@spot/ui';
import {
  createContext,
  type ReactNode,
  useContext,
  useEffect,
  useState,
  useSyncExternalStore,
} from 'react';
import { CheckInFlow } from '../core/checkin.ts';
import { VerificationKeys } from '../core/keys.ts';
import { type QueueCounts, type ScanEntry, ScanQueue } from '../core/queue.ts';
import { SyncEngine, type SyncReport, startAutoSync } from '../core/sync.ts';
import type { CheckinApi } from '../core/types.ts';
import { getCachedUser } from '../device/settings.ts';
import { openDeviceStore } from '../storage/device-store.ts';

/** Answered scans are remembered this long (the door's memory during an event). */
const REMEMBER_MS = 3 * 24 * 60 * 60 * 1000;
const SYNC_EVERY_MS = 20_000;

export interface SyncStatus {
  running: boolean;
  lastReport: SyncReport | null;
  lastRunAt: number | null;
}

/** The scanner's check-in machinery, made once per page load in the browser. */
export interface ScannerServices {
  queue: ScanQueue;
  keys: VerificationKeys;
  flow: CheckInFlow;
  /** Sends the queue now (one run at a time). */
  syncNow(): Promise<SyncReport>;
  syncStatus(): SyncStatus;
  subscribeSync(listener: () => void): () => void;
  /** Starts background work (key refresh, auto sync, pruning); returns the stop. */
  start(): () => void;
}

const isOnline = () => typeof navigator === 'undefined' || navigator.onLine;

function createServices(client: ApiClient): ScannerServices {
  const store = openDeviceStore();
  const api: CheckinApi = {
    scan: (input, options) => client.checkin.scan.mutate(input, options),
    manualCheckIn: (input, options) => client.checkin.manualCheckIn.mutate(input, options),
  };
  const queue = new ScanQueue(store);
  const keys = new VerificationKeys({
    store,
    fetchKey: () => client.tickets.qrPublicKey.query(),
  });
  const flow = new CheckInFlow({ api, queue, keys, isOnline });
  const engine = new SyncEngine({
    api,
    queue,
    isOnline,
    userId: () => getCachedUser()?.id ?? null,
  });

  let status: SyncStatus = { running: false, lastReport: null, lastRunAt: null };
  const listeners = new Set<() => void>();
  const setStatus = (next: SyncStatus) => {
    status = next;
    for (const listener of listeners) listener();
  };

  async function syncNow(): Promise<SyncReport> {
    if (!engine.isRunning) setStatus({ ...status, running: true });
    try {
      const report = await engine.run();
      // A run with nothing to send says nothing new: keep showing the last one that did.
      const worthShowing = report.attempted > 0 || report.stoppedBy !== undefined;
      setStatus(
        worthShowing
          ? { running: false, lastReport: report, lastRunAt: Date.now() }
          : { ...status, running: false },
      );
      return report;
    } catch (error) {
      setStatus({ ...status, running: false });
      throw error;
    }
  }

  function start(): () => void {
    if (isOnline()) void keys.refresh();
    else void keys.current();
    void queue.prune(REMEMBER_MS).catch(() => undefined);
    const refreshKey = () => void keys.refresh();
    window.addEventListener('online', refreshKey);
    const stopSync = startAutoSync(
      { run: syncNow },
      {
        isOnline,
        onOnline(listener) {
          window.addEventListener('online', listener);
          return () => window.removeEventListener('online', listener);
        },
        setInterval: (callback, ms) => window.setInterval(callback, ms),
        clearInterval: (handle) => window.clearInterval(handle as number),
      },
      { intervalMs: SYNC_EVERY_MS },
    );
    return () => {
      window.removeEventListener('online', refreshKey);
      stopSync();
    };
  }

  return {
    queue,
    keys,
    flow,
    syncNow,
    syncStatus: () => status,
    subscribeSync(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start,
  };
}

const ServicesContext = createContext<ScannerServices | null>(null);
let browserServices: ScannerServices | undefined;

export function ScannerServicesProvider({ children }: { children: ReactNode }) {
  const client = useTRPCClient();
  const [services] = useState<ScannerServices | null>(() => {
    if (typeof window === 'undefined') return null;
    browserServices ??= createServices(client);
    return browserServices;
  });
  useEffect(() => services?.start(), [services]);
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

/** The services; null during the server render. */
export function useScannerServices(): ScannerServices | null {
  return useContext(ServicesContext);
}

const NO_SYNC: SyncStatus = { running: false, lastReport: null, lastRunAt: null };
const noop = () => () => {};

export function useSyncStatus(): SyncStatus {
  const services = useScannerServices();
  return useSyncExternalStore(
    services?.subscribeSync ?? noop,
    () => services?.syncStatus() ?? NO_SYNC,
    () => NO_SYNC,
  );
}

/** Re-reads from the queue whenever it changes. */
function useQueueRead<T>(read: (queue: ScanQueue) => Promise<T>, initial: T): T {
  const services = useScannerServices();
  const [value, setValue] = useState<T>(initial);
  useEffect(() => {
    if (!services) return;
    let current = true;
    const load = () => {
      read(services.queue).then(
        (next) => current && setValue(next),
        () => undefined,
      );
    };
    load();
    const unsubscribe = services.queue.subscribe(load);
    return () => {
      current = false;
      unsubscribe();
    };
  }, [services, read]);
  return value;
}

const readCounts = (queue: ScanQueue) => queue.counts();
const readQueued = (queue: ScanQueue) => queue.queued();
const NO_COUNTS: QueueCounts = { pending: 0, attention: 0 };
const NO_ENTRIES: ScanEntry[] = [];

export function useQueueCounts(): QueueCounts {
  return useQueueRead(readCounts, NO_COUNTS);
}

/** Every scan that went through the offline queue, oldest first. */
export function useQueuedEntries(): ScanEntry[] {
  return useQueueRead(readQueued, NO_ENTRIES);
}
