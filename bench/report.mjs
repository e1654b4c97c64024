// Prints the one table of `make bench` from the results folder of a run.
//
//   node bench/report.mjs target/bench/results

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const read = (name) => {
  const path = join(dir, `${name}.json`);
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null;
};

const meta = read('meta');
const rows = [];
let met = 0;
let checked = 0;

const n = (v, digits = 0) => (v === null || v === undefined ? '-' : Number(v).toFixed(digits));
const verdict = (ok) => {
  checked += 1;
  if (ok) met += 1;
  return ok ? 'PASS' : 'FAIL';
};

/** CPU ms of the server and of PostgreSQL, and SQL statements, per request of a phase. */
function cost(name, requests) {
  const u = read(`${name}.usage`);
  if (!u || !requests) return ['', '', ''];
  return [
    u.app_cpu_s ? n((u.app_cpu_s * 1000) / requests, 3) : '',
    n((u.db_cpu_s * 1000) / requests, 3),
    n(u.statements / requests, 1),
  ];
}

/** The share of one core the load tool used itself. */
const toolCpu = (r) => (r.tool_cpu_s === undefined ? '' : `tool used ${Math.round((r.tool_cpu_s / r.seconds) * 100)}% of a core`);

/** The req/s of every round when a row ran in rounds (the table shows the median one). */
const rounds = (name) => {
  const r = read(`${name}.rounds`);
  return r ? `median of ${r.rps.map((v) => Math.round(v)).join(' / ')}` : '';
};

/** A load row; with a baseline, the ratio of the rates and the >= 0.5x target. */
function loadRow(test, name, baseline, baselineName) {
  const r = read(name);
  if (!r) return rows.push([test, 'not measured', '', '', '', '', '', '', '', '', verdict(false)]);
  const ratio = baseline ? r.rps / baseline.rps : null;
  const ok = r.errors === 0 && (ratio === null || ratio >= 0.5);
  rows.push([
    test,
    n(r.rps),
    n(r.p50_ms, 1),
    n(r.p99_ms, 1),
    String(r.errors),
    ...cost(name, r.requests),
    [ratio === null ? '' : `${ratio.toFixed(2)}x ${baselineName}`, rounds(name), toolCpu(r)].filter(Boolean).join('; ') || '-',
    ratio === null ? 'no errors' : '>= 0.5x, no errors',
    verdict(ok),
  ]);
}

const nginx = read('nginx');
const pgbench = read('pgbench');
const takers = read('takers');
const memory = read('memory-main');
const startup = read('startup-main');

loadRow(`reference page GET /reference/${meta.slug} (wrk)`, 'reference', nginx, 'nginx');
loadRow('practice question page GET /practice (wrk)', 'practice-page', null);
loadRow('practice answer POST /api/practice/answer (loadgen)', 'practice-answer', pgbench, 'pgbench');
loadRow('mock exam autosave POST /api/exams/save (loadgen)', 'autosave', pgbench, 'pgbench');
{
  // Search as you type: every request is a new prefix; the target is on the p99.
  const r = read('search');
  if (r) {
    const ok = r.errors === 0 && r.p99_ms < 20;
    rows.push([
      `search as you type POST /api/search, ${r.queries} prefixes (wrk)`,
      n(r.rps),
      n(r.p50_ms, 1),
      n(r.p99_ms, 1),
      String(r.errors),
      ...cost('search', r.requests),
      '-',
      'p99 < 20 ms, no errors',
      verdict(ok),
    ]);
  } else {
    rows.push(['search as you type', 'not measured', '', '', '', '', '', '', '', '', verdict(false)]);
  }
}
const info = (test, name, target) => {
  const r = read(name);
  rows.push([test, n(r?.rps), n(r?.p50_ms, 1), n(r?.p99_ms, 1), String(r?.errors ?? '-'), ...cost(name, r?.requests), rounds(name), target, '']);
};
info('baseline: nginx, same HTML as a static file (wrk)', 'nginx', 'baseline');
info(`baseline: pgbench single-row insert, ${meta.connections} clients`, 'pgbench', 'baseline');
info('tool ceiling: loadgen against nginx', 'tool-ceiling', 'info');

