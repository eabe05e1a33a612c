//! The sync protocol: what `POST /api/v1/sync/push` and `GET /api/v1/sync/pull` carry.

use crate::record::RecordEnvelope;
use crate::roster::{RosterSnapshot, UserProfile};
use crate::validate::FieldError;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The most records one push may carry; the client sends its outbox in batches of this size.
pub const MAX_PUSH_BATCH: usize = 500;
/// The most records one pull answer carries; `more` says when to ask again.
pub const PULL_PAGE: usize = 2000;

/// A batch of records. Each element is decoded on its own, so one that does not fit the type is
/// refused alone with the field at fault, and the rest are still stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<RecordEnvelope>))]
    pub records: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PushStatus {
    /// Stored; this revision is now the record's current one.
    Accepted,
    /// Already stored (a replay): nothing changed.
    Duplicate,
    /// Built on a revision that is no longer current: kept in the history beside the current
    /// one, which was not overwritten.
    Conflict,
    /// Refused for the fields listed; nothing stored. The client keeps it for the user to fix.
    Invalid,
    /// The author may not write about this room, class or student (an HTTP 403 for this record).
    Forbidden,
}

impl PushStatus {
    /// Whether the outbox may forget the record: the server holds this revision for good.
    pub fn settles_outbox(self) -> bool {
        matches!(self, PushStatus::Accepted | PushStatus::Duplicate | PushStatus::Conflict)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResult {
    /// The record's id, when it could be read.
    pub id: Option<Uuid>,
    pub revision: Option<u32>,
    pub status: PushStatus,
    /// The HTTP status this record would have had on its own (200, 400, 403, 409).
    pub http_status: u16,
    /// The server sequence number of the stored change (accepted, conflict).
    pub seq: Option<i64>,
    /// The record's current revision on the server (conflict, duplicate).
    pub current_revision: Option<u32>,
    #[serde(default)]
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    /// One result per record, in the order of the request.
    pub results: Vec<PushResult>,
}

/// A record as the server holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredRecord {
    pub seq: i64,
    pub record: RecordEnvelope,
    /// Revisions of this record that were refused as conflicts and kept beside it.
    #[serde(default)]
    pub conflicts: Vec<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    pub user: UserProfile,
    /// The school's IANA time zone, e.g. `Asia/Shanghai`.
    pub time_zone: String,
    /// The zone's offset from UTC now, in seconds, for clients without a tz database.
    pub utc_offset_seconds: i32,
    pub institution: String,
    /// The roster in the user's scope, present when it changed after `since` (or `since` is 0).
    pub roster: Option<RosterSnapshot>,
    pub records: Vec<StoredRecord>,
    /// The institution's duty rules and calendar, so the phone computes its duties offline.
    #[serde(default)]
    pub duty_setup: Option<crate::duties::DutySetup>,
    /// Pass as `since` next time.
    pub cursor: i64,
    /// More changes wait beyond this page: pull again at once with the new cursor.
    pub more: bool,
    /// A fingerprint of what the user may see (assigned classes, their rooms and students,
    /// links). Pass it back as `scope` with the next pull.
    #[serde(default)]
    pub scope: String,
    /// This page starts a full pull: the first one, the user's scope is no longer the one the
    /// phone sent (a class given or taken away), or the phone's cursor is past the server's last
    /// change (the database was restored from a backup). Once its last page is in, the phone drops
    /// every synced record the full pull did not bring: it may no longer see them.
    #[serde(default)]
    pub reset: bool,
}

/// Where a revision stands in a record's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RevisionStatus {
    /// What everyone sees now.
    Current,
    /// Replaced by a later edit; kept.
    Superseded,
    /// Made on an outdated base; kept beside the current one, never applied.
    Conflict,
}

/// One revision as the server received it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordRevision {
    pub status: RevisionStatus,
    /// When the server stored it (the envelope's `saved_at` says when the phone saved it).
    pub received_at: DateTime<FixedOffset>,
    pub record: RecordEnvelope,
}

/// `GET /api/v1/records/{id}/revisions`: every revision of one record, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevisionHistory {
    pub id: Uuid,
    pub revisions: Vec<RecordRevision>,
}

/// The top-level fields of a record's data that differ between two revisions, in the order of
/// the newer one; a deletion or restoration shows as `deleted`.
pub fn changed_fields(older: &RecordEnvelope, newer: &RecordEnvelope) -> Vec<String> {
    let data = |e: &RecordEnvelope| match serde_json::to_value(&e.body) {
        Ok(serde_json::Value::Object(mut m)) => match m.remove("data") {
            Some(serde_json::Value::Object(d)) => d,
            _ => serde_json::Map::new(),
        },
        _ => serde_json::Map::new(),
    };
    let (old, new) = (data(older), data(newer));
    let mut changed: Vec<String> = Vec::new();
    if older.deleted != newer.deleted {
        changed.push("deleted".into());
    }
    for (key, value) in &new {
        if old.get(key) != Some(value) {
            changed.push(key.clone());
        }
    }
    for key in old.keys() {
        if !new.contains_key(key) {
            changed.push(key.clone());
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_stored_outcomes_settle_the_outbox() {
        assert!(PushStatus::Accepted.settles_outbox());
        assert!(PushStatus::Duplicate.settles_outbox());
        assert!(PushStatus::Conflict.settles_outbox());
        assert!(!PushStatus::Invalid.settles_outbox());
        assert!(!PushStatus::Forbidden.settles_outbox());
    }

    #[test]
    fn changed_fields_name_what_an_edit_changed() {
        use crate::kinds::duty_log::{DutyLog, DutyShift};
        let at = crate::school_time::now_in(&crate::school_time::offset(8 * 3600));
        let log = DutyLog { shift: DutyShift::Day, started_at: at, buildings: vec![], events: "平安".into(), escalated: String::new() };
        let first = RecordEnvelope::new(crate::RecordBody::DutyLog(log.clone()), crate::UserId(1), "d", at);
        assert!(changed_fields(&first, &first).is_empty());
        let edited = first.edited(crate::RecordBody::DutyLog(DutyLog { events: "停电".into(), ..log.clone() }), false, "d", at);
        assert_eq!(changed_fields(&first, &edited), vec!["events".to_string()]);
        let deleted = edited.edited(edited.body.clone(), true, "d", at);
        assert_eq!(changed_fields(&edited, &deleted), vec!["deleted".to_string()]);
    }

    #[test]
    fn status_words_on_the_wire() {
        let words: Vec<_> = [PushStatus::Accepted, PushStatus::Duplicate, PushStatus::Conflict, PushStatus::Invalid, PushStatus::Forbidden]
            .iter()
            .map(|s| serde_json::to_value(s).unwrap())
            .collect();
        assert_eq!(words, vec!["accepted", "duplicate", "conflict", "invalid", "forbidden"]);
    }
}
