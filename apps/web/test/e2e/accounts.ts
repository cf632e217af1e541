import type { Page } from 'playwright-core';

export interface Credentials {
  email: string;
  password: string;
}

/** Signs up through the form, as a visitor does (the page then goes home). */
export async function signUp(page: Page, user: Credentials & { name: string }) {
  await page.goto('/signup');
  await page.getByLabel('Name').fill(user.name);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

/** Logs in through the form. */
export async function logIn(page: Page, account: Credentials) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Log in' }).click();
}
