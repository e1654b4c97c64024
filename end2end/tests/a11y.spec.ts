import AxeBuilder from '@axe-core/playwright';
import { test, expect, waitForHydration, WCAG } from './fixtures';

// Automated accessibility checks (WCAG 2.0-2.2 A/AA rules of axe-core) on the main pages, in light
// and dark mode.
const pages = ['/', '/reference', '/reference/model-metrics', '/reference/cli-v2', '/diagrams', '/glossary', '/search?q=endpoint', '/search?q=undo+a+bad+relase&domain=model-lifecycle', '/practice', '/login', '/signup', '/progress', '/review', '/exams'];

for (const scheme of ['light', 'dark'] as const) {
  for (const path of pages) {
    test(`${path} has no detectable accessibility violations (${scheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(path);
      await waitForHydration(page);
      const results = await new AxeBuilder({ page }).withTags(WCAG).analyze();
      const summary = results.violations.map((v) => `${v.id}: ${v.nodes.length} × ${v.nodes[0]?.target.join(' ')} — ${v.nodes[0]?.failureSummary?.split('\n')[1] ?? ''}`);
      expect(summary).toEqual([]);
    });
  }
}

test('a practice question has no detectable accessibility violations', async ({ page }) => {
  await page.goto('/practice');
  await waitForHydration(page);
  await page.getByTestId('start-practice').click();
  await expect(page.getByTestId('question')).toBeVisible();
  const results = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`)).toEqual([]);
});
