import type { ScanOutcome } from './checkin.ts';
import type { Problem } from './errors.ts';
import type { ScanEntry } from './queue.ts';
import type { FirstScan, RefusalCode, ScanResult } from './types.ts';

/** Green: let them in. Yellow: already in. Red: do not. Blue: accepted on this device, to be confirmed. */
export type Tone = 'ok' | 'warn' | 'bad' | 'pending';

/** What the full-screen result shows. */
export interface ResultView {
  tone: Tone;
  /**
   * The result code (the screen's `data-result`): the server's code, the same codes for what
   * the device decided on its own (`invalid_signature`, `wrong_event`), or one of the device's
   * own: `pending`, `duplicate_pending`, `not_open`, `signed_out`, `scan_again`, `error`.
   */
  code: string;
  /** Who decided: the server, or this device alone (offline, forgeries). */
  source: 'server' | 'device';
  /** A short line above the title ("Checked in", "Already used"…). */
  label: string;
  title: string;
  details: string[];
}

export type TimeFormatter = (date: Date) => string;

/** HH:MM on a 24-hour clock, in the device's time zone (or `timeZone`). */
export function clockTime(timeZone?: string): TimeFormatter {
  const format = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(timeZone ? { timeZone } : {}),
  });
  return (date) => format.format(date);
}

const REFUSAL_TITLES: Record<RefusalCode, string> = {
  wrong_event: 'Ticket for another event',
  cancelled: 'Ticket cancelled',
  unknown_ticket: 'Unknown ticket',
  invalid_signature: 'Not a valid Spot ticket',
  not_allowed: 'You are not on this door team',
};

/** "First scanned at 19:42 by Alice at Main gate" (manual check-ins say so). */
export function firstScanLine(first: FirstScan, time: TimeFormatter): string {
  const gate = first.gate ? ` at ${first.gate}` : '';
  const manual = first.manual ? ' (manual check-in)' : '';
  return `First scanned at ${time(first.scannedAt)} by ${first.scannedBy}${gate}${manual}`;
}

function presentResult(result: ScanResult, time: TimeFormatter, remembered = false): ResultView {
  const note = remembered ? ['Remembered from an earlier scan on this device (offline now).'] : [];
  switch (result.result) {
    case 'ok':
      return {
        tone: 'ok',
        code: 'ok',
        source: 'server',
        label: 'Checked in',
        title: result.attendeeName,
        details: [
          result.ticketType,
          ...(result.checkins !== null ? [`${result.checkins} checked in so far`] : []),
        ],
      };
    case 'already_used':
      return {
        tone: 'warn',
        code: 'already_used',
        source: 'server',
        label: 'Already used',
        title: result.attendeeName,
        details: [firstScanLine(result.firstScan, time), result.ticketType, ...note],
      };
    default:
      return {
        tone: 'bad',
        code: result.result,
        source: 'server',
        label: 'Do not admit',
        title: REFUSAL_TITLES[result.result],
        details: [result.message, ...note],
      };
  }
}

function scannedHere(entry: ScanEntry, time: TimeFormatter): string {
  const gate = entry.gate ? ` at ${entry.gate}` : '';
  return `Scanned on this device at ${time(new Date(entry.scannedAt))}${gate}`;
}

/** What this device already knows about a ticket it scanned before. */
function presentKnown(entry: ScanEntry, time: TimeFormatter): ResultView {
  if (entry.status === 'answered' && entry.result) {
    if (entry.result.result === 'ok') {
      return {
        tone: 'warn',
        code: 'already_used',
        source: 'device',
        label: 'Already used',
        title: entry.result.attendeeName,
        details: [
          `Checked in on this device at ${time(entry.result.scannedAt)}${entry.gate ? ` at ${entry.gate}` : ''}`,
          'Remembered on this device (offline now).',
        ],
      };
    }
    return { ...presentResult(entry.result, time, true), source: 'device' };
  }
  return {
    tone: 'warn',
    code: 'duplicate_pending',
    source: 'device',
    label: 'Already scanned',
    title: 'Already scanned on this device (pending)',
    details: [
      ...(entry.attendeeName ? [entry.attendeeName] : []),
      scannedHere(entry, time),
      'It is waiting to sync; do not admit twice.',
    ],
  };
}

