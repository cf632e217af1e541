'use client';

import { type FormEvent, useState } from 'react';
import { unlockAudio } from '../device/feedback.ts';

/** Type or paste a ticket's QR payload (a damaged screen, a scanner app's output). */
export function ManualEntry({
  onSubmit,
  disabled,
}: {
  onSubmit: (payload: string) => Promise<void>;
  disabled: boolean;
}) {
  const [payload, setPayload] = useState('');
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    unlockAudio();
    const value = payload.trim();
    if (!value) return;
    await onSubmit(value);
    setPayload('');
  }
  return (
    <form onSubmit={submit} className="inline-form" data-testid="manual-form">
      <label htmlFor="manual-payload">Ticket code</label>
      <div className="inline-row">
        <input
          id="manual-payload"
          name="payload"
          data-testid="manual-payload"
          value={payload}
          onChange={(event) => setPayload(event.target.value)}
          placeholder="Paste or type the QR code's text"
          autoComplete="off"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
        />
        <button
          type="submit"
          data-testid="manual-submit"
          disabled={disabled || payload.trim() === ''}
        >
          Check
        </button>
      </div>
    </form>
  );
}
