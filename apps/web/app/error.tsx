'use client';

import { PageFailed } from '@spot/ui';

export default function WebPageFailed(props: {
  error: Error & { digest?: string };
  retry: () => void;
}) {
  return <PageFailed {...props} home={{ href: '/', label: 'Explore events' }} />;
}
