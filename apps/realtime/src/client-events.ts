import { authenticateSocket, mayJoinRoom } from '@spot/api/realtime';
import type { Socket } from 'socket.io';
import type {
  ClientToServerEvents,
  InterServerEvents,
  RoomAnswer,
  ServerToClientEvents,
  SocketData,
} from './events.ts';

export type LiveSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

export const NOT_SIGNED_IN =
  'Not signed in: connect with the spot_session cookie or a realtime token (auth.token).';
const SESSION_CHECK_FAILED = 'Could not check your session right now; try again shortly.';

// Each join costs a database lookup; a dashboard needs two or three rooms.
const MAX_ROOMS_PER_SOCKET = 20;

/** Socket.io middleware: who is connecting, or a refusal the client sees as connect_error. */
export async function authenticate(socket: LiveSocket, next: (error?: Error) => void) {
  try {
    const credentials = {
      cookie: socket.handshake.headers.cookie,
      token: socket.handshake.auth?.token,
    };
    const user = await authenticateSocket(credentials);
    if (!user) return next(new Error(NOT_SIGNED_IN));
    socket.data.user = user;
    socket.data.credentials = credentials;
    next();
  } catch (error) {
    console.error('realtime: session check failed:', error);
    next(new Error(SESSION_CHECK_FAILED));
  }
}

export interface ClientEventStats {
  ignoredClientEvents: number;
}

/**
 * Clients only listen. `join` and `leave` are the only events they may send; anything else
 * (say, a forged `checkin`) has no handler, so it does nothing, and is counted for /health.
 */
export function handleClientEvents(socket: LiveSocket, stats: ClientEventStats): void {
  socket.onAny((event) => {
    if (event !== 'join' && event !== 'leave') stats.ignoredClientEvents++;
  });
  socket.on('join', (room, ack) => {
    void join(socket, room).then((answer) => reply(ack, answer));
  });
  socket.on('leave', (room, ack) => {
    void leave(socket, room).then((answer) => reply(ack, answer));
  });
}

function reply(ack: unknown, answer: RoomAnswer): void {
  if (typeof ack === 'function') ack(answer);
}

function invalidRoom(room: unknown): RoomAnswer | null {
  if (typeof room !== 'string' || room.length === 0 || room.length > 100)
    return { ok: false, error: 'room must be a room name, e.g. event:<eventId>' };
  return null;
}

async function join(socket: LiveSocket, room: unknown): Promise<RoomAnswer> {
  const invalid = invalidRoom(room);
  if (invalid) return invalid;
  const name = room as string;
  // socket.rooms includes the socket's own room.
  if (!socket.rooms.has(name) && socket.rooms.size > MAX_ROOMS_PER_SOCKET)
    return { ok: false, error: `at most ${MAX_ROOMS_PER_SOCKET} rooms per connection` };
  try {
    if (!(await mayJoinRoom(socket.data.user, name)))
      return { ok: false, error: `not allowed to join ${name}` };
  } catch (error) {
    console.error(`realtime: could not check access to ${name}:`, error);
    return { ok: false, error: 'could not check access right now; try again' };
  }
  await socket.join(name);
  return { ok: true };
}

async function leave(socket: LiveSocket, room: unknown): Promise<RoomAnswer> {
  const invalid = invalidRoom(room);
  if (invalid) return invalid;
  // Its own room is how the server reaches this socket at all.
  if (room === socket.id) return { ok: false, error: 'cannot leave this room' };
  await socket.leave(room as string);
  return { ok: true };
}

/**
 * A connected socket keeps what it was allowed only while that still holds: its session ended
 * (suspended, signed out everywhere, token expired) → disconnected; no longer on a room's door
 * team → taken out of that room.
 */
async function revalidate(socket: LiveSocket): Promise<void> {
  const user = await authenticateSocket(socket.data.credentials);
  if (!user) {
    socket.disconnect(true);
    return;
  }
  socket.data.user = user;
  for (const room of socket.rooms) {
    if (room !== socket.id && !(await mayJoinRoom(user, room))) await socket.leave(room);
  }
}

/** Checks the socket again now, logging (not throwing) a failure to do so. */
export function revalidateNow(socket: LiveSocket): void {
  revalidate(socket).catch((error) =>
    console.error('realtime: could not check a socket again:', error),
  );
}

/**
 * Checks the socket again every `everyMs` while it is connected. Each socket starts at its own
 * random point of the period: a thousand sockets checked at the same instant would load this
 * server and the database at once, and delay the live updates of that moment.
 */
export function keepRevalidating(socket: LiveSocket, everyMs: number): void {
  const check = () => revalidateNow(socket);
  let timer = setTimeout(() => {
    check();
    timer = setInterval(check, everyMs).unref();
  }, Math.random() * everyMs).unref();
  socket.once('disconnect', () => clearTimeout(timer));
}
