//! Secrets: random tokens, the hashes they are kept as, and argon2 passwords. Hashing and
//! checking a password take tens of milliseconds of CPU and 19 MiB each, so they run on
//! the blocking pool, one per core at a time: a burst of sign-ins must not stall the
//! async workers that serve pages, nor hold memory for every attempt at once.

use crate::{AppError, AppResult};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;
use tokio::sync::Semaphore;

/// A random secret: 32 bytes, URL-safe base64.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Compares two secrets in a time that does not depend on where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Secrets are kept as SHA-256 hashes, so a copy of the database holds no usable token.
pub fn secret_hash(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Password work running at once: one per core this process may use. More would only
/// share the cores, make each sign-in slower and hold argon2's memory for each.
static PASSWORD_SLOTS: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(1, |n| n.get())));

/// Runs password work on the blocking pool when a slot is free.
async fn password_work<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> AppResult<T> {
    let _slot = PASSWORD_SLOTS
        .acquire()
        .await
        .map_err(|e| AppError::Internal(Box::new(e)))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::Internal(Box::new(e)))
}

/// An argon2id hash (PHC string) with a fresh salt.
pub async fn hash_password(password: &str) -> AppResult<String> {
    let password = password.to_string();
    password_work(move || hash_now(&password)).await?
}

/// Whether `password` matches `hash`.
pub async fn verify_password(password: &str, hash: &str) -> AppResult<bool> {
    let (password, hash) = (password.to_string(), hash.to_string());
    password_work(move || verify_now(&password, &hash)).await
}

/// Checks a password against the decoy hash: an unknown account takes as long to refuse
/// as a wrong password.
pub async fn verify_decoy(password: &str) -> AppResult<()> {
    let password = password.to_string();
    password_work(move || verify_now(&password, &DECOY_HASH)).await?;
    Ok(())
}

fn hash_now(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(format!("password hashing: {e}")))
}

fn verify_now(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

static DECOY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_now("decoy password").unwrap_or_default());

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_password_verifies_against_its_own_hash_only() {
        let hash = hash_password("correct horse battery").await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(
            verify_password("correct horse battery", &hash)
                .await
                .unwrap()
        );
        assert!(
            !verify_password("correct horse battery!", &hash)
                .await
                .unwrap()
        );
        assert!(!verify_password("anything", "not a hash").await.unwrap());
        // Two hashes of one password differ: each has its own salt.
        assert_ne!(hash, hash_password("correct horse battery").await.unwrap());
    }

    #[test]
    fn secrets_are_random_and_kept_as_hashes() {
        let (a, b) = (random_secret(), random_secret());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(secret_hash(&a).len(), 64);
        assert_eq!(secret_hash(&a), secret_hash(&a));
    }
}
