//! Part of the hostile-input suite: the learner with a script. For a personal mock exam and for
//! assigned exams under each review policy, with every item type, a signed-in learner tries
//! every way we know to get the key of a question of their open attempt, and none may work:
//!
//! - ids: no bank id anywhere in what an open attempt sends (server function and page with its
//!   hydration data); choice, step and statement ids are the screen positions `c1..cN` and
//!   nothing else, so sorting them gives the order on screen, never the key (saved that way,
//!   every ordering item scores 0);
//! - the practice look-up: `practice/start` with the question's bank id, `practice/answer`,
//!   a practice set drawn before the exam started, `practice/mark`;
//! - every server function and page, called with the bank ids (a new route joins the sweep
//!   because `hostile::the_list_names_every_server_function` makes it join `ENDPOINTS`):
//!   no response carries the explanation or a part's "why" of an open question;
//! - the results of an earlier attempt of the same assignment, and the account export;
//! - a group bank kept for assigned exams: its learners can neither list nor practise it.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{CONTENT, Client, account, exam_question};

fn datetime(offset_minutes: i64) -> String {
    let t = time::OffsetDateTime::now_utc() + time::Duration::minutes(offset_minutes);
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    t.format(&f).unwrap()
}

/// An open attempt as the attacker sees it, and as the test knows it.
struct Open {
    id: i64,
    /// `exams/attempt`'s answer and the page `/exams/{id}` (hydration data included).
    payload: String,
    items: Vec<Value>,
    /// Bank id of each item, by position (from the database).
    bank_ids: Vec<String>,
}