const QUEUE_LABELS = {
  offline: 'Pending (offline)',
  network: 'Pending (no connection)',
  server: 'Pending (server trouble)',
  rate_limited: 'Pending (server busy)',
} as const;

/** "Check-in opens at 18:30" from the API's message (which carries an ISO time). */
function notOpenLine(problem: Problem, time: TimeFormatter): string {
  const iso = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z/.exec(problem.message)?.[0];
  return iso ? `Check-in opens at ${time(new Date(iso))}.` : problem.message;
}

function presentProblem(problem: Problem, time: TimeFormatter): ResultView {
  const base = { source: 'server' as const, details: [problem.message] };
  switch (problem.kind) {
    case 'not_open':
      return {
        ...base,
        tone: 'bad',
        code: 'not_open',
        label: 'Not yet',
        title: 'Check-in is not open yet',
        details: [notOpenLine(problem, time)],
      };
    case 'signed_out':
      return {
        ...base,
        tone: 'bad',
        code: 'signed_out',
        label: 'Signed out',
        title: 'Log in again to keep scanning',
      };
    case 'changed':
      return { ...base, tone: 'warn', code: 'scan_again', label: 'Try again', title: 'Scan again' };
    default:
      return { ...base, tone: 'bad', code: 'error', label: 'Error', title: 'Could not check in' };
  }
}

/** The screen for a scan's outcome; null when there is nothing to show (empty input). */
export function presentOutcome(
  outcome: ScanOutcome,
  time: TimeFormatter = clockTime(),
): ResultView | null {
  switch (outcome.kind) {
    case 'empty':
      return null;
    case 'answered':
      return presentResult(outcome.result, time);
    case 'refused_locally':
      return outcome.code === 'wrong_event'
        ? {
            tone: 'bad',
            code: 'wrong_event',
            source: 'device',
            label: 'Do not admit',
            title: 'Ticket for another event',
            details: ['This ticket is valid, but not for the event you are scanning.'],
          }
        : {
            tone: 'bad',
            code: 'invalid_signature',
            source: 'device',
            label: 'Do not admit',
            title: REFUSAL_TITLES.invalid_signature,
            details: [
              outcome.unknownKey
                ? 'Signed with a key this device does not know. Go online and scan again.'
                : 'The signature check failed: forged, altered or not a Spot ticket.',
            ],
          };
    case 'queued': {
      const { entry } = outcome;
      return {
        tone: 'pending',
        code: 'pending',
        source: 'device',
        label: QUEUE_LABELS[outcome.reason],
        title: entry.attendeeName ?? 'Accepted on this device',
        details: [
          entry.kind === 'manual'
            ? 'Picked from the attendee list.'
            : entry.verified
              ? 'Genuine ticket for this event (signature checked).'
              : 'The signature could not be checked on this device.',
          'It will be confirmed when the scanner is back online.',
        ],
      };
    }
    case 'known':
      return presentKnown(outcome.entry, time);
    case 'problem':
      return presentProblem(outcome.problem, time);
  }
}

/** One line for an entry of the pending list: where it stands, and the server's reason. */
export function describeEntry(entry: ScanEntry, time: TimeFormatter = clockTime()): string {
  if (entry.status === 'pending') {
    return entry.lastError
      ? `Waiting to sync (${entry.attempts} ${entry.attempts === 1 ? 'try' : 'tries'}: ${entry.lastError})`
      : 'Waiting to sync';
  }
  if (entry.status === 'failed') return `Not accepted: ${entry.lastError ?? 'refused'}`;
  const result = entry.result;
  if (!result) return 'Synced';
  switch (result.result) {
    case 'ok':
      return `Synced: checked in (${result.attendeeName})`;
    case 'already_used':
      return `Conflict: already used. ${firstScanLine(result.firstScan, time)}`;
    default:
      return `Conflict: ${REFUSAL_TITLES[result.result].toLowerCase()}. ${result.message}`;
  }
}
