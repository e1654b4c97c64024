-- One rule, one place (issue 21).

-- The session rule, as two views every statement that trusts a session's claim joins (views
-- are inlined into the statement; a function holding a sub-select would be called per row).
-- An account whose sessions still count: not disabled, at its current session epoch (a
-- password change moves the epoch and ends every session made before).
create view live_account as
select user_id, session_epoch as epoch
from app_user
where disabled_at is null;

-- A session row that has not expired. The full path loads the session through tower-sessions
-- (which checks the same expiry) and joins `live_account`; the group-commit paths, which never
-- load the session, join both.
create view live_session as
select id
from tower_sessions.session
where expiry_date > now();

-- Whether an attempt still takes answers: not submitted, and its deadline (plus the two
-- seconds' grace a save in flight gets) not passed. `exams::GRACE` is the same two seconds for
-- the full path, and a test holds the two together.
create function attempt_open(p_submitted_at timestamptz, p_deadline timestamptz)
returns boolean
language sql stable
return p_submitted_at is null and p_deadline + interval '2 seconds' >= now();

-- Whether an answer on a question may still change: a yes/no question answered and left is
-- locked, and the case study (section 1) closes once the learner leaves it.
create function exam_item_writable(p_locked boolean, p_section smallint, p_case_closed boolean)
returns boolean
language sql immutable
return not p_locked and (p_section <> 1 or not p_case_closed);

create or replace view open_exam_question as
select a.user_id, i.question_id, a.attempt_id
from exam_attempt a
join exam_item i on i.attempt_id = a.attempt_id
where attempt_open(a.submitted_at, a.deadline);
