#!/usr/bin/env bash
# `make bench`: measures the release build against a private PostgreSQL cluster and prints one
# table (see bench/README.md for what each figure means). Everything it starts (PostgreSQL,
# the server, nginx) runs on loopback or a Unix socket under target/bench and is stopped at
# the end. Knobs (environment):
#
#   BENCH_SECONDS=10          length of each 64-connection phase and of the baselines
#   BENCH_ROUNDS=3            rounds of the rows with a baseline, each row next to its baseline;
#                             the table shows the median round (this machine's baselines move)
#   BENCH_CONNECTIONS=64      connections of those phases
#   BENCH_TAKERS=500          simulated exam takers
#   BENCH_GROWTH="300 10000 100000"   generated bank sizes for the growth rows ("" skips them)
#   BENCH_GROWTH_SECONDS=5    length of each growth latency phase (4 connections)
#   BENCH_STARTUP_TIMEOUT=900 seconds a server may take to answer /healthz before it counts as failed
#   BENCH_PORT=3390 BENCH_NGINX_PORT=3391 BENCH_PG_PORT=5434
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

SECONDS_PER_PHASE="${BENCH_SECONDS:-10}"
ROUNDS="${BENCH_ROUNDS:-3}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
TAKERS="${BENCH_TAKERS:-500}"
GROWTH="${BENCH_GROWTH-300 10000 100000}"
GROWTH_SECONDS="${BENCH_GROWTH_SECONDS:-5}"
STARTUP_TIMEOUT="${BENCH_STARTUP_TIMEOUT:-900}"
PORT="${BENCH_PORT:-3390}"
NGINX_PORT="${BENCH_NGINX_PORT:-3391}"
PG_PORT="${BENCH_PG_PORT:-5434}"
# The reference page measured (a mid-sized one: 28 KB of HTML).
SLUG="online-endpoints"
# Not a secret: the password of the generated bench accounts in a throwaway database.
PASSWORD="bench-password-copper-42"

work="$root/target/bench"
results="$work/results"
pgdir="$work/pg"
sock="$pgdir/run"
server_bin="$root/target/release/server"
base="http://127.0.0.1:$PORT"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- tools -----------------------------------------------------------------------------------

pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
[ -x "$pg_bin/pgbench" ] || { echo "bench: pgbench not found (apt-get install postgresql)" >&2; exit 1; }
[ -x "$server_bin" ] || { echo "bench: $server_bin missing: run make build" >&2; exit 1; }
# bench/run.sh alone does not build the server: say so when its sources are newer than it.
newer="$(find "$root/app/src" "$root/server/src" "$root/migrations" "$root/Cargo.lock" -newer "$server_bin" -type f 2>/dev/null | head -n1)"
[ -z "$newer" ] || log "warning: $newer is newer than $server_bin: these figures are of an older build (make build, or make bench)"
# The load tool of the answer and autosave rows (bench/loadgen): Rust, one thread, so it takes
# little of the machine it measures. Quick when it is up to date.
loadgen="$root/target/release/loadgen"
cargo build --release -q -p loadgen
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  log "installing wrk and nginx (Debian packages)"
  # The nginx package would start a system service where one can run; this bench starts its
  # own nginx on loopback instead, so the service is left alone.
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx >/dev/null
fi

# --- processes this script started, stopped on any exit ---------------------------------------

server_pid=""
nginx_pid=""
# The process whose CPU time `measure` counts: the server, or nginx for its baseline.
app_pid=""

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
    app_pid=""
  fi
}

cleanup() {
  stop_server
  if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
  if [ -f "$pgdir/data/PG_VERSION" ]; then as_pg "$pg_bin/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

# --- PostgreSQL: a private cluster with the default (durable) settings ------------------------

db_url() { echo "postgres://postgres@localhost/$1?host=$sock&port=$PG_PORT"; }
psql_q() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 "$@"; }

