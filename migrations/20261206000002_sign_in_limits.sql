-- Sign-in and sign-up limits (issue 17).

-- Browsers that have signed in to an account before (a "device cookie", as OWASP ASVS
-- suggests against lockout abuse): a right password from one gets through while the account's
-- failure limit is used up by somebody else's guesses. Only a hash of the cookie is kept.
create table known_device (
    token_hash text primary key,
    user_id bigint not null,
    created_at timestamptz not null default now(),
    constraint known_device_user_fk foreign key (user_id) references app_user (user_id) on delete cascade
);

create index known_device_user_idx on known_device (user_id);

-- Sign-up attempts per client address, counted over a sliding window (each costs a hash).
create table sign_up_attempt (
    client_addr text not null,
    attempted_at timestamptz not null default now()
);

create index sign_up_attempt_addr_idx on sign_up_attempt (client_addr, attempted_at);
