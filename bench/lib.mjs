// Shared helpers of the Node parts of `make bench`: a cookie-keeping HTTP/1.1 client on one
// keep-alive connection (like one browser tab), valid answers for any question view, and
// percentiles. Node's own `http` module only: nothing to install.

import http from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';

/** One user: one keep-alive connection, the cookies the server set. */
export class Client {
  constructor(base) {
    this.base = new URL(base);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    this.cookies = new Map();
  }

  /** Sends a request; resolves to { status, text, ms } (ms: request start to last byte). */
  request(method, path, body, contentType) {
    const headers = { accept: 'application/json' };
    if (this.cookies.size) {
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    if (body !== undefined) {
      headers['content-type'] = contentType;
      headers['content-length'] = Buffer.byteLength(body);
    }
    const started = process.hrtime.bigint();
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: this.base.hostname,
          port: this.base.port,
          method,
          path,
          headers,
          agent: this.agent,
        },
        (res) => {
          for (const set of res.headers['set-cookie'] ?? []) {
            const pair = set.split(';')[0];
            const eq = pair.indexOf('=');
            this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
          }
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode,
              text: Buffer.concat(chunks).toString('utf8'),
              ms: Number(process.hrtime.bigint() - started) / 1e6,
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  get(path) {
    return this.request('GET', path);
  }

  /** A form post, as a server function with the default (URL-encoded) input codec. */
  form(path, fields = {}) {
    return this.request('POST', path, new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded');
  }

  /** A JSON post, as a server function with the JSON input codec. */
  json(path, value) {
    return this.request('POST', path, JSON.stringify(value), 'application/json');
  }

  close() {
    this.agent.destroy();
  }
}

/** Parses a reply's JSON body, or throws with the status and the start of the body. */
export function parse(reply, what) {
  if (reply.status !== 200) {
    throw new Error(`${what}: HTTP ${reply.status} ${reply.text.slice(0, 200)}`);
  }
  return JSON.parse(reply.text);
}

/** The practice filter of the load phases: any domain, page, type and difficulty (the page's
 * default set is 10 questions). */
export const PRACTICE_FILTER = { domain: null, page: null, item_type: null, difficulty: null, status: 'all', count: 10 };

/** A complete, valid answer to a question as the browser sees it (not necessarily right). */
export function responseFor(q) {
  const ids = q.choices.map((c) => c.id);
  switch (q.item_type) {
    case 'multi':
      return { kind: 'choices', value: ids.slice(0, q.choose ?? 2) };
    case 'order':
      return { kind: 'order', value: ids };
    case 'yesno':
      return { kind: 'yesno', value: Object.fromEntries(ids.map((id, i) => [id, i % 2 === 0])) };
    case 'drill':
      return { kind: 'drill', value: Object.fromEntries(q.dimensions.map((d) => [d.name, d.options[0].id])) };
    default: // single, case, diagram
      return { kind: 'choices', value: [ids[0]] };
  }
}

/** The q-quantile (0..1) of a list of numbers, nearest rank. */
export function percentile(values, q) {
  if (!values.length) return null;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** p50/p99/max of latencies in ms, rounded to 0.01 ms. */
export function summary(values) {
  const r = (v) => (v === null ? null : Math.round(v * 100) / 100);
  return { count: values.length, p50_ms: r(percentile(values, 0.5)), p99_ms: r(percentile(values, 0.99)), max_ms: r(percentile(values, 1)) };
}

/** Command-line flags: --name value. */
export function flags(argv = process.argv.slice(2)) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--')) throw new Error(`unexpected argument ${argv[i]}`);
    out[argv[i].slice(2)] = argv[i + 1];
  }
  return out;
}

/** Runs `f` over `items` with at most `limit` at a time; resolves to the results in order. */
export async function pool(items, limit, f) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await f(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
export const writeJson = (path, value) => writeFileSync(path, JSON.stringify(value, null, 1) + '\n');
