import { PageMissing } from '@spot/ui';

export default function ScannerPageMissing() {
  return (
    <main className="content">
      <PageMissing home={{ href: '/', label: 'Back to your events' }} />
    </main>
  );
}
