//! Helpers shared by the integration tests.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, LazyLock};

use app::web::state::AppState;
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, StatusCode, header};
use content::ContentStore;
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use serde_json::Value;
use sqlx::PgPool;
use tower::ServiceExt;
use tower_sessions_sqlx_store::PostgresStore;

/// The repository's content, loaded once per test binary.
pub static CONTENT: LazyLock<Arc<ContentStore>> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    Arc::new(server::commands::load_content(&dir).expect("content loads"))
});

/// The client address every test request comes from.
pub const CLIENT_ADDR: ([u8; 4], u16) = ([203, 0, 113, 7], 40000);

/// With `TEST_LOG` set (an env-filter such as `debug`), the server's logs go to the file
/// `TEST_LOG_FILE` (default `target/test-api.log`), each line with its test's name (the
/// thread's): what a test that hangs was doing last.
fn log_when_asked() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let Ok(filter) = std::env::var("TEST_LOG") else {
            return;
        };
        let path = std::env::var("TEST_LOG_FILE")
            .unwrap_or_else(|_| format!("{}/../target/test-api.log", env!("CARGO_MANIFEST_DIR")));
        let Ok(file) = std::fs::File::create(&path) else {
            return;
        };
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_thread_names(true)
            .with_ansi(false)
            .with_writer(std::sync::Mutex::new(file))
            .try_init();
    });
}

/// The real router over a test database, with the content synced into it, as at startup.
pub async fn router(pool: PgPool) -> axum::Router {
    router_with(pool, CONTENT.clone()).await
}

/// The real router serving this content (synced first, as at startup).
pub async fn router_with(pool: PgPool, content: Arc<ContentStore>) -> axum::Router {
    log_when_asked();
    let versions = server::startup::sync_content(&pool, &content)
        .await
        .expect("sync");
    let sessions = server::startup::session_store(&pool)
        .await
        .expect("sessions");
    let options = LeptosOptions::builder()
        .output_name("exam")
        .site_root("target/site")
        .build();
    server::startup::router(
        AppState::new(options, pool, content).with_question_versions(versions),
        sessions,
    )
    .layer(MockConnectInfo(SocketAddr::from(CLIENT_ADDR)))
}

/// A response, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
}

/// A client that keeps the session cookie between calls, like a browser.
pub struct Client {
    pub router: axum::Router,
    /// The session cookie (`session=...`).
    pub cookie: Option<String>,
    /// Any other cookies the server set (name, `name=value`).
    pub others: BTreeMap<String, String>,
}

impl Client {
    pub fn new(router: axum::Router) -> Self {
        Self {
            router,
            cookie: None,
            others: BTreeMap::new(),
        }
    }

