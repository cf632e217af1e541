'use client';

import { PendingList } from '../../src/components/pending-list.tsx';
import { SignedInShell } from '../../src/components/shell.tsx';

export default function PendingPage() {
  return <SignedInShell>{(user) => <PendingList user={user} />}</SignedInShell>;
}
