//! How the server keeps its resident memory near what it is using, not near the most it ever
//! used: answers built whole are built a few at a time ([`HeavyAnswers`]), and what a burst of
//! them took is handed back to the system afterwards ([`release_freed`]).
//!
//! glibc's allocator, left alone, keeps what a burst took: each thread that allocates may get
//! an arena of its own (up to eight per core), freed memory stays in the arena for the next
//! request, and after a large block (argon2's 19 MiB) is freed, it raises its own thresholds so
//! that blocks that size and what lies free under them are kept too. Measured with the load
//! bench (`docs/performance.md`, "Many phones at once").

use crate::error::ApiError;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::{Semaphore, SemaphorePermit};

/// Sets the allocator up for a server: call first thing in `main`, before any thread starts.
/// Two arenas (the async workers and the blocking threads share them rather than taking one
/// each), and fixed thresholds: blocks from 256 KiB up (a page of pull, argon2's memory) are
/// mapped on their own and unmapped when freed, and free memory above 1 MiB at an arena's top
/// is handed back at once.
pub fn configure_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets the allocator's parameters; it is called before other threads exist.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1024 * 1024);
    }
}

/// Hands the pages that are free in the middle of the allocator's arenas back to the system
/// (the thresholds above only reach an arena's top). Walks every arena: a few milliseconds, run
/// on a blocking thread after a burst, not after every request.
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: malloc_trim is thread-safe; it only returns free pages to the system.
        let trim = || unsafe { libc::malloc_trim(0) };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => drop(runtime.spawn_blocking(trim)),
            Err(_) => drop(trim()),
        }
    }
}

/// Answers built whole in memory (a first pull: the user's roster and up to a page of
/// records, about a megabyte for a counselor's semester) take turns, a few at a time: 200
/// phones syncing at once in the morning would otherwise hold 200 of them at once. Latecomers
/// wait their turn; the small incremental pulls and pushes do not queue here. When the last
/// one waiting is done, the memory the burst took is handed back ([`release_freed`]).
pub struct HeavyAnswers {
    permits: Semaphore,
    /// Building or waiting to.
    wanted: AtomicUsize,
}

/// As many turns as the machine has cores: CPU-bound work (an answer built whole, a password
/// hashed) beyond that only waits and holds memory.
pub fn turns_per_core() -> Semaphore {
    Semaphore::new(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2))
}

impl Default for HeavyAnswers {
    fn default() -> Self {
        HeavyAnswers { permits: turns_per_core(), wanted: AtomicUsize::new(0) }
    }
}

/// One heavy answer's turn; ends when dropped.
pub struct HeavyTurn<'a> {
    _permit: SemaphorePermit<'a>,
    _wanted: Wanted<'a>,
}

/// Counts a heavy answer from the moment it asks for a turn, so a burst ends when no one is
/// building or waiting; however the request ends (done, failed, or the client went away).
struct Wanted<'a>(&'a AtomicUsize);

impl Drop for Wanted<'_> {
    fn drop(&mut self) {
        if self.0.fetch_sub(1, Ordering::SeqCst) == 1 {
            release_freed();
        }
    }
}

impl HeavyAnswers {
    /// Waits for a turn to build a heavy answer.
    pub async fn turn(&self) -> Result<HeavyTurn<'_>, ApiError> {
        self.wanted.fetch_add(1, Ordering::SeqCst);
        let wanted = Wanted(&self.wanted);
        let permit = self.permits.acquire().await.map_err(|e| ApiError::Internal(e.into()))?;
        Ok(HeavyTurn { _permit: permit, _wanted: wanted })
    }

    /// How many heavy answers are being built or waiting (for tests).
    pub fn wanted(&self) -> usize {
        self.wanted.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn heavy_answers_take_turns_and_are_counted_until_done() {
        let heavy = HeavyAnswers { permits: Semaphore::new(1), wanted: AtomicUsize::new(0) };
        let first = heavy.turn().await.expect("a turn");
        assert_eq!(heavy.wanted(), 1);
        // The second waits while the first holds the only turn.
        let second = heavy.turn();
        tokio::pin!(second);
        assert!(tokio::time::timeout(std::time::Duration::from_millis(50), &mut second).await.is_err(), "the second answer did not wait");
        drop(first);
        let second = second.await.expect("a turn after the first");
        assert_eq!(heavy.wanted(), 1);
        drop(second);
        assert_eq!(heavy.wanted(), 0);
    }
}