start_pg() {
  if [ "$(id -u)" = 0 ]; then
    install -d -o postgres -g postgres -m 700 "$pgdir/data"
    install -d -o postgres -g postgres -m 755 "$sock"
  else
    install -d -m 700 "$pgdir/data"; install -d -m 755 "$sock"
  fi
  if [ ! -f "$pgdir/data/PG_VERSION" ]; then
    as_pg "$pg_bin/initdb" -D "$pgdir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-instructions >/dev/null
  fi
  as_pg "$pg_bin/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null 2>&1 || true
  as_pg "$pg_bin/pg_ctl" -D "$pgdir/data" -l "$sock/postgres.log" -w -t 60 \
    -o "-k $sock -p $PG_PORT -c listen_addresses='' -c max_connections=300 -c shared_preload_libraries=pg_stat_statements" \
    start >/dev/null
}

recreate_db() {
  psql_q "$(db_url postgres)" -c "drop database if exists \"$1\" with (force)" -c "create database \"$1\""
  psql_q "$(db_url "$1")" -c "create extension pg_stat_statements"
}

# --- what a phase cost: CPU seconds of the server and of PostgreSQL, SQL statements run ----------

clk_tck=$(getconf CLK_TCK)
# utime + stime of a process, its live children and its ended children (clock ticks).
tree_ticks() {
  local pid="$1"
  { awk '{print $14 + $15 + $16 + $17}' "/proc/$pid/stat"
    for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
      awk '{print $14 + $15}' "/proc/$child/stat" 2>/dev/null || true
    done; } | awk '{t += $1} END {printf "%d\n", t}'
}
app_ticks() { if [ -n "$app_pid" ]; then tree_ticks "$app_pid"; else echo 0; fi; }
pg_ticks() { tree_ticks "$(head -n1 "$pgdir/data/postmaster.pid")"; }
statements() { psql -X -At "$(db_url "$1")" -c "select coalesce(sum(calls), 0) from pg_stat_statements where dbid = (select oid from pg_database where datname = '$1')"; }

# measure NAME DATABASE COMMAND...: runs the command; writes results/NAME.usage.json (CPU
# seconds of the server or nginx, `app_pid`, and of PostgreSQL; SQL statements run) and
# results/NAME.sql.txt (the statements run most often).
measure() {
  local name="$1" db="$2"; shift 2
  psql -X -Atq "$(db_url "$db")" -c "select pg_stat_statements_reset()" >/dev/null
  local a0 p0; a0=$(app_ticks); p0=$(pg_ticks)
  "$@"
  local a1 p1 q; a1=$(app_ticks); p1=$(pg_ticks); q=$(statements "$db")
  awk -v a="$((a1 - a0))" -v p="$((p1 - p0))" -v t="$clk_tck" -v q="$q" \
    'BEGIN {printf "{\"app_cpu_s\":%.2f,\"db_cpu_s\":%.2f,\"statements\":%d}\n", a / t, p / t, q}' >"$results/$name.usage.json"
  psql -X "$(db_url "$db")" -c "
    select calls, round(total_exec_time) as total_ms, left(regexp_replace(query, '\s+', ' ', 'g'), 110) as query
    from pg_stat_statements where dbid = (select oid from pg_database where datname = '$db')
    order by calls desc limit 15" >"$results/$name.sql.txt"
}

# --- the server --------------------------------------------------------------------------------

# start_server CONTENT_DIR DATABASE NAME: starts it, waits for /healthz; sets server_pid and
# startup_s (from exec to the first healthy answer); returns 1 if it never got there.
start_server() {
  local content="$1" db="$2" name="$3"
  local t0; t0=$(date +%s.%N)
  DATABASE_URL="$(db_url "$db")" PORT="$PORT" BIND_ADDRESS=127.0.0.1 CONTENT_DIR="$content" \
    LEPTOS_SITE_ROOT=target/site LOG_LEVEL=warn "$server_bin" serve >"$results/server-$name.log" 2>&1 &
  server_pid=$!
  app_pid=$server_pid
  local deadline=$(( $(date +%s) + STARTUP_TIMEOUT ))
  until curl -sf -o /dev/null "$base/healthz"; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      log "the server ($name) exited during startup: see $results/server-$name.log"
      server_pid=""; return 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "the server ($name) did not answer /healthz within ${STARTUP_TIMEOUT}s"
      stop_server; return 1
    fi
    sleep 0.05
  done
  startup_s=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b - a}')
}

