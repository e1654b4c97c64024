//! `/healthz` against a real PostgreSQL database (a fresh one per test, migrated).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use sqlx::PgPool;
use tower::ServiceExt;

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn healthz_is_ok_when_the_database_answers(pool: PgPool) {
    let response = crate::helpers::router(pool)
        .await
        .oneshot(Request::get("/healthz").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&body[..], b"ok");
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn healthz_is_unavailable_when_the_database_is_gone(pool: PgPool) {
    let router = crate::helpers::router_without_sync(pool.clone());
    pool.close().await;
    let response = router
        .oneshot(Request::get("/healthz").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn the_home_page_is_server_rendered(pool: PgPool) {
    let response = crate::helpers::router(pool)
        .await
        .oneshot(Request::get("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let html = String::from_utf8_lossy(&body);
    assert!(html.contains("Prepare for AI-300"), "{html}");
    assert!(html.contains(r#"aria-label="Main""#));
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn an_unknown_path_is_a_404_page(pool: PgPool) {
    let response = crate::helpers::router(pool)
        .await
        .oneshot(Request::get("/no/such/page").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn pages_carry_security_headers(pool: PgPool) {
    let pool_again = pool.clone();
    let response = crate::helpers::router(pool)
        .await
        .oneshot(Request::get("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let headers = response.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
    let csp = headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("default-src 'self'"), "{csp}");
    // Inline scripts run only with this response's nonce, and every inline script has it.
    assert!(!csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy")
        .to_string();
    assert!(nonce.len() >= 16, "{nonce}");
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let html = String::from_utf8_lossy(&body);
    let scripts = html.matches("<script").count();
    assert!(scripts > 0, "{html}");
    assert_eq!(
        html.matches(&format!("nonce=\"{nonce}\"")).count(),
        scripts,
        "every script carries the nonce: {html}"
    );
    // A second response gets another nonce.
    let again = crate::helpers::router_without_sync(pool_again)
        .oneshot(Request::get("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let other = again.headers()["content-security-policy"].to_str().unwrap();
    assert!(!other.contains(&nonce), "{other}");
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn an_oversized_request_body_is_refused(pool: PgPool) {
    let body = format!("query={}", "x".repeat(300 * 1024));
    let response = crate::helpers::router(pool)
        .await
        .oneshot(
            Request::post("/api/search")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("content-length", body.len())
                .body(Body::from(body))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}
