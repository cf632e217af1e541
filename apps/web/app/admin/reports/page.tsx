import type { Metadata } from 'next';
import { ReportsQueue } from './reports-queue.tsx';

export const metadata: Metadata = { title: 'Reports · Admin · Spot', robots: { index: false } };

interface Props {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function ReportsPage({ searchParams }: Props) {
  const { eventId } = await searchParams;
  return <ReportsQueue eventId={typeof eventId === 'string' ? eventId : undefined} />;
}
