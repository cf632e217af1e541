/** An address with no page answers 404 with a page of the app's own, leading back to it. */
import { describe, expect, inject, it } from 'vitest';

async function expectOwnMissingPage(url: string, homeLabel: string) {
  const response = await fetch(url);
  expect(response.status).toBe(404);
  const html = await response.text();
  expect(html).toContain('Page not found');
  expect(html).toContain(homeLabel);
}

describe.skipIf(inject('webUrl') === '')('pages that do not exist', () => {
  it('on the web app', async () => {
    await expectOwnMissingPage(`${inject('webUrl')}/no-such-page`, 'Explore events');
  });

  it.skipIf(inject('checkin').unavailable !== null)('on the scanner', async () => {
    await expectOwnMissingPage(
      `${inject('checkin').scannerUrl}/no-such-page`,
      'Back to your events',
    );
  });
});
