/**
 * Browser end to end for an event's analytics (production build, see global-setup.ts). A Pro
 * organizer (plan and subscription written in the e2e database, as Stripe's webhook would leave
 * them) opens the analytics of their past event from "My events": the totals, the seat, sales,
 * arrival and funnel charts, the bookings search and the CSV download. A free organizer gets the
 * totals and the seat chart, and an upgrade prompt instead of the Pro charts and exports.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { logIn as submitLogIn } from './accounts.ts';
import { browserUnavailable, useBrowser } from './chromium.ts';

const databaseUri = inject('databaseUri');
const unavailable = browserUnavailable();

const tag = randomBytes(4).toString('hex');
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

const pro = { name: `Pia Pro ${tag}`, email: `pia-${tag}@example.com`, password: `pro ${tag}!` };
const free = {
  name: `Fred Free ${tag}`,
  email: `fred-${tag}@example.com`,
  password: `free ${tag}!`,
};
const pastTitle = `Rooftop jazz ${tag}`;
const upcomingTitle = `Garden picnic ${tag}`;
/** Buyers of the past event: tickets bought, and how many of them came in. */
const BUYERS = [
  { name: `Zoë Ñúñez ${tag}`, tickets: 2, checkedIn: 2 },
  { name: `Omar Haddad ${tag}`, tickets: 1, checkedIn: 1 },
  { name: `Lea Brandt ${tag}`, tickets: 3, checkedIn: 1 },
];

interface Account {
  name: string;
  email: string;
  password: string;
}

/**
 * Both organizers, the Pro one's plan, and each one's event with a history, written with the
 * models as the app writes them (checkout, door scans, page views).
 */
async function seed(): Promise<void> {
  const { createAccount } = await import('@spot/api');
  const db = await import('@spot/db');
  await db.connectDatabase(databaseUri);
  try {
    const proOrganizer = await createAccount({ ...pro, role: 'organizer' });
    await db.User.updateOne({ _id: proOrganizer._id }, { $set: { isPremium: true } });
    await db.Subscription.create({
      userId: proOrganizer._id,
      plan: 'pro',
      status: 'active',
      currentPeriodEnd: new Date(Date.now() + 30 * DAY),
    });
    const freeOrganizer = await createAccount({ ...free, role: 'organizer' });

    const start = new Date(Date.now() - DAY);
    await storeEventWithHistory(db, {
      organizerId: proOrganizer.id,
      title: pastTitle,
      start,
      buyers: BUYERS,
      soldAt: (index) => new Date(start.getTime() - (3 - index) * DAY),
      scannedAt: (index) => new Date(start.getTime() - 20 * 60_000 + index * 7 * 60_000),
      views: 30,
    });
    await storeEventWithHistory(db, {
      organizerId: freeOrganizer.id,
      title: upcomingTitle,
      start: new Date(Date.now() + 7 * DAY),
      buyers: [{ name: `Gus Guest ${tag}`, tickets: 1, checkedIn: 0 }],
      soldAt: () => new Date(Date.now() - HOUR),
      scannedAt: () => new Date(),
      views: 5,
    });
  } finally {
    await db.disconnectDatabase();
  }
}

async function storeEventWithHistory(
  db: typeof import('@spot/db'),
  spec: {
    organizerId: string;
    title: string;
    start: Date;
    buyers: typeof BUYERS;
    soldAt: (buyer: number) => Date;
    scannedAt: (ticket: number) => Date;
    views: number;
  },
) {
  const event = await db.Event.create({
    title: spec.title,
    description: `${spec.title}: seeded with sales, check-ins and views for the analytics test.`,
    category: 'music',
    location: { city: 'Lyon', lat: 45.764, lng: 4.8357 },
    startDate: spec.start,
    endDate: new Date(spec.start.getTime() + 3 * HOUR),
    organizerId: spec.organizerId,
    capacity: 50,
    isPublished: true,
    price: 1500,
    currency: 'eur',
  });
  let scanned = 0;
  for (const [index, buyer] of spec.buyers.entries()) {
    const user = await db.User.create({
      name: buyer.name,
      email: `buyer-${index}-${randomUUID().slice(0, 8)}@example.com`,
      passwordHash: 'not-a-real-hash',
    });
    const at = spec.soldAt(index);
    const hold = await db.Hold.create({
      eventId: event._id,
      userId: user._id,
      quantity: buyer.tickets,
      amount: 1500 * buyer.tickets,
      currency: 'eur',
      status: 'issued',
      issuedAt: at,
      expiresAt: new Date(at.getTime() + 15 * 60_000),
      provider: 'stripe',
    });
    for (let ticket = 0; ticket < buyer.tickets; ticket += 1) {
      const checkedInAt = ticket < buyer.checkedIn ? spec.scannedAt(scanned++) : undefined;
      const written = await db.Ticket.create({
        eventId: event._id,
        userId: user._id,
        ticketCode: randomUUID(),
        qrPayload: 'signed-elsewhere',
        status: checkedInAt ? 'used' : 'valid',
        holdId: hold._id,
        purchaseKey: `${hold._id}:${ticket}`,
        price: 1500,
        currency: 'eur',
        createdAt: at,
        checkedInAt,
      });
      if (checkedInAt) {
        await db.CheckIn.create({
          eventId: event._id,
          ticketId: written._id,
          scannedBy: spec.organizerId,
          scannedAt: checkedInAt,
        });
      }
    }
  }
  await db.AnalyticsEvent.insertMany(
    Array.from({ length: spec.views }, (_, index) => ({
      eventId: event._id,
      type: index % 3 === 0 ? 'click' : 'view',
      createdAt: new Date(spec.start.getTime() - (4 - (index % 4)) * DAY),
    })),
  );
}

