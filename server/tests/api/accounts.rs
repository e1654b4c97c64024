//! Accounts, sessions, sign-in protection and the per-user records, through the real router
//! and a real database.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{CONTENT, Client, PASSWORD, count, create_user};

async fn client(pool: &PgPool) -> Client {
    Client::new(crate::helpers::router(pool.clone()).await)
}

async fn sign_up(client: &mut Client, email: &str) -> crate::helpers::Reply {
    client
        .form(
            "/api/account/signup",
            &[
                ("email", email),
                ("display_name", "Ada"),
                ("password", PASSWORD),
            ],
        )
        .await
}

async fn sign_in(client: &mut Client, email: &str, password: &str) -> crate::helpers::Reply {
    client
        .form(
            "/api/account/signin",
            &[("email", email), ("password", password)],
        )
        .await
}

async fn me(client: &mut Client) -> Value {
    client.form("/api/account/me", &[]).await.body
}

/// Starts a one-question practice set and answers it right; returns the question id.
async fn practise_one(client: &mut Client) -> String {
    let (status, state) = client
        .post(
            "/api/practice/start",
            json!({ "filter": { "item_type": "single", "status": "all", "count": 1 } }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{state}");
    let id = state["question"]["id"].as_str().unwrap().to_string();
    let key = crate::helpers::screen_key(&id, &state["question"]);
    let (status, state) = client
        .post(
            "/api/practice/answer",
            json!({ "question_id": id, "response": key }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{state}");
    id
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn signing_up_signs_in_with_a_new_session_id(pool: PgPool) {
    let mut client = client(&pool).await;
    practise_one(&mut client).await;
    let before = client.session_id().expect("practice started a session");
    let reply = sign_up(&mut client, " Ada@Example.org ").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["email"], "ada@example.org");
    let after = client.session_id().unwrap();
    assert_ne!(before, after, "the session id is cycled at sign-in");
    assert_eq!(me(&mut client).await["display_name"], "Ada");
    let hash: String = sqlx::query_scalar("select password_hash from app_user")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_bad_sign_up_gets_a_message_for_each_field(pool: PgPool) {
    let mut client = client(&pool).await;
    let reply = client
        .form(
            "/api/account/signup",
            &[
                ("email", "not-an-email"),
                ("display_name", "  "),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let fields = &reply.body["Validation"];
    assert!(
        fields["email"][0]
            .as_str()
            .unwrap()
            .contains("name@example.com")
    );
    assert!(fields["display_name"].is_array());
    assert!(
        fields["password"][0]
            .as_str()
            .unwrap()
            .contains("12 characters")
    );
    let reply = client
        .form(
            "/api/account/signup",
            &[
                ("email", "ada@example.org"),
                ("display_name", "Ada"),
                ("password", "qwerty123456"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.body["Validation"]["password"][0]
            .as_str()
            .unwrap()
            .contains("common"),
        "{}",
        reply.body
    );
    // A taken email.
    create_user(&pool, "ada@example.org", PASSWORD, false).await;
    let reply = sign_up(&mut client, "ADA@example.org").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.body["Validation"]["email"][0]
            .as_str()
            .unwrap()
            .contains("already exists")
    );
    // Nothing was signed in along the way.
    assert!(me(&mut client).await.is_null());
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_wrong_password_and_an_unknown_email_look_the_same(pool: PgPool) {
    create_user(&pool, "ada@example.org", PASSWORD, false).await;
    let mut client = client(&pool).await;
    let wrong_password = sign_in(
        &mut client,
        "ada@example.org",
        "copper kettle marches south",
    )
    .await;
    let unknown_email = sign_in(&mut client, "bob@example.org", PASSWORD).await;
    assert_eq!(wrong_password.status, unknown_email.status);
    assert_eq!(wrong_password.body, unknown_email.body);
    assert!(
        wrong_password.body.to_string().contains("not right"),
        "{}",
        wrong_password.body
    );
    let right = sign_in(&mut client, "ADA@example.org", PASSWORD).await;
    assert_eq!(right.status, StatusCode::OK, "{}", right.body);
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn too_many_failures_on_an_account_are_refused_until_the_window_passes(pool: PgPool) {
    create_user(&pool, "ada@example.org", PASSWORD, false).await;
    let mut client = client(&pool).await;
    for _ in 0..services::auth::rate_limit::PER_ACCOUNT {
        let reply = sign_in(&mut client, "ada@example.org", "wrong password here").await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    }
    // Now even the right password is refused, with a retry time.
    let limited = sign_in(&mut client, "ada@example.org", PASSWORD).await;
    assert_eq!(
        limited.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        limited.body
    );
    let retry: u64 = limited.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    assert!(
        limited.body["RateLimited"]["retry_after_secs"]
            .as_u64()
            .is_some()
    );
    // The window passes.
    sqlx::query("update sign_in_failure set failed_at = failed_at - interval '16 minutes'")
        .execute(&pool)
        .await
        .unwrap();
    let reply = sign_in(&mut client, "ada@example.org", PASSWORD).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "the limit lifts: {}",
        reply.body
    );
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn too_many_failures_from_one_address_are_refused_for_any_account(pool: PgPool) {
    create_user(&pool, "ada@example.org", PASSWORD, false).await;
    let mut client = client(&pool).await;
    for n in 0..services::auth::rate_limit::PER_ADDRESS {
        let reply = sign_in(
            &mut client,
            &format!("guess{n}@example.org"),
            "wrong password",
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    }
    let reply = sign_in(&mut client, "ada@example.org", PASSWORD).await;
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.body
    );
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn signing_out_ends_the_session(pool: PgPool) {
    let mut client = client(&pool).await;
    sign_up(&mut client, "ada@example.org").await;
    let signed_in_cookie = client.cookie.clone();
    let reply = client.form("/api/account/signout", &[]).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(me(&mut client).await.is_null());
    // The old cookie is dead too (the session was deleted, not just emptied).
    client.cookie = signed_in_cookie;
    assert!(me(&mut client).await.is_null());
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_cross_site_post_is_refused(pool: PgPool) {
    create_user(&pool, "ada@example.org", PASSWORD, false).await;
    let mut client = client(&pool).await;
    let body = "email=ada%40example.org&password=copper+kettle+marches+north";
    for (name, value) in [
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
        ("origin", "https://evil.example"),
        ("origin", "null"),
    ] {
        let request = Request::post("/api/account/signin")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "127.0.0.1:3000")
            .header(name, value)
            .body(Body::from(body))
            .unwrap();
        let reply = client.send(request).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{name}: {value}");
    }
    assert!(me(&mut client).await.is_null());
    // The same request from our own pages goes through.
    let request = Request::post("/api/account/signin")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "127.0.0.1:3000")
        .header("origin", "http://127.0.0.1:3000")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap();
    let reply = client.send(request).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn practice_done_signed_out_is_merged_into_the_account(pool: PgPool) {
    let mut client = client(&pool).await;
    let question = practise_one(&mut client).await;
    client
        .form(
            "/api/practice/mark",
            &[("question_id", &question), ("bookmark", "true")],
        )
        .await;
    let reply = sign_up(&mut client, "ada@example.org").await;
    let user_id = reply.body["user_id"].as_i64().unwrap();
    let stored: Vec<(String, bool)> =
        sqlx::query_as("select question_id, correct from practice_answer where user_id = $1")
            .bind(user_id)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(stored, vec![(question.clone(), true)]);
    assert_eq!(
        count(
            &pool,
            "select count(*) from review_card where user_id = $1",
            user_id
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from question_mark where user_id = $1 and kind = 'bookmark'",
            user_id
        )
        .await,
        1
    );
    // Signing out and in again does not merge anything twice.
    client.form("/api/account/signout", &[]).await;
    sign_in(&mut client, "ada@example.org", PASSWORD).await;
    assert_eq!(
        count(
            &pool,
            "select count(*) from practice_answer where user_id = $1",
            user_id
        )
        .await,
        1
    );
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn signed_in_answers_reach_the_dashboard_and_the_review_schedule(pool: PgPool) {
    let mut client = client(&pool).await;
    sign_up(&mut client, "ada@example.org").await;
    let question = practise_one(&mut client).await;
    let page = CONTENT
        .default_exam()
        .bank
        .get(&question)
        .unwrap()
        .page
        .clone();
    let reply = client
        .form("/api/progress/read", &[("slug", &page), ("read", "true")])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let dashboard = client.form("/api/progress/dashboard", &[]).await;
    assert_eq!(dashboard.status, StatusCode::OK, "{}", dashboard.body);
    let d = &dashboard.body;
    assert_eq!(d["answers"], 1);
    assert_eq!(d["seen"], 1);
    assert_eq!(d["pages_read"], 1);
    assert!(d["readiness"]["estimate"].as_f64().unwrap() > 0.0);
    assert!(
        d["readiness"]["basis"]
            .as_str()
            .unwrap()
            .contains("1 answers to 1 questions")
    );
    assert!(
        d["accuracy_chart"]["svg"]
            .as_str()
            .unwrap()
            .starts_with("<svg")
    );
    assert_eq!(d["accuracy_chart"]["rows"].as_array().unwrap().len(), 1);
    let page_row = d["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == page.as_str())
        .unwrap();
    assert_eq!(page_row["seen"], 1);
    assert_eq!(d["weakest"][0]["id"], page.as_str());
    assert!(d["recent"][0]["text"].as_str().is_some());
    // A right answer is not due straight away; the review page says so.
    let overview = client.form("/api/review/overview", &[]).await;
    assert_eq!(overview.body["scheduled"], 1);
    assert_eq!(overview.body["due_now"], 0);
    let (status, error) = client
        .post(
            "/api/practice/start",
            json!({ "filter": { "status": "due", "count": 5 } }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error.to_string().contains("Nothing is due"), "{error}");
    // Once it is due, review draws it.
    sqlx::query("update review_card set due = now() - interval '1 hour'")
        .execute(&pool)
        .await
        .unwrap();
    let (status, state) = client
        .post(
            "/api/practice/start",
            json!({ "filter": { "status": "due", "count": 5 } }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{state}");
    assert_eq!(state["total"], 1);
    assert_eq!(state["question"]["id"], question.as_str());
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn pages_that_need_an_account_refuse_a_signed_out_visitor(pool: PgPool) {
    let mut client = client(&pool).await;
    for path in [
        "/api/progress/dashboard",
        "/api/review/overview",
        "/api/admin/users",
    ] {
        let reply = client.form(path, &[]).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{path}");
    }
    let reply = client
        .form(
            "/api/progress/read",
            &[("slug", "cli-v2"), ("read", "true")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let (status, _) = client
        .post(
            "/api/practice/start",
            json!({ "filter": { "status": "due", "count": 5 } }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "review needs an account");
    let export = client.get("/account/export").await;
    assert_eq!(export.status, StatusCode::SEE_OTHER);
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn the_study_plan_checks_its_fields_and_brings_reviews_before_the_exam(pool: PgPool) {
    let mut client = client(&pool).await;
    sign_up(&mut client, "ada@example.org").await;
    practise_one(&mut client).await;
    let reply = client
        .form(
            "/api/review/plan",
            &[("exam_date", "2001-01-01"), ("desired_retention", "99")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.body["Validation"]["exam_date"][0]
            .as_str()
            .unwrap()
            .contains("past")
    );
    assert!(
        reply.body["Validation"]["desired_retention"][0]
            .as_str()
            .unwrap()
            .contains("70%")
    );
    let reply = client
        .form(
            "/api/review/plan",
            &[("exam_date", "next tuesday"), ("desired_retention", "90")],
        )
        .await;
    assert!(
        reply.body["Validation"]["exam_date"][0]
            .as_str()
            .unwrap()
            .contains("YYYY-MM-DD")
    );
    // A card due far after the exam is brought before it.
    sqlx::query("update review_card set due = now() + interval '400 days'")
        .execute(&pool)
        .await
        .unwrap();
    let exam_day = (time::OffsetDateTime::now_utc() + time::Duration::days(20)).date();
    let reply = client
        .form(
            "/api/review/plan",
            &[
                ("exam_date", &exam_day.to_string()),
                ("desired_retention", "85"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let before_exam: bool = sqlx::query_scalar("select bool_and(due < $1::date) from review_card")
        .bind(exam_day)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(before_exam);
    let overview = client.form("/api/review/overview", &[]).await;
    assert_eq!(overview.body["exam_date"], exam_day.to_string());
    assert_eq!(overview.body["days_to_exam"], 20);
    assert!((overview.body["desired_retention"].as_f64().unwrap() - 0.85).abs() < 1e-6);
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn changing_the_password_signs_out_other_sessions(pool: PgPool) {
    create_user(&pool, "ada@example.org", PASSWORD, false).await;
    let router = crate::helpers::router(pool.clone()).await;
    let mut laptop = Client::new(router.clone());
    let mut phone = Client::new(router);
    sign_in(&mut laptop, "ada@example.org", PASSWORD).await;
    sign_in(&mut phone, "ada@example.org", PASSWORD).await;
    let reply = laptop
        .form(
            "/api/account/password",
            &[
                ("current_password", "not it at all"),
                ("new_password", "violet harbour lantern"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body["Validation"]["current_password"].is_array());
    let reply = laptop
        .form(
            "/api/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "violet harbour lantern"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(me(&mut laptop).await["email"], "ada@example.org");
    assert!(
        me(&mut phone).await.is_null(),
        "the other session is signed out"
    );
    let mut fresh = Client::new(crate::helpers::router(pool.clone()).await);
    assert_eq!(
        sign_in(&mut fresh, "ada@example.org", PASSWORD)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        sign_in(&mut fresh, "ada@example.org", "violet harbour lantern")
            .await
            .status,
        StatusCode::OK
    );
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_deleted_account_cannot_sign_in_and_its_rows_are_gone(pool: PgPool) {
    let mut client = client(&pool).await;
    let reply = sign_up(&mut client, "ada@example.org").await;
    let user_id = reply.body["user_id"].as_i64().unwrap();
    let question = practise_one(&mut client).await;
    client
        .form(
            "/api/practice/mark",
            &[("question_id", &question), ("bookmark", "false")],
        )
        .await;
    client
        .form(
            "/api/progress/read",
            &[("slug", "cli-v2"), ("read", "true")],
        )
        .await;
    client
        .form(
            "/api/review/plan",
            &[("exam_date", ""), ("desired_retention", "90")],
        )
        .await;
    // Export first: everything is in it.
    let export = client.get("/account/export").await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(
        export.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    assert_eq!(export.body["account"]["email"], "ada@example.org");
    assert_eq!(export.body["practice_answers"].as_array().unwrap().len(), 1);
    assert_eq!(export.body["pages_read"].as_array().unwrap().len(), 1);
    assert_eq!(export.body["question_marks"].as_array().unwrap().len(), 1);
    assert_eq!(export.body["review_schedule"].as_array().unwrap().len(), 1);
    assert_eq!(
        export.body["practice_set"]["questions"][0]["question"],
        json!(question)
    );
    // The set in progress is the account's too.
    let items = "select count(*) from practice_item where user_id = $1";
    assert_eq!(count(&pool, items, user_id).await, 1);
    // Without the confirmation, or with a wrong password, nothing happens.
    let reply = client
        .form("/api/account/delete", &[("password", PASSWORD)])
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body["Validation"]["confirm"].is_array());
    let reply = client
        .form(
            "/api/account/delete",
            &[("password", "wrong one"), ("confirm", "yes")],
        )
        .await;
    assert!(reply.body["Validation"]["password"].is_array());
    let reply = client
        .form(
            "/api/account/delete",
            &[("password", PASSWORD), ("confirm", "yes")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(me(&mut client).await.is_null());
    for table in [
        "app_user",
        "practice_answer",
        "practice_set",
        "practice_item",
        "page_read",
        "question_mark",
        "review_card",
        "study_plan",
    ] {
        let sql = format!("select count(*) from {table} where user_id = $1");
        assert_eq!(count(&pool, &sql, user_id).await, 0, "{table}");
    }
    let reply = sign_in(&mut client, "ada@example.org", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.to_string().contains("not right"));
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_site_admin_lists_and_disables_accounts(pool: PgPool) {
    let admin_id = create_user(&pool, "admin@example.org", PASSWORD, true).await;
    let learner_id = create_user(&pool, "ada@example.org", PASSWORD, false).await;
    let router = crate::helpers::router(pool.clone()).await;
    let mut admin = Client::new(router.clone());
    let mut learner = Client::new(router);
    sign_in(&mut admin, "admin@example.org", PASSWORD).await;
    sign_in(&mut learner, "ada@example.org", PASSWORD).await;
    // A learner is not an admin.
    assert_eq!(
        learner.form("/api/admin/users", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let reply = learner
        .form(
            "/api/admin/disable",
            &[("user_id", &admin_id.to_string()), ("disabled", "true")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let list = admin.form("/api/admin/users", &[]).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body.as_array().unwrap().len(), 2);
    // Not their own account.
    let reply = admin
        .form(
            "/api/admin/disable",
            &[("user_id", &admin_id.to_string()), ("disabled", "true")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    let reply = admin
        .form(
            "/api/admin/disable",
            &[("user_id", "999999"), ("disabled", "true")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let reply = admin
        .form(
            "/api/admin/disable",
            &[("user_id", &learner_id.to_string()), ("disabled", "true")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        me(&mut learner).await.is_null(),
        "a disabled account is signed out at once"
    );
    let reply = sign_in(&mut learner, "ada@example.org", PASSWORD).await;
    assert!(
        reply.body.to_string().contains("disabled"),
        "{}",
        reply.body
    );
    admin
        .form(
            "/api/admin/disable",
            &[("user_id", &learner_id.to_string()), ("disabled", "false")],
        )
        .await;
    assert_eq!(
        sign_in(&mut learner, "ada@example.org", PASSWORD)
            .await
            .status,
        StatusCode::OK
    );
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn the_reference_index_counts_the_pages_read(pool: PgPool) {
    let mut client = client(&pool).await;
    sign_up(&mut client, "ada@example.org").await;
    for slug in ["cli-v2", "model-metrics"] {
        client
            .form("/api/progress/read", &[("slug", slug), ("read", "true")])
            .await;
    }
    client
        .form(
            "/api/progress/read",
            &[("slug", "cli-v2"), ("read", "false")],
        )
        .await;
    let index = client.form("/api/reference/index", &[]).await;
    assert_eq!(index.body["signed_in"], true);
    assert_eq!(index.body["read_count"], 1);
    let reply = client
        .form(
            "/api/progress/read",
            &[("slug", "no-such-page"), ("read", "true")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}
