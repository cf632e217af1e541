'use client';

import { Suspense } from 'react';
import { ScanScreen } from '../../src/components/scan-screen.tsx';
import { SignedInShell } from '../../src/components/shell.tsx';

// The event comes in the query (`/scan?event=…`): one static page, cached by the service worker,
// opens offline for any event.
export default function ScanPage() {
  return (
    <SignedInShell>
      {(user, offline) => (
        <Suspense fallback={<p className="muted">Loading…</p>}>
          <ScanScreen user={user} offline={offline} />
        </Suspense>
      )}
    </SignedInShell>
  );
}
