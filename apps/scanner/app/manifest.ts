import type { MetadataRoute } from 'next';

/** The web app manifest (served at /manifest.webmanifest): installable, full screen, offline. */
export default function manifest(): MetadataRoute.Manifest {
  return {
    id: '/',
    name: 'Spot Scanner',
    short_name: 'Scanner',
    description: 'Check in attendees at the door: scan tickets, even offline.',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    orientation: 'portrait',
    background_color: '#111318',
    theme_color: '#4338ca',
    categories: ['business', 'productivity'],
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
      { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
    ],
  };
}
