/**
 * Browser end to end for the door (production builds of the web app and the scanner PWA, the
 * realtime server and Redis: see global-setup.ts). The organizer watches the event's live page
 * in one browser context while door staff check a ticket in on the scanner in another: the
 * counter goes up without a reload. The same ticket scanned again is refused as already used,
 * with when, by whom and at which gate it was let in.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { logIn } from './accounts.ts';
import { browserUnavailable, useBrowser } from './chromium.ts';

const unavailable = browserUnavailable() ?? inject('checkin').unavailable;
if (unavailable) console.warn(`[e2e] skipping the check-in suite: ${unavailable}`);

const GATE = 'North gate';

/**
 * The scanner's full-screen answer once it says `result` (decided by the server) with all of
 * `texts`. It goes away by itself after 2.5 s, so everything is waited for in one go; on a
 * timeout the error says what the screen showed instead.
 */
async function scanResult(page: Page, result: string, texts: (string | RegExp)[]): Promise<void> {
  let expected: Locator = page.locator(
    `[data-testid="scan-result"][data-result="${result}"][data-source="server"]`,
  );
  for (const text of texts) expected = expected.filter({ hasText: text });
  try {
    await expected.waitFor();
  } catch (error) {
    const shown = page.getByTestId('scan-result');
    const actual = (await shown.count())
      ? `${await shown.getAttribute('data-result')}: ${(await shown.locator('span').allTextContents()).join(' | ')}`
      : 'no result on screen';
    throw new Error(`expected a "${result}" answer with ${texts.join(', ')}; got ${actual}`, {
      cause: error,
    });
  }
}

describe.skipIf(unavailable !== null)('door check-in in the browser', () => {
  const baseURL = inject('webUrl');
  const organizer = inject('organizer');
  const { scannerUrl, event, staff, tickets } = inject('checkin');
  const openPage = useBrowser(baseURL);

  it('a scan at the door shows on the live page at once; the same ticket again is already used', {
    timeout: 60_000,
  }, async () => {
    const ticket = tickets[0];
    if (!ticket) throw new Error('no ticket was seeded');

    // Context A: the organizer logs in on the web app and opens the event's live page.
    const { page: live } = await openPage();
    await logIn(live, organizer);
    await live.waitForURL(`${baseURL}/`);
    await live.goto(`/organizer/events/${event.id}/live`);
    await live.getByRole('heading', { level: 1, name: `Live: ${event.title}` }).waitFor();
    const count = live.getByTestId('checkin-count');
    await count.waitFor();
    expect(await count.textContent()).toBe('0');
    await live.getByText('0 of 2 ticket holders checked in (0%)').waitFor();
    await live.getByText('No one has checked in yet.').waitFor();
    // The link to the realtime server is up: joined the event's room, Redis feed flowing.
    await live.getByText('● Live', { exact: true }).waitFor();
    expect(await live.getByTestId('live-paused').count()).toBe(0);
    // Marks this document: a reload would drop the mark.
    await live.evaluate(() => {
      document.documentElement.dataset.e2eLoaded = 'once';
    });

    // Context B: door staff log in on the scanner, pick the event and say where they stand.
    const { page: door } = await openPage({ baseURL: scannerUrl });
    await logIn(door, staff);
    await door.getByRole('heading', { name: 'Choose an event' }).waitFor();
    const choice = door.getByRole('link', { name: new RegExp(event.title) });
    await choice.getByText('Door staff').waitFor();
    await choice.click();
    await door.waitForURL(`${scannerUrl}/scan?event=${event.id}`);
    await door.getByTestId('gate-input').fill(GATE);
    await door.getByTestId('gate-save').click();
    await door.getByRole('heading', { level: 1, name: event.title }).waitFor();
    expect(await door.getByTestId('not-open-notice').count()).toBe(0);

    // From here on, the live page hears about the scan from the socket, not by asking again.
    const reloads: string[] = [];
    live.on('request', (request) => {
      if (new URL(request.url()).pathname.includes('analytics.live')) reloads.push(request.url());
    });

    // The attendee's QR code would not scan: the code is typed in.
    await door.getByTestId('manual-payload').fill(ticket.payload);
    await door.getByTestId('manual-submit').click();
    await scanResult(door, 'ok', ['Checked in', ticket.attendeeName, '1 checked in so far']);

    // Meanwhile, on the organizer's screen, without a reload.
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('1');
    await live.getByText('1 of 2 ticket holders checked in (50%)').waitFor();
    const row = live.getByRole('row').filter({ hasText: ticket.attendeeName });
    expect(await row.getByRole('cell').allTextContents()).toEqual([
      ticket.attendeeName,
      expect.stringMatching(/^\d\d:\d\d:\d\d$/),
      GATE,
      'Scan',
      staff.name,
      'Undo',
    ]);
    expect(
      await live.evaluate(() => document.documentElement.dataset.e2eLoaded),
      'the live page was reloaded',
    ).toBe('once');
    expect(reloads).toEqual([]);
    expect(await live.getByTestId('live-paused').count()).toBe(0);
    const scannedAt = ((await row.locator('time').textContent()) ?? '').slice(0, 5);

    // The same ticket again, once the green screen is gone: in already, by whom, when, where.
    await door.getByTestId('scan-result').waitFor({ state: 'detached' });
    await door.getByTestId('manual-payload').fill(ticket.payload);
    await door.getByTestId('manual-submit').click();
    await scanResult(door, 'already_used', [
      'Already used',
      ticket.attendeeName,
      `First scanned at ${scannedAt} by ${staff.name} at ${GATE}`,
    ]);

    // A refused scan changes nothing on the organizer's screen.
    expect(await count.textContent()).toBe('1');
    expect(await live.getByRole('row').filter({ hasText: ticket.attendeeName }).count()).toBe(1);

    // The wrong person was let in: the organizer takes the check-in back, and the ticket is good
    // at the door again.
    await row.getByRole('button', { name: `Undo the check-in of ${ticket.attendeeName}` }).click();
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('0');
    await door.getByTestId('scan-result').waitFor({ state: 'detached' });
    await door.getByTestId('manual-payload').fill(ticket.payload);
    await door.getByTestId('manual-submit').click();
    await scanResult(door, 'ok', ['Checked in', ticket.attendeeName]);
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('1');
  });
});
