/**
 * Browser end to end for events (production build, see global-setup.ts): an organizer creates an
 * event with the suggestion helper and publishes it; a visitor finds it through Explore's category
 * filter and opens its server-rendered page (JSON-LD, canonical link); the sitemap lists it.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContextOptions } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { logIn } from './accounts.ts';
import { browserUnavailable, useBrowser } from './chromium.ts';

const unavailable = browserUnavailable();

/** `YYYY-MM-DDTHH:mm` in the browser's (and this process's) local time, `days` from now. */
function localDateTime(days: number, hour: number): string {
  const date = new Date(Date.now() + days * 24 * 60 * 60 * 1000);
  date.setHours(hour, 0, 0, 0);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

describe.skipIf(unavailable !== null)('events in the browser', () => {
  const baseURL = inject('webUrl');
  const organizer = inject('organizer');
  const title = `Rooftop jazz quartet ${randomBytes(3).toString('hex')}`;
  let eventId = '';
  const openBrowserPage = useBrowser(baseURL);
  const openPage = async (options?: BrowserContextOptions) => (await openBrowserPage(options)).page;

  it('an organizer creates an event, takes the suggestion and publishes it', async () => {
    const page = await openPage();
    await logIn(page, organizer);
    await page.waitForURL(`${baseURL}/`);

    await page.getByRole('banner').getByRole('link', { name: 'Organizer' }).click();
    await page.waitForURL(`${baseURL}/organizer/events`);
    await page.getByRole('link', { name: 'New event' }).click();
    await page.waitForURL(`${baseURL}/organizer/events/new`);

    // First a save with nothing filled in: the server's messages appear next to the fields.
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.locator('#field-title-error').waitFor();
    expect(await page.getByLabel('Title').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#field-capacity-error').textContent()).toMatch(/Capacity/);
    expect(await page.locator('#field-location-error').textContent()).toMatch(/City is required/);

    await page.getByLabel('Title').fill(title);
    await page
      .getByLabel('Description')
      .fill(
        'An evening of live jazz on the rooftop: a quartet plays standards and originals while the sun sets over the city.',
      );
    await page.getByRole('button', { name: 'Suggest' }).click();
    const suggestion = page.getByRole('region', { name: 'Suggestion' });
    await suggestion.getByText('Suggested category: Music').waitFor();
    await suggestion.getByText(/Suggested tags: .*jazz/).waitFor();
    await suggestion.getByRole('button', { name: 'Use this category' }).click();
    expect(await page.getByLabel('Category').inputValue()).toBe('music');
    // The category's earlier message went with the change.
    expect(await page.locator('#field-category-error').count()).toBe(0);

    await page.getByLabel('City', { exact: true }).fill('Lyon');
    await page.getByLabel('Latitude').fill('45.764');
    await page.getByLabel('Longitude').fill('4.8357');
    await page.getByLabel('Start').fill(localDateTime(10, 19));
    await page.getByLabel('End').fill(localDateTime(10, 23));
    await page.getByLabel('Capacity').fill('120');
    await page.screenshot({ path: join(tmpdir(), 'spot-event-form.png'), fullPage: true });
    await page.getByRole('button', { name: 'Save draft' }).click();

    await page.waitForURL(/\/organizer\/events\/[0-9a-f]{24}\/edit/);
    eventId = /events\/([0-9a-f]{24})\/edit/.exec(page.url())?.[1] ?? '';
    await page.getByText('Draft saved').waitFor();
    await page.getByRole('button', { name: `Publish ${title}` }).click();
    await page.getByRole('button', { name: `Unpublish ${title}` }).waitFor();
    expect(await page.locator('.publish-bar .badge').textContent()).toBe('Published');

    await page.getByRole('link', { name: 'My events' }).click();
    const row = page.getByRole('row', { name: new RegExp(title) });
    await row.getByText('Published').waitFor();
  });

  it('a visitor finds it by category and opens its server-rendered page', async () => {
    expect(eventId).toMatch(/^[0-9a-f]{24}$/);
    // Standing in Lyon's Part-Dieu, about 2 km from the event.
    const page = await openPage({
      geolocation: { latitude: 45.7606, longitude: 4.8597 },
      permissions: ['geolocation'],
    });
    await page.goto('/');
    await page.getByLabel('Category').selectOption('music');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(`${baseURL}/?category=music`);
    expect(await page.getByRole('form', { name: 'Filters' }).count()).toBe(1);
    const link = page.getByRole('link', { name: title });
    await link.waitFor();
    await page.screenshot({ path: join(tmpdir(), 'spot-explore.png'), fullPage: true });

    // The filtered page is shareable: loading the URL afresh renders the event on the server.
    const html = await (await fetch(`${baseURL}/?category=music`)).text();
    expect(html).toContain(title);
    expect(await (await fetch(`${baseURL}/?category=sports`)).text()).not.toContain(title);

    // Near me: the browser's position and a radius go into the URL too.
    await page.getByRole('button', { name: 'Use my location' }).click();
    await page.getByLabel('Within').selectOption('5');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/lat=45\.7606\d*&lng=4\.8597\d*&radiusKm=5/);
    await page
      .getByRole('listitem')
      .filter({ has: page.getByRole('link', { name: title }) })
      .getByText(/\d(\.\d)? km away/)
      .waitFor();

    const apiCalls: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/trpc/')) apiCalls.push(url.pathname);
    });
    await link.click();
    await page.waitForURL(`${baseURL}/events/${eventId}`);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByText('Lyon').first().waitFor();
    expect(await page.getByRole('link', { name: 'View on map' }).getAttribute('href')).toContain(
      'mlat=45.764',
    );
    await page.getByText(organizer.name).waitFor();

    const ld = JSON.parse(
      (await page.locator('script[type="application/ld+json"]').textContent()) ?? '{}',
    );
    expect(ld).toMatchObject({
      '@type': 'Event',
      name: title,
      location: { '@type': 'Place', address: { addressLocality: 'Lyon' } },
      organizer: { name: organizer.name },
    });
    const canonical = `${baseURL}/events/${eventId}`;
    expect(await page.locator('link[rel="canonical"]').getAttribute('href')).toBe(canonical);
    expect(await page.locator('meta[property="og:title"]').getAttribute('content')).toBe(title);
    // Views are logged by the server while rendering: the browser reports nothing.
    expect(apiCalls.filter((path) => !path.includes('auth.me'))).toEqual([]);

    await page.getByRole('button', { name: 'Get tickets' }).click();
    await page.getByText(/120\s+of 120 seats left/).waitFor();
    await page.screenshot({ path: join(tmpdir(), 'spot-event.png'), fullPage: true });
    // A free event: quantity and "Get tickets" (which asks a signed-out visitor to log in).
    await page.getByText('Free', { exact: true }).waitFor();
    expect(await page.getByLabel('Quantity').inputValue()).toBe('1');
    expect(await page.getByRole('button', { name: 'Get tickets' }).isEnabled()).toBe(true);

    const sitemap = await (await fetch(`${baseURL}/sitemap.xml`)).text();
    expect(sitemap).toContain(`<loc>${canonical}</loc>`);
  });

  it('answers 404 for unknown events and refuses the organizer area to others', async () => {
    const page = await openPage();
    const missing = await page.goto('/events/0123456789abcdef01234567');
    expect(missing?.status()).toBe(404);
    await page.getByRole('heading', { name: 'Event not found' }).waitFor();

    await page.goto('/organizer/events');
    await page.getByRole('heading', { name: 'Organizers only' }).waitFor();
    await page.getByText('Please log in with an organizer account').waitFor();

    // Signed in, but as an attendee: the server says FORBIDDEN and the page says why.
    const tag = randomBytes(4).toString('hex');
    const registered = await page.request.post('/api/trpc/auth.register', {
      data: {
        json: { name: `Ana ${tag}`, email: `ana-${tag}@example.com`, password: `attendee ${tag}` },
      },
    });
    expect(registered.status()).toBe(200);
    await page.goto('/organizer/events/new');
    await page.getByText('This area is for event organizers').waitFor();
    expect(await page.getByRole('banner').getByRole('link', { name: 'Organizer' }).count()).toBe(0);
  });

  it('an organizer deletes an event nobody has tickets for, and calls a published one off', async () => {
    const page = await openPage();
    await logIn(page, organizer);
    await page.waitForURL(`${baseURL}/`);
    // Made through the API with the organizer's session, as the event form would.
    const create = async (name: string) => {
      const start = new Date(Date.now() + 5 * 24 * 60 * 60 * 1000);
      const created = await page.request.post('/api/trpc/events.create', {
        data: {
          json: {
            title: name,
            description: `${name}: a gathering made for the browser test of calling events off.`,
            category: 'community',
            location: { city: 'Lyon', lat: 45.76, lng: 4.83 },
            startDate: start.toISOString(),
            endDate: new Date(start.getTime() + 2 * 60 * 60 * 1000).toISOString(),
            capacity: 20,
          },
        },
      });
      expect(created.status()).toBe(200);
      return ((await created.json()) as { result: { data: { json: { id: string } } } }).result.data
        .json.id;
    };
    const tag = randomBytes(3).toString('hex');

    const draft = `Draft to delete ${tag}`;
    await page.goto(`/organizer/events/${await create(draft)}/edit`);
    await page.getByRole('button', { name: 'Delete event…' }).click();
    const confirmDelete = page.getByRole('group', { name: `Delete “${draft}”?` });
    await confirmDelete.getByRole('button', { name: 'Keep it' }).click();
    await page.getByRole('button', { name: 'Delete event…' }).click();
    await confirmDelete.getByRole('button', { name: 'Yes, delete it' }).click();
    await page.waitForURL(`${baseURL}/organizer/events`);
    await page.getByRole('link', { name: 'New event' }).waitFor();
    expect(await page.getByText(draft).count()).toBe(0);

    const offer = `Meetup to call off ${tag}`;
    const offerId = await create(offer);
    await page.goto(`/organizer/events/${offerId}/edit`);
    await page.getByRole('button', { name: `Publish ${offer}` }).click();
    await page.getByRole('button', { name: `Unpublish ${offer}` }).waitFor();
    await page.getByRole('button', { name: 'Cancel event…' }).click();
    await page
      .getByRole('group', { name: `Cancel “${offer}”?` })
      .getByRole('button', { name: 'Yes, cancel the event' })
      .click();
    await page
      .getByRole('status')
      .getByText('Event cancelled: 0 tickets cancelled and refunded.')
      .waitFor();
    await page.locator('.publish-bar').getByText('Cancelled').waitFor();
    const publicPage = await page.goto(`/events/${offerId}`);
    expect(publicPage?.status()).toBe(200);
  });
});
