import { describe, expect, it } from 'vitest';
import { clockTime, firstScanLine, presentOutcome } from '../src/core/present.ts';
import { utcTime } from './harness.ts';

describe('result screens', () => {
  it('formats times as HH:MM on a 24-hour clock', () => {
    expect(clockTime('UTC')(new Date('2030-06-01T07:05:00Z'))).toBe('07:05');
    expect(clockTime('UTC')(new Date('2030-06-01T19:42:59Z'))).toBe('19:42');
  });

  it("words the first scan: 'first scanned at HH:MM by NAME at GATE'", () => {
    const scannedAt = new Date('2030-06-01T19:42:00Z');
    expect(
      firstScanLine({ scannedAt, scannedBy: 'Sam', gate: 'East', manual: false }, utcTime),
    ).toBe('First scanned at 19:42 by Sam at East');
    expect(firstScanLine({ scannedAt, scannedBy: 'Sam', gate: null, manual: true }, utcTime)).toBe(
      'First scanned at 19:42 by Sam (manual check-in)',
    );
  });

  it('gives every server refusal a red screen with its reason', () => {
    const codes = [
      'wrong_event',
      'cancelled',
      'unknown_ticket',
      'invalid_signature',
      'not_allowed',
    ] as const;
    for (const code of codes) {
      const view = presentOutcome(
        {
          kind: 'answered',
          result: { result: code, message: `reason for ${code}` },
          entry: {} as never,
        },
        utcTime,
      );
      expect(view).toMatchObject({ tone: 'bad', code, source: 'server' });
      expect(view?.details).toEqual([`reason for ${code}`]);
    }
  });

  it('shows signed-out and other problems without pretending the ticket is bad', () => {
    expect(
      presentOutcome({ kind: 'problem', problem: { kind: 'signed_out', message: 'x' } }, utcTime),
    ).toMatchObject({ code: 'signed_out', title: 'Log in again to keep scanning' });
    expect(
      presentOutcome(
        { kind: 'problem', problem: { kind: 'changed', message: 'Scan again.' } },
        utcTime,
      ),
    ).toMatchObject({ code: 'scan_again', tone: 'warn' });
  });
});
