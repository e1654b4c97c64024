-- Accounts, sign-in protection, per-user practice marks and spaced review.

-- Bumped when the password changes: sessions signed in before that stop counting.
alter table app_user add column session_epoch integer not null default 0;
alter table app_user add constraint app_user_display_name_length
    check (char_length(display_name) between 1 and 60);

-- Failed sign-ins, counted per account and per client address over a sliding window.
create table sign_in_failure (
    sign_in_failure_id bigint generated always as identity primary key,
    email text not null,
    client_addr text not null,
    failed_at timestamptz not null default now()
);

create index sign_in_failure_email_idx on sign_in_failure (email, failed_at);
create index sign_in_failure_addr_idx on sign_in_failure (client_addr, failed_at);

-- Questions a learner flagged for review or bookmarked.
create table question_mark (
    user_id bigint not null,
    question_id text not null,
    kind text not null,
    marked_at timestamptz not null default now(),
    constraint question_mark_pkey primary key (user_id, question_id, kind),
    constraint question_mark_kind_check check (kind in ('flag', 'bookmark')),
    constraint question_mark_user_fk foreign key (user_id) references app_user (user_id) on delete cascade,
    constraint question_mark_question_fk foreign key (question_id) references question (question_id)
);

-- The FSRS memory state of each question a learner has answered.
create table review_card (
    user_id bigint not null,
    question_id text not null,
    due timestamptz not null,
    stability double precision not null,
    difficulty double precision not null,
    elapsed_days integer not null,
    scheduled_days integer not null,
    reps integer not null,
    lapses integer not null,
    -- 0 new, 1 learning, 2 review, 3 relearning (FSRS states).
    state smallint not null,
    last_review timestamptz not null,
    constraint review_card_pkey primary key (user_id, question_id),
    constraint review_card_state_check check (state between 0 and 3),
    constraint review_card_user_fk foreign key (user_id) references app_user (user_id) on delete cascade,
    constraint review_card_question_fk foreign key (question_id) references question (question_id)
);

create index review_card_due_idx on review_card (user_id, due);

-- A learner's plan for one exam: the date they sit it and how much they want to remember.
create table study_plan (
    user_id bigint not null,
    exam_code text not null,
    exam_date date,
    desired_retention real not null default 0.9,
    constraint study_plan_pkey primary key (user_id, exam_code),
    constraint study_plan_retention_check check (desired_retention between 0.7 and 0.97),
    constraint study_plan_user_fk foreign key (user_id) references app_user (user_id) on delete cascade
);
