-- The question bank, synced from content/ at startup. A question keeps every version of its
-- content, so an answer always points at the text the learner saw.

create table question (
    question_id text not null,
    exam_code text not null,
    current_version integer not null,
    item_type text not null,
    domain text not null,
    page_slug text not null,
    difficulty smallint not null,
    -- Set when the question disappears from the content; old answers keep pointing at it.
    retired_at timestamptz,
    -- The stem only (never options, keys or explanations), for search.
    search_text text not null default '',
    search_vector tsvector generated always as (to_tsvector('english', search_text)) stored,
    constraint question_pkey primary key (question_id)
);

create index question_search_idx on question using gin (search_vector);

create table question_version (
    question_id text not null,
    version integer not null,
    content_hash text not null,
    -- The question as written (stem, options, key, explanations), canonical JSON.
    content jsonb not null,
    created_at timestamptz not null default now(),
    constraint question_version_pkey primary key (question_id, version),
    constraint question_version_question_fk foreign key (question_id) references question (question_id)
);

create index question_exam_idx on question (exam_code) where retired_at is null;

-- Every practice answer of a signed-in learner (signed-out practice lives in the session and
-- is merged in at sign-in).
create table practice_answer (
    practice_answer_id bigint generated always as identity primary key,
    user_id bigint not null,
    question_id text not null,
    version integer not null,
    response jsonb not null,
    points real not null,
    max_points real not null,
    correct boolean not null,
    time_taken_ms integer not null,
    answered_at timestamptz not null default now(),
    constraint practice_answer_user_fk foreign key (user_id) references app_user (user_id) on delete cascade,
    constraint practice_answer_version_fk foreign key (question_id, version) references question_version (question_id, version),
    constraint practice_answer_time_check check (time_taken_ms >= 0)
);

create index practice_answer_user_idx on practice_answer (user_id, answered_at desc);
