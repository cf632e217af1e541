/**
 * Browser end to end against a production build (see global-setup.ts): sign up, log out, log in,
 * with the server's own messages on failure and an HttpOnly session cookie.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { logIn, signUp } from './accounts.ts';
import { browserUnavailable, useBrowser } from './chromium.ts';

const SESSION_COOKIE = 'spot_session';
const unavailable = browserUnavailable();
if (unavailable) console.warn(`[e2e] skipping the browser suite: ${unavailable}`);

function uniqueUser() {
  const tag = randomBytes(4).toString('hex');
  return {
    name: `Erin ${tag}`,
    email: `erin-${tag}@example.com`,
    password: `correct horse ${tag}`,
  };
}

describe.skipIf(unavailable !== null)('auth in the browser', () => {
  const baseURL = inject('webUrl');
  const openPage = useBrowser(baseURL);

  async function sessionCookie(context: BrowserContext) {
    return (await context.cookies()).find((cookie) => cookie.name === SESSION_COOKIE);
  }

  const header = (page: Page) => page.getByRole('banner');

  /**
   * A client of its own behind the proxy (its own X-Forwarded-For): sign-ups are limited per
   * address, and the suite's other tests already sign up several accounts from this machine's.
   */
  const ownClient = () => ({
    extraHTTPHeaders: { 'x-forwarded-for': `10.77.${randomBytes(1)[0]}.${randomBytes(1)[0]}` },
  });

  it('signs up, logs out and logs back in, with an HttpOnly session cookie', async () => {
    const user = uniqueUser();
    const { context, page } = await openPage();

    await signUp(page, user);

    await page.waitForURL(`${baseURL}/`);
    await header(page).getByText(user.name).waitFor();
    const cookie = await sessionCookie(context);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: true });
    // A fresh load asks the server again: the cookie, not client state, keeps us signed in.
    await page.reload();
    await header(page).getByText(user.name).waitFor();
    await page.screenshot({ path: join(tmpdir(), 'spot-home.png'), fullPage: true });

    await header(page).getByRole('button', { name: 'Log out' }).click();
    await header(page).getByRole('link', { name: 'Log in' }).waitFor();
    expect(await header(page).getByText(user.name).count()).toBe(0);
    expect(await sessionCookie(context)).toBeUndefined();

    await header(page).getByRole('link', { name: 'Log in' }).click();
    await page.waitForURL(`${baseURL}/login`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log in' }).click();

    await page.waitForURL(`${baseURL}/`);
    await header(page).getByText(user.name).waitFor();
    expect(await sessionCookie(context)).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  });

  it('shows the server message for a wrong password and stays signed out', async () => {
    const user = uniqueUser();
    // The account exists (created through the API, as any client would).
    const created = await fetch(`${baseURL}/api/trpc/auth.register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: user }),
    });
    expect(created.status).toBe(200);

    const { context, page } = await openPage();
    await page.goto('/login');
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(`${user.password} but wrong`);
    await page.getByRole('button', { name: 'Log in' }).click();

    // (Within main: Next's route announcer is an alert too.)
    const alert = page.getByRole('main').getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('Invalid email or password.');
    expect(new URL(page.url()).pathname).toBe('/login');
    await header(page).getByRole('link', { name: 'Log in' }).waitFor();
    expect(await header(page).getByText(user.name).count()).toBe(0);
    expect(await sessionCookie(context)).toBeUndefined();
  });

  it('changes the password from the account page: the old one stops working, the new one signs in', async () => {
    const user = uniqueUser();
    const newPassword = `${user.password} renewed`;
    const { context, page } = await openPage(ownClient());
    await signUp(page, user);
    await header(page).getByRole('link', { name: 'Account' }).click();
    await page.waitForURL(`${baseURL}/me/account`);

    await page.getByLabel('Current password').fill('not my password');
    await page.getByLabel('New password').fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    const alert = page.getByRole('main').getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('The current password is not correct.');

    await page.getByLabel('Current password').fill(user.password);
    await page.getByLabel('New password').fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').getByText('Password changed.').waitFor();
    expect(await page.getByLabel('New password').inputValue()).toBe('');

    await header(page).getByRole('button', { name: 'Log out' }).click();
    await header(page).getByRole('link', { name: 'Log in' }).waitFor();
    await logIn(page, user);
    await page
      .getByRole('main')
      .getByRole('alert')
      .getByText('Invalid email or password.')
      .waitFor();
    await page.getByLabel('Password').fill(newPassword);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${baseURL}/`);
    await header(page).getByText(user.name).waitFor();
    expect(await sessionCookie(context)).toMatchObject({ httpOnly: true });
  });

  it('saves interests and a location on the account page, and "For you" follows them', async () => {
    const user = uniqueUser();
    const { page } = await openPage({
      ...ownClient(),
      geolocation: { latitude: 45.7606, longitude: 4.8597 },
      permissions: ['geolocation'],
    });
    await signUp(page, user);
    await page.waitForURL(`${baseURL}/`);
    await header(page).getByRole('link', { name: 'Account' }).click();

    const interests = page.getByRole('form', { name: 'Your interests' });
    await interests.getByLabel('Music').check();
    await interests.getByRole('button', { name: 'Use my location' }).click();
    await interests.getByText('Near 45.7606, 4.8597').waitFor();
    await interests.getByRole('button', { name: 'Save interests' }).click();
    await interests.getByRole('status').getByText('Saved.').waitFor();
    await page.reload();
    expect(await page.getByLabel('Music').isChecked()).toBe(true);
    expect(await page.getByLabel('Food & drink').isChecked()).toBe(false);

    await page.goto('/');
    const forYou = page.getByRole('region', { name: 'For you' });
    await forYou.getByRole('listitem').first().waitFor();
    for (const card of await forYou.getByRole('listitem').all())
      expect(await card.textContent()).toContain('Music');
  });

  it("shows the server's field errors next to the sign-up fields", async () => {
    const { context, page } = await openPage();
    await page.goto('/signup');
    await page.getByLabel('Name').fill('Shorty');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();

    const password = page.getByLabel('Password');
    await page.locator('#field-password-error').waitFor();
    expect(await password.getAttribute('aria-invalid')).toBe('true');
    expect(await password.getAttribute('aria-describedby')).toBe('field-password-error');
    expect(await page.locator('#field-password-error').textContent()).toMatch(/at least 10/);
    expect(await page.locator('#field-email-error').textContent()).toMatch(/valid email/i);
    expect(await page.locator('#field-name-error').count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe('/signup');
    expect(await sessionCookie(context)).toBeUndefined();
  });

  it('ships no server code to the browser', () => {
    const chunks = fileURLToPath(new URL('../../.next/static/chunks', import.meta.url));
    const files = readdirSync(chunks, { recursive: true, encoding: 'utf8' }).filter((file) =>
      file.endsWith('.js'),
    );
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const source = readFileSync(join(chunks, file), 'utf8');
      for (const marker of ['mongoose', 'passwordHash', 'scrypt', 'JWT_SECRET'])
        expect(source.includes(marker), `${file} contains ${marker}`).toBe(false);
    }
  });
});
