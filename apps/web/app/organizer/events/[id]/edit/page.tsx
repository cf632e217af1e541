import type { Metadata } from 'next';
import { EditEvent } from './edit-event.tsx';

export const metadata: Metadata = { title: 'Edit event · Spot' };

interface Props {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function EditEventPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { created } = await searchParams;
  return <EditEvent id={id} justCreated={created === '1'} />;
}
