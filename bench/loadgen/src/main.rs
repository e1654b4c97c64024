//! The closed-loop load tool of `make bench` for the rows that must outrun the server: practice
//! answers, mock-exam autosaves, and plain GETs (its own ceiling, against nginx). Every virtual
//! user has its own keep-alive HTTP/1.1 connection and session cookie and sends its next request
//! as soon as the last one is answered. Only the requests the mode names are timed and counted;
//! the others (moving on, starting over) still load the server. One thread: the tool should
//! take as little of the machine it measures as it can (the Node tool topped out near 4,500
//! requests a second on two cores, below the figures it had to measure).
//!
//! ```text
//! loadgen --base http://127.0.0.1:3390 --mode answer|save|get --connections 64 --seconds 10
//!         [--sessions sessions.json] [--path /x] [--seq-base N] --out result.json
//! ```
//!
//! `--sessions` is what `bench/prepare.mjs` writes. The result has the fields of
//! `bench/load.mjs`'s, so `bench/report.mjs` reads either.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::{Request, header};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};

/// The practice filter of the load phases (any domain, page, type and difficulty).
const PRACTICE_FILTER: &str =
    r#"{"domain":null,"page":null,"item_type":null,"difficulty":null,"status":"all","count":50}"#;

struct Args {
    addr: String,
    mode: String,
    connections: usize,
    seconds: f64,
    sessions: Vec<Value>,
    path: String,
    out: String,
    /// The first autosave `seq` is above this (a later round of the same exams must send
    /// newer saves than the rounds before it).
    seq_base: i64,
}

fn args() -> anyhow::Result<Args> {
    let mut flags = BTreeMap::new();
    let mut argv = std::env::args().skip(1);
    while let Some(name) = argv.next() {
        let Some(name) = name.strip_prefix("--") else {
            bail!("unexpected argument {name}");
        };
        let value = argv
            .next()
            .with_context(|| format!("--{name} needs a value"))?;
        flags.insert(name.to_string(), value);
    }
    let flag = |name: &str| flags.get(name).cloned();
    let base = flag("base").context("--base is required")?;
    let addr = base
        .strip_prefix("http://")
        .context("--base must be an http:// URL")?
        .trim_end_matches('/')
        .to_string();
    let sessions = match flag("sessions") {
        Some(path) => serde_json::from_str::<Vec<Value>>(
            &std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?,
        )?,
        None => Vec::new(),
    };
    Ok(Args {
        addr,
        mode: flag("mode").context("--mode is required")?,
        connections: flag("connections").map_or(Ok(64), |v| v.parse())?,
        seconds: flag("seconds").map_or(Ok(10.0), |v| v.parse())?,
        sessions,
        path: flag("path").unwrap_or_else(|| "/".to_string()),
        out: flag("out").context("--out is required")?,
        seq_base: flag("seq-base").map_or(Ok(0), |v| v.parse())?,
    })
}

/// What one request came back with.
struct Reply {
    status: u16,
    body: Bytes,
    ms: f64,
}

impl Reply {
    fn json(&self, what: &str) -> anyhow::Result<Value> {
        if self.status != 200 {
            bail!("{what}: HTTP {} {}", self.status, self.text(200));
        }
        serde_json::from_slice(&self.body).with_context(|| format!("{what}: not JSON"))
    }

    fn text(&self, max: usize) -> String {
        String::from_utf8_lossy(&self.body[..self.body.len().min(max)]).into_owned()
    }
}

/// One user: one keep-alive connection and the session cookie the server set.
struct Client {
    addr: String,
    sender: SendRequest<Full<Bytes>>,
    cookie: Option<String>,
}

impl Client {
    async fn connect(addr: &str, cookie: Option<String>) -> anyhow::Result<Self> {
        let stream = tokio::net::TcpStream::connect(addr)
            .await
            .with_context(|| format!("cannot connect to {addr}"))?;
        stream.set_nodelay(true)?;
        let (sender, connection) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::task::spawn_local(async move {
            let _ = connection.await;
        });
        Ok(Self {
            addr: addr.to_string(),
            sender,
            cookie,
        })
    }

    async fn send(
        &mut self,
        method: &str,
        path: &str,
        body: Option<(&'static str, Vec<u8>)>,
    ) -> anyhow::Result<Reply> {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, &self.addr)
            .header(header::ACCEPT, "application/json");
        if let Some(cookie) = &self.cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let request = match body {
            Some((content_type, bytes)) => request
                .header(header::CONTENT_TYPE, content_type)
                .body(Full::new(Bytes::from(bytes)))?,
            None => request.body(Full::new(Bytes::new()))?,
        };
        let started = Instant::now();
        self.sender.ready().await?;
        let response = self.sender.send_request(request).await?;
        let status = response.status().as_u16();
        for value in response.headers().get_all(header::SET_COOKIE) {
            if let Some(pair) = value.to_str().ok().and_then(|v| v.split(';').next())
                && pair.starts_with("session=")
            {
                self.cookie = Some(pair.to_string());
            }
        }
        let body = response.into_body().collect().await?.to_bytes();
        Ok(Reply {
            status,
            body,
            ms: started.elapsed().as_secs_f64() * 1000.0,
        })
    }

