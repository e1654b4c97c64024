//! Builds the axum router around the Leptos app and serves it until Ctrl-C or SIGTERM.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use app::web::state::AppState;
use app::{App, shell};
use axum::Router;
use axum::extract::{MatchedPath, State};
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use content::ContentStore;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{ExpiredDeletion, Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;
use tracing::Span;

use crate::config::Cli;
use crate::embedded_pg::EmbeddedPostgres;

/// The largest request body accepted (a 413 beyond it).
const MAX_BODY_BYTES: usize = 256 * 1024;

/// How long a request waits for a database connection before giving up (and `/healthz` says 503).
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// Connects to the configured database, or starts the embedded one, runs the migrations and
/// serves the app until a shutdown signal; then stops the embedded database if it started it.
pub async fn serve(cli: &Cli) -> anyhow::Result<()> {
    // Content first: a typo in a page should stop the server before it touches the database.
    let content = crate::commands::load_content(&cli.content_dir)?;
    let (pool, embedded) = connect(cli).await?;
    let result = serve_with_pool(cli, pool, content).await;
    stop_embedded(embedded).await;
    result
}

/// The connection pool's settings: at most 20 connections, and a request waits at most
/// `ACQUIRE_TIMEOUT` for one (then it is answered 503). A connection is not pinged before each
/// use: that was one more round trip to PostgreSQL for every statement outside a transaction
/// (three of an autosave's six). A connection broken by a PostgreSQL restart fails its next
/// statement instead, which is answered 503 like the outage itself, and the pool drops it.
pub fn pool_options() -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(20)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .test_before_acquire(false)
}

/// A pool on DATABASE_URL, or on the embedded cluster (started if needed; the caller stops it).
pub async fn connect(cli: &Cli) -> anyhow::Result<(PgPool, Option<EmbeddedPostgres>)> {
    let pool_options = pool_options();
    match &cli.database_url {
        Some(url) => Ok((
            pool_options
                .connect(url)
                .await
                .context("cannot connect to DATABASE_URL")?,
            None,
        )),
        None => {
            let mut pg = EmbeddedPostgres::locate(&cli.data_dir)?;
            let options = pg.start().await?;
            match pool_options.connect_with(options).await {
                Ok(pool) => Ok((pool, Some(pg))),
                Err(err) => {
                    stop_embedded(Some(pg)).await;
                    Err(err).context("cannot connect to the embedded PostgreSQL")
                }
            }
        }
    }
}

async fn stop_embedded(embedded: Option<EmbeddedPostgres>) {
    if let Some(pg) = embedded {
        pg.stop().await;
    }
}

async fn serve_with_pool(cli: &Cli, pool: PgPool, content: ContentStore) -> anyhow::Result<()> {
    services::db::MIGRATOR
        .run(&pool)
        .await
        .context("cannot apply the database migrations")?;
    let versions = sync_content(&pool, &content).await?;
    let sessions = session_store(&pool).await?;
    let addr = SocketAddr::new(cli.bind, cli.port);
    let leptos_options = leptos_options(cli, addr);
    let state = AppState::new(leptos_options, pool, Arc::new(content))
        .with_question_versions(versions)
        .with_public_url(cli.public_url.clone())
        .with_sign_ups_per_address(cli.sign_ups_per_address);
    spawn_exam_deadlines(state.clone());
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr().context("no local address")?;
    tracing::info!("listening on http://{local}");
    axum::serve(
        listener,
        router(state, sessions).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("server error")?;
    tracing::info!("shut down cleanly");
    Ok(())
}

/// Leptos settings: the output name and hashing come from the build (cargo-leptos), the site
/// root and address from our configuration.
pub fn leptos_options(cli: &Cli, addr: SocketAddr) -> LeptosOptions {
    let mut options = get_configuration(None)
        .map(|conf| conf.leptos_options)
        .unwrap_or_else(|_| LeptosOptions::builder().output_name("exam").build());
    options.site_addr = addr;
    options.site_root = cli.site_root.to_string_lossy().into_owned().into();
    // cargo-leptos writes the content hashes of the bundle beside the binary; with that file
    // present the pages must ask for the hashed names, however the binary was started.
    let hash_file_present = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
        .is_some_and(|path| path.exists());
    options.hash_files = options.hash_files || hash_file_present;
    options
}

/// Syncs the question bank into the database; returns the current version of every question.
/// (Search is in memory: each pack builds its index when it loads.)
pub async fn sync_content(
    pool: &PgPool,
    content: &ContentStore,
) -> anyhow::Result<BTreeMap<String, i32>> {
    let mut versions = BTreeMap::new();
    for exam in &content.exams {
        let (report, exam_versions) = services::bank::sync::sync_bank(pool, exam)
            .await
            .context("cannot sync the question bank into the database")?;
        tracing::info!(
            exam = %exam.meta.code,
            added = report.added,
            changed = report.changed,
            unchanged = report.unchanged,
            retired = report.retired,
            "question bank synced"
        );
        versions.extend(exam_versions);
    }
    Ok(versions)
}

/// Submits mock exams whose time ran out while nobody was looking (the browser closed, the
/// network gone): every few seconds, on every instance (attempts are locked one at a time, so
/// instances never score the same attempt twice).
pub fn spawn_exam_deadlines(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            match services::exams::submit_overdue(&state.pool, &state.content).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(submitted = n, "mock exams submitted at their deadline"),
                Err(err) => tracing::warn!(error = %format!("{err:#}"), "deadline check failed"),
            }
        }
    });
}

