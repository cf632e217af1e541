import type { Metadata } from 'next';
import { MyEvents } from './my-events.tsx';

export const metadata: Metadata = { title: 'My events · Spot' };

export default function MyEventsPage() {
  return <MyEvents />;
}
