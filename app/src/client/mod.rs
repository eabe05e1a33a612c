//! The client side of offline (browser only): the local store in IndexedDB, the outbox, the
//! sync loop, and the service worker's registration.

pub mod audit;
pub mod http;
pub mod local_store;
pub mod photos;
pub mod pwa;
pub mod sync;

use crate::state::{AppStore, LocalRecord, SyncState};
use leptos::prelude::*;
use rounds::record::ValidationContext;
use rounds::{RecordBody, RecordEnvelope, UserProfile, ValidationErrors};

/// Reads the open account's local store into the app's signals, then starts syncing and the
/// worker. With no account on the phone, the server may still know the browser: a sign-in
/// made before the app's script ran (the plain HTML form) or through the university's login.
pub fn start(store: AppStore) {
    leptos::task::spawn_local(async move {
        let account = match local_store::current_account().await {
            Ok(account) => account,
            Err(e) => {
                leptos::logging::error!("cannot read the local store: {e}");
                None
            }
        };
        let resumed = account.is_some();
        let account = match account {
            Some(user) => Some(user),
            None => match session_user().await.ok().flatten() {
                // A sign-out made offline still holds: that session is ended, not taken up.
                Some(user) if local_store::pending_sign_out().await.ok().flatten() == Some(user.id) => {
                    end_server_session(user.id).await;
                    None
                }
                other => other,
            },
        };
        let opened = match account {
            Some(user) if resumed => resume_account(store, user).await,
            Some(user) => switch_account(store, user).await,
            None => Ok(()),
        };
        if let Err(e) = opened {
            leptos::logging::error!("cannot open the account's local store: {e}");
        }
        store.ready.set(true);
        sync::start_loop(store);
    });
    pwa::register(store);
}

/// Makes `user` the phone's account: opens their own local store and shows what it holds.
/// Another account's records stay in that account's store, untouched, for its owner.
pub async fn switch_account(store: AppStore, user: UserProfile) -> Result<(), String> {
    local_store::open_account(&user).await?;
    local_store::set_pending_sign_out(None).await?;
    show_account(store, user).await
}

/// Opens again the account the phone was left signed in to (a start, offline too). The phone
/// already names it as its account, so nothing is written: a start waits on no commit. (A
/// pending sign-out needs no clearing here: every sign-out writes it afresh, and only a start
/// with no account reads it.)
async fn resume_account(store: AppStore, user: UserProfile) -> Result<(), String> {
    local_store::reopen_account(&user).await?;
    show_account(store, user).await
}

/// Shows what the open account's local store holds.
async fn show_account(store: AppStore, user: UserProfile) -> Result<(), String> {
    let snapshot = local_store::load().await?;
    let mut records = Vec::new();
    AppStore::merge(&mut records, snapshot.records);
    store.records.set(records);
    store.roster.set(snapshot.roster.unwrap_or_default());
    store.last_sync.set(snapshot.last_sync);
    if let Some(offset) = snapshot.utc_offset_seconds {
        store.utc_offset_seconds.set(offset);
    }
    if let Some(tz) = snapshot.time_zone {
        store.time_zone.set(tz);
    }
    store.duty_setup.set(snapshot.duty_setup);
    store.user.set(Some(user));
    // Asked after sign-in, when the browser counts the site as used; the answer is shown.
    pwa::request_persistent_storage(store);
    pwa::precache_field_pages();
    Ok(())
}

/// Ends `user`'s session in this browser on the server. When the server cannot be reached
/// (offline), the sign-out is remembered: the old session is never taken up again, and is
/// ended at the next start. Answers whether the server heard it.
pub async fn end_server_session(user: rounds::UserId) -> bool {
    let heard = matches!(gloo_net::http::Request::delete("/api/v1/session").send().await.map(|r| r.status()), Ok(200..=299 | 401));
    if let Err(e) = local_store::set_pending_sign_out((!heard).then_some(user)).await {
        leptos::logging::error!("cannot note the sign-out on the phone: {e}");
    }
    heard
}

/// Shows nobody's data any more (after sign-out).
pub fn clear_signals(store: AppStore) {
    store.user.set(None);
    store.records.set(Vec::new());
    store.roster.set(Default::default());
    store.duty_setup.set(None);
    store.last_sync.set(None);
}

/// The user the browser's session cookie belongs to: `Ok(None)` when it has none (401),
/// `Err` when the server could not be asked.
pub async fn session_user() -> Result<Option<UserProfile>, http::SyncError> {
    #[derive(serde::Deserialize)]
    struct Session {
        user: UserProfile,
    }
    let response = gloo_net::http::Request::get("/api/v1/session").send().await.map_err(|_| http::SyncError::Offline)?;
    match response.status() {
        401 => Ok(None),
        200..=299 => http::body::<Session>(&response).await.map(|s| Some(s.user)).map_err(http::SyncError::Other),
        s => Err(http::SyncError::from_status(s)),
    }
}

/// Why a save did not happen.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SaveError {
    #[error("{0}")]
    Invalid(ValidationErrors),
    #[error("not signed in")]
    NoUser,
    /// The server would refuse it (403): e.g. a leader's dorm check of the linked room.
    #[error("you may not record this kind of record about this room, class or student")]
    NotAllowed,
    #[error("the phone's storage refused the record: {0}")]
    Storage(String),
}

/// Saves a new record or a new revision of one: validated by the shared validator, then
/// written to the local store and the outbox in one transaction. From here it is durable.
/// An edit keeps the photos of the revision it was made from.
pub async fn save(store: AppStore, body: RecordBody, previous: Option<RecordEnvelope>, deleted: bool) -> Result<RecordEnvelope, SaveError> {
    let photos = previous.as_ref().map(|p| p.photos.clone()).unwrap_or_default();
    save_with_photos(store, body, previous, deleted, photos).await
}

/// [`save`] with the record's photos, already kept on the phone by `photos::take`.
pub async fn save_with_photos(
    store: AppStore,
    body: RecordBody,
    previous: Option<RecordEnvelope>,
    deleted: bool,
    photos: Vec<rounds::PhotoRef>,
) -> Result<RecordEnvelope, SaveError> {
    let user = store.user.get_untracked().ok_or(SaveError::NoUser)?;
    // Nothing goes into the outbox that the server is sure to refuse.
    if !untrack(|| store.may_write(body.subject(), body.linked_access())) {
        return Err(SaveError::NotAllowed);
    }
    let zone = rounds::school_time::offset(store.utc_offset_seconds.get_untracked());
    let now = rounds::school_time::now_in(&zone);
    let device = local_store::device_id().await.map_err(SaveError::Storage)?;
    let base_kind = previous.as_ref().map(|p| p.body.kind());
    let mut envelope = match previous {
        Some(prev) => prev.edited(body, deleted, &device, now),
        None => RecordEnvelope::new(body, user.id, &device, now),
    };
    envelope.photos = photos;
    let mut errors = store.roster.with_untracked(|roster| envelope.validate(&ValidationContext { roster, now }));
    // The server refuses an edit that changes the record's kind; so does the phone, first.
    if let Some(kind) = base_kind {
        errors.0.extend(envelope.kind_change(kind).0);
    }
    if !errors.is_empty() {
        return Err(SaveError::Invalid(errors));
    }
    let local = LocalRecord { record: envelope.clone(), state: SyncState::Pending };
    local_store::save_with_outbox(&local).await.map_err(SaveError::Storage)?;
    store.records.update(|list| AppStore::upsert_local(list, local));
    sync::request(store);
    Ok(envelope)
}
