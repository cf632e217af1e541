'use client';

import { PageFailed } from '@spot/ui';

export default function ScannerPageFailed(props: {
  error: Error & { digest?: string };
  retry: () => void;
}) {
  return (
    <main className="content">
      <PageFailed {...props} home={{ href: '/', label: 'Back to your events' }} />
    </main>
  );
}
