//! Password hashing (argon2id with the OWASP parameters) and the password policy.
//!
//! Hashing is CPU-bound for tens of milliseconds and needs 19 MiB of memory, so it runs on a
//! few threads of its own (one per core): a burst of sign-ins queues instead of starving every
//! other request of CPU, and the memory stays bounded: each thread allocates its 19 MiB once
//! and reuses it. (Allocating it for every hash, glibc kept the freed blocks around: 128
//! sign-ins left the server holding 250-300 MB.)

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, LazyLock, Mutex};

use anyhow::Context;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

/// Passwords from a public list of the most common ones (zxcvbn's frequency list, entries of
/// six characters or more), lowercase.
static COMMON: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("common_passwords.txt").lines().collect());

type Job = Box<dyn FnOnce() + Send>;

/// The hashing threads (one per core), fed through one queue.
static HASHING: LazyLock<Sender<Job>> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let (sender, receiver) = channel::<Job>();
    let receiver = Arc::new(Mutex::new(receiver));
    for n in 0..cores {
        let receiver = Arc::clone(&receiver);
        let spawned = std::thread::Builder::new()
            .name(format!("argon2-{n}"))
            .spawn(move || {
                loop {
                    // The lock is held only while taking a job, not while running it.
                    let job = match receiver.lock() {
                        Ok(queue) => queue.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                }
            });
        if let Err(err) = spawned {
            tracing::error!(error = %err, "cannot start a password hashing thread");
        }
    }
    sender
});

/// Runs `work` on a hashing thread and waits for its result.
async fn on_hashing_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> anyhow::Result<T> {
    let (reply, result) = tokio::sync::oneshot::channel();
    HASHING
        .send(Box::new(move || {
            let _ = reply.send(work());
        }))
        .map_err(|_| anyhow::anyhow!("no password hashing thread is running"))?;
    result.await.context("the password hashing thread failed")
}

/// A hash of a random password, verified against when the email is unknown, so that an
/// unknown email takes as long as a wrong password.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_now(b"no account has this password").unwrap_or_default());

thread_local! {
    /// This thread's argon2 memory (19 MiB), allocated on first use and reused.
    static BLOCKS: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Runs argon2 with `params` over this thread's reusable memory.
fn compute(
    argon: &Argon2<'_>,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), argon2::Error> {
    BLOCKS.with_borrow_mut(|blocks| {
        let needed = argon.params().block_count();
        if blocks.len() < needed {
            blocks.resize(needed, Block::default());
        }
        argon.hash_password_into_with_memory(password, salt, out, &mut blocks[..needed])
    })
}

/// A new PHC string for `password` (on the calling thread).
fn hash_now(password: &[u8]) -> anyhow::Result<String> {
    let argon = hasher();
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_raw = salt
        .decode_b64(&mut salt_bytes)
        .map_err(|err| anyhow::anyhow!("salt: {err}"))?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    compute(&argon, password, salt_raw, &mut out)
        .map_err(|err| anyhow::anyhow!("hash password: {err}"))?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(argon.params())
            .map_err(|err| anyhow::anyhow!("params: {err}"))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|err| anyhow::anyhow!("output: {err}"))?),
    };
    Ok(hash.to_string())
}

/// Whether `password` matches a PHC string (with the parameters stored in it), compared in
/// constant time.
fn verify_now(password: &[u8], stored: &str) -> anyhow::Result<bool> {
    let parsed = PasswordHash::new(stored)
        .map_err(|err| anyhow::anyhow!("stored hash unreadable: {err}"))?;
    let algorithm = Algorithm::try_from(parsed.algorithm)
        .map_err(|err| anyhow::anyhow!("stored hash algorithm: {err}"))?;
    let version = parsed
        .version
        .map(Version::try_from)
        .transpose()
        .map_err(|err| anyhow::anyhow!("stored hash version: {err}"))?
        .unwrap_or_default();
    let params =
        Params::try_from(&parsed).map_err(|err| anyhow::anyhow!("stored hash params: {err}"))?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        anyhow::bail!("stored hash has no salt or output");
    };
    let mut salt_bytes = [0u8; 64];
    let salt_raw = salt
        .decode_b64(&mut salt_bytes)
        .map_err(|err| anyhow::anyhow!("stored salt: {err}"))?;
    let mut out = vec![0u8; expected.len()];
    compute(
        &Argon2::new(algorithm, version, params),
        password,
        salt_raw,
        &mut out,
    )
    .map_err(|err| anyhow::anyhow!("verify password: {err}"))?;
    Ok(Output::new(&out).is_ok_and(|computed| computed == expected))
}

