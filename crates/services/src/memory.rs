//! Small bounded memories of facts that never change, shared by the write paths built for a
//! class working at once (the mock-exam autosave, practice answers): they save a query per
//! request and hold nothing another app instance could make stale.

use std::collections::HashMap;
use std::sync::Mutex;

use tower_sessions::Session;

use super::auth::{self, SessionClaim};
use shared::error::AppError;

/// Sessions remembered before the memory starts over (a few MB at most).
const MAX_SESSIONS: usize = 20_000;

/// What a memory holds for a key.
pub fn recall<K: std::hash::Hash + Eq, V: Clone>(map: &Mutex<HashMap<K, V>>, key: &K) -> Option<V> {
    map.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(key)
        .cloned()
}

/// Inserts into a bounded memory: a full one is emptied first.
pub fn remember<K: std::hash::Hash + Eq, V>(
    map: &Mutex<HashMap<K, V>>,
    max: usize,
    key: K,
    value: V,
) {
    let mut map = map
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if map.len() >= max {
        map.clear();
    }
    map.insert(key, value);
}

/// Who each session says is signed in. A session's signed-in user never changes (signing in
/// gives a new session id), so it is loaded from the store once per session id. What can change
/// (the session signed out or expired, the account's epoch, a disabled account) is for the
/// statement that writes to check.
#[derive(Debug, Default)]
pub struct SessionClaims {
    claims: Mutex<HashMap<String, SessionClaim>>,
}

impl SessionClaims {
    /// The session's id and claim, or `None` when it is not signed in.
    pub async fn claim(
        &self,
        session: &Session,
    ) -> Result<Option<(String, SessionClaim)>, AppError> {
        let Some(id) = session.id().map(|id| id.to_string()) else {
            return Ok(None);
        };
        if let Some(claim) = recall(&self.claims, &id) {
            return Ok(Some((id, claim)));
        }
        let Some(claim) = auth::session_claim(session).await? else {
            return Ok(None);
        };
        remember(&self.claims, MAX_SESSIONS, id.clone(), claim);
        Ok(Some((id, claim)))
    }
}
