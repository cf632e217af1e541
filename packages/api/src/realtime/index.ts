export { forgetDoor } from '../checkin/door-access.ts';
export { authenticateSocket, mayJoinRoom } from './access.ts';
export {
  ACCESS_CHANNEL,
  type AccessChange,
  type CheckinUpdate,
  eventRoom,
  jsonAroundCounter,
  LIVE_CHANNEL,
  type LiveEvents,
  type LiveMessage,
  type LiveScan,
  organizerRoom,
  type SalesUpdate,
} from './channel.ts';
