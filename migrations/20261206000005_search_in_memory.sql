-- The reference is searched in memory (crates/searchindex, built when the content loads): its
-- copy in the database is no longer read. Question stems stay searched here.
drop table reference_section;
