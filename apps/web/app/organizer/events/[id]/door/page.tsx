import type { Metadata } from 'next';
import { Door } from './door.tsx';

export const metadata: Metadata = { title: 'Door team and refused scans · Spot' };

export default async function DoorPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <Door eventId={id} />;
}
