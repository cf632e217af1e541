import { classifyError, isTransient, type Problem } from './errors.ts';
import type { VerificationKeys } from './keys.ts';
import { newNonce as defaultNonce } from './nonce.ts';
import type { NewEntry, ScanEntry, ScanQueue } from './queue.ts';
import { sendEntry, timeoutSignal } from './sync.ts';
import type { CheckinApi, ScanResult } from './types.ts';
import type { LocalCheck } from './verify.ts';

/** The event being worked, who works it, and where. */
export interface ScanContext {
  eventId: string;
  userId: string;
  gate?: string;
  device?: string;
}

export type QueueReason = 'offline' | 'network' | 'server' | 'rate_limited';

export type ScanOutcome =
  /** The server's answer. */
  | { kind: 'answered'; result: ScanResult; entry: ScanEntry }
  /** The device refused it without asking: forged or tampered with, or for another event. */
  | { kind: 'refused_locally'; code: 'invalid_signature' | 'wrong_event'; unknownKey: boolean }
  /** Kept in the offline queue; the server decides when it is synced. */
  | { kind: 'queued'; entry: ScanEntry; reason: QueueReason }
  /** This device has scanned the ticket already (still pending, or answered while we are offline). */
  | { kind: 'known'; entry: ScanEntry }
  /** The server would not check anything in (not open yet, signed out…); nothing was kept. */
  | { kind: 'problem'; problem: Problem }
  | { kind: 'empty' };

export interface CheckInFlowOptions {
  api: CheckinApi;
  queue: ScanQueue;
  keys: Pick<VerificationKeys, 'current' | 'refresh'>;
  isOnline: () => boolean;
  newNonce?: () => string;
  now?: () => number;
  /** How long the door waits for an answer before queueing the scan instead. */
  timeoutMs?: number;
}

/**
 * One scan, from payload to what the door is shown. The signature is checked on the device
 * first: forgeries and other events' tickets are refused at once, online or not. Then, online,
 * the server decides (one nonce per scan; no answer means queued with that nonce). Offline, the
 * scan is queued, unless this device already scanned that ticket.
 */
export class CheckInFlow {
  private readonly newNonce: () => string;
  private readonly now: () => number;
  private readonly timeoutMs: number;

  constructor(private readonly options: CheckInFlowOptions) {
    this.newNonce = options.newNonce ?? defaultNonce;
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 6_000;
  }

  /** The local signature check, or undefined when this device cannot check (no key yet). */
  private async checkLocally(payload: string, eventId: string): Promise<LocalCheck | undefined> {
    const { keys, isOnline } = this.options;
    let state = await keys.current();
    if (state.status !== 'ready') {
      if (!isOnline()) return undefined;
      state = await keys.refresh();
      if (state.status !== 'ready') return undefined;
    }
    const check = await state.verifier.check(payload, eventId);
    if (check.status === 'invalid_signature' && check.unknownKey && isOnline()) {
      // Maybe the server has a new key: fetch it and check once more.
      const fresh = await keys.refresh();
      if (fresh.status === 'ready' && fresh.verifier !== state.verifier)
        return fresh.verifier.check(payload, eventId);
    }
    return check;
  }

  async scan(rawPayload: string, context: ScanContext): Promise<ScanOutcome> {
    const payload = rawPayload.trim();
    if (!payload) return { kind: 'empty' };
    const check = await this.checkLocally(payload, context.eventId);
    if (check && check.status !== 'valid') {
      return {
        kind: 'refused_locally',
        code: check.status,
        unknownKey: check.status === 'invalid_signature' && check.unknownKey,
      };
    }
    return this.submit({
      ...this.base(context),
      kind: 'qr',
      payload,
      ticketKey: check ? `code:${check.claims.t}` : `raw:${payload}`,
      verified: check !== undefined,
    });
  }

  /** Checks in a ticket picked from the attendee search. */
  manual(
    ticket: { ticketId: string; attendeeName: string },
    context: ScanContext,
  ): Promise<ScanOutcome> {
    return this.submit({
      ...this.base(context),
      kind: 'manual',
      ticketId: ticket.ticketId,
      attendeeName: ticket.attendeeName,
      ticketKey: `ticket:${ticket.ticketId}`,
      verified: true,
    });
  }

  private base(context: ScanContext) {
    return {
      nonce: this.newNonce(),
      eventId: context.eventId,
      userId: context.userId,
      scannedAt: this.now(),
      ...(context.gate ? { gate: context.gate } : {}),
      ...(context.device ? { device: context.device } : {}),
    };
  }

  private async submit(entry: NewEntry): Promise<ScanOutcome> {
    const { api, queue, isOnline } = this.options;
    const known = await queue.known(entry.eventId, entry.ticketKey);
    // A scan still waiting to sync: sending the ticket again would only race it.
    if (known?.status === 'pending') return { kind: 'known', entry: known };
    if (!isOnline()) {
      if (known) return { kind: 'known', entry: known };
      return { kind: 'queued', entry: await queue.enqueue(entry), reason: 'offline' };
    }

    let result: ScanResult;
    try {
      result = await sendEntry(api, entry, timeoutSignal(this.timeoutMs));
    } catch (error) {
      const problem = classifyError(error);
      if (!isTransient(problem)) return { kind: 'problem', problem };
      // No answer (or not now): the queue sends it again later with the same nonce.
      const queued = await queue.enqueue(entry, problem.message);
      return { kind: 'queued', entry: queued, reason: problem.kind as QueueReason };
    }
    return { kind: 'answered', result, entry: await queue.recordAnswer(entry, result) };
  }
}
