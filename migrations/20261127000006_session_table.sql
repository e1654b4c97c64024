-- The session store's table (tower-sessions-sqlx-store creates the same one at startup, if it
-- is missing). Declared here as well because the autosave's statement reads it: a save is
-- applied only while the session it came with still exists.
create schema if not exists tower_sessions;

create table if not exists tower_sessions.session (
    id text primary key not null,
    data bytea not null,
    expiry_date timestamptz not null
);
