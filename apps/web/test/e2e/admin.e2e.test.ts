/**
 * Browser end to end for the admin console (production build, see global-setup.ts). An admin
 * (made the way the CLI makes them, straight in the e2e database) suspends a signed-in user, whose
 * open page finds itself signed out on its next request, and removes a reported event, which is
 * gone from Explore and its page at once.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { logIn as submitLogIn } from './accounts.ts';
import { browserUnavailable, useBrowser } from './chromium.ts';

const databaseUri = inject('databaseUri');
const unavailable = browserUnavailable();
if (unavailable) console.warn(`[e2e] skipping the admin suite: ${unavailable}`);

const tag = randomBytes(4).toString('hex');
const admin = {
  name: `Ada Admin ${tag}`,
  email: `ada-${tag}@example.com`,
  password: `admin ${tag}`,
};
const member = {
  name: `Mel Member ${tag}`,
  email: `mel-${tag}@example.com`,
  password: `m ${tag}!`,
};
const scamTitle = `Free festival tickets giveaway ${tag}`;

/**
 * The admin as the CLI creates it (`createAccount` with the admin role), and an event of another
 * organizer to remove, written with the model as the organizer's form would.
 */
async function seed(): Promise<{ eventId: string }> {
  const { createAccount } = await import('@spot/api');
  const { connectDatabase, disconnectDatabase, Event } = await import('@spot/db');
  await connectDatabase(databaseUri);
  try {
    await createAccount({ ...admin, role: 'admin' });
    const organizer = await createAccount({
      name: `Oscar Organizer ${tag}`,
      email: `oscar-${tag}@example.com`,
      password: `organizer ${tag}`,
      role: 'organizer',
    });
    const start = new Date(Date.now() + 10 * 24 * 60 * 60 * 1000);
    const event = await Event.create({
      title: scamTitle,
      description: 'Send us a bank transfer and we will mail you free festival passes.',
      category: 'music',
      location: { city: 'Lyon', lat: 45.764, lng: 4.8357 },
      startDate: start,
      endDate: new Date(start.getTime() + 3 * 60 * 60 * 1000),
      organizerId: organizer.id,
      capacity: 100,
      isPublished: true,
    });
    return { eventId: event._id.toHexString() };
  } finally {
    await disconnectDatabase();
  }
}

