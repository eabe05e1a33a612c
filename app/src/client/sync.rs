//! The sync loop: push the outbox, then pull what changed. It runs on start, on the `online`
//! event, after each save, and on a timer that backs off while the network is away.

use super::http::{check_status, SyncError};
use super::local_store;
use crate::state::{AppStore, Connection, LocalRecord, SyncState};
use gloo_net::http::Request;
use leptos::prelude::*;
use rounds::sync::{PullResponse, PushResponse, PushStatus, MAX_PUSH_BATCH};
use rounds::RecordEnvelope;
use std::cell::Cell;
use wasm_bindgen::prelude::*;

/// `rounds::sync::PushRequest` as the phone writes it: the envelopes borrowed and written straight
/// to JSON (the server reads each as a `serde_json::Value`, to judge it alone). Turning them into
/// `Value`s first kept a second serializer of every record kind in the main wasm.
#[derive(serde::Serialize)]
struct PushBody<'a> {
    records: Vec<&'a RecordEnvelope>,
}

thread_local! {
    static RUNNING: Cell<bool> = const { Cell::new(false) };
    static AGAIN: Cell<bool> = const { Cell::new(false) };
    static FAILURES: Cell<u32> = const { Cell::new(0) };
}

/// Asks for a sync now; if one is running, another follows it.
pub fn request(store: AppStore) {
    if RUNNING.with(|r| r.get()) {
        AGAIN.with(|a| a.set(true));
        return;
    }
    RUNNING.with(|r| r.set(true));
    leptos::task::spawn_local(async move {
        rounds_until_settled(store).await;
        RUNNING.with(|r| r.set(false));
    });
}

/// Syncs now and waits for it (sign-out offers this first): after a round already running,
/// one more. True when the round reached the server.
pub async fn run_now(store: AppStore) -> bool {
    while RUNNING.with(|r| r.get()) {
        gloo_timers::future::TimeoutFuture::new(100).await;
    }
    RUNNING.with(|r| r.set(true));
    AGAIN.with(|a| a.set(false));
    rounds_until_settled(store).await;
    RUNNING.with(|r| r.set(false));
    matches!(store.connection.get_untracked(), Connection::Online)
}

async fn rounds_until_settled(store: AppStore) {
    loop {
        AGAIN.with(|a| a.set(false));
        let outcome = sync_once(store).await;
        match outcome {
            Ok(()) => {
                FAILURES.with(|f| f.set(0));
                store.connection.set(Connection::Online);
            }
            Err(SyncError::Offline) => {
                FAILURES.with(|f| f.set(f.get().saturating_add(1)));
                store.connection.set(Connection::Offline);
            }
            Err(SyncError::Unauthorized) => store.connection.set(Connection::NeedsLogin),
            Err(SyncError::Other(e)) => {
                leptos::logging::warn!("sync failed: {e}");
                FAILURES.with(|f| f.set(f.get().saturating_add(1)));
                store.connection.set(Connection::Offline);
            }
        }
        if !AGAIN.with(|a| a.get()) {
            break;
        }
    }
}

pub fn start_loop(store: AppStore) {
    if let Some(window) = web_sys::window() {
        let on_online = Closure::<dyn FnMut()>::new(move || request(store));
        let _ = window.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
        on_online.forget();
    }
    request(store);
    leptos::task::spawn_local(async move {
        loop {
            let delay = crate::state::next_sync_delay_seconds(FAILURES.with(|f| f.get()));
            gloo_timers::future::TimeoutFuture::new(delay * 1000).await;
            request(store);
        }
    });
}

