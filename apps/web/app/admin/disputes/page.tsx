import type { Metadata } from 'next';
import { DisputesQueue } from './disputes-queue.tsx';

export const metadata: Metadata = { title: 'Disputes · Admin · Spot', robots: { index: false } };

export default function DisputesPage() {
  return <DisputesQueue />;
}
