//! Integration tests: the real router and a real PostgreSQL database (a fresh, migrated one per
//! test through `#[sqlx::test]`). One test binary, so it links once.

mod accounts;
mod attacker;
mod bank;
mod exams;
mod faults;
mod groups;
mod health;
mod helpers;
mod hostile;
mod packs;
mod practice;
mod probe;
mod reference;
mod reports;
