export { authenticateSocket, mayJoinRoom } from './access.ts';
export {
  type CheckinUpdate,
  eventRoom,
  LIVE_CHANNEL,
  type LiveEvents,
  type LiveMessage,
  type LiveScan,
  organizerRoom,
  type SalesUpdate,
} from './channel.ts';