# Peak and current resident memory of the server, in MB (VmHWM, VmRSS of /proc/PID/status).
memory_json() {
  awk '/^VmHWM/ {h=$2} /^VmRSS/ {r=$2} END {printf "{\"hwm_mb\":%.1f,\"rss_mb\":%.1f}", h/1024, r/1024}' "/proc/$server_pid/status"
}

# Accounts bench-1..bench-N@bench.test: one made by the CLI (argon2id hash), the rest copy its hash.
seed_users() {
  local db="$1" n="$2"
  echo "$PASSWORD" | DATABASE_URL="$(db_url "$db")" LOG_LEVEL=warn "$server_bin" admin create-user \
    --email seed@bench.test --name "Bench seed" >/dev/null
  psql_q "$(db_url "$db")" -c "
    insert into app_user (email, display_name, password_hash)
    select 'bench-' || i || '@bench.test', 'Bench user ' || i,
           (select password_hash from app_user where email = 'seed@bench.test')
    from generate_series(1, $n) i"
}

# wrk_get NAME URL [COOKIES]: a 2 s warm-up, then the measured run; the JSON line to results.
wrk_get() {
  local name="$1" url="$2" cookies="${3:-}"
  BENCH_COOKIES="$cookies" wrk -t2 -c"$CONNECTIONS" -d2s -s bench/get.lua "$url" >/dev/null
  measure "$name" bench sh -c "BENCH_COOKIES='$cookies' wrk -t2 -c$CONNECTIONS -d${SECONDS_PER_PHASE}s -s bench/get.lua '$url' | tail -n1 >'$results/$name.json'"
  log "$name: $(cat "$results/$name.json")"
}

# --- the run -----------------------------------------------------------------------------------

rm -rf "$results"
mkdir -p "$results"
started=$(date +%s)
{
  echo "{\"date\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\",\"commit\":\"$(git rev-parse --short HEAD 2>/dev/null || echo none)\","
  echo "\"dirty\":$( [ -n "$(git status --porcelain -- app server crates 2>/dev/null)" ] && echo true || echo false),"
  echo "\"cpus\":$(nproc),\"cpu\":\"$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)\","
  echo "\"load_before\":\"$(cut -d' ' -f1-3 /proc/loadavg)\","
  echo "\"seconds\":$SECONDS_PER_PHASE,\"connections\":$CONNECTIONS,\"slug\":\"$SLUG\"}"
} >"$results/meta.json"

log "PostgreSQL: private cluster in $pgdir (port $PG_PORT, Unix socket only)"
start_pg
recreate_db bench

log "server: release build, the real content, database bench"
start_server content bench main || exit 1
echo "{\"startup_s\":$startup_s,\"memory\":$(memory_json)}" >"$results/startup-main.json"
seed_users bench $((128 + TAKERS))
node bench/prepare.mjs --base "$base" --first 1 --count "$CONNECTIONS" --password "$PASSWORD" --mode practice \
  --out "$work/practice.json" --cookies "$work/practice.cookies"
node bench/prepare.mjs --base "$base" --first $((CONNECTIONS + 1)) --count "$CONNECTIONS" --password "$PASSWORD" \
  --mode exam --out "$work/exam.json"
memory_signed_in=$(memory_json)

# The reference page, and its HTML as the server sends it, for nginx (Debian's, on loopback,
# its own config; it stays idle while the server is measured, and the other way round).
mkdir -p "$work/nginx/www/reference" "$work/nginx/tmp"
curl -sf -o "$work/nginx/www/reference/$SLUG.html" "$base/reference/$SLUG"
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes $(nproc);
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  default_type text/html;
  client_body_temp_path $work/nginx/tmp;
  proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp;
  uwsgi_temp_path $work/nginx/tmp;
  scgi_temp_path $work/nginx/tmp;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $work/nginx/www;
    location / { try_files \$uri \$uri.html =404; }
  }
}
EOF
chmod -R a+rX "$work/nginx/www"
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" -g 'daemon off;' &
nginx_pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$NGINX_PORT/reference/$SLUG"; do sleep 0.05; done

