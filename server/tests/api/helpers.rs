//! Helpers shared by the integration tests.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, LazyLock};

use app::backend::content::ContentStore;
use app::backend::state::AppState;
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, StatusCode, header};
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

/// The real router over a test database, with the content synced into it, as at startup.
pub async fn router(pool: PgPool) -> axum::Router {
    let versions = sync(&pool).await;
    let sessions = server::startup::session_store(&pool)
        .await
        .expect("sessions");
    server::startup::router(state(pool).with_question_versions(versions), sessions)
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
    pub cookie: Option<String>,
}

impl Client {
    pub fn new(router: axum::Router) -> Self {
        Self {
            router,
            cookie: None,
        }
    }

    /// Sends a request with the session cookie; keeps whatever cookie the server sets.
    pub async fn send(&mut self, mut request: Request<Body>) -> Reply {
        if let Some(cookie) = &self.cookie {
            request.headers_mut().insert(
                header::COOKIE,
                header::HeaderValue::from_str(cookie).unwrap(),
            );
        }
        let response = self.router.clone().oneshot(request).await.unwrap();
        if let Some(set) = response.headers().get(header::SET_COOKIE) {
            let pair = set.to_str().unwrap().split(';').next().unwrap().to_string();
            self.cookie = Some(pair);
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

/// Creates an account directly in the database (no HTTP), returning its id.
pub async fn create_user(pool: &PgPool, email: &str, password: &str, admin: bool) -> i64 {
    app::backend::auth::create_user_cli(pool, email, "Test Learner", password.to_string(), admin)
        .await
        .expect("user created")
}

/// Syncs the content into the test database, as startup does.
pub async fn sync(pool: &PgPool) -> BTreeMap<String, i32> {
    server::startup::sync_content(pool, &CONTENT)
        .await
        .expect("sync")
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
