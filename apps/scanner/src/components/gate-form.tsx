'use client';

import { type FormEvent, useState } from 'react';
import { GATE_MAX_LENGTH } from '../device/settings.ts';

/** Which entrance this phone is at: asked once, remembered, sent with every scan. */
export function GateForm({ initial, onSave }: { initial: string; onSave: (gate: string) => void }) {
  const [gate, setGate] = useState(initial);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (gate.trim()) onSave(gate.trim());
  }
  return (
    <form onSubmit={onSubmit} className="form card" data-testid="gate-form">
      <h2>Which entrance are you at?</h2>
      <p className="muted">Saved on this device and recorded with each check-in.</p>
      <div className="field">
        <label htmlFor="gate">Gate or door</label>
        <input
          id="gate"
          name="gate"
          data-testid="gate-input"
          value={gate}
          maxLength={GATE_MAX_LENGTH}
          placeholder="e.g. Main entrance"
          onChange={(event) => setGate(event.target.value)}
          autoComplete="off"
        />
      </div>
      <button
        type="submit"
        className="button-large"
        data-testid="gate-save"
        disabled={!gate.trim()}
      >
        Start scanning here
      </button>
    </form>
  );
}
