'use client';

import { useTRPC } from '@spot/ui';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { PasswordForm } from './password-form.tsx';
import { PreferencesForm } from './preferences-form.tsx';

/** The signed-in user's settings; anyone else is asked to log in first. */
export function Account() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  if (me.isPending) return <p aria-live="polite">Loading…</p>;
  if (!me.data) {
    return (
      <p role="alert" className="form-error">
        Please <Link href="/login?next=%2Fme%2Faccount">log in</Link> to see your account.
      </p>
    );
  }
  return (
    <>
      <h2>Your interests</h2>
      <PreferencesForm />
      <h2>Change your password</h2>
      <PasswordForm />
    </>
  );
}
