/**
 * Browser end to end for buying tickets (production build, see global-setup.ts). Production pays
 * through Stripe only: the server's SDK talks to the local Stripe stand-in, and the test plays
 * the card and Stripe's signed webhook through stripe-control.ts. A user signs up, buys a ticket
 * of a paid event, and finds it with its QR code in "My tickets"; a sold-out event answers with
 * the server's message; signed-out buyers are sent to log in and brought back.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { signUp } from './accounts.ts';
import { browserUnavailable, useBrowser } from './chromium.ts';

const unavailable = browserUnavailable();

function uniqueUser(name = 'Tess') {
  const tag = randomBytes(4).toString('hex');
  return {
    name: `${name} ${tag}`,
    email: `${name.toLowerCase()}-${tag}@example.com`,
    password: `ticket buyer ${tag}`,
  };
}

describe.skipIf(unavailable !== null)('tickets in the browser', () => {
  const baseURL = inject('webUrl');
  const { roomy, single } = inject('paidEvents');
  const stripeControl = inject('stripeControlUrl');
  const openBrowserPage = useBrowser(baseURL);
  const openPage = async (options?: BrowserContextOptions) => (await openBrowserPage(options)).page;

  /** A signed-in page: the account is created through the API, its cookie lands in the context. */
  async function signedInPage(): Promise<Page> {
    const page = await openPage();
    const registered = await page.request.post('/api/trpc/auth.register', {
      data: { json: uniqueUser('Bea') },
    });
    expect(registered.status()).toBe(200);
    return page;
  }

  /** Opens the event, asks for seats, then "Get tickets" with `quantity`. */
  async function getTickets(page: Page, eventId: string, quantity = 1) {
    await page.goto(`/events/${eventId}`);
    const tickets = page.getByRole('region', { name: 'Get tickets' });
    await tickets.getByRole('button', { name: 'Get tickets' }).click();
    await tickets.getByText('€25.00 per ticket').waitFor();
    await tickets.getByLabel('Quantity').selectOption(String(quantity));
    await tickets.getByRole('button', { name: 'Get tickets' }).click();
    return tickets;
  }

  async function holdIdOf(page: Page): Promise<string> {
    await page.waitForURL(/\/checkout\/[0-9a-f]{24}$/);
    return /checkout\/([0-9a-f]{24})/.exec(page.url())?.[1] ?? '';
  }

  it('a user signs up, buys a ticket of a paid event and sees it with its QR code', async () => {
    const user = uniqueUser();
    const page = await openPage();
    await signUp(page, user);
    await page.waitForURL(`${baseURL}/`);
    await page.getByRole('banner').getByRole('link', { name: 'My tickets' }).waitFor();

    await getTickets(page, roomy.id);
    const holdId = await holdIdOf(page);
    const checkout = page.getByRole('main');
    await checkout.getByRole('heading', { name: 'Checkout' }).waitFor();
    // Amount and time left are the server's: 1 × €25.00, held for 15 minutes.
    expect(await checkout.locator('.amount').textContent()).toBe('€25.00');
    expect(await page.getByRole('timer').textContent()).toMatch(/held for 1[45]:\d\d$/);
    // No publishable key in this build: the card form explains itself instead of loading.
    await checkout.getByText(/needs Stripe's publishable key/).waitFor();
    await page.screenshot({ path: join(tmpdir(), 'spot-checkout.png'), fullPage: true });

    // The card goes through and Stripe tells the server, signed: the page sees it on its own.
    const paid = await fetch(`${stripeControl}/pay?holdId=${holdId}`, { method: 'POST' });
    expect(await paid.json()).toMatchObject({ webhookStatus: 200 });
    await checkout.getByRole('heading', { name: "You're going!" }).waitFor();
    await checkout.getByText('Payment received: your ticket is ready.').waitFor();

    await checkout.getByRole('link', { name: 'Your tickets' }).click();
    await page.waitForURL(`${baseURL}/me/tickets`);
    const row = page.getByRole('listitem').filter({ hasText: roomy.title });
    await row.getByText('Valid').waitFor();
    await row.getByRole('link', { name: roomy.title }).click();

    await page.waitForURL(/\/me\/tickets\/[0-9a-f]{24}$/);
    await page.getByRole('heading', { level: 1, name: roomy.title }).waitFor();
    const code = (await page.locator('.ticket-code').textContent()) ?? '';
    expect(code).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const qr = page.getByRole('img', { name: `QR code for ticket ${code}` });
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    // Loaded, and big enough to scan from a phone screen.
    expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(
      480,
    );
    expect((await qr.boundingBox())?.width ?? 0).toBeGreaterThanOrEqual(280);
    await page.getByText('€25.00').waitFor();
    // The seeded event does not allow attendee cancellation: no button, the server's verdict.
    await page.getByText('This ticket cannot be cancelled.').waitFor();
    await page.screenshot({ path: join(tmpdir(), 'spot-ticket.png'), fullPage: true });
  });

  it("a second buyer of a sold-out event gets the server's message; leaving frees the place", async () => {
    const first = await signedInPage();
    await getTickets(first, single.id);
    await holdIdOf(first);
    await first.getByRole('heading', { name: 'Checkout' }).waitFor();

    const second = await signedInPage();
    const tickets = await getTickets(second, single.id);
    const alert = tickets.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('Sold out: no place is left for this event.');
    expect(new URL(second.url()).pathname).toBe(`/events/${single.id}`);

    // The first buyer leaves the checkout: the server releases the place and says so.
    await first.getByRole('button', { name: 'Cancel this order' }).click();
    await first.getByRole('heading', { name: 'Order not completed' }).waitFor();
    await first.getByText('You left the checkout; your places were released.').waitFor();
    await first.getByRole('link', { name: 'Back to the event' }).waitFor();

    await tickets.getByRole('button', { name: 'Get tickets' }).click();
    await holdIdOf(second);
    await second.getByRole('heading', { name: 'Checkout' }).waitFor();
  });

  it('sends a signed-out buyer to log in, then back to the event', async () => {
    const user = uniqueUser('Lou');
    const created = await fetch(`${baseURL}/api/trpc/auth.register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: user }),
    });
    expect(created.status).toBe(200);

    const page = await openPage();
    await getTickets(page, roomy.id);
    await page.waitForURL(`${baseURL}/login?next=${encodeURIComponent(`/events/${roomy.id}`)}`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${baseURL}/events/${roomy.id}`);
    await page.getByRole('banner').getByText(user.name).waitFor();

    // Someone else's order is not found.
    await page.goto('/checkout/0123456789abcdef01234567');
    await page.getByText('Checkout not found.').waitFor();
  });
});
