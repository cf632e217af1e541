'use client';

import { useTRPC } from '@spot/ui';
import { useMutation } from '@tanstack/react-query';
import { AccountForm, formText } from '../../../src/components/account-form.tsx';

/** A new password; the server ends every other session (other devices sign in again). */
export function PasswordForm() {
  const trpc = useTRPC();
  const change = useMutation(trpc.auth.changePassword.mutationOptions());
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