    /// Sends a request with the cookies; keeps whatever cookies the server sets.
    pub async fn send(&mut self, mut request: Request<Body>) -> Reply {
        let jar: Vec<&str> = self
            .cookie
            .iter()
            .chain(self.others.values())
            .map(String::as_str)
            .collect();
        if !jar.is_empty() {
            request.headers_mut().insert(
                header::COOKIE,
                header::HeaderValue::from_str(&jar.join("; ")).unwrap(),
            );
        }
        let response = self.router.clone().oneshot(request).await.unwrap();
        for set in response.headers().get_all(header::SET_COOKIE) {
            let pair = set.to_str().unwrap().split(';').next().unwrap().to_string();
            let name = pair.split('=').next().unwrap_or_default().to_string();
            if name == "session" {
                self.cookie = Some(pair);
            } else {
                self.others.insert(name, pair);
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = serde_json::from_slice(&bytes)
            .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        Reply {
            status,
            headers,
            body,
        }
    }

    /// POSTs JSON (server functions with a JSON codec).
    pub async fn post(&mut self, path: &str, body: Value) -> (StatusCode, Value) {
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let reply = self.send(request).await;
        (reply.status, reply.body)
    }

    /// POSTs a form, as a browser's form submission or a server function call does.
    pub async fn form(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        let request = Request::get(path).body(Body::empty()).unwrap();
        self.send(request).await
    }

    /// The session id in the cookie.
    pub fn session_id(&self) -> Option<String> {
        self.cookie
            .as_deref()
            .and_then(|c| c.split_once('='))
            .map(|(_, v)| v.to_string())
            .filter(|v| !v.is_empty())
    }
}

/// Percent-encodes a form value.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The password of the accounts the tests create.
pub const PASSWORD: &str = "copper kettle marches north";

/// Signs `client` in as an existing account (password [`PASSWORD`]) over HTTP.
pub async fn sign_in(client: &mut Client, email: &str) {
    let reply = client
        .form(
            "/api/account/signin",
            &[("email", email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

/// A new session of an existing account, signed in.
pub async fn signed_in(router: &axum::Router, email: &str) -> Client {
    let mut client = Client::new(router.clone());
    sign_in(&mut client, email).await;
    client
}

/// A new account (a learner, or a site admin), signed in on a new session.
pub async fn account(router: &axum::Router, pool: &PgPool, email: &str, admin: bool) -> Client {
    create_user(pool, email, PASSWORD, admin).await;
    signed_in(router, email).await
}

/// What a query whose one parameter is a user id returns (a count).
pub async fn count(pool: &PgPool, sql: &str, user_id: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(user_id)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// The keyed option of a single-choice question of the default exam, in the screen ids of
/// `view` (the question as a practice set or an attempt shows it).
pub fn right_choice(id: &str, view: &Value) -> String {
    screen_key(id, view)["value"][0]
        .as_str()
        .unwrap()
        .to_string()
}

/// Creates an account directly in the database (no HTTP), returning its id.
pub async fn create_user(pool: &PgPool, email: &str, password: &str, admin: bool) -> i64 {
    services::auth::create_user_cli(pool, email, "Test Learner", password.to_string(), admin)
        .await
        .expect("user created")
}

/// The router without touching the database first (the session store is never reached).
pub fn router_without_sync(pool: PgPool) -> axum::Router {
    let sessions = PostgresStore::new(pool.clone());
    server::startup::router(state(pool), sessions)
}

fn state(pool: PgPool) -> AppState {
    let options = LeptosOptions::builder()
        .output_name("exam")
        .site_root("target/site")
        .build();
    AppState::new(options, pool, CONTENT.clone())
}

/// The bank question behind an item of a mock exam attempt and its presentation order: what
/// the tests know and a client must never learn.
pub async fn exam_question(pool: &PgPool, attempt: i64, position: i64) -> (String, Vec<String>) {
    let (id, order): (String, Value) = sqlx::query_as(
        "select question_id, option_order from exam_item where attempt_id = $1 and position = $2",
    )
    .bind(attempt)
    .bind(i32::try_from(position).unwrap())
    .fetch_one(pool)
    .await
    .unwrap();
    (id, serde_json::from_value(order).unwrap())
}

/// A question of the exam packs' banks.
pub fn bank_question(id: &str) -> &'static content::questions::Question {
    CONTENT.question(id).expect("in a bank")
}

/// An answer written in bank ids (`a`, `s1`, ...), in the screen ids of a view (`c1`, ...):
/// the choices are matched by their HTML, as a learner matches them by their text.
pub fn on_screen(question_id: &str, view: &Value, bank: &shared::question::Response) -> Value {
    on_screen_of(bank_question(question_id), view, bank)
}

/// [`on_screen`] for a question of any content store.
pub fn on_screen_of(
    question: &content::questions::Question,
    view: &Value,
    bank: &shared::question::Response,
) -> Value {
    use shared::question::Response;
    let screen_of = |choices: &Value, html: &str| -> String {
        choices
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["html"] == html)
            .unwrap_or_else(|| panic!("{html} not in {choices}"))["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let part = |id: &str| -> String {
        let html = &question.parts.iter().find(|p| p.id == id).unwrap().html;
        screen_of(&view["choices"], html)
    };
    let screen = match bank {
        Response::Choices(ids) => Response::Choices(ids.iter().map(|i| part(i)).collect()),
        Response::Order(ids) => Response::Order(ids.iter().map(|i| part(i)).collect()),
        Response::YesNo(map) => Response::YesNo(map.iter().map(|(i, y)| (part(i), *y)).collect()),
        Response::Drill(map) => Response::Drill(
            map.iter()
                .map(|(dimension, id)| {
                    let (_, _, options) = question
                        .dimensions
                        .iter()
                        .find(|(name, ..)| name == dimension)
                        .unwrap();
                    let html = &options.iter().find(|p| p.id == *id).unwrap().html;
                    let choices = view["dimensions"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|d| d["name"] == dimension.as_str())
                        .unwrap()["options"]
                        .clone();
                    (dimension.clone(), screen_of(&choices, html))
                })
                .collect(),
        ),
    };
    serde_json::to_value(screen).unwrap()
}

/// The key of a question in the screen ids of a view.
pub fn screen_key(question_id: &str, view: &Value) -> Value {
    on_screen(question_id, view, &bank_question(question_id).key)
}

/// A new group of `owner`'s; returns its id.
pub async fn new_group(owner: &mut Client, name: &str) -> i64 {
    let reply = owner
        .form("/api/groups/create", &[("name", name), ("description", "")])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body.as_i64().unwrap()
}

/// A fresh invite code of a group (its owner or an instructor asks).
pub async fn invite(owner: &mut Client, group: i64) -> String {
    let reply = owner
        .form(
            "/api/groups/invite",
            &[
                ("group_id", &group.to_string()),
                ("expires_in_days", "7"),
                ("max_uses", ""),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body.as_str().unwrap().to_string()
}

/// A new group of `owner`'s that `learner` has joined by invite; returns its id.
pub async fn group_with(owner: &mut Client, name: &str, learner: &mut Client) -> i64 {
    let group = new_group(owner, name).await;
    let code = invite(owner, group).await;
    let reply = learner.form("/api/groups/join", &[("code", &code)]).await;
    assert_eq!(reply.body.as_i64(), Some(group), "{}", reply.body);
    group
}
