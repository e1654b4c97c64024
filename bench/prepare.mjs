// Signs in generated users and gets each one ready for a load phase; writes their sessions.
//
//   node bench/prepare.mjs --base URL --first 1 --count 64 --password P --mode practice|exam|none
//                          --out sessions.json [--cookies cookies.txt]
//
// practice: a 50-question practice set is started (its first question is on /practice).
// exam: a 50-question mock exam is started; its items (no keys) are saved for the autosaves.
// The cookies file has one `session=...` per line, for the wrk scripts.

import { writeFileSync } from 'node:fs';
import { Client, PRACTICE_FILTER, flags, parse, pool, writeJson } from './lib.mjs';

const args = flags();
const first = Number(args.first ?? 1);
const count = Number(args.count ?? 64);
const emails = Array.from({ length: count }, (_, i) => `bench-${first + i}@bench.test`);

/** What an answer needs of a question view (not its text). */
const shape = (q) => ({
  item_type: q.item_type,
  choose: q.choose,
  choices: q.choices.map((c) => ({ id: c.id })),
  dimensions: q.dimensions.map((d) => ({ name: d.name, options: d.options.map((o) => ({ id: o.id })) })),
});

const sessions = await pool(emails, 4, async (email) => {
  const client = new Client(args.base);
  parse(await client.form('/api/account/signin', { email, password: args.password }), `sign in ${email}`);
  const session = { email, cookie: `session=${client.cookies.get('session')}` };
  if (args.mode === 'practice') {
    parse(await client.json('/api/practice/start', { filter: { ...PRACTICE_FILTER, count: 50 } }), 'practice start');
  } else if (args.mode === 'exam') {
    const id = parse(await client.form('/api/exams/start', { questions: '50' }), 'exam start');
    const page = parse(await client.form('/api/exams/attempt', { id: String(id) }), 'attempt');
    session.attempt = id;
    session.last_seq = page.Open.last_seq;
    session.items = page.Open.items.map((i) => ({ position: i.position, question: shape(i.question) }));
  }
  client.close();
  return session;
});

writeJson(args.out, sessions);
if (args.cookies) writeFileSync(args.cookies, sessions.map((s) => s.cookie).join('\n') + '\n');
console.error(`prepared ${sessions.length} signed-in users (${args.mode})`);
