-- One rule, one place (issue 21).

-- Whether a session's claim (user and the account's session epoch) still holds for the account:
-- it exists, is not disabled, and its password (hence its epoch) has not changed since. The
-- full path asks this for the session tower-sessions loaded; the group-commit paths ask
-- `session_valid`, which adds the session row's own expiry (they never load the session).
create function account_valid(p_user_id bigint, p_epoch integer) returns boolean
language sql stable
return exists (
    select 1 from app_user u
    where u.user_id = p_user_id and u.session_epoch = p_epoch and u.disabled_at is null
);

create function session_valid(p_session_id text, p_user_id bigint, p_epoch integer)
returns boolean
language sql stable
return account_valid(p_user_id, p_epoch)
    and exists (
        select 1 from tower_sessions.session t
        where t.id = p_session_id and t.expiry_date > now()
    );

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
