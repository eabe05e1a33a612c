//! What staff and the office see of sign-in security: a person's open sessions ("signed in on
//! 2 devices"), the office's idle timeout, and the addresses stopped for failing too often.
//! Shared by the server's API and the pages that show it.

use crate::validate::ValidationErrors;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One of a person's open sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    /// A public id: the session's token never leaves the server.
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub address: String,
    pub user_agent: String,
    /// The session the request came with (this device).
    #[serde(default)]
    pub current: bool,
}

/// A time an address was stopped from signing in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lockout {
    pub address: String,
    /// The account tried; none when the address was stopped for trying many (a spray).
    pub username: Option<String>,
    pub failures: i64,
    pub locked_until: DateTime<Utc>,
    pub at: DateTime<Utc>,
}

/// The office's settings of sign-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecuritySettings {
    /// A session unused this long ends, in minutes.
    pub idle_timeout_minutes: i64,
}

pub const IDLE_MIN_MINUTES: i64 = 5;
pub const IDLE_MAX_MINUTES: i64 = 30 * 24 * 60;

impl SecuritySettings {
    pub fn validate(&self) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        if !(IDLE_MIN_MINUTES..=IDLE_MAX_MINUTES).contains(&self.idle_timeout_minutes) {
            errors.add("idle_timeout_minutes", "out_of_range", format!("must be between {IDLE_MIN_MINUTES} and {IDLE_MAX_MINUTES} minutes"));
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_idle_timeout_stays_between_five_minutes_and_thirty_days() {
        for (minutes, ok) in [(4, false), (5, true), (4320, true), (43_200, true), (43_201, false), (-1, false)] {
            assert_eq!(SecuritySettings { idle_timeout_minutes: minutes }.validate().is_empty(), ok, "{minutes}");
        }
    }
}
