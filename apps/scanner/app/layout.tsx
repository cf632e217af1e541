import { ApiProviders } from '@spot/ui';
import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { ServiceWorkerRegistration } from '../src/components/service-worker.tsx';
import { ScannerServicesProvider } from '../src/components/services.tsx';
import './globals.css';

const THEME_COLOR = '#4338ca';

export const metadata: Metadata = {
  title: 'Spot Scanner',
  description: 'Check in attendees at the door: scan tickets, even offline.',
  applicationName: 'Spot Scanner',
  appleWebApp: { capable: true, title: 'Scanner', statusBarStyle: 'black-translucent' },
  icons: {
    icon: [{ url: '/icon.svg', type: 'image/svg+xml' }],
    apple: [{ url: '/icons/apple-touch-icon.png', sizes: '180x180' }],
  },
  formatDetection: { telephone: false, email: false },
};

export const viewport: Viewport = {
  themeColor: THEME_COLOR,
  width: 'device-width',
  initialScale: 1,
  viewportFit: 'cover',
  colorScheme: 'dark',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        {/* One request per scan (no batching), and no automatic retry of a scan: each carries its
            own nonce and goes to the offline queue instead. */}
        <ApiProviders batch={false} queryRetries={2} retryMutations={false}>
          <ScannerServicesProvider>{children}</ScannerServicesProvider>
        </ApiProviders>
        <ServiceWorkerRegistration />
      </body>
    </html>
  );
}
