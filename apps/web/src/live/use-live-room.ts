import type { CheckinUpdate, SalesUpdate } from '@spot/api/realtime';
import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import { realtimeUrl } from './realtime-url.ts';

// The protocol of apps/realtime (see its README); clients only listen, and join rooms.
// Only types come from @spot/api: its runtime code (database, Redis) must stay out of the browser.

/** The room of an event's live updates, as `eventRoom` in @spot/api/realtime names it. */
export const eventRoom = (eventId: string) => `event:${eventId}`;

type RoomAnswer = { ok: true } | { ok: false; error: string };

interface ServerToClientEvents {
  checkin: (update: CheckinUpdate) => void;
  sales: (update: SalesUpdate) => void;
  'live-status': (status: { redis: 'up' | 'down' }) => void;
}

interface ClientToServerEvents {
  join: (room: string, ack: (answer: RoomAnswer) => void) => void;
}

export type LiveState =
  | { status: 'connecting' }
  | { status: 'live' }
  | { status: 'paused'; reason: string };

export interface LiveHandlers {
  onCheckin?: (update: CheckinUpdate) => void;
  onSales?: (update: SalesUpdate) => void;
  /** Updates flow (again): whatever was published meanwhile was missed, so reload the numbers. */
  onLive?: () => void;
}

const JOIN_TIMEOUT_MS = 5000;
// Socket.io gives up after a refusal (signed out, server restarting without its database) or a
// server-side disconnect; the session or the server may come back, so the hook tries again.
const RETRY_MS = 15_000;

/**
 * A socket to apps/realtime that joins `room` (with the session cookie) and hands its updates to
 * `handlers`. "live" only while the socket is connected, the room joined and the server's Redis
 * feed up; anything else is "paused", with the reason.
 */
export function useLiveRoom(room: string, handlers: LiveHandlers): LiveState {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  const [state, setState] = useState<LiveState>({ status: 'connecting' });

  useEffect(() => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(realtimeUrl(), {
      withCredentials: true,
    });
    let redis: 'up' | 'down' | undefined;
    let joined = false;
    let problem: string | undefined;
    let wasLive = false;
    // Until the first outcome the page says "connecting", not "paused".
    let settled = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const retryLater = (action: () => void) => {
      clearTimeout(retry);
      retry = setTimeout(action, RETRY_MS);
    };

    const report = () => {
      const live = socket.connected && joined && redis === 'up';
      if (live && !wasLive) latest.current.onLive?.();
      wasLive = live;
      if (live) {
        settled = true;
        setState({ status: 'live' });
        return;
      }
      let reason = problem;
      if (!reason && !socket.connected) reason = 'no connection to the live server';
      if (!reason && redis === 'down') reason = 'the live feed is down on the server';
      if (reason) settled = true;
      if (settled) setState({ status: 'paused', reason: reason ?? 'reconnecting' });
    };

    const join = () => {
      socket
        .timeout(JOIN_TIMEOUT_MS)
        .emitWithAck('join', room)
        .then(
          (answer) => {
            if (answer.ok) joined = true;
            else problem = answer.error;
          },
          () => {
            problem = 'the live server did not answer';
            retryLater(() => socket.connected && join());
          },
        )
        .finally(report);
    };

    socket.on('connect', () => {
      // A new connection is a new socket on the server: it is in no room yet.
      problem = undefined;
      joined = false;
      report();
      join();
    });
    socket.on('disconnect', (reason) => {
      joined = false;
      report();
      if (reason === 'io server disconnect') retryLater(() => socket.connect());
    });
    socket.on('connect_error', (error) => {
      // Inactive = refused by the server (e.g. not signed in): the message says why.
      problem = socket.active ? undefined : error.message;
      report();
      if (!socket.active) retryLater(() => socket.connect());
    });
    socket.on('live-status', (status) => {
      redis = status.redis;
      report();
    });
    socket.on('checkin', (update) => latest.current.onCheckin?.(update));
    socket.on('sales', (update) => latest.current.onSales?.(update));

    return () => {
      clearTimeout(retry);
      socket.disconnect();
    };
  }, [room]);

  return state;
}
