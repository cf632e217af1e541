import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { TRPCClientError } from '@trpc/client';
import { CompactSign, calculateJwkThumbprint, type JWK } from 'jose';
import type {
  CheckinApi,
  ManualCheckInRequest,
  ScanRequest,
  ScanResult,
} from '../src/core/types.ts';

export const EVENT_ID = '65a1b2c3d4e5f60718293a4b';
export const OTHER_EVENT_ID = '65a1b2c3d4e5f60718293a4c';

/** An Ed25519 key pair and its public JWK exactly as `tickets.qrPublicKey` serves it. */
export async function makeSigningKey(): Promise<{ privateKey: KeyObject; jwk: JWK }> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const exported = publicKey.export({ format: 'jwk' }) as JWK;
  const jwk: JWK = { kty: exported.kty, crv: exported.crv, x: exported.x };
  jwk.kid = await calculateJwkThumbprint(jwk);
  jwk.alg = 'EdDSA';
  jwk.use = 'sig';
  return { privateKey, jwk };
}

/** A ticket QR payload, signed like packages/api/src/tickets/qr.ts does. */
export function signPayload(
  key: { privateKey: KeyObject; jwk: JWK },
  claims: { t: string; e: string; v?: number },
): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify({ v: 1, ...claims })))
    .setProtectedHeader({ alg: 'EdDSA', kid: key.jwk.kid as string })
    .sign(key.privateKey);
}

/** What the tRPC client throws for an error answer of the API. */
export function apiError(
  code: string,
  httpStatus: number,
  message: string,
): TRPCClientError<never> {
  return TRPCClientError.from({ error: { code: -32000, message, data: { code, httpStatus } } });
}

/** What the tRPC client throws when the request never got an answer. */
export function networkError(): TRPCClientError<never> {
  return TRPCClientError.from(new TypeError('fetch failed'));
}

interface FakeTicket {
  id: string;
  code: string;
  eventId: string;
  attendeeName: string;
  status: 'valid' | 'used' | 'cancelled';
}

interface FakeCheckIn {
  nonce: string;
  scannedAt: Date;
  scannedBy: string;
  gate: string | null;
  manual: boolean;
}

type Call = { kind: 'scan'; input: ScanRequest } | { kind: 'manual'; input: ManualCheckInRequest };

/**
 * The check-in API's contract in memory: tickets admitted once, a retried nonce answered as the
 * first time, another scanner's scan winning. `failNext` makes the next calls throw (no network,
 * TOO_MANY_REQUESTS…); `down` makes every call fail as a network error.
 */
export class FakeCheckinApi implements CheckinApi {
  readonly calls: Call[] = [];
  readonly tickets = new Map<string, FakeTicket>();
  private readonly checkIns = new Map<string, FakeCheckIn>();
  private readonly failures: Array<() => Error> = [];
  down = false;
  /** The next call is processed, but its answer never reaches the scanner. */
  loseNextAnswer = false;
  scannerName = 'Dana Door';
  private clock = Date.UTC(2030, 5, 1, 18, 0);

  constructor(private readonly key: { privateKey: KeyObject; jwk: JWK }) {}

  async addTicket(
    attendeeName: string,
    options: { eventId?: string; status?: FakeTicket['status'] } = {},
  ): Promise<{ id: string; code: string; payload: string }> {
    const index = this.tickets.size + 1;
    const ticket: FakeTicket = {
      id: `${'0'.repeat(20)}${String(index).padStart(4, '0')}`,
      code: `code-${index}`,
      eventId: options.eventId ?? EVENT_ID,
      attendeeName,
      status: options.status ?? 'valid',
    };
    this.tickets.set(ticket.code, ticket);
    const payload = await signPayload(this.key, { t: ticket.code, e: ticket.eventId });
    return { id: ticket.id, code: ticket.code, payload };
  }

  /** Someone else's scanner checks the ticket in (while ours is offline). */
  checkInElsewhere(code: string, by: string, gate: string | null): void {
    const ticket = this.tickets.get(code);
    if (!ticket) throw new Error(`no ticket ${code}`);
    ticket.status = 'used';
    this.checkIns.set(ticket.id, {
      nonce: 'elsewhere',
      scannedAt: new Date(this.tick()),
      scannedBy: by,
      gate,
      manual: false,
    });
  }

  failNext(...errors: Array<() => Error>): void {
    this.failures.push(...errors);
  }

  private tick(): number {
    this.clock += 60_000;
    return this.clock;
  }

  private guard(): void {
    if (this.down) throw networkError();
    const failure = this.failures.shift();
    if (failure) throw failure();
  }

  private answer(result: ScanResult): ScanResult {
    if (this.loseNextAnswer) {
      this.loseNextAnswer = false;
      throw networkError();
    }
    return result;
  }

  async scan(input: ScanRequest): Promise<ScanResult> {
    this.calls.push({ kind: 'scan', input });
    this.guard();
    const code = this.codeOf(input.payload);
    const ticket = code ? this.tickets.get(code) : undefined;
    if (!code) return { result: 'invalid_signature', message: 'Signature check failed.' };
    if (!ticket) return { result: 'unknown_ticket', message: 'No such ticket.' };
    return this.answer(this.admit(ticket, input, false));
  }

  async manualCheckIn(input: ManualCheckInRequest): Promise<ScanResult> {
    this.calls.push({ kind: 'manual', input });
    this.guard();
    const ticket = [...this.tickets.values()].find((t) => t.id === input.ticketId);
    if (!ticket) return { result: 'unknown_ticket', message: 'No such ticket.' };
    return this.answer(this.admit(ticket, input, true));
  }

  /** The nonces sent, in order. */
  get nonces(): string[] {
    return this.calls.map((call) => call.input.nonce);
  }

  private codeOf(payload: string): string | undefined {
    try {
      const body = payload.split('.')[1] ?? '';
      return (JSON.parse(Buffer.from(body, 'base64url').toString()) as { t?: string }).t;
    } catch {
      return undefined;
    }
  }

  private admit(
    ticket: FakeTicket,
    input: { eventId: string; nonce: string; gate?: string },
    manual: boolean,
  ): ScanResult {
    if (ticket.eventId !== input.eventId)
      return { result: 'wrong_event', message: 'This ticket is for another event.' };
    if (ticket.status === 'cancelled')
      return { result: 'cancelled', message: 'This ticket was cancelled.' };
    const base = {
      ticketId: ticket.id,
      attendeeName: ticket.attendeeName,
      ticketType: 'General admission',
    };
    const first = this.checkIns.get(ticket.id);
    if (first) {
      if (first.nonce === input.nonce) {
        return {
          ...base,
          result: 'ok',
          message: 'Welcome.',
          scannedAt: first.scannedAt,
          checkins: null,
        };
      }
      return {
        ...base,
        result: 'already_used',
        message: 'Already checked in.',
        firstScan: {
          scannedAt: first.scannedAt,
          scannedBy: first.scannedBy,
          gate: first.gate,
          manual: first.manual,
        },
      };
    }
    ticket.status = 'used';
    const scannedAt = new Date(this.tick());
    this.checkIns.set(ticket.id, {
      nonce: input.nonce,
      scannedAt,
      scannedBy: this.scannerName,
      gate: input.gate ?? null,
      manual,
    });
    return { ...base, result: 'ok', message: 'Welcome.', scannedAt, checkins: this.checkIns.size };
  }
}
