-- Search moved into memory (crates/searchindex, built when the content loads): the reference's
-- copy in the database and the question stems' full-text vector are no longer read.
drop table reference_section;
alter table question drop column search_vector;
