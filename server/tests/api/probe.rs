//! The security probe's findings (issue 17), each as the request that found it: concurrent
//! password guesses, control characters, sign-up floods, a locked-out owner, another group's
//! questions, a removed member, answers that do not fit, caching of private pages, and names
//! that read differently than they are.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;
use sqlx::PgPool;

use crate::helpers::{Client, PASSWORD, account, create_user};

/// Ten wrong passwords sent at once for one account: at most five are checked (the limit is
/// taken before any password is verified); the others are refused with 429.
#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn concurrent_guesses_get_no_more_tries_than_the_limit(pool: PgPool) {
    create_user(&pool, "ada@example.org", PASSWORD, false).await;
    let router = crate::helpers::router(pool.clone()).await;
    let mut tasks = Vec::new();
    for i in 0..10 {
        let mut client = Client::new(router.clone());
        tasks.push(tokio::spawn(async move {
            client
                .form(
                    "/api/account/signin",
                    &[
                        ("email", "ada@example.org"),
                        ("password", &format!("wrong guess {i}")),
                    ],
                )
                .await
                .status
        }));
    }
    let mut checked = 0;
    for task in tasks {
        match task.await.unwrap() {
            StatusCode::BAD_REQUEST => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(checked, 5, "exactly the five allowed guesses were verified");
}

/// Five failures lock the account for a while; a browser that has signed in to it before (its
/// device cookie) still gets in with the right password, others do not, and a wrong password
/// spends the cookie.
#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_known_browser_gets_in_while_others_keep_the_account_locked(pool: PgPool) {
    create_user(&pool, "ada@example.org", PASSWORD, false).await;
    let router = crate::helpers::router(pool.clone()).await;
    let mut laptop = crate::helpers::signed_in(&router, "ada@example.org").await;
    let device = laptop
        .others
        .get("device")
        .cloned()
        .expect("a device cookie");
    // A random token (64 hex digits), nothing of the account in it.
    let token = device.strip_prefix("device=").unwrap();
    assert!(
        token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()),
        "the cookie is a random token: {device}"
    );
    laptop.form("/api/account/signout", &[]).await;
    let mut attacker = Client::new(router.clone());
    for _ in 0..5 {
        attacker
            .form(
                "/api/account/signin",
                &[
                    ("email", "ada@example.org"),
                    ("password", "not her password"),
                ],
            )
            .await;
    }
    let mut stranger = Client::new(router.clone());
    let reply = stranger
        .form(
            "/api/account/signin",
            &[("email", "ada@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.body
    );
    let reply = laptop
        .form(
            "/api/account/signin",
            &[("email", "ada@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    // A copied cookie with a wrong password: refused, and the cookie is spent.
    let mut thief = Client::new(router.clone());
    thief
        .others
        .insert("device".into(), laptop.others["device"].clone());
    for _ in 0..5 {
        attacker
            .form(
                "/api/account/signin",
                &[
                    ("email", "ada@example.org"),
                    ("password", "not her password"),
                ],
            )
            .await;
    }
    let reply = thief
        .form(
            "/api/account/signin",
            &[("email", "ada@example.org"), ("password", "a guess")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let reply = thief
        .form(
            "/api/account/signin",
            &[("email", "ada@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.body
    );
}

/// Sign-ups from one address are limited (each costs a password hash).
#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn sign_ups_from_one_address_are_limited(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let limit = services::auth::rate_limit::SIGN_UPS_PER_ADDRESS;
    for i in 0..=limit {
        let mut client = Client::new(router.clone());
        let reply = client
            .form(
                "/api/account/signup",
                &[
                    ("email", &format!("learner{i}@example.org")),
                    ("display_name", "Learner"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        if i < limit {
            assert_eq!(reply.status, StatusCode::OK, "{i}: {}", reply.body);
        } else {
            assert_eq!(
                reply.status,
                StatusCode::TOO_MANY_REQUESTS,
                "{}",
                reply.body
            );
            assert!(reply.headers.contains_key(header::RETRY_AFTER));
        }
    }
}

/// NUL, CR and LF in an address or a field: a 400 with a message, never a 500.
#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn control_characters_are_refused_with_400(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut ada = account(&router, &pool, "ada@example.org", false).await;
    let group = ada
        .form("/api/groups/create", &[("name", "G"), ("description", "")])
        .await
        .body
        .as_i64()
        .unwrap()
        .to_string();
    for bad in ["a\0b", "a\nb", "a\rb"] {
        for (path, fields) in [
            ("/api/search", vec![("query", bad)]),
            (
                "/api/groups/create",
                vec![("name", bad), ("description", "")],
            ),
            ("/api/groups/join", vec![("code", bad)]),
            ("/api/groups/invite-info", vec![("code", bad)]),
            (
                "/api/account/signin",
                vec![("email", bad), ("password", "x")],
            ),
            (
                "/api/groups/assign",
                vec![
                    ("group_id", group.as_str()),
                    ("input[title]", bad),
                    ("input[questions]", "5"),
                    ("input[domains]", ""),
                    ("input[item_types]", ""),
                    ("input[duration_minutes]", "30"),
                    ("input[opens_at]", "2026-12-01T00:00"),
                    ("input[due_at]", "2027-01-01T00:00"),
                    ("input[attempts_allowed]", "1"),
                    ("input[review_policy]", "never"),
                ],
            ),
        ] {
            let reply = ada.form(path, &fields).await;
            assert!(
                reply.status.is_client_error(),
                "{path} with {bad:?}: {} {}",
                reply.status,
                reply.body
            );
        }
    }
    for path in [
        "/join/%00",
        "/join/%0A",
        "/search?q=a%00b",
        "/reference/x%0D",
    ] {
        let reply = ada.get(path).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path}");
    }
    let reply = ada
        .form(
            "/choose-exam",
            &[("code", "ai-300"), ("next", "/\r\nSet-Cookie: x=1")],
        )
        .await;
    assert!(!reply.status.is_server_error(), "{}", reply.status);
    // A JSON body with an escaped NUL.
    let request = Request::post("/api/practice/start")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            r#"{"filter":{"status":"all","count":1,"question":"a\u0000"}}"#,
        ))
        .unwrap();
    assert_eq!(ada.send(request).await.status, StatusCode::BAD_REQUEST);
}

/// Names others see refuse control and text-direction characters, with a message beside the
/// field.
#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn names_refuse_control_and_direction_characters(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut ada = account(&router, &pool, "ada@example.org", false).await;
    for bad in ["Ada\u{202E}nimda", "Ada\tLovelace", "\u{2066}Ada"] {
        let reply = ada
            .form("/api/groups/create", &[("name", bad), ("description", "")])
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad:?}");
        assert!(
            reply.body["Validation"]["name"].is_array(),
            "{}",
            reply.body
        );
        let mut client = Client::new(router.clone());
        let reply = client
            .form(
                "/api/account/signup",
                &[
                    ("email", "new@example.org"),
                    ("display_name", bad),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad:?}");
        assert!(
            reply.body["Validation"]["display_name"].is_array(),
            "{}",
            reply.body
        );
    }
}

/// A group's own questions are its members' only: marking another group's question is "not
/// found"; a removed member's set of them ends, and the invite they joined with does not let
/// them back (a new one does).
#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn group_questions_stay_with_the_group_and_its_members(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut owner = account(&router, &pool, "owner@example.org", false).await;
    let mut ada = account(&router, &pool, "ada@example.org", false).await;
    let mut eve = account(&router, &pool, "eve@example.org", false).await;
    let group_id = crate::helpers::new_group(&mut owner, "Cohort").await;
    let group = group_id.to_string();
    owner
        .form(
            "/api/groups/import",
            &[("group_id", &group), ("text", "::A::Pick {=yes ~no}\n")],
        )
        .await;
    let code = crate::helpers::invite(&mut owner, group_id).await;
    ada.form("/api/groups/join", &[("code", &code)]).await;
    let question = format!("g{group_id}-1");
    // Not a member: marking the group's question is "not found".
    let reply = eve
        .form(
            "/api/practice/mark",
            &[("question_id", &question), ("bookmark", "true")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    // A member practises it; removed, her set ends and she cannot answer it any more.
    let filter = json!({ "filter": { "status": "all", "count": 1, "group": group_id } });
    let (status, state) = ada.post("/api/practice/start", filter).await;
    assert_eq!(status, StatusCode::OK, "{state}");
    let ada_id: i64 =
        sqlx::query_scalar("select user_id from app_user where email = 'ada@example.org'")
            .fetch_one(&pool)
            .await
            .unwrap();
    let reply = owner
        .form(
            "/api/groups/remove",
            &[("group_id", &group), ("user_id", &ada_id.to_string())],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let (status, answered) = ada
        .post(
            "/api/practice/answer",
            json!({ "question_id": question, "response": { "kind": "choices", "value": ["c1"] } }),
        )
        .await;
    assert!(status.is_client_error(), "{status} {answered}");
    assert!(!answered.to_string().contains("why_html"), "{answered}");
    let reply = ada.form("/api/groups/join", &[("code", &code)]).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert!(reply.body.to_string().contains("removed"), "{}", reply.body);
    let fresh = crate::helpers::invite(&mut owner, group_id).await;
    let reply = ada.form("/api/groups/join", &[("code", &fresh)]).await;
    assert_eq!(reply.body.as_i64(), Some(group_id), "{}", reply.body);
}

/// An autosave naming options the question does not have, or thousands of entries, is refused
/// at the field; nothing is stored.
#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn autosaves_that_do_not_fit_the_question_are_refused(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut ada = account(&router, &pool, "ada@example.org", false).await;
    let id = ada
        .form("/api/exams/start", &[("questions", "10")])
        .await
        .body
        .as_i64()
        .unwrap();
    for response in [
        json!({ "kind": "choices", "value": ["z"] }),
        json!({ "kind": "choices", "value": ["a"] }),
        json!({ "kind": "choices", "value": vec!["c1"; 20_000] }),
        json!({ "kind": "order", "value": vec!["c1"; 20_000] }),
    ] {
        let (status, body) = ada
            .post(
                "/api/exams/save",
                json!({ "id": id, "position": 0, "response": response, "seq": 1 }),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    }
    let stored: Option<serde_json::Value> =
        sqlx::query_scalar("select response from exam_item where attempt_id = $1 and position = 0")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(stored.is_none(), "{stored:?}");
}

/// Private answers are not kept by caches; the public reference may be.
#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn private_responses_are_no_store(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut ada = account(&router, &pool, "ada@example.org", false).await;
    for path in ["/progress", "/account", "/exams"] {
        let reply = ada.get(path).await;
        assert_eq!(
            reply.headers[header::CACHE_CONTROL],
            "private, no-store",
            "{path}"
        );
    }
    let reply = ada.form("/api/account/me", &[]).await;
    assert_eq!(reply.headers[header::CACHE_CONTROL], "private, no-store");
    let mut visitor = Client::new(router);
    let reply = visitor.get("/reference").await;
    assert!(reply.headers.get(header::CACHE_CONTROL).is_none());
}

/// A class signing in at once from one address (a school's NAT, a bench): the attempts being
/// checked count against their accounts, not against the address, so nobody is refused.
#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_class_signing_in_at_once_from_one_address_all_get_in(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let hash: String = {
        create_user(&pool, "learner0@example.org", PASSWORD, false).await;
        sqlx::query_scalar(
            "select password_hash from app_user where email = 'learner0@example.org'",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    for i in 1..30 {
        sqlx::query(
            "insert into app_user (email, display_name, password_hash) values ($1, 'L', $2)",
        )
        .bind(format!("learner{i}@example.org"))
        .bind(&hash)
        .execute(&pool)
        .await
        .unwrap();
    }
    let mut tasks = Vec::new();
    for i in 0..30 {
        let mut client = Client::new(router.clone());
        tasks.push(tokio::spawn(async move {
            client
                .form(
                    "/api/account/signin",
                    &[
                        ("email", &format!("learner{i}@example.org")),
                        ("password", PASSWORD),
                    ],
                )
                .await
                .status
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::OK);
    }
}
