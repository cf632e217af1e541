import type { Metadata } from 'next';
import { PasswordForm } from './password-form.tsx';

export const metadata: Metadata = { title: 'Your account · Spot', robots: { index: false } };

export default function AccountPage() {
  return (
    <section className="card">
      <h1>Your account</h1>
      <h2>Change your password</h2>
      <PasswordForm />
    </section>
  );
}
