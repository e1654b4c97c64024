-- Exam integrity (issue 17).

-- The questions of a learner's open mock exam attempts (personal or assigned): while a question
-- is here, no other route scores or explains it to that learner. An attempt counts as open
-- until it is submitted or its deadline (plus the two seconds' grace saves get) has passed.
create view open_exam_question as
select a.user_id, i.question_id, a.attempt_id
from exam_attempt a
join exam_item i on i.attempt_id = a.attempt_id
where a.submitted_at is null and a.deadline + interval '2 seconds' > now();

create index exam_item_question_idx on exam_item (question_id);

-- Whether a group's learners may practise its own questions (off: they are kept for the
-- group's assigned exams; owners and instructors always may).
alter table study_group add column members_practise boolean not null default true;

-- Members removed from a group: an invite made before the removal does not let them back in.
create table group_removal (
    group_id bigint not null,
    user_id bigint not null,
    removed_at timestamptz not null default now(),
    constraint group_removal_pkey primary key (group_id, user_id),
    constraint group_removal_group_fk foreign key (group_id) references study_group (group_id) on delete cascade,
    constraint group_removal_user_fk foreign key (user_id) references app_user (user_id) on delete cascade
);