if (takers) {
  const ok = takers.errors === 0 && takers.answers_lost === 0 && takers.submitted === takers.takers;
  rows.push([
    `${takers.takers} exam takers at once: all requests, ${takers.total_seconds} s in all`,
    n(takers.requests / takers.total_seconds),
    n(takers.all.p50_ms, 1),
    n(takers.all.p99_ms, 1),
    String(takers.errors),
    ...cost('takers', takers.requests),
    `lost ${takers.answers_lost} of ${takers.answers_acknowledged} saved (${takers.answers_sent} sent, ${takers.answers_stored} in db), ${takers.submitted} submitted`,
    'no errors, none lost',
    verdict(ok),
  ]);
  for (const phase of ['signin', 'start', 'save', 'submit']) {
    const p = takers[phase];
    rows.push([`  takers: ${phase === 'signin' ? 'sign in (argon2id)' : phase}`, '', n(p.p50_ms, 1), n(p.p99_ms, 1), '', '', '', '', `${p.count} requests`, '', '']);
  }
} else {
  rows.push(['exam takers', 'not measured', '', '', '', '', '', '', '', '', verdict(false)]);
}

if (memory) {
  const peak = (m) => `${n(m.hwm_mb, 0)} MB`;
  rows.push([
    'server memory, peak (VmHWM)',
    '', '', '', '', '', '', '',
    `${peak(startup.memory)} at start, ${peak(memory.after_signins)} after ${meta.connections * 2} sign-ins, ` +
      `${peak(memory.after_load)} after the load rows, ${peak(memory.end)} after the takers`,
    '< 150 MB',
    verdict(memory.end.hwm_mb < 150),
  ]);
}
if (startup) {
  rows.push(['server startup, real content (fresh db)', '', '', '', '', '', '', '', `healthy after ${n(startup.startup_s, 1)} s`, 'info', '']);
}

// Growth: the latency of starting a practice set and a mock exam at each bank size.
const sizes = readdirSync(dir)
  .map((f) => f.match(/^growth-(\d+)\.json$/))
  .filter(Boolean)
  .map((m) => Number(m[1]));
sizes.sort((a, b) => a - b);
const first = {};
for (const size of sizes) {
  const g = read(`growth-${size}`);
  if (!g.started) {
    rows.push([`growth ${size} q: server startup`, '', '', '', '', '', '', '', `no /healthz within ${g.timeout_s} s`, '< 150 MB', verdict(false)]);
    continue;
  }
  rows.push([
    `growth ${size} q: startup (fresh db), memory`,
    '', '', '', '', '', '', '',
    `up in ${n(g.startup_s, 1)} s with ${n(g.memory_at_start.hwm_mb, 0)} MB; ${n(g.memory.hwm_mb, 0)} MB peak after the phases below`,
    '< 150 MB',
    verdict(g.memory.hwm_mb < 150),
  ]);
  for (const [kind, label] of [['practice', 'start practice set'], ['exam', 'start mock exam']]) {
    const r = read(`growth-${size}-${kind}`);
    if (!r) continue;
    first[kind] ??= r;
    const ratio = r.p50_ms / first[kind].p50_ms;
    const isFirst = first[kind] === r;
    rows.push([
      `growth ${size} q: ${label} (4 conn)`,
      n(r.rps),
      n(r.p50_ms, 1),
      n(r.p99_ms, 1),
      String(r.errors),
      ...cost(`growth-${size}-${kind}`, r.requests),
      isFirst ? 'p50 reference size' : `p50 ${ratio.toFixed(2)}x of ${sizes[0]} q`,
      isFirst ? 'no errors' : 'p50 <= 2x, no errors',
      verdict(r.errors === 0 && (isFirst || ratio <= 2)),
    ]);
  }
}

const header = ['test', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'app cpu', 'db cpu', 'sql', 'measured / vs baseline', 'target', 'result'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const right = new Set([1, 2, 3, 4, 5, 6, 7]);
const line = (r) =>
  r.map((c, i) => (right.has(i) ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ').trimEnd();

console.log('');
console.log(
  `make bench: ${meta.date}, commit ${meta.commit}${meta.dirty ? ' (with uncommitted changes)' : ''}, ` +
    `${meta.cpus} x ${meta.cpu}; load average ${meta.load_before} before, ${meta.load_after} after; ` +
    `${meta.connections} connections, ${meta.seconds} s per phase; the run took ${Math.round(meta.total_s / 6) / 10} min (the build before it not counted)`,
);
console.log('');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
rows.forEach((r) => console.log(line(r)));
console.log('');
console.log(`${met} of ${checked} targets met. app cpu, db cpu: CPU ms per request of the server (of nginx in its row) and of PostgreSQL;`);
console.log('sql: SQL statements per request (pg_stat_statements, BEGIN/COMMIT included); both over every request of');
console.log('the phase (for the practice answers, the untimed /api/practice/next between them too).');
