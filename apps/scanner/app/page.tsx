'use client';

import { EventPicker } from '../src/components/event-picker.tsx';
import { SignedInShell } from '../src/components/shell.tsx';

export default function HomePage() {
  return (
    <SignedInShell>{(user) => <EventPicker userId={user.id} userName={user.name} />}</SignedInShell>
  );
}
