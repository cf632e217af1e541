'use client';

import { type ApiError, fieldErrors, formError, SelectField, TextAreaField } from '@spot/ui';
import { type FormEvent, useState } from 'react';

interface ReasonFormProps<Reason extends string> {
  /** The form's accessible name, e.g. "Report this event". */
  title: string;
  /** Each reason the server accepts, with its label. */
  reasons: Record<Reason, string>;
  initialReason: Reason;
  reasonLabel: string;
  textLabel: string;
  textRequired: boolean;
  submitLabel: string;
  pending: boolean;
  error: ApiError | null;
  onSubmit(input: { reason: Reason; text: string }): void;
  onCancel(): void;
}

/** A reason from a fixed list plus free text, sent to the moderators (a report, a dispute). */
export function ReasonForm<Reason extends string>(props: ReasonFormProps<Reason>) {
  const [reason, setReason] = useState(props.initialReason);
  const [text, setText] = useState('');
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit({ reason, text });
  };
  const problem = formError(props.error);
  return (
    <form className="form" onSubmit={onSubmit} aria-label={props.title}>
      <SelectField
        name="reason"
        label={props.reasonLabel}
        value={reason}
        onChange={(event) => setReason(event.target.value as Reason)}
        errors={fieldErrors(props.error, 'reason')}
      >
        {(Object.keys(props.reasons) as Reason[]).map((value) => (
          <option key={value} value={value}>
            {props.reasons[value]}
          </option>
        ))}
      </SelectField>
      <TextAreaField
        name="text"
        label={props.textLabel}
        rows={props.textRequired ? 4 : 3}
        required={props.textRequired}
        value={text}
        onChange={(event) => setText(event.target.value)}
        errors={fieldErrors(props.error, 'text')}
      />
      {problem && (
        <p role="alert" className="form-error">
          {problem}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" disabled={props.pending}>
          {props.pending ? 'Sending…' : props.submitLabel}
        </button>
        <button type="button" className="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
