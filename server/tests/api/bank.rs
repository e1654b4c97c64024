//! GIFT interchange: import into a group's bank (all or nothing, sanitized, by role) and the
//! export/import round trip of our own bank.

use axum::http::StatusCode;
use sqlx::PgPool;

use crate::helpers::{CONTENT, Client};

const GIFT: &str = "$CATEGORY: top/MLOps/Week 1\n\n\
::Registry::Where do approved models go? {=The registry#Right: it is shared. ~A local folder#Not shared. ####Registries share models across workspaces.}\n\n\
// A comment between questions.\n\
::Pick two::Which run pipelines? {~%50%Jobs ~%50%Pipeline jobs ~%-100%Datastores}\n\n\
Managed online endpoints scale for you. {T}\n\n\
Name the tracking tool. {=MLflow}\n";

async fn signed_in(router: &axum::Router, pool: &PgPool, email: &str) -> Client {
    crate::helpers::account(router, pool, email, false).await
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_gift_file_comes_into_the_group_bank_all_or_nothing(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut owner = signed_in(&router, &pool, "owner@example.org").await;
    let mut outsider = signed_in(&router, &pool, "out@example.org").await;
    let group = owner
        .form(
            "/api/groups/create",
            &[("name", "Class"), ("description", "")],
        )
        .await
        .body
        .as_i64()
        .unwrap()
        .to_string();
    let reply = owner
        .form(
            "/api/groups/import",
            &[("group_id", &group), ("text", GIFT)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["imported"], 3);
    let skipped = reply.body["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1);
    assert!(
        skipped[0]
            .as_str()
            .unwrap()
            .starts_with("line 10: short answer"),
        "{skipped:?}"
    );
    let bank = owner
        .form("/api/groups/bank", &[("group_id", &group)])
        .await
        .body;
    assert_eq!(bank.as_array().unwrap().len(), 3);
    assert_eq!(bank[0]["category"], "top/MLOps/Week 1");
    // A broken file imports nothing and says where.
    let broken = "Good one. {=a ~b}\n\nBroken {=a ~b\n\nWeights? {~%abc%x =y}\n";
    let reply = owner
        .form(
            "/api/groups/import",
            &[("group_id", &group), ("text", broken)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let errors = reply.body["Validation"]["file"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e.as_str().unwrap().starts_with("line 3")),
        "{errors:?}"
    );
    let rows: i64 = sqlx::query_scalar("select count(*) from group_question")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 3, "nothing of the broken file was stored");
    // Only the group's managers import; outsiders learn nothing.
    let reply = outsider
        .form(
            "/api/groups/import",
            &[("group_id", &group), ("text", GIFT)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        outsider
            .form("/api/groups/bank", &[("group_id", &group)])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn html_in_an_import_is_sanitized_before_anyone_sees_it(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut owner = signed_in(&router, &pool, "owner@example.org").await;
    let group = owner
        .form(
            "/api/groups/create",
            &[("name", "Class"), ("description", "")],
        )
        .await
        .body
        .as_i64()
        .unwrap()
        .to_string();
    let evil = "[html]<img src=x onerror=alert(1)><b>Bold</b> question <script>steal()</script> {=<a href\\=\"javascript:alert(1)\">yes</a> ~no}\n";
    let reply = owner
        .form(
            "/api/groups/import",
            &[("group_id", &group), ("text", evil)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let stored: String = sqlx::query_scalar("select content::text from group_question")
        .fetch_one(&pool)
        .await
        .unwrap();
    for bad in ["onerror", "<script", "href=\\\"javascript"] {
        assert!(!stored.contains(bad), "{bad} in {stored}");
    }
    assert!(stored.contains("<b>Bold</b>"));
}

#[test]
fn our_bank_survives_export_and_import() {
    let exam = CONTENT.default_exam();
    let (text, skipped) = services::bank::export(exam);
    let report = services::bank::convert(&text);
    assert!(
        report.errors.is_empty(),
        "{:?}",
        &report.errors[..report.errors.len().min(5)]
    );
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    let exported = exam.bank.questions.len() - skipped.len();
    assert_eq!(report.questions.len(), exported);
    assert!(
        exported > 150,
        "single, multiple choice and one-statement yes/no: {exported}"
    );
    for q in &report.questions {
        let id = q.title.as_deref().unwrap();
        let source = exam.bank.get(id).unwrap();
        let key: Vec<bool> = q.options.iter().map(|o| o.correct).collect();
        let expected: Vec<bool> = if source.def.statements.len() == 1 {
            vec![source.def.statements[0].answer]
        } else {
            source.def.options.iter().map(|o| o.correct).collect()
        };
        assert_eq!(key, expected, "{id}");
        assert_eq!(q.item_type, source.item_type(), "{id}");
        assert!(
            !q.stem_html.is_empty() && !q.explanation_html.is_empty(),
            "{id}"
        );
    }
}

fn datetime(offset_minutes: i64) -> String {
    let t = time::OffsetDateTime::now_utc() + time::Duration::minutes(offset_minutes);
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    t.format(&f).unwrap()
}

/// The right answer to each question of `GIFT` as imported (one choice, two choices, true),
/// in the screen ids of the question as shown: the choices are found by their text.
fn right_answer(question: &serde_json::Value) -> serde_json::Value {
    let id_of = |text: &str| -> String {
        question["choices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["html"].as_str().unwrap().contains(text))
            .unwrap_or_else(|| panic!("{text} in {question}"))["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    match question["item_type"].as_str().unwrap() {
        "single" => serde_json::json!({ "kind": "choices", "value": [id_of("The registry")] }),
        "multi" => {
            serde_json::json!({ "kind": "choices", "value": [id_of("Jobs"), id_of("Pipeline jobs")] })
        }
        "yesno" => serde_json::json!({ "kind": "yesno", "value": { "c1": true } }),
        other => panic!("unexpected item type {other}"),
    }
}

async fn assign_from_group(owner: &mut Client, group: &str) -> crate::helpers::Reply {
    owner
        .form(
            "/api/groups/assign",
            &[
                ("group_id", group),
                ("input[title]", "Our own questions"),
                ("input[questions]", "3"),
                ("input[domains]", ""),
                ("input[item_types]", ""),
                ("input[duration_minutes]", "30"),
                ("input[opens_at]", &datetime(-5)),
                ("input[due_at]", &datetime(60)),
                ("input[attempts_allowed]", "2"),
                ("input[review_policy]", "after_submit"),
                ("input[source]", "group"),
            ],
        )
        .await
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_group_practises_and_is_assigned_its_own_questions(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut owner = signed_in(&router, &pool, "owner@example.org").await;
    let mut outsider = signed_in(&router, &pool, "out@example.org").await;
    let mut anonymous = Client::new(router.clone());
    let group_id = owner
        .form(
            "/api/groups/create",
            &[("name", "Class"), ("description", "")],
        )
        .await
        .body
        .as_i64()
        .unwrap();
    let group = group_id.to_string();
    // Before any import, an assignment from the group's bank is refused at the field.
    let reply = assign_from_group(&mut owner, &group).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert!(
        reply.body["Validation"]["source"].is_array(),
        "{}",
        reply.body
    );
    let reply = owner
        .form(
            "/api/groups/import",
            &[("group_id", &group), ("text", GIFT)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    // Practice: the options list the group; a set of its own questions is scored.
    let options = owner.form("/api/practice/options", &[]).await.body;
    assert_eq!(options["groups"][0]["value"], group);
    assert_eq!(options["groups"][0]["count"], 3);
    let filter = |extra: serde_json::Value| {
        let mut f = serde_json::json!({ "domain": null, "page": null, "item_type": null, "difficulty": null, "status": "all", "count": 10, "group": group_id });
        f.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        serde_json::json!({ "filter": f })
    };
    let (status, mut state) = owner
        .post("/api/practice/start", filter(serde_json::json!({})))
        .await;
    assert_eq!(status, StatusCode::OK, "{state}");
    assert_eq!(state["total"], 3, "all three imported questions");
    for _ in 0..3 {
        let question = state["question"].clone();
        let id = question["id"].as_str().unwrap().to_string();
        assert!(id.starts_with(&format!("g{group_id}-")), "{id}");
        assert!(
            !state.to_string().contains("why_html"),
            "no key before answering"
        );
        let (status, answered) = owner
            .post(
                "/api/practice/answer",
                serde_json::json!({ "question_id": id, "response": right_answer(&question) }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{answered}");
        assert_eq!(answered["feedback"]["correct"], true, "{answered}");
        state = owner.form("/api/practice/next", &[]).await.body;
    }
    assert_eq!(state["correct"], 3, "{state}");
    let stored: i64 = sqlx::query_scalar(
        "select count(*) from practice_answer where question_id like 'g' || $1::bigint || '-%'",
    )
    .bind(group_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        stored, 3,
        "answers to group questions are kept like any other"
    );
    // Not a member, or not signed in: no way in. Exam filters do not apply.
    let (status, _) = outsider
        .post("/api/practice/start", filter(serde_json::json!({})))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = anonymous
        .post("/api/practice/start", filter(serde_json::json!({})))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = owner
        .post(
            "/api/practice/start",
            filter(serde_json::json!({ "domain": "implement-mlops" })),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    // An assignment drawn from the group's bank: every item is the group's, scored on submit.
    let reply = assign_from_group(&mut owner, &group).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let assignment = reply.body.as_i64().unwrap().to_string();
    let reply = owner
        .form("/api/groups/start", &[("assignment_id", &assignment)])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let attempt = reply.body.as_i64().unwrap();
    let open = owner
        .form("/api/exams/attempt", &[("id", &attempt.to_string())])
        .await
        .body;
    let items = open["Open"]["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 3);
    for (seq, item) in items.iter().enumerate() {
        let question = &item["question"];
        let (bank_id, _) =
            crate::helpers::exam_question(&pool, attempt, item["position"].as_i64().unwrap()).await;
        assert!(bank_id.starts_with(&format!("g{group_id}-")), "{bank_id}");
        assert!(
            !open.to_string().contains(&bank_id),
            "the attempt names its items by their place, not {bank_id}"
        );
        let (status, ack) = owner
            .post(
                "/api/exams/save",
                serde_json::json!({ "id": attempt, "position": item["position"], "response": right_answer(question), "seq": seq + 1 }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{ack}");
    }
    let reply = owner
        .form("/api/exams/submit", &[("id", &attempt.to_string())])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let results = owner
        .form("/api/groups/results", &[("assignment_id", &assignment)])
        .await
        .body;
    assert_eq!(results["items"].as_array().unwrap().len(), 3, "{results}");
    assert_eq!(results["assignment"]["group_questions"], true);

    // Deleting the group retires its questions; the attempt's results still show them.
    let reply = owner
        .form("/api/groups/delete", &[("group_id", &group)])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let retired: i64 = sqlx::query_scalar(
        "select count(*) from question where exam_code = 'group-' || $1::bigint and retired_at is not null",
    )
    .bind(group_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(retired, 3);
    let done = owner
        .form("/api/exams/attempt", &[("id", &attempt.to_string())])
        .await
        .body;
    assert_eq!(done["Done"]["scaled"], 1000, "{done}");
    assert_eq!(done["Done"]["items"].as_array().unwrap().len(), 3);
}

/// A yes/no question of a group's own bank locks once answered and left, as one of the exam
/// pack's does (`navigate` looked the question up in the pack's bank only, so it never locked).
#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_group_yes_no_question_cannot_be_revisited_once_answered(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut owner = signed_in(&router, &pool, "owner@example.org").await;
    let group_id = crate::helpers::new_group(&mut owner, "Class").await;
    let group = group_id.to_string();
    let reply = owner
        .form(
            "/api/groups/import",
            &[("group_id", &group), ("text", GIFT)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let reply = assign_from_group(&mut owner, &group).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let assignment = reply.body.as_i64().unwrap().to_string();
    let attempt = owner
        .form("/api/groups/start", &[("assignment_id", &assignment)])
        .await
        .body
        .as_i64()
        .unwrap();
    let open = owner
        .form("/api/exams/attempt", &[("id", &attempt.to_string())])
        .await
        .body;
    let items = open["Open"]["items"].as_array().unwrap().clone();
    let item = items
        .iter()
        .find(|i| i["question"]["item_type"] == "yesno")
        .expect("the import has a yes/no question");
    let position = item["position"].as_u64().unwrap();
    let other = if position == 0 { 1 } else { 0 };
    let go = |to: u64| [("id", attempt.to_string()), ("position", to.to_string())];
    let reply = owner
        .form(
            "/api/exams/go",
            &go(position).each_ref().map(|(k, v)| (*k, v.as_str())),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let (status, ack) = owner
        .post(
            "/api/exams/save",
            serde_json::json!({ "id": attempt, "position": position, "response": right_answer(&item["question"]), "seq": 1 }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{ack}");
    let left = owner
        .form(
            "/api/exams/go",
            &go(other).each_ref().map(|(k, v)| (*k, v.as_str())),
        )
        .await;
    assert_eq!(left.status, StatusCode::OK, "{}", left.body);
    assert!(
        left.body["locked"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!(position)),
        "{}",
        left.body
    );
    let back = owner
        .form(
            "/api/exams/go",
            &go(position).each_ref().map(|(k, v)| (*k, v.as_str())),
        )
        .await;
    assert_eq!(back.status, StatusCode::CONFLICT, "{}", back.body);
}
