import type { Metadata } from 'next';
import { type AuditFilters, AuditLog } from './audit-log.tsx';

export const metadata: Metadata = { title: 'Audit log · Admin · Spot', robots: { index: false } };

interface Props {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

const one = (value: string | string[] | undefined) =>
  typeof value === 'string' && value ? value : undefined;

export default async function AuditPage({ searchParams }: Props) {
  const params = await searchParams;
  const initial: AuditFilters = {
    action: one(params.action),
    actorId: one(params.actorId),
    targetKind: one(params.targetKind),
    targetId: one(params.targetId),
  };
  return <AuditLog initial={initial} />;
}
