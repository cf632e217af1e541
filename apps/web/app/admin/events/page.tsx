import type { Metadata } from 'next';
import { AdminEvents, type EventFilters } from './admin-events.tsx';

export const metadata: Metadata = { title: 'Events · Admin · Spot', robots: { index: false } };

interface Props {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

const one = (value: string | string[] | undefined) =>
  typeof value === 'string' && value ? value : undefined;

/** Links from other admin pages open the list filtered (`?organizerId=…`, `?reported=1`). */
export default async function AdminEventsPage({ searchParams }: Props) {
  const params = await searchParams;
  const initial: EventFilters = {
    organizerId: one(params.organizerId),
    reported: params.reported === '1' || undefined,
    status: one(params.status) as EventFilters['status'],
    text: one(params.text),
  };
  return <AdminEvents initial={initial} />;
}
