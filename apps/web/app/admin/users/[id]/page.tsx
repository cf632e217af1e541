import type { Metadata } from 'next';
import { UserDetail } from './user-detail.tsx';

export const metadata: Metadata = { title: 'User · Admin · Spot', robots: { index: false } };

interface Props {
  params: Promise<{ id: string }>;
}

export default async function UserPage({ params }: Props) {
  const { id } = await params;
  return <UserDetail id={id} />;
}
