//! The client side of offline (browser only): the local store in IndexedDB, the outbox, the
//! sync loop, and the service worker's registration.

pub mod http;
pub mod local_store;
pub mod photos;
pub mod pwa;
pub mod sync;

use crate::state::{AppStore, LocalRecord, SyncState};
use leptos::prelude::*;
use rounds::record::ValidationContext;
use rounds::{RecordBody, RecordEnvelope, ValidationErrors};

/// Reads the local store into the app's signals, then starts syncing and the worker.
pub fn start(store: AppStore) {
    leptos::task::spawn_local(async move {
        match local_store::load().await {
            Ok(snapshot) => {
                store.user.set(snapshot.user);
                store.roster.set(snapshot.roster.unwrap_or_default());
                let mut records = Vec::new();
                AppStore::merge(&mut records, snapshot.records);
                store.records.set(records);
                store.last_sync.set(snapshot.last_sync);
                if let Some(offset) = snapshot.utc_offset_seconds {
                    store.utc_offset_seconds.set(offset);
                }
                if let Some(tz) = snapshot.time_zone {
                    store.time_zone.set(tz);
                }
                store.duty_setup.set(snapshot.duty_setup);
            }
            Err(e) => leptos::logging::error!("cannot read the local store: {e}"),
        }
        store.ready.set(true);
        sync::start_loop(store);
    });
    pwa::register(store);
    pwa::request_persistent_storage();
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
    let mut envelope = match previous {
        Some(prev) => prev.edited(body, deleted, &device, now),
        None => RecordEnvelope::new(body, user.id, &device, now),
    };
    envelope.photos = photos;
    let errors = store.roster.with_untracked(|roster| envelope.validate(&ValidationContext { roster, now }));
    if !errors.is_empty() {
        return Err(SaveError::Invalid(errors));
    }
    let local = LocalRecord { record: envelope.clone(), state: SyncState::Pending };
    local_store::save_with_outbox(&local).await.map_err(SaveError::Storage)?;
    store.records.update(|list| AppStore::upsert_local(list, local));
    sync::request(store);
    Ok(envelope)
}
