import { test, expect, waitForHydration } from './fixtures';

// Search in a learner's own words, the glossary, and the links between them.

test('an everyday question with a typo finds the section that answers it', async ({ page }) => {
  await page.goto('/search');
  await waitForHydration(page);
  // Neither "undo" nor "bad release" is on the page: the glossary's phrasings say what it means.
  await page.getByTestId('search-input').pressSequentially('how do I undo a bad relase', { delay: 15 });
  await expect(page).toHaveURL(/\/search\?q=how\+do\+I\+undo\+a\+bad\+relase/);
  const reference = page.getByTestId('search-results-reference');
  await expect(reference.locator('li').first()).toBeVisible();
  const top3 = await reference.locator('li a').evaluateAll((links) => links.slice(0, 3).map((a) => a.getAttribute('href')));
  expect(top3.some((href) => /traffic|rollback|rollout/.test(href ?? ''))).toBe(true);
  // The glossary answers too, and its group has a heading of its own.
  await expect(page.getByRole('heading', { name: /Glossary/ })).toBeVisible();
});

test('the domain filter keeps results to one domain, and says so when nothing is left', async ({ page }) => {
  await page.goto('/search?q=rollback');
  await waitForHydration(page);
  await expect(page.getByTestId('search-results')).toBeVisible();
  await page.getByTestId('search-domain').selectOption('genai-optimize');
  await expect(page).toHaveURL(/domain=genai-optimize/);
  await expect(page.getByTestId('search-domain')).toHaveValue('genai-optimize');
  const hrefs = await page.getByTestId('search-results-reference').locator('li a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  expect(hrefs.length).toBeGreaterThan(0);
  // Every page of that domain is a GenAI optimisation page (fine-tuning, RAG, hybrid search).
  for (const href of hrefs) expect(href).toMatch(/fine-tun|rag-|hybrid-search/);
  await page.goto('/search?q=xylophone+quokka');
  await expect(page.getByTestId('search-empty')).toContainText('xylophone quokka');
});

test('an identifier finds the page that teaches it', async ({ page }) => {
  await page.goto('/search?q=mlflow.log_metric');
  const first = page.getByTestId('search-results-reference').locator('li').first();
  await expect(first.getByRole('link')).toHaveAttribute('href', /\/reference\/mlflow/);
  await expect(first.locator('mark').first()).toBeVisible();
});

test("a term's first use links to the glossary, which links back to its section", async ({ page }) => {
  await page.goto('/reference/online-endpoints');
  const term = page.getByTestId('reference-article').locator('a.term').first();
  await expect(term).toBeVisible();
  const href = await term.getAttribute('href');
  expect(href).toMatch(/^\/glossary#[a-z0-9-]+$/);
  const id = href!.split('#')[1];
  await term.click();
  await expect(page).toHaveURL(new RegExp(`/glossary#${id}$`));
  const entry = page.locator(`[id="${id}"]`);
  await expect(entry).toBeInViewport();
  await entry.getByRole('link').click();
  await expect(page).toHaveURL(/\/reference\/[a-z0-9-]+#[a-z0-9-]+$/);
  await expect(page.getByTestId('reference-article')).toBeVisible();
});

test('the glossary walks A-Z by keyboard', async ({ page }) => {
  await page.goto('/glossary');
  await waitForHydration(page);
  const letters = page.getByRole('navigation', { name: 'Letters' }).getByRole('link');
  expect(await letters.count()).toBeGreaterThan(15);
  // Tab from the top of the page to the letter M, then follow it with Enter.
  const target = letters.filter({ hasText: /^M$/ });
  let presses = 0;
  while (!(await target.evaluate((el) => el === document.activeElement)) && presses < 80) {
    await page.keyboard.press('Tab');
    presses += 1;
  }
  await expect(target).toBeFocused();
  expect(await target.evaluate((el) => el.matches(':focus-visible'))).toBe(true);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/glossary#letter-M$/);
  await expect(page.locator('#letter-M')).toBeInViewport();
  // Every entry has a definition and a link to the section that teaches it.
  const entries = page.getByTestId('glossary').locator('.glossary__entry');
  expect(await entries.count()).toBeGreaterThan(150);
  await expect(entries.first().locator('dd a')).toHaveAttribute('href', /^\/reference\/[a-z0-9-]+#/);
});