# pgbench's table and script: one transaction is one single-row insert.
psql_q "$(db_url bench)" -c "
  create table bench_insert (
    bench_insert_id bigint generated always as identity primary key,
    user_id bigint not null,
    response jsonb not null,
    saved_at timestamptz not null default now())"
printf '%s\n' '\set user_id random(1, 100000)' \
  "insert into bench_insert (user_id, response) values (:user_id, '{\"kind\": \"choices\", \"value\": [\"a\"]}');" \
  >"$work/insert.sql"

# pgbench_run NAME: pgbench for one phase; results/NAME.json with p50/p99 from its log.
pgbench_run() {
  local name="$1"
  rm -f "$work"/pgbench_log.*
  measure "$name" bench sh -c "cd '$work' && '$pg_bin/pgbench' -n -c $CONNECTIONS -j 2 -T $SECONDS_PER_PHASE -l \
    --log-prefix=pgbench_log -f insert.sql -h '$sock' -p $PG_PORT -U postgres bench >'$results/$name.txt' 2>&1"
  local tps; tps=$(awk '/^tps = / {print $3; exit}' "$results/$name.txt")
  # Per-transaction latencies (µs, third field of the logs) to p50/p99 in ms.
  cat "$work"/pgbench_log.* | awk '{print $3}' | sort -n | awk -v tps="$tps" '
    {v[NR]=$1} END {
      p50=v[int(NR*0.5+0.999)]; p99=v[int(NR*0.99+0.999)];
      printf "{\"tool\":\"pgbench\",\"rps\":%.1f,\"requests\":%d,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"errors\":0}\n", tps, NR, p50/1000, p99/1000 }' \
    >"$results/$name.json"
  log "$name: $(cat "$results/$name.json")"
}

# pick_median NAME: of the rounds NAME-r1..rN, the one with the median req/s becomes NAME (its
# figures, CPU and SQL); NAME.rounds.json keeps the req/s of every round.
pick_median() {
  node -e '
    const fs = require("fs");
    const [dir, name, rounds] = process.argv.slice(1);
    const runs = Array.from({ length: Number(rounds) }, (_, i) => ({
      round: i + 1,
      rps: JSON.parse(fs.readFileSync(`${dir}/${name}-r${i + 1}.json`, "utf8")).rps,
    }));
    const median = [...runs].sort((a, b) => a.rps - b.rps)[(runs.length - 1) >> 1];
    for (const suffix of [".json", ".usage.json", ".sql.txt"]) {
      const from = `${dir}/${name}-r${median.round}${suffix}`;
      if (fs.existsSync(from)) fs.copyFileSync(from, `${dir}/${name}${suffix}`);
    }
    const out = { median_round: median.round, rps: runs.map((r) => r.rps) };
    fs.writeFileSync(`${dir}/${name}.rounds.json`, JSON.stringify(out) + "\n");
  ' "$results" "$1" "$ROUNDS"
}

# The rows with a baseline, each next to its baseline, ROUNDS times over: the machine's speed
# moves over minutes, and a baseline measured minutes away from its row moved the ratio by
# half. Later autosave rounds send newer `seq`s than the rounds before them.
for round in $(seq 1 "$ROUNDS"); do
  log "round $round of $ROUNDS"
  app_pid=$server_pid
  wrk_get "reference-r$round" "$base/reference/$SLUG"
  app_pid=$nginx_pid
  wrk_get "nginx-r$round" "http://127.0.0.1:$NGINX_PORT/reference/$SLUG"
  app_pid=$server_pid
  measure "practice-answer-r$round" bench "$loadgen" --base "$base" --mode answer --connections "$CONNECTIONS" \
    --seconds "$SECONDS_PER_PHASE" --sessions "$work/practice.json" --out "$results/practice-answer-r$round.json"
  measure "autosave-r$round" bench "$loadgen" --base "$base" --mode save --connections "$CONNECTIONS" \
    --seconds "$SECONDS_PER_PHASE" --sessions "$work/exam.json" --seq-base $((round * 10000000)) \
    --out "$results/autosave-r$round.json"
  app_pid=""
  pgbench_run "pgbench-r$round"
