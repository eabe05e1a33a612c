//! IndexedDB: `records` (every record on the phone, with its sync state), `outbox` (revisions
//! not yet on the server), `meta` (user, roster, cursor, device id, the duty rules and calendar,
//! the semester summary's notes), and for photos `photos`
//! (what each is and whether the server has it) beside `photo_bytes` (the bytes), apart so
//! listing the photos never reads megabytes.
//!
//! Values are JSON strings: one encoding for every kind, and no IndexedDB transaction is ever
//! held across a network call (it would auto-commit).

use super::photos::LocalPhoto;
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
/// Version 2 added the photo stores; an upgrade only creates what is missing, keeping all data.
/// New `meta` keys (the duty setup, the summary's notes) need no new version: `meta` is a
/// key–value store, and a phone that lacks a key simply reads `None`.
const DB_VERSION: u8 = 2;
const RECORDS: &str = "records";
const OUTBOX: &str = "outbox";
const META: &str = "meta";
const PHOTOS: &str = "photos";
const PHOTO_BYTES: &str = "photo_bytes";
/// The meta key of the semester summary's own words, by user and semester.
pub const SUMMARY_NOTES: &str = "summary_notes";

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
            for name in [RECORDS, OUTBOX, META, PHOTOS, PHOTO_BYTES] {
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
    pub duty_setup: Option<rounds::duties::DutySetup>,
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
    let duty_setup = meta_get(&meta, "duty_setup").await?;
    let records = raw.iter().filter_map(|s| serde_json::from_str(s).ok()).collect();
    Ok(Snapshot { user, roster, records, last_sync, utc_offset_seconds, time_zone, duty_setup })
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
    let tx = db.transaction([RECORDS, OUTBOX, META, PHOTOS, PHOTO_BYTES]).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
    tx.object_store(RECORDS).map_err(err)?.clear().map_err(err)?.await.map_err(err)?;
    tx.object_store(OUTBOX).map_err(err)?.clear().map_err(err)?.await.map_err(err)?;
    // A shared phone keeps no one's photos after they sign out.
    tx.object_store(PHOTOS).map_err(err)?.clear().map_err(err)?.await.map_err(err)?;
    tx.object_store(PHOTO_BYTES).map_err(err)?.clear().map_err(err)?.await.map_err(err)?;
    let meta = tx.object_store(META).map_err(err)?;
    // The duty setup goes with the cursor, so the next user's first pull brings it again; the
    // summary's notes are personal.
    for key in ["user", "roster", "cursor", "last_sync", "duty_setup", SUMMARY_NOTES] {
        meta.delete(key.to_string()).await.map_err(err)?;
    }
    tx.commit().await.map_err(err)
}

/// A photo and its bytes, in one transaction. The bytes are an ArrayBuffer, which every
/// browser's IndexedDB stores (Blobs are refused by some private modes).
pub async fn put_photo(local: &LocalPhoto, data: &[u8]) -> Result<(), String> {
    let db = db().await?;
    let tx = db.transaction([PHOTOS, PHOTO_BYTES]).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
    let key = local.photo.sha256.clone();
    tx.object_store(PHOTOS)
        .map_err(err)?
        .put(serde_json::to_string(local).map_err(err)?)
        .with_key(key.clone())
        .await
        .map_err(err)?;
    let buffer: wasm_bindgen::JsValue = js_sys::Uint8Array::from(data).buffer().into();
    tx.object_store(PHOTO_BYTES).map_err(err)?.put(buffer).with_key(key).await.map_err(err)?;
    tx.commit().await.map_err(err)
}

/// Every photo on the phone, without its bytes.
pub async fn photos() -> Result<Vec<LocalPhoto>, String> {
    let db = db().await?;
    let tx = db.transaction(PHOTOS).build().map_err(err)?;
    let store = tx.object_store(PHOTOS).map_err(err)?;
    let raw: Vec<String> = store.get_all::<String>().await.map_err(err)?.collect::<Result<_, _>>().map_err(err)?;
    Ok(raw.iter().filter_map(|s| serde_json::from_str(s).ok()).collect())
}

/// A photo's bytes (an ArrayBuffer), if the phone holds them.
pub async fn photo_bytes(sha256: &str) -> Result<Option<js_sys::ArrayBuffer>, String> {
    use wasm_bindgen::JsCast;
    let db = db().await?;
    let tx = db.transaction(PHOTO_BYTES).build().map_err(err)?;
    let store = tx.object_store(PHOTO_BYTES).map_err(err)?;
    let value: Option<wasm_bindgen::JsValue> = store.get(sha256.to_string()).await.map_err(err)?;
    Ok(value.and_then(|v| v.dyn_into::<js_sys::ArrayBuffer>().ok()))
}

/// Stores a photo's new state (uploaded, refused); its bytes are untouched.
pub async fn update_photo(local: &LocalPhoto) -> Result<(), String> {
    let db = db().await?;
    let tx = db.transaction(PHOTOS).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
    tx.object_store(PHOTOS)
        .map_err(err)?
        .put(serde_json::to_string(local).map_err(err)?)
        .with_key(local.photo.sha256.clone())
        .await
        .map_err(err)?;
    tx.commit().await.map_err(err)
}

/// Forgets photos and their bytes.
pub async fn delete_photos(hashes: &[String]) -> Result<(), String> {
    if hashes.is_empty() {
        return Ok(());
    }
    let db = db().await?;
    let tx = db.transaction([PHOTOS, PHOTO_BYTES]).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
    let photos = tx.object_store(PHOTOS).map_err(err)?;
    let bytes = tx.object_store(PHOTO_BYTES).map_err(err)?;
    for hash in hashes {
        photos.delete(hash.clone()).await.map_err(err)?;
        bytes.delete(hash.clone()).await.map_err(err)?;
    }
    tx.commit().await.map_err(err)
}
