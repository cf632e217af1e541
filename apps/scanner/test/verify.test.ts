import { describe, expect, it } from 'vitest';
import { type StoredKey, VerificationKeys } from '../src/core/keys.ts';
import { createVerifier, VerifierUnavailableError } from '../src/core/verify.ts';
import { MemoryStore } from '../src/storage/memory.ts';
import { EVENT_ID, makeSigningKey, OTHER_EVENT_ID, signPayload } from './fixtures.ts';

/** Changes one character in the middle of the signature (the last ones can be padding bits). */
function tamperSignature(payload: string): string {
  const [header, body, signature = ''] = payload.split('.');
  const at = Math.floor(signature.length / 2);
  const flipped = signature[at] === 'A' ? 'B' : 'A';
  return `${header}.${body}.${signature.slice(0, at)}${flipped}${signature.slice(at + 1)}`;
}

describe('local verification of ticket payloads', () => {
  it('accepts a payload signed by the server key for the selected event', async () => {
    const server = await makeSigningKey();
    const verifier = await createVerifier(server.jwk);
    const payload = await signPayload(server, { t: 'ticket-code-1', e: EVENT_ID });

    expect(await verifier.check(payload, EVENT_ID)).toEqual({
      status: 'valid',
      claims: { t: 'ticket-code-1', e: EVENT_ID, v: 1 },
    });
    // Scanner apps and pasting add whitespace or a line break.
    expect((await verifier.check(` ${payload}\n`, EVENT_ID)).status).toBe('valid');
  });

  it('rejects a tampered signature and a tampered body', async () => {
    const server = await makeSigningKey();
    const verifier = await createVerifier(server.jwk);
    const payload = await signPayload(server, { t: 'ticket-code-1', e: OTHER_EVENT_ID });

    expect(await verifier.check(tamperSignature(payload), OTHER_EVENT_ID)).toEqual({
      status: 'invalid_signature',
      unknownKey: false,
    });
    // The body rewritten to claim the selected event, keeping the original signature.
    const [header, , signature] = payload.split('.');
    const forgedBody = Buffer.from(
      JSON.stringify({ t: 'ticket-code-1', e: EVENT_ID, v: 1 }),
    ).toString('base64url');
    expect((await verifier.check(`${header}.${forgedBody}.${signature}`, EVENT_ID)).status).toBe(
      'invalid_signature',
    );
  });

  it('rejects a payload signed by another key, with or without our key id', async () => {
    const server = await makeSigningKey();
    const forger = await makeSigningKey();
    const verifier = await createVerifier(server.jwk);

    const ownKid = await signPayload(forger, { t: 'x', e: EVENT_ID });
    expect(await verifier.check(ownKid, EVENT_ID)).toEqual({
      status: 'invalid_signature',
      unknownKey: true,
    });
    const stolenKid = await signPayload(
      { privateKey: forger.privateKey, jwk: server.jwk },
      { t: 'x', e: EVENT_ID },
    );
    expect(await verifier.check(stolenKid, EVENT_ID)).toEqual({
      status: 'invalid_signature',
      unknownKey: false,
    });
  });

  it("calls a genuine ticket of another event 'wrong_event'", async () => {
    const server = await makeSigningKey();
    const verifier = await createVerifier(server.jwk);
    const payload = await signPayload(server, { t: 'ticket-code-2', e: OTHER_EVENT_ID });

    expect(await verifier.check(payload, EVENT_ID)).toEqual({
      status: 'wrong_event',
      claims: { t: 'ticket-code-2', e: OTHER_EVENT_ID, v: 1 },
    });
  });

  it('rejects what is not a ticket: other QR codes, unknown versions, missing claims', async () => {
    const server = await makeSigningKey();
    const verifier = await createVerifier(server.jwk);
    for (const payload of ['https://example.com/ticket/1', 'a.b.c', '{"t":"x"}']) {
      expect((await verifier.check(payload, EVENT_ID)).status).toBe('invalid_signature');
    }
    const v2 = await signPayload(server, { t: 'x', e: EVENT_ID, v: 2 });
    expect((await verifier.check(v2, EVENT_ID)).status).toBe('invalid_signature');
    const noCode = await signPayload(server, { t: '', e: EVENT_ID });
    expect((await verifier.check(noCode, EVENT_ID)).status).toBe('invalid_signature');
  });

  it('refuses keys that cannot verify tickets', async () => {
    const server = await makeSigningKey();
    await expect(createVerifier({ ...server.jwk, crv: 'X25519' })).rejects.toBeInstanceOf(
      VerifierUnavailableError,
    );
    await expect(createVerifier({ kty: 'oct', k: 'c2VjcmV0' })).rejects.toBeInstanceOf(
      VerifierUnavailableError,
    );
    await expect(createVerifier({ ...server.jwk, d: 'private' })).rejects.toBeInstanceOf(
      VerifierUnavailableError,
    );
  });
});

describe('the kept public key', () => {
  it('is fetched online, kept, and used offline by a later start of the app', async () => {
    const server = await makeSigningKey();
    const store = new MemoryStore();
    const online = new VerificationKeys({ store, fetchKey: async () => server.jwk, now: () => 42 });
    expect((await online.refresh()).status).toBe('ready');
    expect((await store.getKey())?.fetchedAt).toBe(42);

    const offline = new VerificationKeys({
      store,
      fetchKey: () => Promise.reject(new TypeError('fetch failed')),
    });
    const state = await offline.refresh();
    if (state.status !== 'ready') throw new Error(`expected the kept key, got ${state.status}`);
    const payload = await signPayload(server, { t: 'c', e: EVENT_ID });
    expect((await state.verifier.check(payload, EVENT_ID)).status).toBe('valid');
  });

  it('is missing until the device has been online once', async () => {
    const keys = new VerificationKeys({
      store: new MemoryStore(),
      fetchKey: () => Promise.reject(new TypeError('fetch failed')),
    });
    expect(await keys.current()).toEqual({ status: 'missing' });
    expect(await keys.refresh()).toEqual({ status: 'missing' });
  });

  it('keeps the good key when the server sends one that does not import', async () => {
    const server = await makeSigningKey();
    const store = new MemoryStore();
    const kept: StoredKey = { jwk: server.jwk, fetchedAt: 1 };
    await store.setKey(kept);
    const keys = new VerificationKeys({ store, fetchKey: async () => ({ kty: 'oct', k: 'eA' }) });
    expect((await keys.refresh()).status).toBe('ready');
    expect(await store.getKey()).toEqual(kept);
  });
});