async fn sync_once(store: AppStore) -> Result<(), SyncError> {
    let Some(me) = store.user.get_untracked() else {
        return Ok(());
    };
    store.connection.set(Connection::Syncing);
    // The cookie says who is signed in. Someone else may have signed in on this phone without
    // the app's script (the plain form, the university's login): their session must never
    // carry this account's outbox, so the phone turns to their account instead.
    match super::session_user().await? {
        None => return Err(SyncError::Unauthorized),
        Some(user) if user.id != me.id => {
            super::switch_account(store, user).await.map_err(SyncError::Other)?;
        }
        Some(_) => {}
    }
    // Photos first, so a record's photos are there when it arrives; a server failing on them
    // holds no record back, but the round counts as failed so the loop backs off and retries.
    let photos = super::photos::upload_pending(store).await.map_err(|e| match e {
        super::photos::UploadError::Offline => SyncError::Offline,
        super::photos::UploadError::Unauthorized => SyncError::Unauthorized,
        super::photos::UploadError::Server(e) => SyncError::Other(e),
    });
    if let Err(e @ (SyncError::Offline | SyncError::Unauthorized)) = photos {
        return Err(e);
    }
    push_outbox(store).await?;
    // After the push: a read of a record saved offline finds the record on the server. A server
    // failing on the reads holds back no pull; they wait on the phone for the next round.
    match super::audit::upload_pending().await {
        Err(e @ (SyncError::Offline | SyncError::Unauthorized)) => return Err(e),
        Err(SyncError::Other(e)) => leptos::logging::warn!("reads for the audit log not uploaded: {e}"),
        Ok(()) => {}
    }
    pull(store).await?;
    let zone = rounds::school_time::offset(store.utc_offset_seconds.get_untracked());
    let now = rounds::school_time::now_in(&zone);
    store.last_sync.set(Some(now));
    local_store::set_meta(&[("last_sync", &now)]).await.map_err(SyncError::Other)?;
    photos
}

async fn push_outbox(store: AppStore) -> Result<(), SyncError> {
    let outbox = local_store::outbox().await.map_err(SyncError::Other)?;
    // Revisions the server already refused wait for the user's fix; sending them again would
    // only be refused again.
    let held = |id: uuid::Uuid, revision: u32| {
        store.records.with_untracked(|list| {
            list.iter().any(|r| r.record.id == id && r.record.revision == revision && matches!(r.state, SyncState::Invalid(_) | SyncState::Forbidden(_)))
        })
    };
    // Each account's outbox is its own; the author check is the last guard that a record is
    // only ever pushed under its author's session.
    let me = store.user.with_untracked(|u| u.as_ref().map(|u| u.id));
    let sendable: Vec<_> = outbox.into_iter().filter(|(_, env)| Some(env.author_id) == me && !held(env.id, env.revision)).collect();
    for batch in sendable.chunks(MAX_PUSH_BATCH) {
        let body = PushBody { records: batch.iter().map(|(_, env)| env).collect() };
        let request = Request::post("/api/v1/sync/push").json(&body).map_err(|e| SyncError::Other(e.to_string()))?;
        let response = request.send().await.map_err(|_| SyncError::Offline)?;
        check_status(response.status())?;
        let answer: PushResponse = super::http::body(&response).await.map_err(SyncError::Other)?;

        let mut done = Vec::new();
        let mut updated = Vec::new();
        for ((key, env), result) in batch.iter().zip(answer.results) {
            let state = match result.status {
                PushStatus::Accepted | PushStatus::Duplicate => SyncState::Synced,
                PushStatus::Conflict => SyncState::Conflict,
                PushStatus::Invalid => SyncState::Invalid(result.errors),
                PushStatus::Forbidden => SyncState::Forbidden(result.errors),
            };
            if result.status.settles_outbox() {
                done.push(key.clone());
            }
            // Only the newest local revision carries the state the user sees.
            let newest =
                store.records.with_untracked(|list| list.iter().find(|r| r.record.id == env.id).map(|r| r.record.revision <= env.revision).unwrap_or(true));
            if newest {
                updated.push(LocalRecord { record: env.clone(), state });
            }
        }
        local_store::settle(&done, &updated).await.map_err(SyncError::Other)?;
        store.records.update(|list| AppStore::merge(list, updated));
    }
    Ok(())
}

