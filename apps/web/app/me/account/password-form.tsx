'use client';

import { useTRPC } from '@spot/ui';
import { useMutation, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { AccountForm, formText } from '../../../src/components/account-form.tsx';

/** A new password; the server ends every other session (other devices sign in again). */
export function PasswordForm() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const change = useMutation(trpc.auth.changePassword.mutationOptions());

  if (me.isPending) return <p aria-live="polite">Loading…</p>;
  if (!me.data) {
    return (
      <p role="alert" className="form-error">
        Please <Link href="/login?next=%2Fme%2Faccount">log in</Link> to change your password.
      </p>
    );
  }
  return (
    <>
      {change.isSuccess && (
        <p role="status" className="notice">
          Password changed. Your other devices are signed out.
        </p>
      )}
      <AccountForm
        // A fresh, empty form once the password changed.
        key={change.isSuccess ? change.submittedAt : 'editing'}
        mutation={change}
        fields={[
          {
            name: 'currentPassword',
            label: 'Current password',
            type: 'password',
            autoComplete: 'current-password',
          },
          {
            name: 'newPassword',
            label: 'New password',
            type: 'password',
            autoComplete: 'new-password',
          },
        ]}
        toInput={(form) => ({
          currentPassword: formText(form, 'currentPassword'),
          newPassword: formText(form, 'newPassword'),
        })}
        submitLabel="Change password"
        pendingLabel="Changing…"
      />
    </>
  );
}
