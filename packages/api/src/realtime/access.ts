import { getConfig } from '@spot/config';
import { User } from '@spot/db';
import { findDoorEvent } from '../checkin/door-access.ts';
import {
  REALTIME_TOKEN,
  type SessionUser,
  sessionUserFromCookies,
  sessionUserFromToken,
  signSession,
} from '../lib/session.ts';

/**
 * A short-lived token for the realtime server, for clients that cannot send the session cookie
 * there (the scanner PWA on its own origin). It carries the session version, so it dies with the
 * session.
 */
export async function issueRealtimeToken(
  user: SessionUser,
): Promise<{ token: string; expiresIn: number }> {
  const stored = await User.findById(user.id).select('sessionVersion').lean();
  const token = await signSession(
    { userId: user.id, sessionVersion: stored?.sessionVersion ?? -1 },
    getConfig().JWT_SECRET,
    REALTIME_TOKEN,
  );
  return { token, expiresIn: REALTIME_TOKEN.seconds };
}

/** Who is on the other end of a socket: the session cookie, else a realtime token. */
export async function authenticateSocket(handshake: {
  cookie?: string | null;
  token?: unknown;
}): Promise<SessionUser | null> {
  const fromCookie = await sessionUserFromCookies(handshake.cookie);
  if (fromCookie) return fromCookie;
  return typeof handshake.token === 'string'
    ? sessionUserFromToken(handshake.token, REALTIME_TOKEN)
    : null;
}

/**
 * The server-side check behind every room join: `event:{id}` for that event's organizer, staff
 * and admins; `organizer:{userId}` for that user and admins. Anything else is refused.
 */
export async function mayJoinRoom(user: SessionUser, room: string): Promise<boolean> {
  const [kind, id, ...rest] = room.split(':');
  if (!id || rest.length > 0) return false;
  if (kind === 'event') return (await findDoorEvent(user, id)) !== null;
  if (kind === 'organizer') return user.role === 'admin' || user.id === id;
  return false;
}
