//! Study groups and assignments through the real router and a real database: invites, the
//! role x action matrix, what learners see of each other, windows and extensions, review
//! policies, results, item analysis and the CSV export.

use axum::http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{CONTENT, Client, Reply, account};

async fn user_id(pool: &PgPool, email: &str) -> i64 {
    sqlx::query_scalar("select user_id from app_user where email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .unwrap()
}

fn datetime(offset_minutes: i64) -> String {
    let t = time::OffsetDateTime::now_utc() + time::Duration::minutes(offset_minutes);
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    t.format(&f).unwrap()
}

async fn assign(
    client: &mut Client,
    group: i64,
    opens: i64,
    due: i64,
    policy: &str,
    attempts: &str,
) -> Reply {
    client
        .form(
            "/api/groups/assign",
            &[
                ("group_id", &group.to_string()),
                ("input[title]", "Week 1 check"),
                ("input[questions]", "5"),
                ("input[domains]", ""),
                ("input[item_types]", "single"),
                ("input[duration_minutes]", "30"),
                ("input[opens_at]", &datetime(opens)),
                ("input[due_at]", &datetime(due)),
                ("input[attempts_allowed]", attempts),
                ("input[review_policy]", policy),
            ],
        )
        .await
}

/// Answers every question of an attempt (right when `right`), then submits it.
async fn take(pool: &PgPool, client: &mut Client, attempt: i64, right: bool) {
    let state = client
        .form("/api/exams/attempt", &[("id", &attempt.to_string())])
        .await
        .body;
    for (seq, item) in state["Open"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        let (bank_id, _) =
            crate::helpers::exam_question(pool, attempt, item["position"].as_i64().unwrap()).await;
        let q = CONTENT.default_exam().bank.get(&bank_id).unwrap();
        let pick = q
            .parts
            .iter()
            .find(|p| p.correct == right)
            .unwrap()
            .id
            .clone();
        let response = crate::helpers::on_screen(
            &bank_id,
            &item["question"],
            &shared::question::Response::Choices(vec![pick]),
        );
        let (status, ack) = client
            .post(
                "/api/exams/save",
                json!({ "id": attempt, "position": item["position"], "response": response, "seq": seq + 1 }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{ack}");
    }
    let reply = client
        .form("/api/exams/submit", &[("id", &attempt.to_string())])
        .await;
    assert_eq!(reply.status, StatusCode::OK);
}

struct Class {
    router: axum::Router,
    owner: Client,
    instructor: Client,
    ada: Client,
    bob: Client,
    group: i64,
}

/// A group with an owner, an instructor and two learners, all joined by invite.
async fn class(pool: &PgPool) -> Class {
    let router = crate::helpers::router(pool.clone()).await;
    let mut owner = account(&router, pool, "owner@example.org", false).await;
    let mut instructor = account(&router, pool, "teach@example.org", false).await;
    let mut ada = account(&router, pool, "ada@example.org", false).await;
    let mut bob = account(&router, pool, "bob@example.org", false).await;
    let reply = owner
        .form(
            "/api/groups/create",
            &[("name", "MLOps cohort"), ("description", "")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let group = reply.body.as_i64().unwrap();
    let code = owner
        .form(
            "/api/groups/invite",
            &[
                ("group_id", &group.to_string()),
                ("expires_in_days", "7"),
                ("max_uses", ""),
            ],
        )
        .await
        .body
        .as_str()
        .unwrap()
        .to_string();
    for client in [&mut instructor, &mut ada, &mut bob] {
        let reply = client.form("/api/groups/join", &[("code", &code)]).await;
        assert_eq!(reply.body.as_i64(), Some(group), "{}", reply.body);
    }
    let teach = user_id(pool, "teach@example.org").await;
    let reply = owner
        .form(
            "/api/groups/role",
            &[
                ("group_id", &group.to_string()),
                ("user_id", &teach.to_string()),
                ("role", "instructor"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    Class {
        router,
        owner,
        instructor,
        ada,
        bob,
        group,
    }
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn invites_can_expire_run_out_and_be_revoked(pool: PgPool) {
    let mut c = class(&pool).await;
    let g = c.group.to_string();
    let once = c
        .owner
        .form(
            "/api/groups/invite",
            &[("group_id", &g), ("expires_in_days", ""), ("max_uses", "1")],
        )
        .await
        .body
        .as_str()
        .unwrap()
        .to_string();
    let mut carol = account(&c.router, &pool, "carol@example.org", false).await;
    let mut dan = account(&c.router, &pool, "dan@example.org", false).await;
    assert_eq!(
        carol
            .form("/api/groups/join", &[("code", &once)])
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        carol
            .form("/api/groups/join", &[("code", &once)])
            .await
            .status,
        StatusCode::BAD_REQUEST,
        "used up"
    );
    let reply = dan.form("/api/groups/join", &[("code", &once)]).await;
    assert!(
        reply.body.to_string().contains("not valid"),
        "{}",
        reply.body
    );
    // Revoked.
    let code = c
        .owner
        .form(
            "/api/groups/invite",
            &[("group_id", &g), ("expires_in_days", ""), ("max_uses", "")],
        )
        .await
        .body
        .as_str()
        .unwrap()
        .to_string();
    let invite: i64 = sqlx::query_scalar("select invite_id from group_invite where code = $1")
        .bind(&code)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        c.ada
            .form("/api/groups/revoke", &[("invite_id", &invite.to_string())])
            .await
            .status,
        StatusCode::FORBIDDEN,
        "a learner cannot revoke"
    );
    assert_eq!(
        c.owner
            .form("/api/groups/revoke", &[("invite_id", &invite.to_string())])
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        dan.form("/api/groups/join", &[("code", &code)])
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    // Expired.
    let code = c
        .instructor
        .form(
            "/api/groups/invite",
            &[("group_id", &g), ("expires_in_days", "1"), ("max_uses", "")],
        )
        .await
        .body
        .as_str()
        .unwrap()
        .to_string();
    sqlx::query("update group_invite set expires_at = now() - interval '1 minute' where code = $1")
        .bind(&code)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        dan.form("/api/groups/join", &[("code", &code)])
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    // Bad fields.
    let reply = c
        .owner
        .form(
            "/api/groups/invite",
            &[
                ("group_id", &g),
                ("expires_in_days", "0"),
                ("max_uses", "x"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    // Leaving; the owner cannot.
    assert_eq!(
        carol
            .form("/api/groups/leave", &[("group_id", &g)])
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        carol.form("/api/groups/get", &[("id", &g)]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.owner
            .form("/api/groups/leave", &[("group_id", &g)])
            .await
            .status,
        StatusCode::CONFLICT
    );
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn every_role_can_do_exactly_what_it_should(pool: PgPool) {
    let mut c = class(&pool).await;
    let g = c.group.to_string();
    let assignment = assign(&mut c.instructor, c.group, -1, 60, "after_submit", "2").await;
    assert_eq!(assignment.status, StatusCode::OK, "{}", assignment.body);
    let a = assignment.body.as_i64().unwrap().to_string();
    // Bob sits it, so there is an attempt to look at.
    let bob_attempt = c
        .bob
        .form("/api/groups/start", &[("assignment_id", &a)])
        .await
        .body
        .as_i64()
        .unwrap();
    take(&pool, &mut c.bob, bob_attempt, true).await;
    let bob_id = user_id(&pool, "bob@example.org").await.to_string();
    let ada_id = user_id(&pool, "ada@example.org").await.to_string();
    let mut outsider = account(&c.router, &pool, "out@example.org", false).await;
    let mut admin = account(&c.router, &pool, "admin@example.org", true).await;
    let mut anonymous = Client::new(c.router.clone());
    let attempt = bob_attempt.to_string();

    type Call = (&'static str, Vec<(&'static str, String)>);
    let calls: Vec<(&str, Call)> = vec![
        ("view group", ("/api/groups/get", vec![("id", g.clone())])),
        (
            "create invite",
            (
                "/api/groups/invite",
                vec![
                    ("group_id", g.clone()),
                    ("expires_in_days", String::new()),
                    ("max_uses", String::new()),
                ],
            ),
        ),
        (
            "results",
            ("/api/groups/results", vec![("assignment_id", a.clone())]),
        ),
        (
            "member attempt",
            ("/api/groups/attempt", vec![("attempt_id", attempt.clone())]),
        ),
        (
            "extend",
            (
                "/api/groups/extend",
                vec![
                    ("assignment_id", a.clone()),
                    ("user_id", ada_id.clone()),
                    ("extra_minutes", "10".into()),
                    ("due_at", String::new()),
                ],
            ),
        ),
        (
            "promote",
            (
                "/api/groups/role",
                vec![
                    ("group_id", g.clone()),
                    ("user_id", ada_id.clone()),
                    ("role", "learner".into()),
                ],
            ),
        ),
        (
            "leaderboard",
            (
                "/api/groups/leaderboard",
                vec![("group_id", g.clone()), ("on", "true".into())],
            ),
        ),
        (
            "remove",
            (
                "/api/groups/remove",
                vec![("group_id", g.clone()), ("user_id", "999999".into())],
            ),
        ),
        (
            "their attempt via exams",
            ("/api/exams/attempt", vec![("id", attempt.clone())]),
        ),
    ];
    use StatusCode as S;
    // Expected status per actor, in the order of `calls`. "remove" targets a non-member, so
    // the owner gets 404 (allowed, nothing to remove).
    let expected: Vec<(&str, &mut Client, [StatusCode; 9])> = vec![
        ("signed out", &mut anonymous, [S::UNAUTHORIZED; 9]),
        ("non-member", &mut outsider, [S::NOT_FOUND; 9]),
        ("site admin", &mut admin, [S::NOT_FOUND; 9]),
        (
            "learner",
            &mut c.ada,
            [
                S::OK,
                S::FORBIDDEN,
                S::FORBIDDEN,
                S::NOT_FOUND,
                S::FORBIDDEN,
                S::FORBIDDEN,
                S::FORBIDDEN,
                S::FORBIDDEN,
                S::NOT_FOUND,
            ],
        ),
        (
            "instructor",
            &mut c.instructor,
            [
                S::OK,
                S::OK,
                S::OK,
                S::OK,
                S::OK,
                S::FORBIDDEN,
                S::FORBIDDEN,
                S::FORBIDDEN,
                S::NOT_FOUND,
            ],
        ),
        (
            "owner",
            &mut c.owner,
            [
                S::OK,
                S::OK,
                S::OK,
                S::OK,
                S::OK,
                S::OK,
                S::OK,
                S::NOT_FOUND,
                S::NOT_FOUND,
            ],
        ),
    ];
    for (actor, client, statuses) in expected {
        for ((action, (path, fields)), want) in calls.iter().zip(statuses) {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let reply = client.form(path, &fields).await;
            assert_eq!(reply.status, want, "{actor} / {action}: {}", reply.body);
        }
    }
    // Bob's own attempt is his to see; the CSV is for the group's managers only.
    assert_eq!(
        c.bob
            .form("/api/exams/attempt", &[("id", &attempt)])
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        c.ada
            .get(&format!("/groups/assignments/{a}/results.csv"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        outsider
            .get(&format!("/groups/assignments/{a}/results.csv"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let csv = c
        .instructor
        .get(&format!("/groups/assignments/{a}/results.csv"))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = csv.body.as_str().unwrap();
    assert!(
        text.starts_with("member,status,attempts,best_score"),
        "{text}"
    );
    assert!(
        text.contains("\"Test Learner\",\"Submitted\",1,1000,yes"),
        "{text}"
    );
    // Assigning and removing, by role.
    assert_eq!(
        assign(&mut c.bob, c.group, -1, 60, "never", "1")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let reply = c
        .owner
        .form(
            "/api/groups/remove",
            &[("group_id", &g), ("user_id", &bob_id)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        c.bob.form("/api/groups/get", &[("id", &g)]).await.status,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn learners_see_each_others_progress_only_when_shared(pool: PgPool) {
    let mut c = class(&pool).await;
    let g = c.group.to_string();
    let bob_name_progress = |body: &Value| -> Value {
        body["members"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["role"] == "learner")
            .map(|m| m["progress"].clone())
            .collect()
    };
    let view = c.ada.form("/api/groups/get", &[("id", &g)]).await.body;
    let progress = bob_name_progress(&view);
    // Ada sees her own progress but not Bob's.
    assert_eq!(
        progress
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p.is_null())
            .count(),
        1
    );
    assert!(
        view["invites"].as_array().unwrap().is_empty(),
        "learners see no invites"
    );
    let view = c
        .instructor
        .form("/api/groups/get", &[("id", &g)])
        .await
        .body;
    assert!(
        bob_name_progress(&view)
            .as_array()
            .unwrap()
            .iter()
            .all(|p| !p.is_null())
    );
    assert!(!view["invites"].as_array().unwrap().is_empty());
    c.bob
        .form("/api/groups/share", &[("group_id", &g), ("share", "true")])
        .await;
    let view = c.ada.form("/api/groups/get", &[("id", &g)]).await.body;
    assert!(
        bob_name_progress(&view)
            .as_array()
            .unwrap()
            .iter()
            .all(|p| !p.is_null())
    );
    // The leaderboard lists only those who share.
    c.owner
        .form(
            "/api/groups/leaderboard",
            &[("group_id", &g), ("on", "true")],
        )
        .await;
    let (_, state) = c
        .bob
        .post(
            "/api/practice/start",
            json!({ "filter": { "status": "all", "count": 1 } }),
        )
        .await;
    let id = state["question"]["id"].as_str().unwrap().to_string();
    c.bob
        .post(
            "/api/practice/answer",
            json!({ "question_id": id, "response": crate::helpers::screen_key(&id, &state["question"]) }),
        )
        .await;
    let view = c.ada.form("/api/groups/get", &[("id", &g)]).await.body;
    assert_eq!(view["leaderboard"], json!([["Test Learner", 1]]));
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn the_window_attempts_and_extensions_are_enforced(pool: PgPool) {
    let mut c = class(&pool).await;
    let later = assign(&mut c.owner, c.group, 60, 120, "after_submit", "1")
        .await
        .body
        .as_i64()
        .unwrap()
        .to_string();
    let reply = c
        .ada
        .form("/api/groups/start", &[("assignment_id", &later)])
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(
        reply.body.to_string().contains("opens at"),
        "{}",
        reply.body
    );
    let past = assign(&mut c.owner, c.group, -120, -60, "after_submit", "1")
        .await
        .body
        .as_i64()
        .unwrap()
        .to_string();
    let reply = c
        .ada
        .form("/api/groups/start", &[("assignment_id", &past)])
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(
        reply.body.to_string().contains("due date has passed"),
        "{}",
        reply.body
    );
    let mine = c.ada.form("/api/groups/my-assignments", &[]).await.body;
    let status = |id: &str| {
        mine.as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"].as_i64().map(|n| n.to_string()).as_deref() == Some(id))
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status(&later), "not_open_yet");
    assert_eq!(status(&past), "overdue");
    // An extension reopens it for Ada only, with extra time.
    let ada = user_id(&pool, "ada@example.org").await.to_string();
    let reply = c
        .instructor
        .form(
            "/api/groups/extend",
            &[
                ("assignment_id", &past),
                ("user_id", &ada),
                ("extra_minutes", "15"),
                ("due_at", &datetime(90)),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let reply = c
        .instructor
        .form(
            "/api/groups/extend",
            &[
                ("assignment_id", &past),
                ("user_id", &ada),
                ("extra_minutes", "15"),
                ("due_at", &datetime(-500)),
            ],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::BAD_REQUEST,
        "an extension cannot move the due date earlier"
    );
    let attempt = c
        .ada
        .form("/api/groups/start", &[("assignment_id", &past)])
        .await;
    assert_eq!(attempt.status, StatusCode::OK, "{}", attempt.body);
    let attempt = attempt.body.as_i64().unwrap();
    assert_eq!(
        c.bob
            .form("/api/groups/start", &[("assignment_id", &past)])
            .await
            .status,
        StatusCode::CONFLICT
    );
    // 30 + 15 minutes, within the extended due date.
    let minutes: f64 = sqlx::query_scalar("select extract(epoch from deadline - started_at)::float8 / 60 from exam_attempt where attempt_id = $1")
        .bind(attempt)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!((44.0..=45.5).contains(&minutes), "{minutes}");
    take(&pool, &mut c.ada, attempt, false).await;
    let reply = c
        .ada
        .form("/api/groups/start", &[("assignment_id", &past)])
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(
        reply.body.to_string().contains("all 1 attempt"),
        "{}",
        reply.body
    );
    // An attempt never runs past the due date.
    let soon = assign(&mut c.owner, c.group, -1, 5, "after_submit", "1")
        .await
        .body
        .as_i64()
        .unwrap()
        .to_string();
    let attempt = c
        .bob
        .form("/api/groups/start", &[("assignment_id", &soon)])
        .await
        .body
        .as_i64()
        .unwrap();
    let minutes: f64 = sqlx::query_scalar("select extract(epoch from deadline - started_at)::float8 / 60 from exam_attempt where attempt_id = $1")
        .bind(attempt)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(minutes <= 5.1, "{minutes}");
    // Bad assignment fields get messages.
    let reply = c
        .owner
        .form(
            "/api/groups/assign",
            &[
                ("group_id", &c.group.to_string()),
                ("input[title]", ""),
                ("input[questions]", "0"),
                ("input[domains]", "nope"),
                ("input[item_types]", "essay"),
                ("input[duration_minutes]", "x"),
                ("input[opens_at]", "soon"),
                ("input[due_at]", ""),
                ("input[attempts_allowed]", "0"),
                ("input[review_policy]", "maybe"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let fields = reply.body["Validation"].as_object().unwrap();
    for field in [
        "title",
        "questions",
        "domains",
        "item_types",
        "duration_minutes",
        "opens_at",
        "due_at",
        "attempts_allowed",
        "review_policy",
    ] {
        assert!(fields.contains_key(field), "{field}: {fields:?}");
    }
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn the_review_policy_decides_when_learners_see_the_answers(pool: PgPool) {
    let mut c = class(&pool).await;
    let never = assign(&mut c.owner, c.group, -1, 60, "never", "1")
        .await
        .body
        .as_i64()
        .unwrap()
        .to_string();
    let after_due = assign(&mut c.owner, c.group, -1, 60, "after_due", "1")
        .await
        .body
        .as_i64()
        .unwrap()
        .to_string();
    for a in [&never, &after_due] {
        let attempt = c
            .ada
            .form("/api/groups/start", &[("assignment_id", a)])
            .await
            .body
            .as_i64()
            .unwrap();
        take(&pool, &mut c.ada, attempt, true).await;
        let results = &c
            .ada
            .form("/api/exams/attempt", &[("id", &attempt.to_string())])
            .await
            .body["Done"];
        assert_eq!(results["scaled"], 1000, "the score is shown");
        assert!(
            results["items"].as_array().unwrap().is_empty(),
            "no answers yet"
        );
        assert!(results["review_note"].as_str().is_some());
        let detail = c
            .instructor
            .form(
                "/api/groups/attempt",
                &[("attempt_id", &attempt.to_string())],
            )
            .await;
        assert_eq!(
            detail.body["items"].as_array().unwrap().len(),
            5,
            "instructors always see them"
        );
    }
    // After the due date, "after_due" shows them.
    sqlx::query("update assignment set opens_at = now() - interval '2 hours', due_at = now() - interval '1 minute' where assignment_id = $1")
        .bind(after_due.parse::<i64>().unwrap())
        .execute(&pool)
        .await
        .unwrap();
    let attempt: i64 =
        sqlx::query_scalar("select attempt_id from exam_attempt where assignment_id = $1")
            .bind(after_due.parse::<i64>().unwrap())
            .fetch_one(&pool)
            .await
            .unwrap();
    let results = &c
        .ada
        .form("/api/exams/attempt", &[("id", &attempt.to_string())])
        .await
        .body["Done"];
    assert_eq!(results["items"].as_array().unwrap().len(), 5);
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn instructors_get_results_and_an_item_analysis(pool: PgPool) {
    let mut c = class(&pool).await;
    let a = assign(&mut c.owner, c.group, -1, 60, "after_submit", "1")
        .await
        .body
        .as_i64()
        .unwrap()
        .to_string();
    let ada_attempt = c
        .ada
        .form("/api/groups/start", &[("assignment_id", &a)])
        .await
        .body
        .as_i64()
        .unwrap();
    take(&pool, &mut c.ada, ada_attempt, true).await;
    let bob_attempt = c
        .bob
        .form("/api/groups/start", &[("assignment_id", &a)])
        .await
        .body
        .as_i64()
        .unwrap();
    take(&pool, &mut c.bob, bob_attempt, false).await;
    let results = c
        .instructor
        .form("/api/groups/results", &[("assignment_id", &a)])
        .await;
    assert_eq!(results.status, StatusCode::OK, "{}", results.body);
    let r = &results.body;
    let members = r["members"].as_array().unwrap();
    assert_eq!(members.len(), 2, "learners only");
    assert!(members.iter().all(|m| m["status"] == "submitted"));
    let scores: Vec<i64> = members
        .iter()
        .map(|m| m["best_score"].as_i64().unwrap())
        .collect();
    assert!(scores.contains(&1000) && scores.contains(&1));
    assert!((r["mean_score"].as_f64().unwrap() - 500.5).abs() < 0.01);
    let items = r["items"].as_array().unwrap();
    assert!(!items.is_empty());
    for item in items {
        let facility = item["facility"].as_f64().unwrap();
        let attempts = item["attempts"].as_u64().unwrap();
        // Ada got everything right, Bob everything wrong.
        if attempts == 2 {
            assert!((facility - 50.0).abs() < 0.01, "{item}");
        }
        let chosen: u64 = item["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["chosen"].as_u64().unwrap())
            .sum();
        assert_eq!(
            chosen, attempts,
            "one option chosen per single-answer attempt"
        );
    }
}
