import type { Metadata } from 'next';
import { LoginForm } from '../../src/components/login-form.tsx';

export const metadata: Metadata = { title: 'Log in · Spot Scanner' };

export default function LoginPage() {
  return (
    <main className="content">
      <section className="card login">
        <h1>
          Spot <span className="brand-sub">Scanner</span>
        </h1>
        <p className="muted">Log in with your Spot account to check attendees in.</p>
        <LoginForm />
      </section>
    </main>
  );
}
