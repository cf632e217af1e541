import type { Metadata } from 'next';
import { Billing } from './billing.tsx';

export const metadata: Metadata = { title: 'Billing · Spot' };

export default function BillingPage() {
  return <Billing />;
}