/// argon2id, m = 19 MiB, t = 2, p = 1: the OWASP minimum recommendation.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Why the server refuses a new password beyond its length (a message for the form).
pub fn policy_problem(password: &str, email: &str, display_name: &str) -> Option<String> {
    if let Err(message) = shared::account::check_password_length(password) {
        return Some(message);
    }
    let lower = password.to_lowercase();
    if COMMON.contains(lower.as_str()) {
        return Some("This password is on a list of common passwords. Choose another.".into());
    }
    // A common password with digits or symbols added ("monkey123456!") is no better.
    let stem = lower.trim_end_matches(|c: char| !c.is_alphabetic());
    let stem = stem.trim_start_matches(|c: char| !c.is_alphabetic());
    if stem.chars().count() >= 6 && COMMON.contains(stem) {
        return Some(
            "This is a common password with a few characters added. Choose another.".into(),
        );
    }
    if lower == email.to_lowercase() || lower == display_name.to_lowercase() {
        return Some("Do not use your email address or name as your password.".into());
    }
    let distinct: HashSet<char> = lower.chars().collect();
    if distinct.len() < 4 {
        return Some("Use more different characters.".into());
    }
    None
}

/// Hashes a password into a PHC string.
pub async fn hash(password: String) -> anyhow::Result<String> {
    on_hashing_thread(move || hash_now(password.as_bytes())).await?
}

/// Whether a password matches a stored hash. With no hash (unknown email) a dummy hash is
/// checked instead, so both cases cost the same.
pub async fn verify(password: String, stored: Option<String>) -> anyhow::Result<bool> {
    on_hashing_thread(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.clone());
        let matches = verify_now(password.as_bytes(), &stored)?;
        Ok(known && matches)
    })
    .await?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_passwords_are_refused_even_with_digits_added() {
        assert!(policy_problem("qwerty123456", "a@b.co", "Ada").is_some());
        assert!(policy_problem("monkey123456!", "a@b.co", "Ada").is_some());
        assert!(policy_problem("Password1234", "a@b.co", "Ada").is_some());
        assert!(policy_problem("aaaaaaaaaaaaaaa", "a@b.co", "Ada").is_some());
        assert!(policy_problem("ada@example.org", "ada@example.org", "Ada").is_some());
    }

    #[test]
    fn an_unusual_passphrase_is_accepted() {
        assert_eq!(
            policy_problem("copper kettle marches north", "a@b.co", "Ada"),
            None
        );
    }

    #[tokio::test]
    async fn a_hash_verifies_only_its_password() {
        let stored = hash("copper kettle marches north".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            verify("copper kettle marches north".into(), Some(stored.clone()))
                .await
                .unwrap()
        );
        assert!(
            !verify("copper kettle marches south".into(), Some(stored))
                .await
                .unwrap()
        );
        assert!(!verify("anything".into(), None).await.unwrap());
    }

    #[tokio::test]
    async fn hashes_of_the_standard_api_still_verify_and_the_other_way_round() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let salt = SaltString::generate(&mut OsRng);
        let standard = hasher()
            .hash_password(b"copper kettle marches north", &salt)
            .unwrap()
            .to_string();
        assert!(
            verify("copper kettle marches north".into(), Some(standard))
                .await
                .unwrap()
        );
        let ours = hash("copper kettle marches north".into()).await.unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            hasher()
                .verify_password(b"copper kettle marches north", &parsed)
                .is_ok()
        );
        assert!(
            hasher()
                .verify_password(b"copper kettle marches south", &parsed)
                .is_err()
        );
    }
}
