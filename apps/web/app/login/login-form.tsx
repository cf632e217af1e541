'use client';

import { useTRPC } from '@spot/ui';
import { useMutation } from '@tanstack/react-query';
import { AccountForm, formText, useSignedIn } from '../../src/components/account-form.tsx';

export function LoginForm() {
  const trpc = useTRPC();
  const login = useMutation(trpc.auth.login.mutationOptions({ onSuccess: useSignedIn() }));
  return (
    <AccountForm
      mutation={login}
      fields={[
        { name: 'email', label: 'Email', type: 'email', autoComplete: 'email' },
        { name: 'password', label: 'Password', type: 'password', autoComplete: 'current-password' },
      ]}
      toInput={(form) => ({ email: formText(form, 'email'), password: formText(form, 'password') })}
      submitLabel="Log in"
      pendingLabel="Logging in…"
    />
  );
}
