import type { Metadata } from 'next';
import { Checkout } from './checkout.tsx';

export const metadata: Metadata = { title: 'Checkout · Spot', robots: { index: false } };

interface Props {
  params: Promise<{ holdId: string }>;
}

export default async function CheckoutPage({ params }: Props) {
  const { holdId } = await params;
  return <Checkout holdId={holdId} />;
}
