import Link from 'next/link';
import type { ReactNode } from 'react';
import { serverApi, trpcCode } from '../../src/trpc/server.ts';
import { AdminNav } from './_components/admin-nav.tsx';
import styles from './admin.module.css';

// Who may enter depends on the session cookie.
export const dynamic = 'force-dynamic';

/**
 * The admin console. The server decides who may enter: the layout asks an admin-only procedure
 * and shows its refusal (signed out, or not an admin) instead of the console.
 */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  try {
    await (await serverApi()).admin.users({ limit: 1 });
  } catch (error) {
    const code = trpcCode(error);
    if (code !== 'UNAUTHORIZED' && code !== 'FORBIDDEN') throw error;
    return (
      <section className="card" role="alert">
        <h1>Admins only</h1>
        <p>{(error as Error).message}</p>
        <p className="aside">
          {code === 'UNAUTHORIZED' ? (
            <Link href="/login?next=/admin">Log in</Link>
          ) : (
            <Link href="/">Explore events</Link>
          )}
        </p>
      </section>
    );
  }
  return (
    <div className={styles.console}>
      <AdminNav />
      {children}
    </div>
  );
}
