import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Header } from '../src/components/header.tsx';
import { Providers } from '../src/trpc/provider.tsx';
import './globals.css';

export const metadata: Metadata = {
  title: 'Spot',
  description: 'Find events near you, buy tickets, and check in with your phone.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>
          <Header />
          <main className="content">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
