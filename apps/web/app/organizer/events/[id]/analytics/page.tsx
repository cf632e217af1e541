import type { Metadata } from 'next';
import { AnalyticsDashboard } from './analytics-dashboard.tsx';

export const metadata: Metadata = { title: 'Analytics · Spot' };

interface Props {
  params: Promise<{ id: string }>;
}

export default async function AnalyticsPage({ params }: Props) {
  const { id } = await params;
  return <AnalyticsDashboard eventId={id} />;
}