async fn open(pool: &PgPool, client: &mut Client, id: i64) -> Open {
    let reply = client
        .form("/api/exams/attempt", &[("id", &id.to_string())])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let items = reply.body["Open"]["items"].as_array().unwrap().clone();
    let page = client.get(&format!("/exams/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let mut bank_ids = Vec::new();
    for item in &items {
        let position = item["position"].as_i64().unwrap();
        bank_ids.push(exam_question(pool, id, position).await.0);
    }
    Open {
        id,
        payload: format!("{}\n{}", reply.body, page.body),
        items,
        bank_ids,
    }
}

/// The key material of a question as rendered: its explanation and every part's "why".
fn material(q: &content::questions::Question) -> Vec<String> {
    let mut out = vec![q.explanation_html.clone()];
    out.extend(q.parts.iter().map(|p| p.why_html.clone()));
    out.extend(
        q.dimensions
            .iter()
            .flat_map(|(_, _, options)| options.iter().map(|p| p.why_html.clone())),
    );
    out.retain(|s| s.len() > 20);
    out
}

/// How many questions of the bank use each piece of key material (a few whys are shared).
static USES: std::sync::LazyLock<std::collections::HashMap<String, usize>> =
    std::sync::LazyLock::new(|| {
        let mut uses = std::collections::HashMap::new();
        for q in &CONTENT.default_exam().bank.questions {
            for text in material(q) {
                *uses.entry(text).or_default() += 1;
            }
        }
        uses
    });

/// The key material only this question has: finding it anywhere means this question was
/// explained.
fn secrets(question_id: &str) -> Vec<String> {
    CONTENT
        .question(question_id)
        .map(|q| {
            material(q)
                .into_iter()
                .filter(|text| USES.get(text).copied().unwrap_or(0) == 1)
                .collect()
        })
        .unwrap_or_default()
}

fn assert_no_secret(text: &str, question_ids: &[String], route: &str) {
    for id in question_ids {
        for secret in secrets(id) {
            assert!(
                !text.contains(&secret),
                "{route} explained {id} of the open attempt: {}",
                &secret[..secret.len().min(80)]
            );
        }
    }
}

/// The screen ids of one choice list: exactly `c1..cN`, top to bottom.
fn assert_screen_ids(choices: &Value, what: &str) {
    let ids: Vec<&str> = choices
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = (1..=ids.len()).map(|i| format!("c{i}")).collect();
    assert_eq!(ids, expected, "{what}: ids name only the place on screen");
}

/// The attack on the attempt itself: its payload names no bank question and its ids are only
/// screen positions; answers made by sorting ids are saved (scored at the end).
async fn attack_the_payload(client: &mut Client, open: &Open) {
    for (item, bank_id) in open.items.iter().zip(&open.bank_ids) {
        assert!(
            !open.payload.contains(bank_id.as_str()),
            "the open attempt names its bank question {bank_id}"
        );
        let q = &item["question"];
        assert_screen_ids(&q["choices"], bank_id);
        for dimension in q["dimensions"].as_array().unwrap() {
            assert_screen_ids(&dimension["options"], bank_id);
        }
        // Bank part ids never appear as ids (steps are `s1..sN` in the key's order).
        let bank = bank_question_any(bank_id);
        for part in bank.iter() {
            assert!(
                !open.payload.contains(&format!("\"id\":\"{part}\"")) || part.starts_with('c'),
                "bank part id {part} of {bank_id} sent"
            );
        }
    }
    for (seq, item) in open.items.iter().enumerate() {
        let q = &item["question"];
        let mut ids: Vec<String> = q["choices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        let response = match q["item_type"].as_str().unwrap() {
            "order" => json!({ "kind": "order", "value": ids }),
            "yesno" => {
                json!({ "kind": "yesno", "value": ids.iter().map(|i| (i.clone(), json!(true))).collect::<serde_json::Map<_, _>>() })
            }
            "drill" => {
                json!({ "kind": "drill", "value": q["dimensions"].as_array().unwrap().iter().map(|d| (d["name"].as_str().unwrap().to_string(), d["options"][0]["id"].clone())).collect::<serde_json::Map<_, _>>() })
            }
            _ => {
                let n = q["choose"].as_u64().unwrap_or(1) as usize;
                json!({ "kind": "choices", "value": ids[..n].to_vec() })
            }
        };
        let (status, body) = client
            .post(
                "/api/exams/save",
                json!({ "id": open.id, "position": item["position"], "response": response, "seq": seq + 1 }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
}

/// The part ids a bank question is written with (exam packs only; a group's: `o1`, `s1`...).
fn bank_question_any(id: &str) -> Vec<String> {
    CONTENT
        .question(id)
        .map(|q| q.parts.iter().map(|p| p.id.clone()).collect())
        .unwrap_or_default()
}

/// The other routes: practice (look-up, answer, a set drawn before, marks), every server
/// function and the pages, the export. None may score or explain a question of the attempt.
async fn attack_other_routes(client: &mut Client, open: &Open, drawn_before: &BTreeSet<String>) {
    for bank_id in &open.bank_ids {
        let filter = json!({ "filter": { "domain": null, "page": null, "item_type": null, "difficulty": null, "status": "all", "count": 1, "question": bank_id } });
        let (status, body) = client.post("/api/practice/start", filter).await;
        assert!(
            status.is_client_error(),
            "practice/start {bank_id}: {status} {body}"
        );
        assert_no_secret(
            &body.to_string(),
            std::slice::from_ref(bank_id),
            "practice/start",
        );
        let (status, body) = client
            .post(
                "/api/practice/answer",
                json!({ "question_id": bank_id, "response": { "kind": "choices", "value": ["c1"] } }),
            )
            .await;
        assert!(
            status.is_client_error(),
            "practice/answer {bank_id}: {status} {body}"
        );
        assert_no_secret(
            &body.to_string(),
            std::slice::from_ref(bank_id),
            "practice/answer",
        );
    }
    // A practice set drawn before the exam began: its questions that are in the exam are shown
    // without feedback and cannot be answered; the rest go on as usual.
    let mut state = client.form("/api/practice/state", &[]).await.body;
    let mut met = 0;
    for _ in 0..60 {
        let Some(id) = state["question"]["id"].as_str().map(str::to_string) else {
            break;
        };
        if open.bank_ids.contains(&id) {
            met += 1;
            assert!(state["feedback"].is_null(), "{state}");
            assert!(state["notice"].is_string(), "{state}");
            let (status, body) = client
                .post(
                    "/api/practice/answer",
                    json!({ "question_id": id, "response": { "kind": "choices", "value": ["c1"] } }),
                )
                .await;
            assert_eq!(status, StatusCode::CONFLICT, "{body}");
            assert_no_secret(&body.to_string(), &open.bank_ids, "practice/answer (set)");
        }
        state = client.form("/api/practice/next", &[]).await.body;
    }
    let overlap = open
        .bank_ids
        .iter()
        .filter(|id| drawn_before.contains(*id))
        .count();
    assert_eq!(
        met, overlap,
        "every question of the set that is in the exam was held back"
    );

    // Every server function, with the bank ids in every field a route might read them from
    // (one question of each item type: the routes do not care which question it is).
    let mut seen_types = BTreeSet::new();
    let sweep_ids: Vec<&String> = open
        .items
        .iter()
        .zip(&open.bank_ids)
        .filter(|(item, _)| seen_types.insert(item["question"]["item_type"].to_string()))
        .map(|(_, id)| id)
        .collect();
    for bank_id in sweep_ids {
        for endpoint in crate::hostile::ENDPOINTS {
            if matches!(
                *endpoint,
                "exams/submit" | "account/delete" | "account/signout" | "account/password"
            ) {
                continue;
            }
            let form = client
                .form(
                    &format!("/api/{endpoint}"),
                    &[
                        ("question_id", bank_id),
                        ("id", &open.id.to_string()),
                        ("question", bank_id),
                        ("slug", bank_id),
                        ("query", bank_id),
                        ("bookmark", "false"),
                    ],
                )
                .await;
            assert_no_secret(&form.body.to_string(), &open.bank_ids, endpoint);
            let (_, body) = client
                .post(
                    &format!("/api/{endpoint}"),
                    json!({ "question_id": bank_id, "id": open.id, "filter": { "status": "all", "count": 1, "question": bank_id }, "response": { "kind": "choices", "value": ["c1"] } }),
                )
                .await;
            assert_no_secret(&body.to_string(), &open.bank_ids, endpoint);
        }
        for page in [
            format!("/practice?question={bank_id}"),
            format!("/search?q={bank_id}"),
            "/review".to_string(),
            "/progress".to_string(),
        ] {
            let reply = client.get(&page).await;
            assert_no_secret(&reply.body.to_string(), &open.bank_ids, &page);
        }
    }
    // The account export: answers to the open questions are withheld.
    let export = client.get("/account/export").await.body;
    for answer in export["practice_answers"].as_array().unwrap() {
        if open
            .bank_ids
            .iter()
            .any(|id| answer["question"] == id.as_str())
        {
            assert!(
                answer.get("correct").is_none() && answer.get("response").is_none(),
                "{answer}"
            );
        }
    }
}

/// Submits and checks the sorted-id answers earned nothing on ordering items and not full marks.
async fn submit_and_check(client: &mut Client, open: &Open) {
    let reply = client
        .form("/api/exams/submit", &[("id", &open.id.to_string())])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let results = client
        .form("/api/exams/attempt", &[("id", &open.id.to_string())])
        .await
        .body;
    let done = &results["Done"];
    assert!(
        done["scaled"].as_u64().unwrap() < 1000,
        "{}",
        done["scaled"]
    );
    for item in done["items"].as_array().unwrap() {
        if item["item_type"] == "order" {
            assert_eq!(
                item["points"], 0.0,
                "sorting the ids solved an ordering item"
            );
        }
    }
}

/// Draws a practice set of 50 before the exam (some of its questions will be in the exam).
async fn draw_practice_set(pool: &PgPool, client: &mut Client, email: &str) -> BTreeSet<String> {
    let filter = json!({ "filter": { "domain": null, "page": null, "item_type": null, "difficulty": null, "status": "all", "count": 50 } });
    let (status, _) = client.post("/api/practice/start", filter).await;
    assert_eq!(status, StatusCode::OK);
    sqlx::query_scalar::<_, String>(
        "select i.question_id from practice_item i join app_user u using (user_id) where u.email = $1",
    )
    .bind(email)
    .fetch_all(pool)
    .await
    .unwrap()
    .into_iter()
    .collect()
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_personal_mock_exam_gives_a_script_no_key(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut ada = account(&router, &pool, "ada@example.org", false).await;
    let drawn_before = draw_practice_set(&pool, &mut ada, "ada@example.org").await;
    let reply = ada.form("/api/exams/start", &[("questions", "50")]).await;
    let id = reply.body.as_i64().unwrap();
    let open = open(&pool, &mut ada, id).await;
    let types: BTreeSet<&str> = open
        .items
        .iter()
        .map(|i| i["question"]["item_type"].as_str().unwrap())
        .collect();
    assert_eq!(types.len(), 7, "every item type is attacked: {types:?}");
    attack_the_payload(&mut ada, &open).await;
    attack_other_routes(&mut ada, &open, &drawn_before).await;
    submit_and_check(&mut ada, &open).await;
    // Once submitted, practice is open again (the embargo ends with the attempt).
    let filter = json!({ "filter": { "domain": null, "page": null, "item_type": null, "difficulty": null, "status": "all", "count": 1, "question": open.bank_ids[0] } });
    let (status, body) = ada.post("/api/practice/start", filter).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn assigned_exams_give_a_script_no_key_under_every_review_policy(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut owner = account(&router, &pool, "owner@example.org", false).await;
    let mut ada = account(&router, &pool, "ada@example.org", false).await;
    let group = crate::helpers::group_with(&mut owner, "Cohort", &mut ada)
        .await
        .to_string();
    for policy in ["never", "after_submit", "after_due"] {
        let reply = owner
            .form(
                "/api/groups/assign",
                &[
                    ("group_id", &group),
                    ("input[title]", &format!("Check ({policy})")),
                    ("input[questions]", "25"),
                    ("input[domains]", ""),
                    ("input[item_types]", ""),
                    ("input[duration_minutes]", "60"),
                    ("input[opens_at]", &datetime(-5)),
                    ("input[due_at]", &datetime(120)),
                    ("input[attempts_allowed]", "2"),
                    ("input[review_policy]", policy),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let assignment = reply.body.as_i64().unwrap().to_string();
        let drawn_before = draw_practice_set(&pool, &mut ada, "ada@example.org").await;
        let first = ada
            .form("/api/groups/start", &[("assignment_id", &assignment)])
            .await
            .body
            .as_i64()
            .unwrap();
        let open_first = open(&pool, &mut ada, first).await;
        attack_the_payload(&mut ada, &open_first).await;
        attack_other_routes(&mut ada, &open_first, &drawn_before).await;
        submit_and_check(&mut ada, &open_first).await;
        // A second attempt: the first one's results must not explain its questions now.
        let second = ada
            .form("/api/groups/start", &[("assignment_id", &assignment)])
            .await
            .body
            .as_i64()
            .unwrap();
        let open_second = open(&pool, &mut ada, second).await;
        let earlier = ada
            .form("/api/exams/attempt", &[("id", &first.to_string())])
            .await
            .body;
        for item in earlier["Done"]["items"].as_array().unwrap() {
            let id = item["feedback"]["question_id"].as_str().unwrap();
            assert!(
                !open_second.bank_ids.iter().any(|open| open == id),
                "results of the earlier attempt explain {id}, open again now"
            );
        }
        assert_no_secret(
            &earlier.to_string(),
            &open_second.bank_ids,
            "results of the earlier attempt",
        );
        let reply = ada
            .form("/api/groups/attempt", &[("id", &first.to_string())])
            .await;
        assert_no_secret(
            &reply.body.to_string(),
            &open_second.bank_ids,
            "groups/attempt",
        );
        attack_the_payload(&mut ada, &open_second).await;
        submit_and_check(&mut ada, &open_second).await;
    }
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_group_bank_kept_for_exams_cannot_be_practised_or_listed(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut owner = account(&router, &pool, "owner@example.org", false).await;
    let mut ada = account(&router, &pool, "ada@example.org", false).await;
    let group_id = crate::helpers::group_with(&mut owner, "Cohort", &mut ada).await;
    let group = group_id.to_string();
    let gift = "::A::Which one? {=right ~wrong ~other}\n\n::B::Pick two. {~%50%one ~%50%two ~%-100%three}\n\n::C::True? {T}\n";
    let reply = owner
        .form(
            "/api/groups/import",
            &[("group_id", &group), ("text", gift)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    // Ada draws a set of the group's questions while she still may.
    let filter = json!({ "filter": { "domain": null, "page": null, "item_type": null, "difficulty": null, "status": "all", "count": 3, "group": group_id } });
    let (status, _) = ada.post("/api/practice/start", filter.clone()).await;
    assert_eq!(status, StatusCode::OK);
    // The owner keeps them for assigned exams: Ada's set ends, and nothing lets her back in.
    let reply = owner
        .form(
            "/api/groups/members-practise",
            &[("group_id", &group), ("on", "false")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let state = ada.form("/api/practice/state", &[]).await.body;
    assert!(
        state.is_null(),
        "the set with the group's questions ended: {state}"
    );
    let (status, body) = ada.post("/api/practice/start", filter).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let reply = ada.form("/api/groups/bank", &[("group_id", &group)]).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    let options = ada.form("/api/practice/options", &[]).await.body;
    assert_eq!(options["groups"], json!([]), "{options}");
    let first = format!("g{group_id}-1");
    let reply = ada
        .form(
            "/api/practice/mark",
            &[("question_id", &first), ("bookmark", "true")],
        )
        .await;
    assert!(reply.status.is_client_error(), "{}", reply.body);
    // The owner and instructors still see and practise them.
    let reply = owner
        .form("/api/groups/bank", &[("group_id", &group)])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let page = ada.form("/api/groups/get", &[("id", &group)]).await.body;
    assert_eq!(page["members_practise"], false, "{page}");
}