describe.skipIf(unavailable !== null)('the admin console in the browser', () => {
  const baseURL = inject('webUrl');
  const openPage = useBrowser(baseURL);
  let eventId = '';

  beforeAll(async () => {
    ({ eventId } = await seed());
  });

  async function logIn(page: Page, account: { email: string; password: string }) {
    await submitLogIn(page, account);
    await page.waitForURL(`${baseURL}/`);
  }

  it('refuses non-admins with the server’s answer', async () => {
    const { page } = await openPage();
    await page.goto('/admin/users');
    await page.getByRole('heading', { name: 'Admins only' }).waitFor();
    await page.getByText('Please sign in.').waitFor();
  });

  it('an admin suspends a signed-in user, whose session ends on its next request', {
    timeout: 60_000,
  }, async () => {
    // The member signs up and is looking at their tickets.
    const { page: memberPage } = await openPage();
    const registered = await memberPage.request.post('/api/trpc/auth.register', {
      data: { json: member },
    });
    expect(registered.status()).toBe(200);
    await memberPage.goto('/me/tickets');
    await memberPage.getByRole('banner').getByText(member.name).waitFor();

    // The admin finds them in the console and suspends them, with a reason.
    const { page } = await openPage();
    await logIn(page, admin);
    await page.getByRole('banner').getByRole('link', { name: 'Admin' }).click();
    await page.waitForURL(`${baseURL}/admin/users`);
    await page.getByLabel('Search users').fill(member.email);
    await page.getByRole('button', { name: 'Search' }).click();
    const row = page.getByRole('row').filter({ hasText: member.email });
    await row.getByText('Active').waitFor();
    await row.getByRole('button', { name: `Suspend ${member.name}` }).click();
    const form = row.getByRole('form', { name: `Suspend ${member.name}` });
    await form.getByLabel(/Why suspend this account/).fill('Spamming other members');
    await form.getByRole('button', { name: 'Suspend', exact: true }).click();
    await row.getByText('Suspended').waitFor();
    await row.getByText('Spamming other members').waitFor();

    // The member's open page: the next request finds no session any more.
    await memberPage.reload();
    await memberPage.getByRole('banner').getByRole('link', { name: 'Log in' }).waitFor();
    await memberPage.getByText(/Please log in to see your tickets/).waitFor();
    expect(await memberPage.getByRole('banner').getByText(member.name).count()).toBe(0);
    // Logging in again is refused with the server's reason.
    await submitLogIn(memberPage, member);
    await memberPage.getByText('This account is suspended.').waitFor();

    // The audit log has it.
    await page
      .getByRole('navigation', { name: 'Admin' })
      .getByRole('link', { name: 'Audit log' })
      .click();
    await page.waitForURL(`${baseURL}/admin/audit`);
    await page.getByRole('row').filter({ hasText: 'user.suspend' }).first().waitFor();
  });

  it('an admin removes a reported event: it is gone from Explore and its page at once', {
    timeout: 60_000,
  }, async () => {
    // A visitor finds the event on Explore and reports it.
    const { page: visitor } = await openPage();
    const reporter = {
      name: `Rita Reporter ${tag}`,
      email: `rita-${tag}@example.com`,
      password: `reporter ${tag}`,
    };
    const registered = await visitor.request.post('/api/trpc/auth.register', {
      data: { json: reporter },
    });
    expect(registered.status()).toBe(200);
    await visitor.goto(`/?text=${encodeURIComponent(scamTitle)}`);
    await visitor.getByRole('link', { name: scamTitle }).click();
    await visitor.waitForURL(`${baseURL}/events/${eventId}`);
    await visitor.getByRole('button', { name: 'Report this event' }).click();
    const report = visitor.getByRole('form', { name: 'Report this event' });
    await report.getByLabel('What is wrong?').selectOption('scam');
    await report.getByLabel('Details (optional)').fill('Asks for a bank transfer up front.');
    await report.getByRole('button', { name: 'Send report' }).click();
    await visitor.getByText('Thank you: the moderators will look at this event.').waitFor();

    // The admin sees it among reported events and removes it, with a reason.
    const { page } = await openPage();
    await logIn(page, admin);
    await page.goto('/admin/events?reported=1');
    const row = page.getByRole('row').filter({ hasText: scamTitle });
    await row.getByText('1 open').waitFor();
    await row.getByRole('button', { name: `Remove ${scamTitle}` }).click();
    const form = row.getByRole('form', { name: `Remove ${scamTitle}` });
    await form.getByLabel(/Why remove it/).fill('Scam: payment outside Spot');
    await form.getByRole('button', { name: 'Remove', exact: true }).click();
    // Done once it leaves the "reported" list: the removal actioned its report.
    await row.waitFor({ state: 'detached' });
    await page.goto('/admin/events?status=removed');
    const removed = page.getByRole('row').filter({ hasText: scamTitle });
    await removed.getByText('Removed by a moderator').waitFor();
    await removed.getByText('Scam: payment outside Spot').waitFor();
    await page.screenshot({ path: join(tmpdir(), 'spot-admin-events.png'), fullPage: true });

    // Gone for everyone else, at once: Explore (server-rendered) and the event's page.
    await visitor.goto(`/?text=${encodeURIComponent(scamTitle)}`);
    await visitor
      .getByText('No upcoming events match these filters. Try a wider search.')
      .waitFor();
    expect(await visitor.getByRole('link', { name: scamTitle }).count()).toBe(0);
    const gone = await visitor.goto(`/events/${eventId}`);
    expect(gone?.status()).toBe(404);
    await visitor.getByRole('heading', { name: 'Event not found' }).waitFor();
  });
});
