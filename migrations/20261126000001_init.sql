-- Foundation and reference pages.

-- Accounts (extended by the accounts issue): who reads, practises and sits exams.
create table app_user (
    user_id bigint generated always as identity primary key,
    email text not null,
    display_name text not null,
    password_hash text not null,
    is_admin boolean not null default false,
    disabled_at timestamptz,
    created_at timestamptz not null default now(),
    constraint app_user_email_unique unique (email),
    constraint app_user_email_lowercase check (email = lower(email))
);

-- Reference sections, synced from content/ at startup, for full-text search.
create table reference_section (
    exam_code text not null,
    page_slug text not null,
    -- '' for the text before a page's first heading.
    heading_id text not null,
    position integer not null,
    page_title text not null,
    heading text not null,
    body text not null,
    search_vector tsvector generated always as (
        setweight(to_tsvector('english', page_title), 'B')
        || setweight(to_tsvector('english', heading), 'A')
        || setweight(to_tsvector('english', body), 'C')
    ) stored,
    constraint reference_section_pkey primary key (exam_code, page_slug, heading_id)
);

create index reference_section_search_idx on reference_section using gin (search_vector);

-- Reading progress: a page a user has marked read (or finished).
create table page_read (
    user_id bigint not null,
    exam_code text not null,
    page_slug text not null,
    read_at timestamptz not null default now(),
    constraint page_read_pkey primary key (user_id, exam_code, page_slug),
    constraint page_read_user_fk foreign key (user_id) references app_user (user_id) on delete cascade
);
