//! The app's state on the phone: what the local store holds, mirrored in signals so every page
//! renders from it the same way online and offline.

use leptos::prelude::*;
use rounds::record::{LinkedAccess, Subject};
use rounds::sorting::Order;
use rounds::{FieldError, RecordEnvelope, RoomId, RosterSnapshot, UserProfile};
use serde::{Deserialize, Serialize};

/// Where a record on the phone stands with the server.
// `Deserialize` by hand, through `SyncStateFields` (see `rounds::tagged`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", content = "errors", rename_all = "snake_case")]
pub enum SyncState {
    /// Saved on the phone, in the outbox.
    Pending,
    /// The server holds this revision.
    Synced,
    /// The server refused it for these fields; kept for the user to fix.
    Invalid(Vec<FieldError>),
    /// The author may not write about this subject; kept, never dropped.
    Forbidden(Vec<FieldError>),
    /// Another revision was made on the same base; both are kept on the server.
    Conflict,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum SyncStateName {
    Pending,
    Synced,
    Invalid,
    Forbidden,
    Conflict,
}

/// A sync state as stored, `{ "state", "errors" }`: serde's adjacently tagged decoder would buffer
/// `errors` written before `state` in its `Content`, for every record the phone's store reads.
#[derive(Deserialize)]
#[serde(rename = "SyncState")]
struct SyncStateFields {
    state: SyncStateName,
    errors: Option<Vec<FieldError>>,
}

impl<'de> Deserialize<'de> for SyncState {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use rounds::tagged::{absent, required};
        let f = SyncStateFields::deserialize(deserializer)?;
        Ok(match f.state {
            SyncStateName::Pending => absent(f.errors, "errors", "pending").map(|()| SyncState::Pending)?,
            SyncStateName::Synced => absent(f.errors, "errors", "synced").map(|()| SyncState::Synced)?,
            SyncStateName::Invalid => SyncState::Invalid(required(f.errors, "errors")?),
            SyncStateName::Forbidden => SyncState::Forbidden(required(f.errors, "errors")?),
            SyncStateName::Conflict => absent(f.errors, "errors", "conflict").map(|()| SyncState::Conflict)?,
        })
    }
}

