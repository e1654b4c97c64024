-- Study groups, invites, and mock exams assigned to a group by its owner or instructors.

create table study_group (
    group_id bigint generated always as identity primary key,
    name text not null,
    description text not null default '',
    owner_id bigint not null,
    leaderboard boolean not null default false,
    created_at timestamptz not null default now(),
    constraint study_group_name_length check (char_length(name) between 1 and 80),
    constraint study_group_description_length check (char_length(description) <= 500),
    constraint study_group_owner_fk foreign key (owner_id) references app_user (user_id) on delete cascade
);

create table group_member (
    group_id bigint not null,
    user_id bigint not null,
    role text not null,
    -- Whether other learners see this member's progress (instructors always do).
    share_progress boolean not null default false,
    joined_at timestamptz not null default now(),
    constraint group_member_pkey primary key (group_id, user_id),
    constraint group_member_role_check check (role in ('owner', 'instructor', 'learner')),
    constraint group_member_group_fk foreign key (group_id) references study_group (group_id) on delete cascade,
    constraint group_member_user_fk foreign key (user_id) references app_user (user_id) on delete cascade
);

create index group_member_user_idx on group_member (user_id);

create table group_invite (
    invite_id bigint generated always as identity primary key,
    group_id bigint not null,
    code text not null,
    created_by bigint,
    expires_at timestamptz,
    max_uses integer,
    uses integer not null default 0,
    revoked_at timestamptz,
    created_at timestamptz not null default now(),
    constraint group_invite_code_unique unique (code),
    constraint group_invite_max_uses_check check (max_uses is null or max_uses > 0),
    constraint group_invite_group_fk foreign key (group_id) references study_group (group_id) on delete cascade,
    constraint group_invite_creator_fk foreign key (created_by) references app_user (user_id) on delete set null
);

create table assignment (
    assignment_id bigint generated always as identity primary key,
    group_id bigint not null,
    title text not null,
    created_by bigint,
    questions integer not null,
    -- Domain ids and item types to draw from (empty: all).
    domains jsonb not null default '[]',
    item_types jsonb not null default '[]',
    duration_minutes integer not null,
    opens_at timestamptz not null,
    due_at timestamptz not null,
    attempts_allowed integer not null default 1,
    -- never | after_submit | after_due: when learners may see keys and explanations.
    review_policy text not null default 'after_submit',
    created_at timestamptz not null default now(),
    constraint assignment_title_length check (char_length(title) between 1 and 120),
    constraint assignment_questions_check check (questions between 1 and 100),
    constraint assignment_duration_check check (duration_minutes between 1 and 600),
    constraint assignment_window_check check (due_at > opens_at),
    constraint assignment_attempts_check check (attempts_allowed between 1 and 20),
    constraint assignment_review_policy_check check (review_policy in ('never', 'after_submit', 'after_due')),
    constraint assignment_group_fk foreign key (group_id) references study_group (group_id) on delete cascade,
    constraint assignment_creator_fk foreign key (created_by) references app_user (user_id) on delete set null
);

create index assignment_group_idx on assignment (group_id, due_at);

-- More time, or a later due date, for one member.
create table assignment_extension (
    assignment_id bigint not null,
    user_id bigint not null,
    extra_minutes integer not null default 0,
    due_at timestamptz,
    constraint assignment_extension_pkey primary key (assignment_id, user_id),
    constraint assignment_extension_minutes_check check (extra_minutes between 0 and 600),
    constraint assignment_extension_assignment_fk foreign key (assignment_id) references assignment (assignment_id) on delete cascade,
    constraint assignment_extension_user_fk foreign key (user_id) references app_user (user_id) on delete cascade
);

alter table exam_attempt add column assignment_id bigint;
alter table exam_attempt add constraint exam_attempt_assignment_fk
    foreign key (assignment_id) references assignment (assignment_id) on delete set null;
create index exam_attempt_assignment_idx on exam_attempt (assignment_id) where assignment_id is not null;
