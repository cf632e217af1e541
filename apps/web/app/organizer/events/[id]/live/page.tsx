import type { Metadata } from 'next';
import { LiveDashboard } from './live-dashboard.tsx';

export const metadata: Metadata = { title: 'Live · Spot' };

interface Props {
  params: Promise<{ id: string }>;
}

export default async function LivePage({ params }: Props) {
  const { id } = await params;
  return <LiveDashboard eventId={id} />;
}
