import type { AppRouter } from '@spot/api';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export type Me = RouterOutputs['auth']['me'];
export type ScannableEvent = RouterOutputs['checkin']['scannableEvents'][number];
export type AttendeeMatch = RouterOutputs['checkin']['searchAttendees'][number];
export type ApiScanResult = RouterOutputs['checkin']['scan'];
export type ApiScanInput = RouterInputs['checkin']['scan'];
export type ApiManualCheckInInput = RouterInputs['checkin']['manualCheckIn'];