done
for name in reference nginx practice-answer autosave pgbench; do pick_median "$name"; done
app_pid=$server_pid
wrk_get practice-page "$base/practice" "$work/practice.cookies"
# Search as you type: POST /api/search with every prefix of a dozen everyday queries.
wrk -t2 -c"$CONNECTIONS" -d2s -s bench/search.lua "$base/api/search" >/dev/null
measure search bench sh -c "wrk -t2 -c$CONNECTIONS -d${SECONDS_PER_PHASE}s -s bench/search.lua '$base/api/search' | tail -n1 >'$results/search.json'"
log "search: $(cat "$results/search.json")"
# How fast the load tool of the answer rows goes (its ceiling), against the same nginx.
"$loadgen" --base "http://127.0.0.1:$NGINX_PORT" --mode get --path "/reference/$SLUG" \
  --connections "$CONNECTIONS" --seconds 5 --out "$results/tool-ceiling.json"
kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=""
memory_loaded=$(memory_json)
log "$TAKERS exam takers at once"
measure takers bench node bench/takers.mjs --base "$base" --first $((2 * CONNECTIONS + 1)) --count "$TAKERS" --password "$PASSWORD" \
  --db "$(db_url bench)" --out "$results/takers.json"
echo "{\"after_signins\":$memory_signed_in,\"after_load\":$memory_loaded,\"end\":$(memory_json)}" >"$results/memory-main.json"
log "server memory after the main phases: $(cat "$results/memory-main.json")"
stop_server

# --- growth: the same pages with generated banks ------------------------------------------------

for n in $GROWTH; do
  log "growth: a generated bank of $n questions"
  bank="$work/bank-$n"
  node bench/gen-bank.mjs --from content/exams/ai-300 --out "$bank" --questions "$n"
  recreate_db "bench_g$n"
  if ! start_server "$bank" "bench_g$n" "g$n"; then
    tail -n 5 "$results/server-g$n.log" >&2 || true
    echo "{\"questions\":$n,\"started\":false,\"timeout_s\":$STARTUP_TIMEOUT}" >"$results/growth-$n.json"
    continue
  fi
  at_start=$(memory_json)
  log "growth $n: healthy after ${startup_s}s, memory $at_start"
  seed_users "bench_g$n" 8
  node bench/prepare.mjs --base "$base" --first 1 --count 4 --password "$PASSWORD" --mode none --out "$work/g-practice.json"
  node bench/prepare.mjs --base "$base" --first 5 --count 4 --password "$PASSWORD" --mode none --out "$work/g-exam.json"
  measure "growth-$n-practice" "bench_g$n" node bench/load.mjs --base "$base" --mode practice-start --connections 4 --seconds "$GROWTH_SECONDS" \
    --sessions "$work/g-practice.json" --out "$results/growth-$n-practice.json"
  measure "growth-$n-exam" "bench_g$n" node bench/load.mjs --base "$base" --mode exam-start --connections 4 --seconds "$GROWTH_SECONDS" \
    --sessions "$work/g-exam.json" --out "$results/growth-$n-exam.json"
  echo "{\"questions\":$n,\"started\":true,\"startup_s\":$startup_s,\"memory_at_start\":$at_start,\"memory\":$(memory_json)}" \
    >"$results/growth-$n.json"
  stop_server
  psql_q "$(db_url postgres)" -c "drop database \"bench_g$n\" with (force)"
  rm -rf "$bank"
done

sed -i "s/}\$/,\"load_after\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"total_s\":$(( $(date +%s) - started ))}/" "$results/meta.json"
node bench/report.mjs "$results" | tee "$results/table.txt"
