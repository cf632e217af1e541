import { PageMissing } from '@spot/ui';

export default function WebPageMissing() {
  return <PageMissing home={{ href: '/', label: 'Explore events' }} />;
}
