import type { Metadata } from 'next';
import { PlatformAnalytics } from './platform-analytics.tsx';

export const metadata: Metadata = { title: 'Analytics · Admin · Spot', robots: { index: false } };

export default function AnalyticsPage() {
  return <PlatformAnalytics />;
}
