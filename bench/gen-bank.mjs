// Makes a content folder whose only exam is a copy of AI-300 (exam.toml, blueprint.toml,
// reference/, diagrams/) with a generated question bank of N questions instead of the real one:
// single choice and choose-two, unique ids, every domain of exam.toml, refs to the real pages,
// a little Markdown in each stem. For the growth rows of `make bench`.
//
//   node bench/gen-bank.mjs --from content/exams/ai-300 --out DIR --questions 10000

import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { flags } from './lib.mjs';

const args = flags();
const total = Number(args.questions);
const exam = join(args.out, 'exams', 'ai-300');
rmSync(args.out, { recursive: true, force: true });
mkdirSync(join(exam, 'questions'), { recursive: true });
for (const part of ['blueprint.toml', 'reference', 'diagrams']) {
  cpSync(join(args.from, part), join(exam, part), { recursive: true });
}
// The exam without its official objectives: generated questions test none of them (and a bank
// of 300 could not give each of the 58 the six questions the check asks for).
const examToml = readFileSync(join(args.from, 'exam.toml'), 'utf8').split(/^\[\[objective\]\]/m)[0];
writeFileSync(join(exam, 'exam.toml'), examToml);

const domains = [...examToml.matchAll(/^id\s*=\s*"([^"]+)"/gm)].map((m) => m[1]);
const pages = readdirSync(join(args.from, 'reference'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => f.slice(0, -3))
  .sort();
const services = ['a managed online endpoint', 'a batch endpoint', 'a compute cluster', 'a registry', 'a pipeline job', 'a data asset', 'an environment', 'a datastore'];
const verbs = ['deploy', 'version', 'monitor', 'secure', 'schedule', 'promote', 'roll back', 'retrain'];

const perFile = 1000;
for (let file = 0; file * perFile < total; file++) {
  const out = [`topic = "Generated questions, part ${file + 1}"\n`];
  for (let i = file * perFile; i < Math.min(total, (file + 1) * perFile); i++) {
    const id = `gen-${String(i + 1).padStart(6, '0')}`;
    const multi = i % 5 === 4;
    const service = services[i % services.length];
    const verb = verbs[Math.floor(i / services.length) % verbs.length];
    out.push(`
[[question]]
id = "${id}"
type = "${multi ? 'multi' : 'single'}"
domain = "${domains[i % domains.length]}"
objective = "Generated objective ${i % 37}"
refs = ["${pages[i % pages.length]}"]
difficulty = ${(i % 3) + 1}
tags = ["generated", "t${i % 50}"]${multi ? '\nchoose = 2' : ''}
stem = """
Question ${i + 1}: a team has to **${verb}** ${service} with the \`az ml\` CLI v2 and keep an audit trail.
Which ${multi ? 'two actions meet' : 'action meets'} the requirement?
"""
explanation = """The generated key for question ${i + 1}: ${multi ? "options A and B are" : "option A is"} right."""
`);
    const options = multi ? 5 : 4;
    for (let o = 0; o < options; o++) {
      const correct = o === 0 || (multi && o === 1);
      out.push(`
[[question.options]]
id = "${'abcde'[o]}"
text = "Option ${'ABCDE'[o]} for question ${i + 1}: use \`${verb.replace(' ', '-')}-${o}\` on ${service}"${correct ? '\ncorrect = true' : ''}
why = "${correct ? 'Right' : 'Wrong'}: generated reason ${o} for question ${i + 1}."
`);
    }
  }
  writeFileSync(join(exam, 'questions', `generated-${String(file + 1).padStart(3, '0')}.toml`), out.join(''));
}
console.error(`generated ${total} questions in ${join(exam, 'questions')}`);