describe.skipIf(unavailable !== null)('event analytics in the browser', () => {
  const baseURL = inject('webUrl');
  const openPage = useBrowser(baseURL);

  beforeAll(seed);

  async function logIn(page: Page, account: Account) {
    await submitLogIn(page, account);
    await page.waitForURL(`${baseURL}/`);
  }

  /** From "My events", the way an organizer gets there. */
  async function openAnalytics(page: Page, title: string) {
    await page.goto('/organizer/events');
    await page.getByRole('link', { name: `Analytics of ${title}` }).click();
    await page.waitForURL(/\/organizer\/events\/[0-9a-f]{24}\/analytics$/);
    await page.getByRole('heading', { level: 1, name: `Analytics: ${title}` }).waitFor();
  }

  const tile = (page: Page, label: string) =>
    page.getByTestId('summary').locator('div').filter({ hasText: label }).locator('dd').first();

  /** A chart is drawn: recharts' SVG surface with shapes in it. */
  const drawn = (page: Page, testId: string) =>
    page.getByTestId(testId).locator('svg.recharts-surface path').first().waitFor();

  it('a Pro organizer sees the totals, the charts, the bookings, and downloads the CSV', {
    timeout: 60_000,
  }, async () => {
    const { page } = await openPage();
    await logIn(page, pro);
    await openAnalytics(page, pastTitle);

    expect(await tile(page, 'Tickets sold').textContent()).toBe('6');
    expect(await tile(page, 'Checked in').textContent()).toBe('4');
    expect(await tile(page, 'No-shows').textContent()).toBe('33%');
    expect(await tile(page, 'Revenue').textContent()).toBe('€90.00');
    expect(await tile(page, 'Page views').textContent()).toBe('20');

    for (const chart of ['seats-chart', 'sales-chart', 'arrivals-chart', 'funnel-chart']) {
      await drawn(page, chart);
    }
    await page.getByTestId('arrivals-chart').getByText('4 checked in between').waitFor();
    // 20 views, 10 opened the ticket options, 3 orders, all 3 came to the door (labels are
    // drawn once the bars have grown).
    const funnel = page.getByTestId('funnel-chart');
    for (const label of ['20', '10 (50%)', '3 (30%)', '3 (100%)']) {
      await funnel.getByText(label, { exact: true }).waitFor();
    }
    expect(await page.getByText('is part of Spot Pro').count()).toBe(0);
    await page.screenshot({ path: join(tmpdir(), 'spot-analytics.png'), fullPage: true });

    // The bookings: every ticket, then only the one attendee searched for.
    const bookings = page.getByRole('region', { name: 'Bookings' });
    await bookings.getByRole('row').nth(6).waitFor();
    expect(await bookings.getByRole('row').count()).toBe(1 + 6);
    await bookings.getByRole('searchbox').fill('omar');
    await bookings.getByRole('row').nth(2).waitFor({ state: 'detached' });
    const row = bookings.getByRole('row').nth(1);
    expect(await row.textContent()).toContain(BUYERS[1]?.name);
    await row.getByText('Checked in', { exact: true }).waitFor();

    // The bookings CSV, as the browser downloads it.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Bookings (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      /^bookings-rooftop-jazz-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.csv$/,
    );
    const csv = await readFile((await download.path()) as string, 'utf8');
    expect(csv.startsWith('\uFEFFBooked at (Europe/Paris),Attendee,Email,')).toBe(true);
    expect(csv.trimEnd().split('\r\n')).toHaveLength(1 + 6);
    expect(csv).toContain(BUYERS[0]?.name);
  });

  it('a free organizer sees the totals and the seat chart, and is offered Pro for the rest', async () => {
    const { page } = await openPage();
    await logIn(page, free);
    await openAnalytics(page, upcomingTitle);

    expect(await tile(page, 'Tickets sold').textContent()).toBe('1');
    expect(await tile(page, 'No-shows').textContent()).toBe('—');
    await drawn(page, 'seats-chart');
    for (const feature of ['Sales over time', 'Arrivals at the door', 'Funnel', 'CSV export']) {
      await page.getByText(`${feature} is part of Spot Pro.`).waitFor();
    }
    const upgrade = page.getByRole('link', { name: 'Upgrade on your billing page' }).first();
    expect(await upgrade.getAttribute('href')).toBe('/organizer/billing');
    expect(await page.getByRole('link', { name: 'Bookings (CSV)' }).count()).toBe(0);
    await page.getByRole('region', { name: 'Bookings' }).getByText(`Gus Guest ${tag}`).waitFor();
  });
});
