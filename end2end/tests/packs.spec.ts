import { mkdtempSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, waitForHydration, WCAG } from './fixtures';
import { OwnServer } from './own-server';

// A content folder with two packs: AI-300 and the small sample pack of the Rust tests.
function twoPacks(): string {
  const root = mkdtempSync(join(tmpdir(), 'packs-'));
  mkdirSync(join(root, 'exams'));
  symlinkSync(resolve('../content/exams/ai-300'), join(root, 'exams', 'ai-300'));
  symlinkSync(resolve('../server/tests/fixtures/packs/exams/sample-101'), join(root, 'exams', 'sample-101'));
  return root;
}

test('with two exam packs, the header picker switches the whole site and remembers it', async ({ page }) => {
  const server = new OwnServer(3103, { CONTENT_DIR: twoPacks() });
  try {
    await server.start();
    await page.goto(`${server.base}/reference`);
    await waitForHydration(page);
    await expect(page.getByTestId('brand')).toContainText('AI-300 Practice');
    const picker = page.getByTestId('exam-picker');
    await expect(picker).toBeVisible();
    await page.getByTestId('exam-picker-code').selectOption('sample-101');
    await page.getByTestId('exam-picker-submit').click();
    // Back on the same page, now for the sample exam.
    await page.waitForURL(`${server.base}/reference`);
    await expect(page.getByTestId('brand')).toContainText('Sample-101 Practice');
    await expect(page.getByRole('link', { name: /Commits and branches/ })).toBeVisible();
    await expect(page.getByTestId('exam-picker-code')).toHaveValue('sample-101');
    const violations = await new AxeBuilder({ page }).withTags(WCAG).analyze();
    expect(violations.violations.map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`)).toEqual([]);
    // Practice draws from the sample bank; the choice survives a reload.
    await page.goto(`${server.base}/practice`);
    await waitForHydration(page);
    await expect(page.getByText('4 original questions')).toBeVisible();
    await page.reload();
    await expect(page.getByTestId('brand')).toContainText('Sample-101 Practice');
    // And back again.
    await page.getByTestId('exam-picker-code').selectOption('ai-300');
    await page.getByTestId('exam-picker-submit').click();
    await page.waitForURL(`${server.base}/practice`);
    await expect(page.getByTestId('brand')).toContainText('AI-300 Practice');
  } finally {
    await server.kill();
  }
});

test('with one exam pack there is no picker', async ({ page }) => {
  await page.goto('/');
  await waitForHydration(page);
  await expect(page.getByTestId('brand')).toContainText('AI-300 Practice');
  await expect(page.getByTestId('exam-picker')).toHaveCount(0);
});
