import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, waitForHydration } from './fixtures';

test('index -> page -> heading anchor', async ({ page }) => {
  await page.goto('/reference');
  await expect(page.getByTestId('reference-index')).toBeVisible();
  await page.getByRole('link', { name: /Model quality metrics/ }).click();
  await expect(page).toHaveURL(/\/reference\/model-metrics$/);
  const article = page.getByTestId('reference-article');
  await expect(page.locator('h1')).toContainText('Model quality metrics');
  // Formulas are MathML, rendered on the server.
  await expect(article.locator('math').first()).toBeVisible();
  // Follow the first entry of the table of contents to its heading.
  const firstTocLink = page.locator('.toc a').first();
  const target = await firstTocLink.getAttribute('href');
  expect(target).toMatch(/^#.+/);
  await firstTocLink.click();
  await expect(page).toHaveURL(new RegExp(`${target}$`));
  await expect(page.locator(`[id="${target!.slice(1)}"]`)).toBeInViewport();
});

test('a deep link to a heading lands on it', async ({ page }) => {
  await page.goto('/reference/model-metrics');
  const id = await page.locator('.prose__body h2').nth(1).getAttribute('id');
  await page.goto(`/reference/model-metrics#${id}`);
  await expect(page.locator(`[id="${id}"]`)).toBeInViewport();
});

test('a search for "batch endpoint" lands on the batch scoring section', async ({ page }) => {
  await page.goto('/');
  await waitForHydration(page);
  await page.getByTestId('header-search').fill('batch endpoint');
  await page.getByTestId('header-search').press('Enter');
  await expect(page).toHaveURL(/\/search\?q=batch/);
  const first = page.getByTestId('search-results').locator('li').first();
  await expect(first).toContainText(/batch/i);
  await first.getByRole('link').click();
  await expect(page).toHaveURL(/\/reference\/batch-endpoints(#.*)?$/);
  await expect(page.locator('h1')).toContainText(/Batch/);
});

test('results follow the text as it is typed once hydrated', async ({ page }) => {
  await page.goto('/search');
  await waitForHydration(page);
  await page.getByTestId('search-input').pressSequentially('managed identity', { delay: 20 });
  await expect(page).toHaveURL(/\/search\?q=managed\+identity/);
  await expect(page.getByTestId('search-results').locator('li').first()).toBeVisible();
});

test('code blocks get a working copy button once hydrated', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/reference/cli-v2');
  await waitForHydration(page);
  const button = page.locator('.copy-button').first();
  await expect(button).toBeVisible();
  await button.click();
  await expect(button).toHaveText('Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied.length).toBeGreaterThan(10);
});

test('an unknown reference page is a 404', async ({ page }) => {
  const response = await page.goto('/reference/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId('not-found')).toBeVisible();
});

test('reference pages read without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/reference/online-endpoints');
  await expect(page.getByTestId('reference-article').locator('table').first()).toBeVisible();
  await page.goto('/search?q=rollback');
  await expect(page.getByTestId('search-results').locator('li').first()).toBeVisible();
  await context.close();
});

test('the diagram gallery links a step to its reference section', async ({ page }) => {
  await page.goto('/diagrams');
  const gallery = page.getByTestId('diagram-gallery');
  // One drawing per gallery file of the pack.
  const files = readdirSync(join(__dirname, '../../content/exams/ai-300/diagrams')).filter((f) => f.endsWith('.mmd'));
  expect(files.length).toBeGreaterThanOrEqual(12);
  await expect(gallery.locator('svg[aria-labelledby]')).toHaveCount(files.length);
  const firstLink = gallery.locator('svg a').first();
  const href = await firstLink.getAttribute('href');
  expect(href).toMatch(/^\/reference\/[a-z0-9-]+(#[a-z0-9-]+)?$/);
  await firstLink.click();
  await expect(page).toHaveURL(new RegExp(href!.replace(/[#]/g, '\\#') + '$'));
  await expect(page.getByTestId('reference-article')).toBeVisible();
});

test('a diagram has a text alternative', async ({ page }) => {
  await page.goto('/reference/mlops-loop');
  const figure = page.locator('figure.diagram').first();
  await expect(figure.locator('svg title')).toHaveCount(1);
  await figure.getByText('Diagram as text').click();
  await expect(figure.locator('details li').first()).toBeVisible();
});
