import type { Metadata } from 'next';
import { Users } from './users.tsx';

export const metadata: Metadata = { title: 'Users · Admin · Spot', robots: { index: false } };

export default function UsersPage() {
  return <Users />;
}