    /// A form post, as a server function with the default (URL-encoded) input codec.
    async fn form(&mut self, path: &str, fields: &str) -> anyhow::Result<Reply> {
        let body = Some((
            "application/x-www-form-urlencoded",
            fields.as_bytes().to_vec(),
        ));
        self.send("POST", path, body).await
    }

    /// A JSON post, as a server function with the JSON input codec.
    async fn json(&mut self, path: &str, value: &Value) -> anyhow::Result<Reply> {
        let body = Some(("application/json", serde_json::to_vec(value)?));
        self.send("POST", path, body).await
    }
}

/// A complete, valid answer to a question as the browser sees it (not necessarily right).
fn response_for(question: &Value) -> Value {
    let ids: Vec<&Value> = question["choices"]
        .as_array()
        .map(|choices| choices.iter().map(|c| &c["id"]).collect())
        .unwrap_or_default();
    match question["item_type"].as_str().unwrap_or_default() {
        "multi" => {
            let choose = question["choose"].as_u64().unwrap_or(2) as usize;
            json!({"kind": "choices", "value": ids.iter().take(choose).collect::<Vec<_>>()})
        }
        "order" => json!({"kind": "order", "value": ids}),
        "yesno" => {
            let value: serde_json::Map<String, Value> = ids
                .iter()
                .enumerate()
                .filter_map(|(i, id)| Some((id.as_str()?.to_string(), Value::Bool(i % 2 == 0))))
                .collect();
            json!({"kind": "yesno", "value": value})
        }
        "drill" => {
            let value: serde_json::Map<String, Value> = question["dimensions"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|d| {
                    Some((
                        d["name"].as_str()?.to_string(),
                        d["options"][0]["id"].clone(),
                    ))
                })
                .collect();
            json!({"kind": "drill", "value": value})
        }
        _ => {
            json!({"kind": "choices", "value": ids.first().map(|id| vec![*id]).unwrap_or_default()})
        }
    }
}

/// What the phase saw, shared by the users of the one thread.
#[derive(Default)]
struct Stats {
    latencies: Vec<f64>,
    errors: BTreeMap<String, u64>,
    untimed: u64,
    not_applied: u64,
}

struct Phase {
    deadline: Instant,
    stats: RefCell<Stats>,
}

impl Phase {
    fn error(&self, what: String) {
        *self.stats.borrow_mut().errors.entry(what).or_default() += 1;
    }

    /// Counts a reply that ended before the deadline: its latency if 200, an error if not.
    fn timed(&self, reply: &Reply) {
        if Instant::now() <= self.deadline {
            if reply.status == 200 {
                self.stats.borrow_mut().latencies.push(reply.ms);
            } else {
                self.error(format!("HTTP {}: {}", reply.status, reply.text(120)));
            }
        }
    }

    fn untimed(&self) {
        self.stats.borrow_mut().untimed += 1;
    }

    fn open(&self) -> bool {
        Instant::now() < self.deadline
    }
}

/// Answers the current question of the user's practice set; moves on (untimed) after each
/// answer and starts a new 50-question set (untimed) at the end of one.
async fn answer(phase: &Phase, client: &mut Client) -> anyhow::Result<()> {
    phase.untimed();
    let mut state = client
        .form("/api/practice/state", "")
        .await?
        .json("practice state")?;
    let filter: Value = serde_json::from_str(PRACTICE_FILTER)?;
    while phase.open() {
        let has_question = !state["question"].is_null() && state["feedback"].is_null();
        let reply = if has_question {
            let body = json!({
                "question_id": state["question"]["id"],
                "response": response_for(&state["question"]),
            });
            let reply = client.json("/api/practice/answer", &body).await?;
            phase.timed(&reply);
            reply
        } else if state["position"].as_u64() < state["total"].as_u64() {
            phase.untimed();
            client.form("/api/practice/next", "").await?
        } else {
            phase.untimed();
            client
                .json("/api/practice/start", &json!({ "filter": filter }))
                .await?
        };
        state = if reply.status == 200 {
            serde_json::from_slice(&reply.body)?
        } else {
            phase.untimed();
            client
                .form("/api/practice/state", "")
                .await?
                .json("practice state")?
        };
    }
    Ok(())
}

