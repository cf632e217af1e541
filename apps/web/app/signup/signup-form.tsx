'use client';

import { useTRPC } from '@spot/ui';
import { useMutation } from '@tanstack/react-query';
import { AccountForm, formText, useSignedIn } from '../../src/components/account-form.tsx';

export function SignupForm() {
  const trpc = useTRPC();
  const register = useMutation(trpc.auth.register.mutationOptions({ onSuccess: useSignedIn() }));
  return (
    <AccountForm
      mutation={register}
      fields={[
        { name: 'name', label: 'Name', autoComplete: 'name' },
        { name: 'email', label: 'Email', type: 'email', autoComplete: 'email' },
        { name: 'password', label: 'Password', type: 'password', autoComplete: 'new-password' },
      ]}
      toInput={(form) => ({
        name: formText(form, 'name'),
        email: formText(form, 'email'),
        password: formText(form, 'password'),
      })}
      submitLabel="Create account"
      pendingLabel="Creating account…"
    />
  );
}
