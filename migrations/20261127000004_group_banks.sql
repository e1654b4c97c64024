-- Questions a group imported (GIFT), private to that group. Text is sanitized HTML.

create table group_question (
    group_id bigint not null,
    question_id text not null,
    item_type text not null,
    title text,
    category text,
    -- The GIFT line the question started on, for messages about it.
    source_line integer not null,
    -- Stem, options (html, correct, why) and explanation, as sanitized HTML (JSON).
    content jsonb not null,
    imported_by bigint,
    imported_at timestamptz not null default now(),
    constraint group_question_pkey primary key (group_id, question_id),
    constraint group_question_type_check check (item_type in ('single', 'multi', 'yesno')),
    constraint group_question_group_fk foreign key (group_id) references study_group (group_id) on delete cascade,
    constraint group_question_importer_fk foreign key (imported_by) references app_user (user_id) on delete set null
);
