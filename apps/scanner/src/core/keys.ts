import type { JWK } from 'jose';
import { createVerifier, type TicketVerifier, VerifierUnavailableError } from './verify.ts';

/** The public key as kept on the device (IndexedDB in the browser). */
export interface StoredKey {
  jwk: JWK;
  fetchedAt: number;
}

export interface KeyStore {
  getKey(): Promise<StoredKey | undefined>;
  setKey(key: StoredKey): Promise<void>;
}

export interface VerificationKeysOptions {
  store: KeyStore;
  /** Asks the server for its current public key (`tickets.qrPublicKey`). */
  fetchKey: () => Promise<JWK>;
  now?: () => number;
}

export type KeyState =
  | { status: 'ready'; verifier: TicketVerifier; fetchedAt: number }
  /** Never been online with this device: nothing to verify with yet. */
  | { status: 'missing' }
  /** The browser cannot verify Ed25519 signatures: the server has to. */
  | { status: 'unsupported'; message: string };

const MISSING: KeyState = { status: 'missing' };

/**
 * The ticket-signing public key: fetched when online, kept on the device so scans are verified
 * offline too. `refresh` replaces the kept key only with one that imports.
 */
export class VerificationKeys {
  private state: Promise<KeyState> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: VerificationKeysOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The verifier from the kept key (loaded once). */
  current(): Promise<KeyState> {
    this.state ??= this.options.store
      .getKey()
      .then((stored): Promise<KeyState> | KeyState => (stored ? toState(stored) : MISSING))
      .catch(() => MISSING);
    return this.state;
  }

  /** Fetches the server's key and keeps it. Network trouble leaves the kept key in place. */
  async refresh(): Promise<KeyState> {
    let jwk: JWK;
    try {
      jwk = await this.options.fetchKey();
    } catch {
      return this.current();
    }
    const stored: StoredKey = { jwk, fetchedAt: this.now() };
    const state = await toState(stored);
    if (state.status === 'ready') {
      await this.options.store.setKey(stored).catch(() => undefined);
      this.state = Promise.resolve(state);
      return state;
    }
    const previous = await this.current();
    if (previous.status === 'ready') return previous;
    this.state = Promise.resolve(state);
    return state;
  }
}

async function toState(stored: StoredKey): Promise<KeyState> {
  try {
    return {
      status: 'ready',
      verifier: await createVerifier(stored.jwk),
      fetchedAt: stored.fetchedAt,
    };
  } catch (error) {
    if (error instanceof VerifierUnavailableError)
      return { status: 'unsupported', message: error.message };
    throw error;
  }
}
