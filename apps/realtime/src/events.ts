import type { SessionUser } from '@spot/api';
import type { LiveEvents } from '@spot/api/realtime';

/** Whether this instance is receiving the API's live updates; dashboards say "paused" when down. */
export interface LiveStatus {
  redis: 'up' | 'down';
}

export type RoomAnswer = { ok: true } | { ok: false; error: string };

export type ServerToClientEvents = {
  [Name in keyof LiveEvents]: (data: LiveEvents[Name]) => void;
} & {
  'live-status': (status: LiveStatus) => void;
};

/** Clients only listen: joining and leaving rooms is all they may ask for. */
export interface ClientToServerEvents {
  join: (room: string, ack: (answer: RoomAnswer) => void) => void;
  leave: (room: string, ack: (answer: RoomAnswer) => void) => void;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  user: SessionUser;
  /** What the socket signed in with, checked again while it stays connected. */
  credentials: { cookie?: string; token?: unknown };
}
