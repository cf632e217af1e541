'use client';

import { fieldErrors, formError, SelectField, TextAreaField, useTRPC } from '@spot/ui';
import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import { REPORT_REASON_LABELS } from '../../../src/lib/format.ts';
import type { ReportReason } from '../../../src/trpc/types.ts';

const REASONS = Object.keys(REPORT_REASON_LABELS) as ReportReason[];

/**
 * "Report this event" to the moderators: a reason and, optionally, what is wrong. Signed-out
 * visitors are asked to log in (the server says so); a second report replaces the first.
 */
export function ReportEvent({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<ReportReason>('scam');
  const [text, setText] = useState('');
  const report = useMutation(trpc.moderation.reportEvent.mutationOptions());

  if (report.isSuccess) {
    return (
      <p role="status" className="notice">
        Thank you: the moderators will look at this event.
      </p>
    );
  }
  if (!open) {
    return (
      <button type="button" className="link-button" onClick={() => setOpen(true)}>
        Report this event
      </button>
    );
  }
  if (report.error?.data?.code === 'UNAUTHORIZED') {
    return (
      <p role="alert" className="form-error">
        Please <Link href={`/login?next=${encodeURIComponent(`/events/${eventId}`)}`}>log in</Link>{' '}
        to report this event.
      </p>
    );
  }
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    report.mutate({ eventId, reason, text });
  };
  const problem = formError(report.error);
  return (
    <form className="form" onSubmit={onSubmit} aria-label="Report this event">
      <SelectField
        name="reason"
        label="What is wrong?"
        value={reason}
        onChange={(event) => setReason(event.target.value as ReportReason)}
        errors={fieldErrors(report.error, 'reason')}
      >
        {REASONS.map((value) => (
          <option key={value} value={value}>
            {REPORT_REASON_LABELS[value]}
          </option>
        ))}
      </SelectField>
      <TextAreaField
        name="text"
        label="Details (optional)"
        rows={3}
        value={text}
        onChange={(event) => setText(event.target.value)}
        errors={fieldErrors(report.error, 'text')}
      />
      {problem && (
        <p role="alert" className="form-error">
          {problem}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" disabled={report.isPending}>
          {report.isPending ? 'Sending…' : 'Send report'}
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
