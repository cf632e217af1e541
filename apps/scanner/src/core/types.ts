import type { AppRouter } from '@spot/api';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

/**
 * The check-in contract as the server defines it: the framework-free modules here are written
 * against these shapes, so a change to it in packages/api breaks them at compile time.
 */
type Outputs = inferRouterOutputs<AppRouter>;
type Inputs = inferRouterInputs<AppRouter>;

export type ScanResult = Outputs['checkin']['scan'];
export type ScanResultCode = ScanResult['result'];
export type RefusalCode = Exclude<ScanResultCode, 'ok' | 'already_used'>;
export type FirstScan = Extract<ScanResult, { result: 'already_used' }>['firstScan'];

export type ScanRequest = Inputs['checkin']['scan'];
export type ManualCheckInRequest = Inputs['checkin']['manualCheckIn'];
/** Where a scan happens: the gate the person at the door chose, and this device's id. */
export type ScanPlace = Pick<ScanRequest, 'gate' | 'device'>;

export interface CallOptions {
  /** Aborts the request (a door cannot wait for a hanging network). */
  signal?: AbortSignal;
}

/** The two check-in calls. The browser wires them to the tRPC client; tests to fakes. */
export interface CheckinApi {
  scan(input: ScanRequest, options?: CallOptions): Promise<ScanResult>;
  manualCheckIn(input: ManualCheckInRequest, options?: CallOptions): Promise<ScanResult>;
}