/// Pulls every page of changes. A page marked `reset` starts a full pull (the first one, or the
/// user's classes, rooms or links changed): its pages are stored as they come, and after the
/// last one every synced record the server did not send again is dropped — the phone keeps
/// nothing its user may no longer see. The cursor is stored only when no full pull is under
/// way, so one cut short by the network starts again, and still drops what it must.
async fn pull(store: AppStore) -> Result<(), SyncError> {
    let mut cursor: i64 = local_store::get_meta("cursor").await.map_err(SyncError::Other)?.unwrap_or(0);
    let mut scope: Option<String> = local_store::get_meta("scope").await.map_err(SyncError::Other)?;
    let mut full_pull: Option<std::collections::HashSet<uuid::Uuid>> = None;
    loop {
        let mut url = format!("/api/v1/sync/pull?since={cursor}");
        if let Some(scope) = &scope {
            url.push_str(&format!("&scope={scope}"));
        }
        let response = Request::get(&url).send().await.map_err(|_| SyncError::Offline)?;
        check_status(response.status())?;
        let page: PullResponse = super::http::body(&response).await.map_err(SyncError::Other)?;
        if page.reset {
            full_pull = Some(Default::default());
        }
        if let Some(seen) = &mut full_pull {
            seen.extend(page.records.iter().map(|r| r.record.id));
        }

        let me = page.user.id;
        let incoming: Vec<LocalRecord> = store.records.with_untracked(|list| {
            page.records
                .iter()
                .filter(|stored| {
                    // A local revision not yet on the server wins on the phone until it is synced.
                    !list.iter().any(|l| l.record.id == stored.record.id && l.state.unsynced() && l.record.revision >= stored.record.revision)
                })
                .map(|stored| LocalRecord {
                    record: stored.record.clone(),
                    state: if !stored.conflicts.is_empty() && stored.record.author_id == me { SyncState::Conflict } else { SyncState::Synced },
                })
                .collect()
        });
        local_store::put_records(&incoming).await.map_err(SyncError::Other)?;
        // Records before the roster and the rules: what is computed from them (Today) never
        // sees a first sync's rules without its records.
        if !incoming.is_empty() {
            store.records.update(|list| AppStore::merge(list, incoming));
        }
        if let Some(roster) = &page.roster {
            local_store::set_meta(&[("roster", roster)]).await.map_err(SyncError::Other)?;
            store.roster.set(roster.clone());
        }
        // A page without a setup leaves the stored one: the server may send it only when it changed.
        if let Some(setup) = &page.duty_setup {
            if store.duty_setup.with_untracked(|s| s.as_ref() != Some(setup)) {
                local_store::set_meta(&[("duty_setup", setup)]).await.map_err(SyncError::Other)?;
                store.duty_setup.set(Some(setup.clone()));
            }
        }
        local_store::set_meta(&[("user", &page.user)]).await.map_err(SyncError::Other)?;
        local_store::set_meta(&[("time_zone", &page.time_zone)]).await.map_err(SyncError::Other)?;
        local_store::set_meta(&[("utc_offset_seconds", &page.utc_offset_seconds)]).await.map_err(SyncError::Other)?;
        // Set only when changed: every page reading them would otherwise redraw on each
        // pull, and a form redrawn while someone types in it loses what was typed.
        if store.user.with_untracked(|u| u.as_ref() != Some(&page.user)) {
            store.user.set(Some(page.user.clone()));
        }
        if store.time_zone.with_untracked(|z| *z != page.time_zone) {
            store.time_zone.set(page.time_zone.clone());
        }
        if store.utc_offset_seconds.get_untracked() != page.utc_offset_seconds {
            store.utc_offset_seconds.set(page.utc_offset_seconds);
        }
        cursor = page.cursor;
        scope = Some(page.scope.clone());
        if !page.more {
            if let Some(seen) = full_pull.take() {
                let gone: Vec<uuid::Uuid> = store
                    .records
                    .with_untracked(|list| list.iter().filter(|l| !l.state.unsynced() && !seen.contains(&l.record.id)).map(|l| l.record.id).collect());
                local_store::drop_records(&gone).await.map_err(SyncError::Other)?;
                let gone: std::collections::HashSet<uuid::Uuid> = gone.into_iter().collect();
                store.records.update(|list| list.retain(|l| !gone.contains(&l.record.id)));
            }
        }
        if full_pull.is_none() {
            local_store::set_meta(&[("cursor", &page.cursor)]).await.map_err(SyncError::Other)?;
            local_store::set_meta(&[("scope", &page.scope)]).await.map_err(SyncError::Other)?;
        }
        if !page.more {
            return Ok(());
        }
    }
}
