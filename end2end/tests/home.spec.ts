import { test, expect, waitForHydration } from './fixtures';

test('the home page renders with navigation and no console errors', async ({ page }) => {
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  await expect(page.getByTestId('home-hero')).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const label of ['Reference', 'Diagrams', 'Practice', 'Review', 'Exams', 'Progress', 'Groups']) {
    await expect(nav.getByRole('link', { name: label })).toBeVisible();
  }
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
});

test('the theme toggle works once hydrated and is remembered across reloads', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await waitForHydration(page);
  const html = page.locator('html');
  await expect(html).not.toHaveAttribute('data-theme', /.+/);
  await page.getByTestId('theme-toggle').click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  // The server reads the cookie, so the reload is dark from the first byte.
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await waitForHydration(page);
  await page.getByTestId('theme-toggle').click();
  await expect(html).toHaveAttribute('data-theme', 'light');
});

test('an unknown address gets a real 404 page', async ({ page }) => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId('not-found')).toBeVisible();
});
