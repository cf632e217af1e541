import type { Metadata } from 'next';
import Link from 'next/link';
import { LoginForm } from './login-form.tsx';

export const metadata: Metadata = { title: 'Log in · Spot' };

export default function LoginPage() {
  return (
    <section className="card">
      <h1>Log in</h1>
      <LoginForm />
      <p className="aside">
        New to Spot? <Link href="/signup">Create an account</Link>
      </p>
    </section>
  );
}
