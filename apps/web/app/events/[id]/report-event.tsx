'use client';

import { useTRPC } from '@spot/ui';
import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { ReasonForm } from '../../../src/components/reason-form.tsx';
import { REPORT_REASON_LABELS } from '../../../src/lib/format.ts';

/**
 * "Report this event" to the moderators: a reason and, optionally, what is wrong. Signed-out
 * visitors are asked to log in (the server says so); a second report replaces the first.
 */
export function ReportEvent({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
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
  return (
    <ReasonForm
      title="Report this event"
      reasons={REPORT_REASON_LABELS}
      initialReason="scam"
      reasonLabel="What is wrong?"
      textLabel="Details (optional)"
      textRequired={false}
      submitLabel="Send report"
      pending={report.isPending}
      error={report.error}
      onSubmit={(input) => report.mutate({ eventId, ...input })}
      onCancel={() => setOpen(false)}
    />
  );
}
