import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'smol-toml';
import { expect } from './fixtures';
import type { Page, Locator } from '@playwright/test';

// The answer keys come from the content files, as an author would check them; the page
// itself never carries them. The page names choices only by their place on screen (`c1`,
// `c2`, ...), so a choice is found as a learner finds it: by its text. A mock exam names its
// questions by their place in the attempt; which bank question that is comes from the database.
export type Option = { id: string; text: string; correct?: boolean };
export type Question = {
  id: string;
  type: string;
  stem: string;
  options?: Option[];
  steps?: { id: string; text: string }[];
  statements?: { id: string; text: string; answer: boolean }[];
  dimensions?: { name: string; options: Option[] }[];
};
// The content the server under test serves (CONTENT_DIR, relative to the repository root).
const dir = resolve(__dirname, '../..', process.env.CONTENT_DIR ?? 'content', 'exams/ai-300/questions');
export const bank = new Map<string, Question>();
for (const file of readdirSync(dir).filter((f) => f.endsWith('.toml'))) {
  const parsed = parse(readFileSync(join(dir, file), 'utf8')) as { question?: Question[] };
  for (const q of parsed.question ?? []) bank.set(q.id, q);
}

/** Text as a reader compares it: Markdown marks, typographic quotes and dashes, and spacing ignored. */
export function plain(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\u2014/g, '---')
    .replace(/\u2013/g, '--')
    .replace(/\u2026/g, '...')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Of `[id, text]` pairs on the page, the id of the one whose text is `text` (or the closest). */
function idByText(found: string[][], text: string): string {
  const want = plain(text);
  let best = found[0]?.[0] ?? '';
  let bestScore = -1;
  for (const [id, shown] of found) {
    const have = plain(shown);
    if (have === want) return id;
    let n = 0;
    while (n < have.length && n < want.length && have[n] === want[n]) n++;
    if (n > bestScore) {
      bestScore = n;
      best = id;
    }
  }
  return best;
}

/** The screen id of the option (single, multi, case, diagram) whose text is `text`. */
export async function choiceId(card: Locator, text: string): Promise<string> {
  const found = await card
    .locator('label.choice:has(input[data-choice])')
    .evaluateAll((els) => els.map((e) => [e.querySelector('input')!.getAttribute('data-choice') ?? '', e.lastElementChild?.textContent ?? '']));
  return idByText(found, text);
}

/** The screen id of the option of drill dimension `name` whose text is `text`. */
export async function drillOptionId(card: Locator, name: string, text: string): Promise<string> {
  const found = await card
    .locator(`label.choice:has(input[name="drill-${name}"])`)
    .evaluateAll((els) => els.map((e) => [e.querySelector('input')!.getAttribute('data-option') ?? '', e.lastElementChild?.textContent ?? '']));
  return idByText(found, text);
}

/** The screen ids of an ordering question's steps, in the key's order. */
export async function stepIdsInKeyOrder(card: Locator, q: Question): Promise<string[]> {
  const found = await card
    .locator('.order-list__item')
    .evaluateAll((els) => els.map((e) => [e.getAttribute('data-step') ?? '', e.querySelector('.order-list__text')?.textContent ?? '']));
  return q.steps!.map((s) => idByText(found, s.text));
}

/** The bank question on a card: practice names it; a mock exam's comes from the database. */
export async function questionOnCard(page: Page, card: Locator): Promise<Question> {
  const id = (await card.getAttribute('data-question-id'))!;
  const known = bank.get(id);
  if (known) return known;
  const attempt = /\/exams\/(\d+)/.exec(page.url())?.[1];
  const position = Number(await card.getAttribute('data-position'));
  expect(attempt, `a mock exam page: ${page.url()}`).toBeTruthy();
  const bankId = execFileSync('psql', [process.env.DATABASE_URL!, '-At', '-c',
    `select question_id from exam_item where attempt_id = ${Number(attempt)} and position = ${position}`]).toString().trim();
  const q = bank.get(bankId);
  expect(q, `question ${bankId} (item ${position} of attempt ${attempt}) is in the bank`).toBeTruthy();
  return q!;
}

/** Fills in the answer to question `q` in `card`, right or wrong, through the page's own controls. */
export async function fillAnswer(page: Page, card: Locator, q: Question, right: boolean) {
  switch (q.type) {
    case 'single':
    case 'case':
    case 'diagram': {
      const pick = q.options!.find((o) => !!o.correct === right)!;
      await card.locator(`[data-choice="${await choiceId(card, pick.text)}"]`).check();
      break;
    }
    case 'multi': {
      const keys = q.options!.filter((o) => o.correct);
      const picks = right ? keys : [...q.options!.filter((o) => !o.correct).slice(0, 1), ...keys.slice(1)];
      for (const o of picks) await card.locator(`[data-choice="${await choiceId(card, o.text)}"]`).check();
      break;
    }
    case 'yesno':
      // Statements keep their written order on screen.
      for (const [i, s] of q.statements!.entries()) {
        const yes = right || i > 0 ? s.answer : !s.answer;
        await card.locator(`[data-statement="c${i + 1}"]`).first().waitFor();
        await card.getByTestId(`${yes ? 'yes' : 'no'}-${i + 1}`).check();
      }
      break;
    case 'drill':
      for (const [i, d] of q.dimensions!.entries()) {
        const pick = d.options.find((o) => !!o.correct === (right || i > 0))!;
        const id = await drillOptionId(card, d.name, pick.text);
        await card.locator(`[data-option="${id}"][name="drill-${d.name}"]`).check();
      }
      break;
    case 'order': {
      // Keyboard only: focus a step's "move up" button and press Enter, until in order.
      const target = await stepIdsInKeyOrder(card, q);
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