/// The PostgreSQL session store (its table is created on first use), with a background task
/// that deletes expired sessions.
pub async fn session_store(pool: &PgPool) -> anyhow::Result<PostgresStore> {
    let store = PostgresStore::new(pool.clone());
    store
        .migrate()
        .await
        .context("cannot create the session table")?;
    let cleaner = store.clone();
    tokio::spawn(async move {
        if let Err(err) = cleaner
            .continuously_delete_expired(Duration::from_secs(300))
            .await
        {
            tracing::warn!(error = %err, "expired-session cleanup stopped");
        }
    });
    Ok(store)
}

/// The whole HTTP surface: health check, hashed static assets, the Leptos pages and server
/// functions, and the 404 fallback, with sessions, compression and request tracing around them.
pub fn router(state: AppState, sessions: PostgresStore) -> Router {
    let secure = state
        .public_url
        .as_deref()
        .is_some_and(|url| url.starts_with("https://"));
    let session_layer = SessionManagerLayer::new(sessions)
        .with_name("session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_expiry(Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::days(30),
        ));
    // Once per process: while Leptos generates the list it suppresses every resource load in
    // the process (a global flag), so a page rendering meanwhile (another router's, in the
    // tests) would wait forever for its data.
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    let routes = ROUTES.get_or_init(|| generate_route_list(App)).clone();
    let pkg_dir = std::path::Path::new(state.leptos_options.site_root.as_ref())
        .join(state.leptos_options.site_pkg_dir.as_ref());
    // File names under /pkg carry a content hash, so browsers may keep them for a year.
    let pkg = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
        .service(ServeDir::new(pkg_dir));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/account/export", get(export_data))
        .route("/choose-exam", axum::routing::post(choose_exam))
        .route("/groups/assignments/{id}/results.csv", get(assignment_csv))
        .leptos_routes_with_context(
            &state,
            routes,
            {
                let state = state.clone();
                move || provide_context(state.clone())
            },
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .nest_service("/pkg", pkg)
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn(server_fn_error_status))
        .layer(session_layer)
        .layer(axum::middleware::from_fn_with_state(
            state.pool.clone(),
            unavailable_while_database_is_down,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.public_url.clone(),
            same_origin_only,
        ))
        // Control characters and NUL refused (400); private answers not stored by caches.
        .layer(axum::middleware::from_fn(crate::guards::guard))
        // No request this app accepts is anywhere near this size.
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        // Outside the sessions and the checks that only matter to a request that is rendered
        // (a cached page is a GET that needs no database): a hit goes through as few layers as
        // can be, and still gets the headers and compression of the layers around it.
        .layer(axum::middleware::from_fn_with_state(
            crate::page_cache::PageCache::new(
                state.content.exams.iter().map(|e| e.meta.code.clone()),
            ),
            crate::page_cache::cached_pages,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        // Pages set their own policy with the render's nonce (see `app::web::csp`).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&app::web::csp::policy(None)).expect("a valid header"),
        ))
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<_>| {
                    let route = request
                        .extensions()
                        .get::<MatchedPath>()
                        .map_or("(unmatched)", MatchedPath::as_str);
                    tracing::info_span!(
                        "request",
                        method = %request.method(),
                        route,
                        status = tracing::field::Empty,
                        latency_ms = tracing::field::Empty,
                    )
                })
                .on_request(())
                .on_response(
                    |response: &axum::response::Response, latency: Duration, span: &Span| {
                        span.record("status", response.status().as_u16());
                        span.record("latency_ms", latency.as_secs_f64() * 1000.0);
                        tracing::info!("response");
                    },
                ),
        )
        .with_state(state)
}

