import type { Metadata } from 'next';
import { DisputeDetail } from './dispute-detail.tsx';

export const metadata: Metadata = { title: 'Dispute · Admin · Spot', robots: { index: false } };

interface Props {
  params: Promise<{ id: string }>;
}

export default async function DisputePage({ params }: Props) {
  const { id } = await params;
  return <DisputeDetail id={id} />;
}
