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

/** Resolves once the Leptos app has hydrated (the wasm module has run `hydrate`). */
export async function waitForHydration(page: import('@playwright/test').Page) {
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true');
}
