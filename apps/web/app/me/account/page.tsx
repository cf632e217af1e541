import type { Metadata } from 'next';
import { Account } from './account.tsx';

export const metadata: Metadata = { title: 'Your account · Spot', robots: { index: false } };

export default function AccountPage() {
  return (
    <section className="card">
      <h1>Your account</h1>
      <Account />
    </section>
  );
}
