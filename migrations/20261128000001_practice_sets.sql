-- A signed-in learner's practice set in progress, kept with the account rather than in the
-- session: it follows the learner to another browser, and an answer is one small write instead
-- of re-encoding a whole set in the session. (A signed-out learner's set stays in the session
-- and moves here at sign-in.)
create table practice_set (
    user_id bigint primary key,
    -- The filter the set was drawn with (PracticeFilter as JSON).
    filter jsonb not null,
    -- The question on screen; `total` once the learner has gone past the last one (summary).
    position integer not null default 0,
    total integer not null,
    -- How many questions are answered, and answered right (kept with each answer).
    answered integer not null default 0,
    correct integer not null default 0,
    started_at timestamptz not null default now(),
    constraint practice_set_user_fk foreign key (user_id) references app_user (user_id) on delete cascade,
    constraint practice_set_position_check check (position between 0 and total)
);

create table practice_item (
    user_id bigint not null,
    position integer not null,
    question_id text not null,
    version integer not null,
    -- Option (or step, or statement) ids in the order shown.
    option_order text[] not null,
    -- When the question was first shown (Unix milliseconds), for the time an answer took.
    shown_at_ms bigint,
    -- The answer (AnswerRecord as JSON) once given; `correct` repeats its verdict for counts.
    answer jsonb,
    correct boolean,
    constraint practice_item_pkey primary key (user_id, position),
    constraint practice_item_set_fk foreign key (user_id) references practice_set (user_id) on delete cascade,
    constraint practice_item_answer_check check ((answer is null) = (correct is null))
);
