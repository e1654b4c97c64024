// Closed-loop load for the growth rows (4 connections, where this tool is far from its
// limit): every virtual user has its own keep-alive connection and session and sends its next
// request as soon as the last one is answered. Only the requests named by the mode are timed
// and counted; the others still load the server. The 64-connection answer and autosave rows
// use bench/loadgen (Rust), which this tool could not keep up with.
//
//   node bench/load.mjs --base URL --mode MODE --connections 4 --seconds 5
//                       --sessions sessions.json --out result.json
//
//   practice-start  POST /api/practice/start with the page's default filter (10 questions)
//   exam-start      POST /api/exams/start (50 questions), then an untimed submit

import { Client, PRACTICE_FILTER, flags, readJson, summary, writeJson } from './lib.mjs';

const args = flags();
const connections = Number(args.connections ?? 64);
const seconds = Number(args.seconds ?? 10);
const sessions = args.sessions ? readJson(args.sessions) : [];
const mode = args.mode;

const latencies = [];
const errors = new Map();
let untimed = 0;
let deadline = 0;

function error(what) {
  errors.set(what, (errors.get(what) ?? 0) + 1);
}

/** Times one request; counts it when it ends before the deadline. */
async function timed(send) {
  const reply = await send();
  if (process.hrtime.bigint() <= deadline) {
    if (reply.status === 200) latencies.push(reply.ms);
    else error(`HTTP ${reply.status}: ${reply.text.slice(0, 120)}`);
  }
  return reply;
}

async function quiet(send) {
  untimed += 1;
  return send();
}

const users = {
  async 'practice-start'(client) {
    while (process.hrtime.bigint() < deadline) {
      await timed(() => client.json('/api/practice/start', { filter: PRACTICE_FILTER }));
    }
  },

  async 'exam-start'(client) {
    while (process.hrtime.bigint() < deadline) {
      const reply = await timed(() => client.form('/api/exams/start', { questions: '50' }));
      if (reply.status !== 200) continue;
      await quiet(() => client.form('/api/exams/submit', { id: reply.text.trim() }));
    }
  },
};

if (!users[mode]) throw new Error(`unknown mode ${mode}`);
if (sessions.length === 0) throw new Error(`mode ${mode} needs --sessions`);

const clients = Array.from({ length: connections }, (_, i) => {
  const client = new Client(args.base);
  const session = sessions[i % Math.max(1, sessions.length)];
  if (session) client.cookies.set('session', session.cookie.replace(/^session=/, ''));
  return { client, session };
});
const cpu0 = process.cpuUsage();
const started = process.hrtime.bigint();
deadline = started + BigInt(Math.round(seconds * 1e9));
await Promise.all(
  clients.map(({ client, session }) =>
    users[mode](client, session).catch((err) => error(String(err.message ?? err).slice(0, 160))),
  ),
);
clients.forEach(({ client }) => client.close());
const cpu = process.cpuUsage(cpu0);

const result = {
  tool: 'node',
  mode,
  connections,
  seconds,
  rps: Math.round((latencies.length / seconds) * 10) / 10,
  ...summary(latencies),
  errors: [...errors.values()].reduce((a, b) => a + b, 0),
  error_kinds: Object.fromEntries(errors),
  untimed_requests: untimed,
  // Every request sent, timed or not (what the server did in the phase).
  requests: latencies.length + untimed + [...errors.values()].reduce((a, b) => a + b, 0),
  // CPU this load tool used (it shares the machine with the server).
  tool_cpu_s: Math.round((cpu.user + cpu.system) / 1e4) / 100,
};
writeJson(args.out, result);
console.error(`${mode}: ${result.rps} req/s, p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms, errors ${result.errors}`);