impl SyncState {
    /// Still only on the phone.
    pub fn unsynced(&self) -> bool {
        matches!(self, SyncState::Pending | SyncState::Invalid(_) | SyncState::Forbidden(_))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalRecord {
    pub record: RecordEnvelope,
    pub state: SyncState,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Connection {
    Unknown,
    Syncing,
    Online,
    Offline,
    NeedsLogin,
}

#[derive(Clone, Copy)]
pub struct AppStore {
    /// The local store has been read (always false while rendering on the server).
    pub ready: RwSignal<bool>,
    pub user: RwSignal<Option<UserProfile>>,
    pub roster: RwSignal<RosterSnapshot>,
    /// Newest first.
    pub records: RwSignal<Vec<LocalRecord>>,
    pub last_sync: RwSignal<Option<chrono::DateTime<chrono::FixedOffset>>>,
    pub connection: RwSignal<Connection>,
    pub utc_offset_seconds: RwSignal<i32>,
    pub time_zone: RwSignal<String>,
    /// The school's duty rules and calendar from the last pull that carried them; `None` until
    /// one has: no made-up calendar stands in for a real school's.
    pub duty_setup: RwSignal<Option<rounds::duties::DutySetup>>,
    /// A new build's service worker waits for the user's go-ahead.
    pub update_ready: RwSignal<bool>,
    /// A one-line message shown at the top of the next page ("已保存").
    pub flash: RwSignal<Option<String>>,
    /// The browser's answer to `navigator.storage.persist()`; `None` until asked.
    pub storage_persisted: RwSignal<Option<bool>>,
}

impl AppStore {
    /// The current records of kind `T` on this device with their ids (deleted ones left out).
    pub fn current_of<T: Clone>(&self) -> Vec<(uuid::Uuid, T)>
    where
        for<'a> &'a T: TryFrom<&'a rounds::RecordBody>,
    {
        self.records.with(|all| {
            all.iter().filter(|r| !r.record.deleted).filter_map(|r| <&T>::try_from(&r.record.body).ok().map(|t| (r.record.id, t.clone()))).collect()
        })
    }

    /// `f` over this device's records as the envelopes the domain's functions take.
    pub fn with_envelopes<R>(&self, f: impl FnOnce(&[&RecordEnvelope]) -> R) -> R {
        self.records.with(|all| {
            let envelopes: Vec<&RecordEnvelope> = all.iter().map(|r| &r.record).collect();
            f(&envelopes)
        })
    }

    pub fn new() -> Self {
        AppStore {
            ready: RwSignal::new(false),
            user: RwSignal::new(None),
            roster: RwSignal::new(RosterSnapshot::default()),
            records: RwSignal::new(Vec::new()),
            last_sync: RwSignal::new(None),
            connection: RwSignal::new(Connection::Unknown),
            utc_offset_seconds: RwSignal::new(rounds::school_time::DEFAULT_OFFSET_SECONDS),
            time_zone: RwSignal::new(rounds::school_time::DEFAULT_TIME_ZONE.to_string()),
            duty_setup: RwSignal::new(None),
            update_ready: RwSignal::new(false),
            flash: RwSignal::new(None),
            storage_persisted: RwSignal::new(None),
        }
    }

    pub fn zone(&self) -> chrono::FixedOffset {
        rounds::school_time::offset(self.utc_offset_seconds.get())
    }

    pub fn unsynced_count(&self) -> usize {
        self.records.with(|r| r.iter().filter(|r| r.state.unsynced()).count())
    }

    /// Whether the signed-in user may write a record of a kind (by its `K::LINKED`) about a
    /// subject, as the server will judge it; pages offer only such forms. Reactive.
    pub fn may_write(&self, subject: Subject, access: LinkedAccess) -> bool {
        self.access(subject).may_write(access)
    }

    /// How the signed-in user stands to a subject (outside when signed out). Reactive. Derives
    /// the scope from the whole roster: ask once per subject, not once per kind.
    pub fn access(&self, subject: Subject) -> rounds::Access {
        self.scope().map_or(rounds::Access::Outside, |s| s.access(subject))
    }

    /// The signed-in user's scope, derived from this device's roster (`None` when signed out).
    /// Reactive; a list asking about many subjects derives it once.
    pub fn scope(&self) -> Option<rounds::Scope> {
        let (id, role) = self.user.with(|u| u.as_ref().map(|u| (u.id, u.role)))?;
        Some(self.roster.with(|r| rounds::Scope::of_phone(id, role, r)))
    }

    /// The records about a room, newest first, deleted ones left out.
    pub fn room_records(&self, room: RoomId) -> Vec<LocalRecord> {
        self.records.with(|all| all.iter().filter(|r| !r.record.deleted && r.record.body.subject() == Subject::Room(room)).cloned().collect())
    }

    /// Merges many records into the list (newer revisions of the same id win over the list's),
    /// sorting once: a pull of thousands of records must not rescan the list for each.
    pub fn merge(list: &mut Vec<LocalRecord>, records: Vec<LocalRecord>) {
        if records.is_empty() {
            return;
        }
        let incoming: std::collections::HashSet<uuid::Uuid> = records.iter().map(|r| r.record.id).collect();
        list.retain(|r| !incoming.contains(&r.record.id));
        list.extend(records);
        list.order_by_key(|r| std::cmp::Reverse(r.record.body.occurred_at()));
    }

    /// Puts a record in the list in its place (newest occurrence first), replacing an older
    /// revision of it.
    pub fn upsert_local(list: &mut Vec<LocalRecord>, record: LocalRecord) {
        list.retain(|r| r.record.id != record.record.id);
        let at = record.record.body.occurred_at();
        let pos = list.iter().position(|r| r.record.body.occurred_at() < at).unwrap_or(list.len());
        list.insert(pos, record);
    }
}

impl Default for AppStore {
    fn default() -> Self {
        Self::new()
    }
}

/// Seconds until the timer tries again: every 30 s when all is well, backing off from 5 s to
/// five minutes while the network fails.
pub fn next_sync_delay_seconds(failures: u32) -> u32 {
    if failures == 0 {
        30
    } else {
        (5u32 << failures.min(7).saturating_sub(1)).min(300)
    }
}

pub fn use_store() -> AppStore {
    expect_context::<AppStore>()
}

/// The phone's stored records feed the same pure functions as the server's.
impl AsRef<rounds::RecordEnvelope> for LocalRecord {
    fn as_ref(&self) -> &rounds::RecordEnvelope {
        &self.record
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sync_states_read_in_any_key_order() {
        let errors = vec![FieldError { field: "body.data.notes".into(), code: "too_long".into(), message: "at most 2000 characters".into() }];
        let states = [SyncState::Pending, SyncState::Synced, SyncState::Invalid(errors.clone()), SyncState::Forbidden(errors.clone()), SyncState::Conflict];
        for state in states {
            let text = serde_json::to_string(&state).unwrap();
            assert!(text.starts_with(r#"{"state":"#), "{text}");
            assert_eq!(serde_json::from_str::<SyncState>(&text).unwrap(), state, "{text}");
        }
        assert_eq!(serde_json::to_string(&SyncState::Pending).unwrap(), r#"{"state":"pending"}"#);
        let errors_first = r#"{"errors":[{"field":"body.data.notes","code":"too_long","message":"at most 2000 characters"}],"state":"invalid"}"#;
        assert_eq!(serde_json::from_str::<SyncState>(errors_first).unwrap(), SyncState::Invalid(errors));
        assert_eq!(serde_json::from_str::<SyncState>(r#"{"state":"synced","errors":null}"#).unwrap(), SyncState::Synced);
    }

    #[test]
    fn a_sync_state_names_what_is_wrong() {
        let error = |text: &str| serde_json::from_str::<SyncState>(text).unwrap_err().to_string();
        assert!(error(r#"{"state":"lost"}"#).starts_with("unknown variant `lost`, expected one of `pending`"));
        assert!(error(r#"{"state":"invalid"}"#).starts_with("missing field `errors`"));
        assert!(error(r#"{"errors":[]}"#).starts_with("missing field `state`"));
        assert!(error(r#"{"state":"pending","errors":[]}"#).starts_with("`pending` takes no `errors`"));
    }

    #[test]
    fn sync_backoff_grows_and_caps() {
        assert_eq!(next_sync_delay_seconds(0), 30);
        assert_eq!(next_sync_delay_seconds(1), 5);
        assert_eq!(next_sync_delay_seconds(2), 10);
        assert_eq!(next_sync_delay_seconds(4), 40);
        assert_eq!(next_sync_delay_seconds(6), 160);
        assert_eq!(next_sync_delay_seconds(7), 300);
        assert_eq!(next_sync_delay_seconds(60), 300);
    }

    fn local(n: u128, minutes: i64) -> LocalRecord {
        let roster_free = rounds::DutyLog {
            started_at: chrono::DateTime::parse_from_rfc3339("2026-11-23T20:00:00+08:00").unwrap() + chrono::Duration::minutes(minutes),
            shift: rounds::DutyShift::Night,
            buildings: vec![],
            events: "x".into(),
            escalated: String::new(),
        };
        let mut record = RecordEnvelope::new(
            rounds::RecordBody::DutyLog(roster_free),
            rounds::UserId(1),
            "t",
            chrono::DateTime::parse_from_rfc3339("2026-11-23T20:00:00+08:00").unwrap(),
        );
        record.id = uuid::Uuid::from_u128(n);
        LocalRecord { record, state: SyncState::Synced }
    }

    #[test]
    fn merge_replaces_by_id_and_keeps_newest_first() {
        let mut list = vec![];
        AppStore::merge(&mut list, vec![local(1, 0), local(2, 10)]);
        AppStore::merge(&mut list, vec![local(1, 20), local(3, 5)]);
        let order: Vec<u128> = list.iter().map(|r| r.record.id.as_u128()).collect();
        assert_eq!(order, vec![1, 2, 3]);
        let mut one = list.clone();
        AppStore::upsert_local(&mut one, local(3, 30));
        assert_eq!(one.iter().map(|r| r.record.id.as_u128()).collect::<Vec<_>>(), vec![3, 1, 2]);
    }

    #[test]
    fn unsynced_states() {
        assert!(SyncState::Pending.unsynced());
        assert!(SyncState::Invalid(vec![]).unsynced());
        assert!(!SyncState::Synced.unsynced());
        assert!(!SyncState::Conflict.unsynced());
    }
}