/// Server functions whose arguments cannot be decoded fail before our code runs, and Leptos
/// answers 500. The body is still an [`AppError`](shared::error::AppError): give the
/// response the status that error stands for (400 for malformed input), so bad input is never
/// reported as a server fault.
async fn server_fn_error_status(
    request: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let is_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !is_api || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<shared::error::AppError>(&bytes) {
        parts.status = error.status();
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// Turns a 500 into a 503 with `Retry-After` when the database cannot be reached: while
/// PostgreSQL restarts, everything that needs it (session loads and saves included, which
/// happen outside any server function) fails as "briefly unavailable", not as a bug.
async fn unavailable_while_database_is_down(
    State(pool): State<PgPool>,
    request: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let is_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let reachable = matches!(
        tokio::time::timeout(
            Duration::from_secs(1),
            sqlx::query("select 1").execute(&pool)
        )
        .await,
        Ok(Ok(_))
    );
    if reachable {
        return response;
    }
    let error = shared::error::AppError::Unavailable;
    let retry = [(header::RETRY_AFTER, "5")];
    if is_api {
        (StatusCode::SERVICE_UNAVAILABLE, retry, axum::Json(error)).into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, retry, error.to_string()).into_response()
    }
}

/// Refuses state-changing requests that a browser says come from another site (cross-site
/// request forgery). Browsers send `Sec-Fetch-Site` (or at least `Origin`) with every POST;
/// a request with neither comes from a non-browser client, which cannot ride on a visitor's
/// cookies, so it is let through (as Go's CrossOriginProtection does).
async fn same_origin_only(
    State(public_url): State<Option<String>>,
    request: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::Method;
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let header_text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let allowed = match (header_text("sec-fetch-site"), header_text("origin")) {
        (Some(site), _) => site == "same-origin" || site == "none",
        (None, Some(origin)) => {
            let expected = match public_url.as_deref() {
                Some(url) => Some(url.trim_end_matches('/').to_string()),
                None => header_text("host").map(|host| {
                    // Compare the host part only: behind a TLS proxy the scheme differs.
                    host.to_string()
                }),
            };
            let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            match (&public_url, expected) {
                (Some(_), Some(expected)) => origin == expected,
                (None, Some(host)) => origin_host == host,
                _ => false,
            }
        }
        (None, None) => true,
    };
    if allowed {
        return next.run(request).await;
    }
    tracing::warn!("cross-site request refused");
    let error = shared::error::AppError::Forbidden;
    let body = serde_json::to_string(&error).unwrap_or_default();
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// The exam picker's form.
#[derive(serde::Deserialize)]
struct ChooseExam {
    code: String,
    #[serde(default)]
    next: String,
}

/// The exam picker (a plain form, so it works before the page hydrates; a POST, since it
/// changes what the site shows, and same-origin checked like every POST): remembers the chosen
/// exam in a cookie and goes back to the page (a local path only, else the home page).
async fn choose_exam(
    State(state): State<AppState>,
    axum::extract::Form(choice): axum::extract::Form<ChooseExam>,
) -> axum::response::Response {
    use shared::exam_choice::{EXAM_COOKIE, is_code};
    if !is_code(&choice.code) || state.content.exam(&choice.code).is_none() {
        return (StatusCode::NOT_FOUND, "There is no such exam here.").into_response();
    }
    let next = shared::routes::local_path(&choice.next).unwrap_or("/");
    (
        [(
            header::SET_COOKIE,
            format!(
                "{EXAM_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                choice.code
            ),
        )],
        axum::response::Redirect::to(next),
    )
        .into_response()
}

/// `GET /account/export`: everything recorded about the signed-in user, as a JSON download.
async fn export_data(
    State(pool): State<PgPool>,
    session: tower_sessions::Session,
) -> axum::response::Response {
    let user = match services::auth::current_user(&pool, &session).await {
        Ok(Some(user)) => user,
        Ok(None) => {
            return axum::response::Redirect::to("/login?next=/account").into_response();
        }
        Err(err) => return (err.status(), err.to_string()).into_response(),
    };
    match services::export::export(&pool, &user).await {
        Ok(document) => (
            [
                (header::CONTENT_TYPE, "application/json; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"exam-practice-my-data.json\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            serde_json::to_string_pretty(&document).unwrap_or_default(),
        )
            .into_response(),
        Err(err) => {
            let error = shared::error::AppError::internal(err);
            (error.status(), error.to_string()).into_response()
        }
    }
}

/// `GET /groups/assignments/{id}/results.csv`: an assignment's results for its owners and
/// instructors (anyone else: 404).
async fn assignment_csv(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    session: tower_sessions::Session,
) -> axum::response::Response {
    let user = match services::auth::current_user(&state.pool, &session).await {
        Ok(Some(user)) => user,
        Ok(None) => return (StatusCode::UNAUTHORIZED, "Please sign in first.").into_response(),
        Err(err) => return (err.status(), err.to_string()).into_response(),
    };
    match services::groups::assignments::results(&state.pool, &state.content, &user, id).await {
        Ok(results) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"assignment-{id}-results.csv\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            services::groups::assignments::csv(&results),
        )
            .into_response(),
        // A learner of the group is told no; anyone else learns nothing.
        Err(err) => (err.status(), err.to_string()).into_response(),
    }
}

/// 200 when the database answers, 503 when it does not.
async fn healthz(State(pool): State<PgPool>) -> impl IntoResponse {
    let check = tokio::time::timeout(ACQUIRE_TIMEOUT, sqlx::query("select 1").execute(&pool));
    match check.await {
        Ok(Ok(_)) => (StatusCode::OK, "ok"),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received");
}
