// Closed-loop load for the requests that carry per-user state, which wrk's scripts cannot
// follow per connection: every virtual user has its own keep-alive connection and session and
// sends its next request as soon as the last one is answered. Only the requests named by the
// mode are timed and counted; the others (moving on, starting over) still load the server.
//
//   node bench/load.mjs --base URL --mode MODE --connections 64 --seconds 10
//                       [--sessions sessions.json] [--path /x] --out result.json
//
//   answer          POST /api/practice/answer for the current question of the user's set
//                   (untimed between answers: /api/practice/next, and a new set at the end)
//   save            POST /api/exams/save: the user's open mock exam, question after question,
//                   seq + 1 every time, a complete answer of the item's type
//   practice-start  POST /api/practice/start with the page's default filter (10 questions)
//   exam-start      POST /api/exams/start (50 questions), then an untimed submit
//   get             GET --path without cookies (how fast this tool itself can go)

import { Client, PRACTICE_FILTER, flags, parse, readJson, responseFor, summary, writeJson } from './lib.mjs';

const args = flags();
const connections = Number(args.connections ?? 64);
const seconds = Number(args.seconds ?? 10);
const sessions = args.sessions ? readJson(args.sessions) : [];
const mode = args.mode;

const latencies = [];
const errors = new Map();
let untimed = 0;
let notApplied = 0;
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
  async answer(client) {
    let state = parse(await quiet(() => client.form('/api/practice/state')), 'practice state');
    while (process.hrtime.bigint() < deadline) {
      let reply;
      if (state?.question && !state.feedback) {
        const body = { question_id: state.question.id, response: responseFor(state.question) };
        reply = await timed(() => client.json('/api/practice/answer', body));
      } else if (state && state.position < state.total) {
        reply = await quiet(() => client.form('/api/practice/next'));
      } else {
        reply = await quiet(() => client.json('/api/practice/start', { filter: { ...PRACTICE_FILTER, count: 50 } }));
      }
      state = reply.status === 200 ? JSON.parse(reply.text) : parse(await quiet(() => client.form('/api/practice/state')), 'practice state');
    }
  },

  async save(client, session) {
    let seq = session.last_seq ?? 0;
    for (let i = 0; process.hrtime.bigint() < deadline; i++) {
      const item = session.items[i % session.items.length];
      seq += 1;
      const body = { id: session.attempt, position: item.position, response: responseFor(item.question), seq };
      const reply = await timed(() => client.json('/api/exams/save', body));
      if (reply.status === 200 && JSON.parse(reply.text).applied !== true) notApplied += 1;
    }
  },

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

  async get(client) {
    while (process.hrtime.bigint() < deadline) await timed(() => client.get(args.path));
  },
};

if (!users[mode]) throw new Error(`unknown mode ${mode}`);
if (mode !== 'get' && sessions.length === 0) throw new Error(`mode ${mode} needs --sessions`);

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
  saves_not_applied: notApplied,
};
writeJson(args.out, result);
console.error(`${mode}: ${result.rps} req/s, p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms, errors ${result.errors}`);
