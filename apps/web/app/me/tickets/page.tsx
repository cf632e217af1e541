import type { Metadata } from 'next';
import { MyTickets } from './my-tickets.tsx';

export const metadata: Metadata = { title: 'My tickets · Spot', robots: { index: false } };

export default function MyTicketsPage() {
  return <MyTickets />;
}
