import type { Metadata } from 'next';
import { TicketDetailView } from './ticket-detail.tsx';

export const metadata: Metadata = { title: 'Ticket · Spot', robots: { index: false } };

interface Props {
  params: Promise<{ id: string }>;
}

export default async function TicketPage({ params }: Props) {
  const { id } = await params;
  return <TicketDetailView id={id} />;
}
