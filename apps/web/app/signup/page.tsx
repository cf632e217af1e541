import type { Metadata } from 'next';
import Link from 'next/link';
import { SignupForm } from './signup-form.tsx';

export const metadata: Metadata = { title: 'Sign up · Spot' };

export default function SignupPage() {
  return (
    <section className="card">
      <h1>Create your account</h1>
      <SignupForm />
      <p className="aside">
        Already have an account? <Link href="/login">Log in</Link>
      </p>
    </section>
  );
}
