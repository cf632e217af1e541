import type { ScanFailure } from '@spot/db';

/**
 * What the scanner shows after a scan (the check-in contract): one result code, the reason in
 * words, and what the door needs to decide: who the attendee is, or when and by whom the ticket
 * was first scanned.
 */
export type ScanFailureCode = ScanFailure;
export type ScanResultCode = 'ok' | ScanFailureCode;

/** There is one kind of ticket (general admission) until events sell several. */
export const TICKET_TYPE = 'General admission';

export interface FirstScan {
  scannedAt: Date;
  scannedBy: string;
  gate: string | null;
  manual: boolean;
}

export type ScanResult =
  | {
      result: 'ok';
      message: string;
      ticketId: string;
      attendeeName: string;
      ticketType: string;
      scannedAt: Date;
      /** The event's check-ins so far, from the live counter; null while Redis is down. */
      checkins: number | null;
    }
  | {
      result: 'already_used';
      message: string;
      ticketId: string;
      attendeeName: string;
      ticketType: string;
      firstScan: FirstScan;
    }
  | { result: Exclude<ScanFailureCode, 'already_used'>; message: string };

export const FAILURE_MESSAGES: Record<Exclude<ScanFailureCode, 'already_used'>, string> = {
  wrong_event: 'This ticket is for another event.',
  cancelled: 'This ticket was cancelled.',
  unknown_ticket: 'No such ticket.',
  invalid_signature: 'This code is not a Spot ticket (signature check failed).',
  not_allowed: 'You are not on the door team of this event.',
};
