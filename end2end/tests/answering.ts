import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { expect } from './fixtures';
import type { Page, Locator } from '@playwright/test';

// The answer keys come from the content files, as an author would check them; the page
// itself never carries them.
export type Option = { id: string; correct?: boolean };
export type Question = {
  id: string;
  type: string;
  options?: Option[];
  steps?: { id: string }[];
  statements?: { id: string; answer: boolean }[];
  dimensions?: { name: string; options: Option[] }[];
};
const dir = join(__dirname, '../../content/exams/ai-300/questions');
export const bank = new Map<string, Question>();
for (const file of readdirSync(dir).filter((f) => f.endsWith('.toml'))) {
  const parsed = parse(readFileSync(join(dir, file), 'utf8')) as { question?: Question[] };
  for (const q of parsed.question ?? []) bank.set(q.id, q);
}

/** Fills in the answer to question `q` in `card`, right or wrong, through the page's own controls. */
export async function fillAnswer(page: Page, card: Locator, q: Question, right: boolean) {
  switch (q.type) {
    case 'single':
    case 'case':
    case 'diagram': {
      const pick = q.options!.find((o) => !!o.correct === right)!;
      await card.locator(`[data-choice="${pick.id}"]`).check();
      break;
    }
    case 'multi': {
      const keys = q.options!.filter((o) => o.correct);
      const picks = right ? keys : [...q.options!.filter((o) => !o.correct).slice(0, 1), ...keys.slice(1)];
      for (const o of picks) await card.locator(`[data-choice="${o.id}"]`).check();
      break;
    }
    case 'yesno':
      for (const [i, s] of q.statements!.entries()) {
        const yes = right || i > 0 ? s.answer : !s.answer;
        await card.locator(`[data-statement="${s.id}"]`).first().waitFor();
        await card.getByTestId(`${yes ? 'yes' : 'no'}-${i + 1}`).check();
      }
      break;
    case 'drill':
      for (const [i, d] of q.dimensions!.entries()) {
        const pick = d.options.find((o) => !!o.correct === (right || i > 0))!;
        await card.locator(`[data-option="${pick.id}"][name="drill-${d.name}"]`).check();
      }
      break;
    case 'order': {
      // Keyboard only: focus a step's "move up" button and press Enter, until in order.
      const target = q.steps!.map((s) => s.id);
      if (!right) [target[0], target[1]] = [target[1], target[0]];
      for (let want = 0; want < target.length; want++) {
        const items = card.locator('.order-list__item');
        const ids = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-step')));
        let at = ids.indexOf(target[want]);
        while (at > want) {
          await card.getByTestId(`up-${at + 1}`).focus();
          await page.keyboard.press('Enter');
          at -= 1;
        }
      }
      const final = await card.locator('.order-list__item').evaluateAll((els) => els.map((e) => e.getAttribute('data-step')));
      expect(final).toEqual(target);
      break;
    }
  }
}
