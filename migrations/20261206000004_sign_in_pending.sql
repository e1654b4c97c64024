-- A sign-in attempt is counted before its password is checked (so guesses sent at once get no
-- more tries than the limit). While it is being checked it is pending: it counts against its
-- account, not yet against the client address (a class signing in at once from one address
-- must not lock itself out); a wrong password makes it a failure, a right one deletes it.
alter table sign_in_failure add column pending boolean not null default false;
