import { test as base, expect } from '@playwright/test';

// Every test fails on a console error or an uncaught page error: a page that logs errors is broken.
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        // A 404 page reports its own status as a failed load; that is the page working.
        const ownStatus =
          msg.text().includes('status of 404') && msg.location().url === page.url();
        // A server function that refuses bad input answers 400/401/409/429 with a message the
        // page shows next to the field; the browser logs the status, but nothing is broken.
        const refusedInput =
          /status of (400|401|409|429)/.test(msg.text()) && msg.location().url.includes('/api/');
        if (!ownStatus && !refusedInput) errors.push(`${msg.text()} (${msg.location().url})`);
      });
      page.on('pageerror', (err) => errors.push(String(err)));
      await use(errors);
      expect(errors, 'console errors on the page').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** The axe-core rule tags every spec checks: WCAG 2.0, 2.1 and 2.2, levels A and AA. */
export const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Resolves once the Leptos app has hydrated (the wasm module has run `hydrate`). */
export async function waitForHydration(page: import('@playwright/test').Page) {
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true');
}

/** The password every test account uses (long and not on the common-passwords list). */
export const PASSWORD = 'copper kettle marches north';

/** A fresh email address, unique across tests and runs. */
export function freshEmail(prefix: string) {
  const local = prefix.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return `${local}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.org`;
}

/**
 * Signs up a new account through the form and waits for the redirect to `next`. `base` is the
 * address of a server of the test's own (empty: the suite's server).
 */
export async function signUp(
  page: import('@playwright/test').Page,
  { name = 'Learner', next = '/', base = '' }: { name?: string; next?: string; base?: string } = {},
) {
  await page.goto(`${base}/signup?next=${next}`);
  await waitForHydration(page);
  await page.getByTestId('email-input').fill(freshEmail(name));
  await page.getByTestId('display_name-input').fill(name);
  await page.getByTestId('password-input').fill(PASSWORD);
  await page.getByTestId('signup-submit').click();
  await page.waitForURL(`**${next}`);
}
