-- "Report a problem" on a question or a reference section (issue 18): a signed-in user says
-- what is wrong; site admins (and a group's owner and instructors, for the group's own
-- questions) answer with a status and a reply the reporter sees.
create table problem_report (
    report_id bigint generated always as identity primary key,
    user_id bigint not null,
    exam_code text not null,
    -- A question (its version when reported, and the reporter's last answer to it, bank ids)...
    question_id text,
    question_version integer,
    answered jsonb,
    -- ...or a reference page and one of its headings (empty: the page as a whole).
    page_slug text,
    heading_id text not null default '',
    reason text not null,
    details text not null default '',
    status text not null default 'open',
    reply text not null default '',
    replied_by bigint,
    replied_at timestamptz,
    created_at timestamptz not null default now(),
    constraint problem_report_target_check check ((question_id is null) <> (page_slug is null)),
    constraint problem_report_reason_check check (reason in ('wrong_key', 'unclear', 'outdated', 'typo', 'other')),
    constraint problem_report_status_check check (status in ('open', 'fixed', 'rejected')),
    constraint problem_report_details_length check (char_length(details) <= 2000),
    constraint problem_report_reply_length check (char_length(reply) <= 2000),
    constraint problem_report_user_fk foreign key (user_id) references app_user (user_id) on delete cascade,
    constraint problem_report_replier_fk foreign key (replied_by) references app_user (user_id) on delete set null
);

create index problem_report_user_idx on problem_report (user_id, created_at desc);
create index problem_report_status_idx on problem_report (status, created_at desc);
create index problem_report_question_idx on problem_report (question_id) where question_id is not null;
