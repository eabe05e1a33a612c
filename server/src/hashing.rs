//! The bounded pool that password hashing runs on, so a flood of sign-ins cannot starve syncs.

use crate::error::ApiError;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::Semaphore;

/// Argon2 waiting its turn beyond this is told to come back (503) rather than queue for ever.
const MAX_WAITING_HASHES: usize = 64;

/// Argon2 is slow on purpose and all CPU: it runs on tokio's blocking threads, at most one per
/// core at a time. A flood of sign-ins waits in a short queue; past it, it is told to come back
/// (503 with Retry-After), so the async workers keep serving syncs and pages.
pub struct HashingPool {
    permits: Semaphore,
    waiting: AtomicUsize,
}

impl Default for HashingPool {
    fn default() -> Self {
        HashingPool { permits: crate::memory::turns_per_core(), waiting: AtomicUsize::new(0) }
    }
}

/// Decrements the queue length however the wait ends (done, or the client went away).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl HashingPool {
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
        let waiting = Waiting(&self.waiting);
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING_HASHES {
            return Err(ApiError::Busy { retry_after: 2 });
        }
        let permit = self.permits.acquire().await.map_err(|e| ApiError::Internal(e.into()))?;
        drop(waiting);
        let result = tokio::task::spawn_blocking(work).await.map_err(|e| ApiError::Internal(e.into()));
        drop(permit);
        result
    }
}
