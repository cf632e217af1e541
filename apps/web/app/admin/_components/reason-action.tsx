'use client';

import type { ApiError } from '@spot/ui';
import { fieldErrors, formError } from '@spot/ui';
import { type FormEvent, useId, useState } from 'react';
import styles from '../admin.module.css';

interface Props {
  /** The button that opens the form, and the form's confirm button. */
  label: string;
  /** Says what the button acts on, for assistive technology: "Suspend Ann". */
  ariaLabel: string;
  prompt: string;
  /** What the server calls the text (it names it in its errors). */
  field?: 'reason' | 'note';
  required?: boolean;
  pending: boolean;
  error: ApiError | null;
  /** Runs the action; call `done` once it succeeded to close the form. */
  onConfirm(text: string, done: () => void): void;
}

/** An admin action that needs a reason: a button, then the reason and a confirmation. */
export function ReasonAction({
  label,
  ariaLabel,
  prompt,
  field = 'reason',
  required = true,
  pending,
  error,
  onConfirm,
}: Props) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');

  if (!open) {
    return (
      <button
        type="button"
        className="secondary"
        onClick={() => setOpen(true)}
        aria-label={ariaLabel}
      >
        {label}
      </button>
    );
  }
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    onConfirm(text, () => {
      setOpen(false);
      setText('');
    });
  };
  const errors = fieldErrors(error, field);
  const problem = formError(error);
  return (
    <form className={styles.reasonForm} onSubmit={onSubmit} aria-label={ariaLabel}>
      <div className="field">
        <label htmlFor={id}>{prompt}</label>
        <textarea
          id={id}
          name={field}
          rows={3}
          required={required}
          value={text}
          onChange={(event) => setText(event.target.value)}
          aria-invalid={errors.length > 0 || undefined}
        />
        {errors.length > 0 && <p className="field-error">{errors.join(' ')}</p>}
      </div>
      {problem && (
        <p role="alert" className="form-error">
          {problem}
        </p>
      )}
      <div className={styles.actions}>
        <button type="submit" className={styles.danger} disabled={pending}>
          {pending ? 'Working…' : label}
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
