-- Mock exams: an attempt with its questions chosen, ordered and shuffled on the server, every
-- answer saved as it changes, and the score once submitted (by the learner or at the deadline).

create table exam_attempt (
    attempt_id bigint generated always as identity primary key,
    user_id bigint not null,
    exam_code text not null,
    -- The blueprint as used for this attempt (counts, duration, pass mark, scale).
    blueprint jsonb not null,
    started_at timestamptz not null default now(),
    deadline timestamptz not null,
    submitted_at timestamptz,
    auto_submitted boolean not null default false,
    -- The question on screen (resumes there).
    position integer not null default 0,
    -- Set once the learner leaves the case study section: it cannot be re-entered.
    case_closed boolean not null default false,
    raw_score double precision,
    scaled_score integer,
    passed boolean,
    constraint exam_attempt_user_fk foreign key (user_id) references app_user (user_id) on delete cascade,
    constraint exam_attempt_deadline_check check (deadline > started_at)
);

create index exam_attempt_user_idx on exam_attempt (user_id, started_at desc);
create index exam_attempt_open_idx on exam_attempt (deadline) where submitted_at is null;

create table exam_item (
    attempt_id bigint not null,
    position integer not null,
    question_id text not null,
    version integer not null,
    -- 0: the general section; 1: the case study section.
    section smallint not null,
    -- Option (or step, or statement) ids in the order shown.
    option_order jsonb not null,
    response jsonb,
    -- The client's sequence number of the save that wrote `response`: an older save that
    -- arrives late never overwrites a newer one.
    saved_seq bigint not null default 0,
    saved_at timestamptz,
    flagged boolean not null default false,
    -- A yes/no series question, once answered and left, cannot be revisited.
    locked boolean not null default false,
    points double precision,
    max_points double precision,
    correct boolean,
    constraint exam_item_pkey primary key (attempt_id, position),
    constraint exam_item_attempt_fk foreign key (attempt_id) references exam_attempt (attempt_id) on delete cascade,
    constraint exam_item_version_fk foreign key (question_id, version) references question_version (question_id, version),
    constraint exam_item_section_check check (section in (0, 1))
);
