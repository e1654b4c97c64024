// Lighthouse 12 scores of a running server (not a test: it does not start the server):
//   node lighthouse.mjs [base-url] [out-dir]
// Audits three pages with Lighthouse's desktop preset (simulated throttling: dense 4G, no CPU
// slowdown, 1350x940 screen) in Debian's Chromium, and prints the performance, accessibility and
// best-practices scores (0-100) with the audits that cost the most points. With out-dir, the full
// HTML report of each page is written there too. Exits non-zero when a page could not be audited.
import { mkdirSync, writeFileSync } from 'node:fs';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import * as chromeLauncher from 'chrome-launcher';

const [base = 'http://127.0.0.1:3000', out] = process.argv.slice(2);
const pages = [
  ['home', '/'],
  ['reference page', '/reference/model-metrics'],
  // Opens one practice question directly: the page starts a one-question set once hydrated
  // (the link search results use), then shows the question at /practice.
  ['practice question', '/practice?question=model-metrics-001'],
];
const categories = ['performance', 'accessibility', 'best-practices'];
const chromePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const rows = [];
let failed = false;
let version = '12';
for (const [name, path] of pages) {
  // A fresh browser (and profile) per page: no cache or session carried over.
  const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: ['--headless=new', '--no-sandbox'] });
  try {
    const result = await lighthouse(
      base + path,
      { port: chrome.port, output: 'html', logLevel: 'error', onlyCategories: categories },
      desktopConfig,
    );
    const lhr = result.lhr;
    version = lhr.lighthouseVersion;
    if (lhr.runtimeError) {
      failed = true;
      console.error(`${path}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    }
    if (out) {
      mkdirSync(out, { recursive: true });
      writeFileSync(`${out}/${name.replace(/\W+/g, '-')}.html`, result.report);
    }
    // What costs points: scored audits below 90, by weight times the points missed; then the
    // failing audits that carry no weight (performance opportunities and diagnostics).
    const losses = [];
    const hints = [];
    for (const id of categories) {
      for (const ref of lhr.categories[id].auditRefs) {
        const audit = lhr.audits[ref.id];
        if (audit.score === null || audit.score >= 0.9 || ['informative', 'manual', 'notApplicable'].includes(audit.scoreDisplayMode)) continue;
        const text = `${audit.id} (${Math.round(audit.score * 100)})${audit.displayValue ? `: ${audit.displayValue}` : ''}`;
        if (ref.weight > 0) losses.push({ category: id, cost: ref.weight * (1 - audit.score), text });
        else hints.push({ category: id, cost: 1 - audit.score, text });
      }
    }
    losses.sort((a, b) => b.cost - a.cost);
    hints.sort((a, b) => b.cost - a.cost);
    const metrics = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index']
      .map((id) => `${lhr.audits[id].title.replace(/[a-z ]/g, '') || id} ${lhr.audits[id].displayValue ?? '-'}`)
      .join(', ');
    rows.push({ name, path, final: lhr.finalDisplayedUrl, scores: categories.map((id) => lhr.categories[id].score), losses, hints, metrics });
  } finally {
    await chrome.kill();
  }
}

const score = (s) => (s === null ? 'err' : String(Math.round(s * 100)));
const width = Math.max(...rows.map((r) => r.path.length), 4);
console.log(`Lighthouse ${version} (desktop preset) against ${base}\n`);
console.log(`${'page'.padEnd(width)}${categories.map((c) => c.padStart(16)).join('')}`);
for (const r of rows) console.log(`${r.path.padEnd(width)}${r.scores.map((s) => score(s).padStart(16)).join('')}`);
for (const r of rows) {
  console.log(`\n${r.path} (${r.name}${r.final !== base + r.path ? `, ended at ${r.final}` : ''})`);
  console.log(`  metrics: ${r.metrics}`);
  console.log(r.losses.length ? '  scored audits below 90:' : '  no scored audit below 90');
  for (const l of r.losses.slice(0, 8)) console.log(`    ${l.category.padEnd(15)} ${l.text}`);
  if (r.hints.length) console.log('  unscored audits that fail (opportunities, diagnostics):');
  for (const h of r.hints.slice(0, 6)) console.log(`    ${h.category.padEnd(15)} ${h.text}`);
}
process.exitCode = failed ? 1 : 0;
