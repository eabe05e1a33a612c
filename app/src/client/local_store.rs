//! IndexedDB: `records` (every record on the phone, with its sync state), `outbox` (revisions
//! not yet on the server) and `meta` (user, roster, cursor, device id).
//!
//! Values are JSON strings: one encoding for every kind, and no IndexedDB transaction is ever
//! held across a network call (it would auto-commit).

use crate::state::LocalRecord;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use rounds::{RecordEnvelope, RosterSnapshot, UserProfile};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;

const DB_NAME: &str = "rounds";
const DB_VERSION: u8 = 1;
const RECORDS: &str = "records";
const OUTBOX: &str = "outbox";
const META: &str = "meta";

thread_local! {
    static DB: RefCell<Option<Rc<Database>>> = const { RefCell::new(None) };
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

async fn db() -> Result<Rc<Database>, String> {
    if let Some(db) = DB.with(|d| d.borrow().clone()) {
        return Ok(db);
    }
    let db = Database::open(DB_NAME)
        .with_version(DB_VERSION)
        .with_on_upgrade_needed(|_event, db| {
            for name in [RECORDS, OUTBOX, META] {
                if !db.object_store_names().any(|n| n == name) {
                    db.create_object_store(name).build()?;
                }
            }
            Ok(())
        })
        .await
        .map_err(err)?;
    let db = Rc::new(db);
    DB.with(|d| *d.borrow_mut() = Some(db.clone()));
    Ok(db)
}

/// The outbox key: by record, then revision, so revisions go out in order.
pub fn outbox_key(env: &RecordEnvelope) -> String {
    format!("{}:{:010}", env.id, env.revision)
}

pub struct Snapshot {
    pub user: Option<UserProfile>,
    pub roster: Option<RosterSnapshot>,
    pub records: Vec<LocalRecord>,
    pub last_sync: Option<chrono::DateTime<chrono::FixedOffset>>,
    pub utc_offset_seconds: Option<i32>,
    pub time_zone: Option<String>,
}

pub async fn load() -> Result<Snapshot, String> {
    let db = db().await?;
    let tx = db.transaction([RECORDS, META]).build().map_err(err)?;
    let records_store = tx.object_store(RECORDS).map_err(err)?;
    let raw: Vec<String> = records_store.get_all::<String>().await.map_err(err)?.collect::<Result<_, _>>().map_err(err)?;
    let meta = tx.object_store(META).map_err(err)?;
    let user = meta_get(&meta, "user").await?;
    let roster = meta_get(&meta, "roster").await?;
    let last_sync = meta_get(&meta, "last_sync").await?;
    let utc_offset_seconds = meta_get(&meta, "utc_offset_seconds").await?;
    let time_zone = meta_get(&meta, "time_zone").await?;
    let records = raw.iter().filter_map(|s| serde_json::from_str(s).ok()).collect();
    Ok(Snapshot { user, roster, records, last_sync, utc_offset_seconds, time_zone })
}

async fn meta_get<T: DeserializeOwned>(meta: &indexed_db_futures::object_store::ObjectStore<'_>, key: &str) -> Result<Option<T>, String> {
    let raw: Option<String> = meta.get(key).await.map_err(err)?;
    Ok(raw.and_then(|s| serde_json::from_str(&s).ok()))
}

pub async fn get_meta<T: DeserializeOwned>(key: &str) -> Result<Option<T>, String> {
    let db = db().await?;
    let tx = db.transaction(META).build().map_err(err)?;
    let meta = tx.object_store(META).map_err(err)?;
    meta_get(&meta, key).await
}

pub async fn set_meta<T: Serialize>(entries: &[(&str, &T)]) -> Result<(), String> {
    let db = db().await?;
    let tx = db.transaction(META).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
    let meta = tx.object_store(META).map_err(err)?;
    for (key, value) in entries {
        let json = serde_json::to_string(value).map_err(err)?;
        meta.put(json).with_key(key.to_string()).await.map_err(err)?;
    }
    tx.commit().await.map_err(err)
}

/// The id of this phone, made once.
pub async fn device_id() -> Result<String, String> {
    if let Some(id) = get_meta::<String>("device_id").await? {
        return Ok(id);
    }
    let id = format!("web-{}", rounds::record::new_record_id().simple());
    set_meta(&[("device_id", &id)]).await?;
    Ok(id)
}

async fn put_record(store: &indexed_db_futures::object_store::ObjectStore<'_>, local: &LocalRecord) -> Result<(), String> {
    store.put(serde_json::to_string(local).map_err(err)?).with_key(local.record.id.to_string()).await.map_err(err)?;
    Ok(())
}

/// The record and its outbox entry, in one transaction: both or neither.
pub async fn save_with_outbox(local: &LocalRecord) -> Result<(), String> {
    let db = db().await?;
    let tx = db.transaction([RECORDS, OUTBOX]).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
    put_record(&tx.object_store(RECORDS).map_err(err)?, local).await?;
    let outbox = tx.object_store(OUTBOX).map_err(err)?;
    outbox
        .put(serde_json::to_string(&local.record).map_err(err)?)
        .with_key(outbox_key(&local.record))
        .await
        .map_err(err)?;
    tx.commit().await.map_err(err)
}

/// Everything in the outbox, in key order.
pub async fn outbox() -> Result<Vec<(String, RecordEnvelope)>, String> {
    let db = db().await?;
    let tx = db.transaction(OUTBOX).build().map_err(err)?;
    let store = tx.object_store(OUTBOX).map_err(err)?;
    let keys: Vec<String> = store.get_all_keys::<String>().await.map_err(err)?.collect::<Result<_, _>>().map_err(err)?;
    let values: Vec<String> = store.get_all::<String>().await.map_err(err)?.collect::<Result<_, _>>().map_err(err)?;
    Ok(keys
        .into_iter()
        .zip(values)
        .filter_map(|(k, v)| serde_json::from_str(&v).ok().map(|env| (k, env)))
        .collect())
}

/// After a push: drops the settled outbox entries and stores the records' new states.
pub async fn settle(done_keys: &[String], updated: &[LocalRecord]) -> Result<(), String> {
    let db = db().await?;
    let tx = db.transaction([RECORDS, OUTBOX]).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
    let outbox = tx.object_store(OUTBOX).map_err(err)?;
    for key in done_keys {
        outbox.delete(key.clone()).await.map_err(err)?;
    }
    let records = tx.object_store(RECORDS).map_err(err)?;
    for local in updated {
        put_record(&records, local).await?;
    }
    tx.commit().await.map_err(err)
}

/// Stores records that came from the server (never over a local revision still unsynced).
pub async fn put_records(records: &[LocalRecord]) -> Result<(), String> {
    if records.is_empty() {
        return Ok(());
    }
    let db = db().await?;
    let tx = db.transaction(RECORDS).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
    let store = tx.object_store(RECORDS).map_err(err)?;
    for local in records {
        put_record(&store, local).await?;
    }
    tx.commit().await.map_err(err)
}

/// Forgets everything of the signed-in user (sign-out); the device id stays.
pub async fn clear_user_data() -> Result<(), String> {
    let db = db().await?;
    let tx = db.transaction([RECORDS, OUTBOX, META]).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
    tx.object_store(RECORDS).map_err(err)?.clear().map_err(err)?.await.map_err(err)?;
    tx.object_store(OUTBOX).map_err(err)?.clear().map_err(err)?.await.map_err(err)?;
    let meta = tx.object_store(META).map_err(err)?;
    for key in ["user", "roster", "cursor", "last_sync"] {
        meta.delete(key.to_string()).await.map_err(err)?;
    }
    tx.commit().await.map_err(err)
}
