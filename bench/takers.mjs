// Simulated exam takers, all at once: each one signs in (argon2id on the server), starts a
// 50-question mock exam, autosaves an answer to every question (seq 1..50, no pause between
// them) and submits. Then the database is asked what it kept: an answer the server acknowledged
// with `applied: true` that is not in exam_item.response, or that the attempt does not show
// again as it was sent before the submit, is an answer lost.
//
//   node bench/takers.mjs --base URL --first 129 --count 500 --password P --db DATABASE_URL
//                         --out takers.json

import { execFileSync } from 'node:child_process';
import { Client, flags, parse, responseFor, summary, writeJson } from './lib.mjs';

const args = flags();
const first = Number(args.first);
const count = Number(args.count ?? 500);

const latency = { signin: [], start: [], attempt: [], save: [], submit: [] };
const errors = new Map();
function canonical(v) {
  return Array.isArray(v)
    ? v.map(canonical)
    : v && typeof v === 'object'
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]))
      : v;
}
const acked = new Map(); // "attempt/position" -> the response the server acknowledged
const kept = new Map(); // "attempt/position" -> the response the open attempt shows before submitting
let sent = 0;

function fail(phase, message) {
  const key = `${phase}: ${message.slice(0, 140)}`;
  errors.set(key, (errors.get(key) ?? 0) + 1);
}

/** One request of a phase: its latency is recorded; anything but a 200 is an error. */
async function step(phase, send) {
  let reply;
  try {
    reply = await send();
  } catch (err) {
    fail(phase, String(err.message ?? err));
    return null;
  }
  latency[phase].push(reply.ms);
  if (reply.status !== 200) {
    fail(phase, `HTTP ${reply.status} ${reply.text}`);
    return null;
  }
  return JSON.parse(reply.text);
}

async function taker(n) {
  const client = new Client(args.base);
  try {
    const email = `bench-${n}@bench.test`;
    if (!(await step('signin', () => client.form('/api/account/signin', { email, password: args.password })))) return null;
    const id = await step('start', () => client.form('/api/exams/start', { questions: '50' }));
    if (id === null) return null;
    const page = await step('attempt', () => client.form('/api/exams/attempt', { id: String(id) }));
    if (!page) return id;
    let seq = page.Open.last_seq;
    for (const item of page.Open.items) {
      const response = responseFor(item.question);
      seq += 1;
      sent += 1;
      const ack = await step('save', () =>
        client.json('/api/exams/save', { id, position: item.position, response, seq }),
      );
      if (ack?.applied) acked.set(`${id}/${item.position}`, response);
      else if (ack) fail('save', 'not applied');
    }
    // What the server kept, as the attempt shows it again (from exam_item.response, in the
    // screen ids it was sent in: the database holds the bank's).
    const again = await step('attempt', () => client.form('/api/exams/attempt', { id: String(id) }));
    for (const item of again?.Open?.items ?? []) {
      if (item.response) kept.set(`${id}/${item.position}`, JSON.stringify(canonical(item.response)));
    }
    await step('submit', () => client.form('/api/exams/submit', { id: String(id) }));
    return id;
  } finally {
    client.close();
  }
}

const started = process.hrtime.bigint();
const ids = (await Promise.all(Array.from({ length: count }, (_, i) => taker(first + i)))).filter((id) => id !== null);
const totalSeconds = Number(process.hrtime.bigint() - started) / 1e9;

// Every acknowledged answer must be in the database (one stored response per item) and read
// back as it was sent (compared key by key: jsonb reorders object keys).
const sql = `select coalesce(json_agg(attempt_id || '/' || position), '[]')
             from exam_item where attempt_id = any('{${ids.join(',')}}'::bigint[]) and response is not null`;
const stored = new Set(JSON.parse(execFileSync('psql', [args.db, '-Atc', sql], { encoding: 'utf8', maxBuffer: 1 << 28 })));
let lost = 0;
for (const [key, response] of acked) {
  if (!stored.has(key) || kept.get(key) !== JSON.stringify(canonical(response))) lost += 1;
}
const submitted = Number(
  execFileSync('psql', [args.db, '-Atc', `select count(*) from exam_attempt where attempt_id = any('{${ids.join(',')}}'::bigint[]) and submitted_at is not null`], { encoding: 'utf8' }),
);

const all = Object.values(latency).flat();
const result = {
  takers: count,
  attempts: ids.length,
  submitted,
  answers_sent: sent,
  answers_acknowledged: acked.size,
  answers_stored: stored.size,
  answers_lost: lost,
  errors: [...errors.values()].reduce((a, b) => a + b, 0),
  error_kinds: Object.fromEntries(errors),
  total_seconds: Math.round(totalSeconds * 10) / 10,
  requests: all.length,
  all: summary(all),
  ...Object.fromEntries(Object.entries(latency).map(([k, v]) => [k, summary(v)])),
};
writeJson(args.out, result);
console.error(
  `takers: ${result.attempts}/${count} started, ${submitted} submitted, ${lost} of ${acked.size} acknowledged answers lost, ` +
    `${result.errors} errors, save p99 ${result.save.p99_ms} ms, sign-in p99 ${result.signin.p99_ms} ms, ${result.total_seconds} s`,
);
