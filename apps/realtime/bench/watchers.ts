/**
 * The dashboards of `bench:checkin`, in a process of their own (forked by checkin.ts): sockets
 * connected to the realtime server, spread over event rooms, those in the first room noting
 * when each `checkin` update reaches them. They have a process of their own because the floor is
 * measured in the load generator's: there, receiving the updates would slow the floor down.
 *
 * Messages: WatchersCommand in, WatchersReply out. Times are milliseconds since the epoch
 * (performance.timeOrigin + performance.now()), comparable between processes.
 */
import { io as connectSocket, type Socket } from 'socket.io-client';

export type WatchersCommand =
  | { type: 'connect'; url: string; cookie: string; rooms: string[]; sockets: number }
  | { type: 'report' };

export type WatchersReply =
  | { type: 'connected' }
  | { type: 'failed'; error: string }
  | { type: 'received'; deliveries: Array<[ticketId: string, receivedAt: number]> };

const CONNECTING_AT_ONCE = 50;

const sockets: Socket[] = [];
const received: Array<[string, number]> = [];

function reply(message: WatchersReply, then?: () => void) {
  process.send?.(message, undefined, {}, () => then?.());
}

async function watch(url: string, cookie: string, room: string, measured: boolean) {
  const socket = connectSocket(url, { transports: ['websocket'], extraHeaders: { cookie } });
  sockets.push(socket);
  const answer = (await socket.emitWithAck('join', `event:${room}`)) as {
    ok: boolean;
    error?: string;
  };
  if (!answer.ok) throw new Error(`join refused: ${answer.error}`);
  if (measured) {
    socket.on('checkin', (update: { scan: { ticketId: string } }) => {
      received.push([update.scan.ticketId, performance.timeOrigin + performance.now()]);
    });
  }
}

process.on('message', async (command: WatchersCommand) => {
  if (command.type === 'connect') {
    try {
      for (let i = 0; i < command.sockets; i += CONNECTING_AT_ONCE) {
        const batch = Array.from(
          { length: Math.min(CONNECTING_AT_ONCE, command.sockets - i) },
          (_, offset) => i + offset,
        );
        await Promise.all(
          batch.map((index) => {
            const room = command.rooms[index % command.rooms.length] as string;
            return watch(command.url, command.cookie, room, index % command.rooms.length === 0);
          }),
        );
      }
      reply({ type: 'connected' });
    } catch (error) {
      reply({ type: 'failed', error: (error as Error).message });
    }
  } else {
    // Disconnecting before the reply is out would drop it.
    reply({ type: 'received', deliveries: received }, () => {
      for (const socket of sockets) socket.disconnect();
      process.disconnect();
    });
  }
});
