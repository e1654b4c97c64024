-- A group's imported questions are also questions of the bank proper (exam code
-- `group-{id}`), so practice answers and exam items can point at their versions. Questions
-- imported before this migration get their rows here.

insert into question (question_id, exam_code, current_version, item_type, domain, page_slug,
                      difficulty, search_text)
select question_id, 'group-' || group_id, 1, item_type, 'Group questions', '', 2, ''
from group_question
on conflict on constraint question_pkey do nothing;

insert into question_version (question_id, version, content_hash, content)
select question_id, 1, md5(content::text), content
from group_question
on conflict on constraint question_version_pkey do nothing;

-- Where an assignment draws its questions from: the exam's bank, or the group's own.
alter table assignment
    add column question_source text not null default 'exam',
    add constraint assignment_source_check check (question_source in ('exam', 'group'));

-- The exam pack a group studies (content/exams/<code>); null means the site's default exam.
alter table study_group add column exam_code text;
