//! The sync loop: push the outbox, then pull what changed. It runs on start, on the `online`
//! event, after each save, and on a timer that backs off while the network is away.

use super::local_store;
use crate::state::{AppStore, Connection, LocalRecord, SyncState};
use gloo_net::http::Request;
use leptos::prelude::*;
use rounds::sync::{PullResponse, PushRequest, PushResponse, PushStatus, MAX_PUSH_BATCH};
use std::cell::Cell;
use wasm_bindgen::prelude::*;

thread_local! {
    static RUNNING: Cell<bool> = const { Cell::new(false) };
    static AGAIN: Cell<bool> = const { Cell::new(false) };
    static FAILURES: Cell<u32> = const { Cell::new(0) };
}

#[derive(Debug)]
enum SyncError {
    /// No answer: no network, or the server is down. The outbox waits.
    Offline,
    /// The session is gone: the outbox waits for the user to sign in again.
    Unauthorized,
    Other(String),
}

/// Asks for a sync now; if one is running, another follows it.
pub fn request(store: AppStore) {
    if RUNNING.with(|r| r.get()) {
        AGAIN.with(|a| a.set(true));
        return;
    }
    RUNNING.with(|r| r.set(true));
    leptos::task::spawn_local(async move {
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
        RUNNING.with(|r| r.set(false));
    });
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
    if store.user.get_untracked().is_none() {
        return Ok(());
    }
    store.connection.set(Connection::Syncing);
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
            list.iter().any(|r| {
                r.record.id == id
                    && r.record.revision == revision
                    && matches!(r.state, SyncState::Invalid(_) | SyncState::Forbidden(_))
            })
        })
    };
    let sendable: Vec<_> = outbox.into_iter().filter(|(_, env)| !held(env.id, env.revision)).collect();
    for batch in sendable.chunks(MAX_PUSH_BATCH) {
        let body = PushRequest {
            records: batch.iter().filter_map(|(_, env)| serde_json::to_value(env).ok()).collect(),
        };
        let request = Request::post("/api/v1/sync/push").json(&body).map_err(|e| SyncError::Other(e.to_string()))?;
        let response = request.send().await.map_err(|_| SyncError::Offline)?;
        check_status(response.status())?;
        let answer: PushResponse = response.json().await.map_err(|e| SyncError::Other(e.to_string()))?;

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
            let newest = store.records.with_untracked(|list| {
                list.iter().find(|r| r.record.id == env.id).map(|r| r.record.revision <= env.revision).unwrap_or(true)
            });
            if newest {
                updated.push(LocalRecord { record: env.clone(), state });
            }
        }
        local_store::settle(&done, &updated).await.map_err(SyncError::Other)?;
        store.records.update(|list| AppStore::merge(list, updated));
    }
    Ok(())
}

async fn pull(store: AppStore) -> Result<(), SyncError> {
    let mut cursor: i64 = local_store::get_meta("cursor").await.map_err(SyncError::Other)?.unwrap_or(0);
    loop {
        let response = Request::get(&format!("/api/v1/sync/pull?since={cursor}"))
            .send()
            .await
            .map_err(|_| SyncError::Offline)?;
        check_status(response.status())?;
        let page: PullResponse = response.json().await.map_err(|e| SyncError::Other(e.to_string()))?;

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
        local_store::set_meta(&[("cursor", &page.cursor)]).await.map_err(SyncError::Other)?;
        store.user.set(Some(page.user.clone()));
        store.time_zone.set(page.time_zone.clone());
        store.utc_offset_seconds.set(page.utc_offset_seconds);
        cursor = page.cursor;
        if !page.more {
            return Ok(());
        }
    }
}

fn check_status(status: u16) -> Result<(), SyncError> {
    match status {
        200..=299 => Ok(()),
        401 => Err(SyncError::Unauthorized),
        // A proxy or a restarting server: try again later, like no network.
        502..=504 | 0 => Err(SyncError::Offline),
        s => Err(SyncError::Other(format!("the server answered {s}"))),
    }
}
