/**
 * The production servers (global-setup.ts) send the headers that keep their pages from being
 * framed by another site or sniffed into another content type.
 */
import { describe, expect, inject, it } from 'vitest';

function expectFramingRefused(response: Response) {
  expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect(response.headers.get('x-frame-options')).toBe('DENY');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
}

describe.skipIf(inject('webUrl') === '')('security headers', () => {
  it('on the web app: pages and the API alike', async () => {
    const webUrl = inject('webUrl');
    const page = await fetch(`${webUrl}/`);
    expect(page.status).toBe(200);
    expectFramingRefused(page);
    expect(page.headers.get('permissions-policy')).toContain('camera=()');
    expectFramingRefused(await fetch(`${webUrl}/api/trpc/auth.me`));
  });

  it.skipIf(inject('checkin').unavailable !== null)(
    'on the scanner, which may use the camera',
    async () => {
      const login = await fetch(`${inject('checkin').scannerUrl}/login`);
      expect(login.status).toBe(200);
      expectFramingRefused(login);
      expect(login.headers.get('permissions-policy')).toContain('camera=(self)');
    },
  );
});
