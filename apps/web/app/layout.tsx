import { ApiProviders } from '@spot/ui';
import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Header } from '../src/components/header.tsx';
import './globals.css';

export const metadata: Metadata = {
  title: 'Spot',
  description: 'Find events near you, buy tickets, and check in with your phone.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <ApiProviders batch queryRetries={3} retryMutations>
          <Header />
          <main className="content">{children}</main>
        </ApiProviders>
      </body>
    </html>
  );
}
