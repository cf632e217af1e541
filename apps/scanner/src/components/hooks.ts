'use client';

import { useHydrated, useTRPC } from '@spot/ui';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import {
  type CachedEvent,
  type CachedUser,
  getCachedEvents,
  getCachedUser,
  setCachedEvents,
  setCachedUser,
} from '../device/settings.ts';

function subscribeOnline(listener: () => void): () => void {
  window.addEventListener('online', listener);
  window.addEventListener('offline', listener);
  return () => {
    window.removeEventListener('online', listener);
    window.removeEventListener('offline', listener);
  };
}

/** `navigator.onLine`, kept current (true on the server). */
export function useOnline(): boolean {
  return useSyncExternalStore(
    subscribeOnline,
    () => navigator.onLine,
    () => true,
  );
}

export type Session =
  | { status: 'loading' }
  /** `offline`: the server could not be asked, and nobody was signed in here before. */
  | { status: 'signed_out'; offline: boolean }
  /** `offline`: the server could not be asked; the user is the one last signed in here. */
  | { status: 'signed_in'; user: CachedUser; offline: boolean };

/**
 * Who is signed in: the server's answer (`auth.me`) when it can be reached, else whoever was
 * signed in on this device last, so the scanner keeps working offline.
 */
export function useSession(): Session {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const online = useOnline();
  const me = useQuery(trpc.auth.me.queryOptions());

  useEffect(() => {
    if (me.data !== undefined) setCachedUser(me.data);
  }, [me.data]);

  return useMemo((): Session => {
    if (!hydrated) return { status: 'loading' };
    if (me.data) return { status: 'signed_in', user: me.data, offline: false };
    if (me.data === null) return { status: 'signed_out', offline: false };
    const unreachable = me.isError || me.fetchStatus === 'paused' || !online;
    if (!unreachable) return { status: 'loading' };
    const cached = getCachedUser();
    return cached
      ? { status: 'signed_in', user: cached, offline: true }
      : { status: 'signed_out', offline: true };
  }, [hydrated, me.data, me.isError, me.fetchStatus, online]);
}

export type EventsState =
  | { status: 'loading' }
  | { status: 'ready'; events: CachedEvent[]; offline: boolean }
  | { status: 'error'; message: string };

/** The events this user may scan: from the server, or as last seen on this device. */
export function useScannableEvents(userId: string | null): EventsState {
  const trpc = useTRPC();
  const query = useQuery({
    ...trpc.checkin.scannableEvents.queryOptions(),
    enabled: userId !== null,
  });

  const fresh = useMemo(
    () =>
      query.data?.map(
        (event): CachedEvent => ({
          id: event.id,
          title: event.title,
          startDate: event.startDate.toISOString(),
          endDate: event.endDate.toISOString(),
          city: event.city,
          capacity: event.capacity,
          checkInOpensAt: event.checkInOpensAt.toISOString(),
          role: event.role,
        }),
      ),
    [query.data],
  );

  useEffect(() => {
    if (userId && fresh) setCachedEvents(userId, fresh);
  }, [userId, fresh]);

  if (fresh) return { status: 'ready', events: fresh, offline: false };
  if (!userId) return { status: 'loading' };
  const unreachable = query.fetchStatus === 'paused' || (query.isError && !query.error.data);
  if (unreachable || query.isError) {
    const cached = getCachedEvents(userId);
    if (cached) return { status: 'ready', events: cached, offline: true };
    if (query.isError)
      return {
        status: 'error',
        message: query.error.data ? query.error.message : 'No connection to the server.',
      };
    return { status: 'error', message: 'You are offline and no events are saved on this device.' };
  }
  return { status: 'loading' };
}
