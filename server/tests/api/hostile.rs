//! Hostile input: every server function called with malformed, wrong-typed, forged and
//! oversized input, signed out and signed in, answers 2xx or 4xx with a message, never a 5xx.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use sqlx::PgPool;

use crate::helpers::{Client, create_user};

/// Every server function endpoint.
pub(crate) const ENDPOINTS: &[&str] = &[
    "reference/index",
    "reference/page",
    "search",
    "diagrams",
    "glossary",
    "progress/read",
    "progress/dashboard",
    "review/overview",
    "review/plan",
    "account/me",
    "account/signup",
    "account/signin",
    "account/signout",
    "account/password",
    "account/delete",
    "admin/users",
    "admin/disable",
    "exams/list",
    "exams/intro",
    "exams/start",
    "exams/attempt",
    "exams/save",
    "exams/flag",
    "exams/go",
    "exams/submit",
    "groups/list",
    "groups/create",
    "groups/get",
    "groups/invite",
    "groups/revoke",
    "groups/invite-info",
    "groups/join",
    "groups/leave",
    "groups/delete",
    "groups/role",
    "groups/remove",
    "groups/share",
    "groups/leaderboard",
    "groups/members-practise",
    "groups/assign",
    "groups/extend",
    "groups/my-assignments",
    "groups/start",
    "groups/results",
    "groups/attempt",
    "groups/import",
    "groups/bank",
    "practice/options",
    "practice/state",
    "practice/start",
    "practice/answer",
    "practice/next",
    "practice/end",
    "practice/mark",
    "reports/file",
    "reports/mine",
    "reports/admin",
    "reports/group",
    "reports/answer",
];

/// Bodies that no endpoint accepts as valid (or accepts harmlessly).
fn bodies() -> Vec<(&'static str, String)> {
    vec![
        ("application/x-www-form-urlencoded", "id=abc&group_id=-1&user_id=9999999999999999999999&position=-3&seq=x&flagged=maybe&questions=%FF".to_string()),
        ("application/x-www-form-urlencoded", "%%%&&==".to_string()),
        ("application/x-www-form-urlencoded", format!("slug={}&query={}&text={}", "../".repeat(50), "a".repeat(20_000), "{".repeat(10_000))),
        ("application/json", "{\"id\": \"1; drop table app_user\", \"position\": 1e99, \"response\": {\"kind\": \"choices\", \"value\": 5}, \"seq\": -1}".to_string()),
        ("application/json", "[1,2,3".to_string()),
        ("application/json", "{\"filter\": {\"count\": 255, \"status\": \"evil\"}, \"question_id\": null}".to_string()),
        ("text/plain", "\u{0}\u{1}binary".to_string()),
    ]
}

async fn sweep(client: &mut Client, who: &str) {
    for endpoint in ENDPOINTS {
        for (content_type, body) in bodies() {
            let request = Request::post(format!("/api/{endpoint}"))
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body.clone()))
                .unwrap();
            let reply = client.send(request).await;
            assert!(
                !reply.status.is_server_error(),
                "{who}: /api/{endpoint} with {content_type} {:?} answered {}: {}",
                body.get(..40.min(body.len())),
                reply.status,
                reply.body
            );
        }
    }
}

#[test]
fn the_list_names_every_server_function() {
    // Registered server functions, as the router serves them.
    let registered: std::collections::BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .filter_map(|(path, _)| path.strip_prefix("/api/").map(str::to_string))
        .collect();
    let listed: std::collections::BTreeSet<String> =
        ENDPOINTS.iter().map(|e| (*e).to_string()).collect();
    assert!(
        registered.len() >= 50,
        "the registry was read: {registered:?}"
    );
    let missing: Vec<_> = registered.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "not called with hostile input: {missing:?}"
    );
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn no_server_function_answers_malformed_input_with_a_server_error(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut anonymous = Client::new(router.clone());
    sweep(&mut anonymous, "signed out").await;
    create_user(
        &pool,
        "ada@example.org",
        "copper kettle marches north",
        true,
    )
    .await;
    let mut ada = Client::new(router.clone());
    let reply = ada
        .form(
            "/api/account/signin",
            &[
                ("email", "ada@example.org"),
                ("password", "copper kettle marches north"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    // With a group, an exam and a practice set in progress, so the ids point at real rows.
    ada.form("/api/groups/create", &[("name", "G"), ("description", "")])
        .await;
    ada.form("/api/exams/start", &[("questions", "10")]).await;
    sweep(&mut ada, "signed in (site admin)").await;
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn an_oversized_body_is_refused_before_any_server_function(pool: PgPool) {
    let mut client = Client::new(crate::helpers::router(pool).await);
    let body = format!("group_id=1&text={}", "x".repeat(300 * 1024));
    // As a browser sends it, with its length.
    let request = Request::post("/api/groups/import")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body.clone()))
        .unwrap();
    assert_eq!(
        client.send(request).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    // Streamed without a length, it is cut off at the limit and refused as a client error.
    let request = Request::post("/api/groups/import")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    assert!(client.send(request).await.status.is_client_error());
}
