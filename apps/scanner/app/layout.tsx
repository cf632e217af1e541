import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { ServiceWorkerRegistration } from '../src/components/service-worker.tsx';
import { Providers } from '../src/trpc/provider.tsx';
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
        <Providers>{children}</Providers>
        <ServiceWorkerRegistration />
      </body>
    </html>
  );
}