/// Saves a complete answer to question after question of the user's open mock exam, `seq` + 1
/// every time, starting above `seq_base`.
async fn save(
    phase: &Phase,
    client: &mut Client,
    session: &Value,
    seq_base: i64,
) -> anyhow::Result<()> {
    let items = session["items"]
        .as_array()
        .context("a session without items")?;
    let attempt = &session["attempt"];
    let mut seq = session["last_seq"].as_i64().unwrap_or(0).max(seq_base);
    let mut i = 0;
    while phase.open() {
        let item = &items[i % items.len()];
        i += 1;
        seq += 1;
        let body = json!({
            "id": attempt,
            "position": item["position"],
            "response": response_for(&item["question"]),
            "seq": seq,
        });
        let reply = client.json("/api/exams/save", &body).await?;
        phase.timed(&reply);
        if reply.status == 200 && reply.json("save")?["applied"] != Value::Bool(true) {
            phase.stats.borrow_mut().not_applied += 1;
        }
    }
    Ok(())
}

async fn get(phase: &Phase, client: &mut Client, path: &str) -> anyhow::Result<()> {
    while phase.open() {
        let reply = client.send("GET", path, None).await?;
        phase.timed(&reply);
    }
    Ok(())
}

/// p50/p99/max of latencies (ms), nearest rank, rounded to 0.01 ms.
fn summary(latencies: &mut [f64]) -> Value {
    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| -> Value {
        if latencies.is_empty() {
            return Value::Null;
        }
        let rank = ((q * latencies.len() as f64).ceil() as usize).clamp(1, latencies.len());
        json!((latencies[rank - 1] * 100.0).round() / 100.0)
    };
    json!({"count": latencies.len(), "p50_ms": at(0.5), "p99_ms": at(0.99), "max_ms": at(1.0)})
}

/// CPU seconds this process has used (user + system), from /proc.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line: 11 and 12 after the name; 100 ticks a
    // second on Linux.
    (ticks(11) + ticks(12)) / 100.0
}

async fn run(args: Args) -> anyhow::Result<()> {
    if !matches!(args.mode.as_str(), "answer" | "save" | "get") {
        bail!("unknown mode {}", args.mode);
    }
    if args.mode != "get" && args.sessions.is_empty() {
        bail!("mode {} needs --sessions", args.mode);
    }
    let mut clients = Vec::with_capacity(args.connections);
    for i in 0..args.connections {
        let session = match args.sessions.len() {
            0 => Value::Null,
            n => args.sessions[i % n].clone(),
        };
        let cookie = session["cookie"].as_str().map(str::to_string);
        clients.push((Client::connect(&args.addr, cookie).await?, session));
    }
    let cpu0 = cpu_seconds();
    let phase = Rc::new(Phase {
        deadline: Instant::now() + Duration::from_secs_f64(args.seconds),
        stats: RefCell::default(),
    });
    let mut tasks = Vec::new();
    for (mut client, session) in clients {
        let phase = phase.clone();
        let mode = args.mode.clone();
        let path = args.path.clone();
        let seq_base = args.seq_base;
        tasks.push(tokio::task::spawn_local(async move {
            let result = match mode.as_str() {
                "answer" => answer(&phase, &mut client).await,
                "save" => save(&phase, &mut client, &session, seq_base).await,
                _ => get(&phase, &mut client, &path).await,
            };
            if let Err(err) = result {
                let mut text = format!("{err:#}");
                text.truncate(160);
                phase.error(text);
            }
        }));
    }
    for task in tasks {
        task.await?;
    }
    let cpu = cpu_seconds() - cpu0;
    let mut stats = phase.stats.take();
    let errors: u64 = stats.errors.values().sum();
    let count = stats.latencies.len() as u64;
    let mut result = json!({
        "tool": "loadgen",
        "mode": args.mode,
        "connections": args.connections,
        "seconds": args.seconds,
        "rps": (count as f64 / args.seconds * 10.0).round() / 10.0,
        "errors": errors,
        "error_kinds": stats.errors,
        "untimed_requests": stats.untimed,
        "requests": count + stats.untimed + errors,
        "tool_cpu_s": (cpu * 100.0).round() / 100.0,
        "saves_not_applied": stats.not_applied,
    });
    if let (Value::Object(result), Value::Object(summary)) =
        (&mut result, summary(&mut stats.latencies))
    {
        result.extend(summary);
    }
    std::fs::write(&args.out, serde_json::to_string_pretty(&result)? + "\n")
        .with_context(|| format!("cannot write {}", args.out))?;
    eprintln!(
        "{}: {} req/s, p50 {} ms, p99 {} ms, errors {errors}, tool cpu {cpu:.2} s",
        args.mode, result["rps"], result["p50_ms"], result["p99_ms"]
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args = args()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    tokio::task::LocalSet::new().block_on(&runtime, run(args))
}
