//! IndexedDB, one database per account on the phone, so a second person who signs in on the
//! same phone sees nothing of the first and pushes nothing of theirs (issue 15.1):
//! - `rounds` is the device's: `meta` holds the device id and which account is open. (Before
//!   accounts had their own databases it held everything; `current_account` moves such data
//!   into its account's database once.)
//! - `rounds-account-{id}` is one account's: `records` (every record on the phone, with its sync
//!   state), `outbox` (revisions not yet on the server), `meta` (user, roster, cursor, scope,
//!   the duty rules and calendar, the semester summary's notes, the confidential reads not yet
//!   uploaded to the audit log), and for photos `photos` (what each is and whether the server
//!   has it) beside `photo_bytes` (the bytes), apart so listing
//!   the photos never reads megabytes.
//!
//! Values are JSON strings: one encoding for every kind, and no IndexedDB transaction is ever
//! held across a network call (it would auto-commit). A record and its outbox entry are written
//! with `durability: "strict"`: Chrome otherwise reports the commit before it reaches the disk,
//! and a phone whose battery dies then loses what the counselor saw as saved.

use crate::state::LocalRecord;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{TransactionDurability, TransactionMode, TransactionOptions};
use rounds::photo::PhotoRef;
use rounds::{RecordEnvelope, RosterSnapshot, UserId, UserProfile};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// A photo in the phone's store; its bytes sit beside it under the same hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalPhoto {
    pub photo: PhotoRef,
    pub added_at: chrono::DateTime<chrono::Utc>,
    /// When the server confirmed it holds the bytes; `None` while the photo waits.
    #[serde(default)]
    pub uploaded_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Why the server refused the bytes. Not sent again (it would be refused again); the record
    /// syncs without it and the bytes stay on the phone.
    #[serde(default)]
    pub refused: Option<String>,
}

const DEVICE_DB: &str = "rounds";
/// Version 2 added the photo stores; an upgrade only creates what is missing, keeping all data.
/// New `meta` keys need no new version: `meta` is a key–value store, and a phone that lacks a
/// key simply reads `None`. Account databases have the same stores, so one upgrade serves both.
const DB_VERSION: u8 = 2;
const RECORDS: &str = "records";
const OUTBOX: &str = "outbox";
const META: &str = "meta";
const PHOTOS: &str = "photos";
const PHOTO_BYTES: &str = "photo_bytes";
const STORES: [&str; 5] = [RECORDS, OUTBOX, META, PHOTOS, PHOTO_BYTES];
/// The device meta key of the open account (a `UserProfile`).
const ACCOUNT: &str = "account";
/// The device meta key of a sign-out made offline (see `pending_sign_out`).
const PENDING_SIGN_OUT: &str = "pending_sign_out";
/// The meta key of the semester summary's own words, by user and semester.
pub const SUMMARY_NOTES: &str = "summary_notes";
/// What the account's pull has built: dropped together, so the next pull starts afresh.
const PULLED_META: [&str; 5] = ["roster", "cursor", "scope", "last_sync", "duty_setup"];

thread_local! {
    static DEVICE: RefCell<Option<Rc<Database>>> = const { RefCell::new(None) };
    static OPEN_ACCOUNT: RefCell<Option<(UserId, Rc<Database>)>> = const { RefCell::new(None) };
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn account_db_name(user: UserId) -> String {
    format!("rounds-account-{}", user.0)
}

async fn open(name: &str) -> Result<Database, String> {
    Database::open(name)
        .with_version(DB_VERSION)
        .with_on_upgrade_needed(|_event, db| {
            for name in STORES {
                if !db.object_store_names().any(|n| n == name) {
                    db.create_object_store(name).build()?;
                }
            }
            Ok(())
        })
        .await
        .map_err(err)
}

async fn device_db() -> Result<Rc<Database>, String> {
    if let Some(db) = DEVICE.with(|d| d.borrow().clone()) {
        return Ok(db);
    }
    let db = Rc::new(open(DEVICE_DB).await?);
    DEVICE.with(|d| *d.borrow_mut() = Some(db.clone()));
    Ok(db)
}

/// The open account's database; every record, roster and cursor lives there.
async fn db() -> Result<Rc<Database>, String> {
    OPEN_ACCOUNT.with(|a| a.borrow().as_ref().map(|(_, db)| db.clone())).ok_or_else(|| "no account is open on this phone".to_string())
}

/// The account this phone was last signed in to, if any (read at start, offline too).
pub async fn current_account() -> Result<Option<UserProfile>, String> {
    let device = device_db().await?;
    if let Some(user) = meta_of(&device, ACCOUNT).await? {
        return Ok(Some(user));
    }
    adopt_unpartitioned(&device).await
}

/// Opens an account's database and makes it the phone's current account. The previous
/// account's database is closed, not touched: what it holds waits for its owner.
pub async fn open_account(user: &UserProfile) -> Result<(), String> {
    reopen_account(user).await?;
    set_meta_in(&*device_db().await?, &[(ACCOUNT, user)]).await?;
    set_meta(&[("user", user)]).await
}

/// Opens the database of the account the phone already names as its own (`current_account`),
/// writing nothing.
pub async fn reopen_account(user: &UserProfile) -> Result<(), String> {
    let already = OPEN_ACCOUNT.with(|a| a.borrow().as_ref().is_some_and(|(id, _)| *id == user.id));
    if !already {
        let db = Rc::new(open(&account_db_name(user.id)).await?);
        if let Some((_, previous)) = OPEN_ACCOUNT.with(|a| a.borrow_mut().replace((user.id, db))) {
            Database::clone(&previous).close();
        }
    }
    Ok(())
}

/// A sign-out the server has not heard of yet (the phone was offline): whose it was. The
/// browser's cookie still opens that session, so the app must not take it up again, and ends
/// it at its next chance.
pub async fn pending_sign_out() -> Result<Option<UserId>, String> {
    meta_of::<UserId>(&*device_db().await?, PENDING_SIGN_OUT).await
}

pub async fn set_pending_sign_out(user: Option<UserId>) -> Result<(), String> {
    let device = device_db().await?;
    match user {
        Some(user) => set_meta_in(&device, &[(PENDING_SIGN_OUT, &user)]).await,
        None => {
            let tx = device.transaction(META).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
            tx.object_store(META).map_err(err)?.delete(PENDING_SIGN_OUT.to_string()).await.map_err(err)?;
            tx.commit().await.map_err(err)
        }
    }
}

/// No account is open any more (sign-out); its database stays as it is.
async fn close_account() -> Result<(), String> {
    if let Some((_, db)) = OPEN_ACCOUNT.with(|a| a.borrow_mut().take()) {
        Database::clone(&db).close();
    }
    let device = device_db().await?;
    let tx = device.transaction(META).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
    tx.object_store(META).map_err(err)?.delete(ACCOUNT.to_string()).await.map_err(err)?;
    tx.commit().await.map_err(err)
}

/// Sign-out with nothing left to send: the account's database goes whole, so a shared phone
/// keeps no one's roster, records or photos.
pub async fn forget_account(user: UserId) -> Result<(), String> {
    close_account().await?;
    Database::delete_by_name(&account_db_name(user)).map_err(err)?.await.map_err(err)
}

/// Sign-out with records the server does not have yet (the open account's): they stay, with
/// their photos and the outbox, for their author's next sign-in; what was pulled (roster, synced records, uploaded
/// photos, the cursor) goes, so the phone holds as little as it can of students' data.
pub async fn keep_only_unsynced() -> Result<(), String> {
    let db = db().await?;
    let tx = db.transaction(STORES).with_mode(TransactionMode::Readwrite).with_options(strict()).build().map_err(err)?;
    let records = tx.object_store(RECORDS).map_err(err)?;
    let keys: Vec<String> = records.get_all_keys::<String>().await.map_err(err)?.collect::<Result<_, _>>().map_err(err)?;
    let values: Vec<String> = records.get_all::<String>().await.map_err(err)?.collect::<Result<_, _>>().map_err(err)?;
    for (key, raw) in keys.into_iter().zip(values) {
        let keep = rounds::json::from_str::<LocalRecord>(&raw).is_ok_and(|r| r.state.unsynced());
        if !keep {
            records.delete(key).await.map_err(err)?;
        }
    }
    let photos = tx.object_store(PHOTOS).map_err(err)?;
    let bytes = tx.object_store(PHOTO_BYTES).map_err(err)?;
    let raw: Vec<String> = photos.get_all::<String>().await.map_err(err)?.collect::<Result<_, _>>().map_err(err)?;
    for photo in raw.iter().filter_map(|s| rounds::json::from_str::<LocalPhoto>(s).ok()) {
        if photo.uploaded_at.is_some() {
            photos.delete(photo.photo.sha256.clone()).await.map_err(err)?;
            bytes.delete(photo.photo.sha256.clone()).await.map_err(err)?;
        }
    }
    let meta = tx.object_store(META).map_err(err)?;
    for key in PULLED_META {
        meta.delete(key.to_string()).await.map_err(err)?;
    }
    tx.commit().await.map_err(err)?;
    close_account().await
}

/// A phone from before accounts had their own databases keeps everything in the device's
/// database: it becomes the database of the account that was signed in, once. Outbox entries
/// and unsynced records go to the database of their author, so nothing is ever pushed under
/// someone else's session. The cursor is left behind: the first pull is a full one, and drops
/// what this account may not see.
async fn adopt_unpartitioned(device: &Database) -> Result<Option<UserProfile>, String> {
    let Some(user) = meta_of::<UserProfile>(device, "user").await? else { return Ok(None) };
    let tx = device.transaction(STORES).build().map_err(err)?;
    let mut moved: Vec<(&str, Vec<(String, JsValue)>)> = Vec::new();
    for name in STORES {
        let store = tx.object_store(name).map_err(err)?;
        let keys: Vec<String> = store.get_all_keys::<String>().await.map_err(err)?.collect::<Result<_, _>>().map_err(err)?;
        let values: Vec<JsValue> = store.get_all::<JsValue>().await.map_err(err)?.collect::<Result<_, _>>().map_err(err)?;
        moved.push((name, keys.into_iter().zip(values).collect()));
    }
    drop(tx);
    let author_of = |name: &str, value: &JsValue| -> Option<UserId> {
        let raw = value.as_string()?;
        match name {
            RECORDS => rounds::json::from_str::<LocalRecord>(&raw).ok().filter(|r| r.state.unsynced()).map(|r| r.record.author_id),
            OUTBOX => rounds::json::from_str::<RecordEnvelope>(&raw).ok().map(|e| e.author_id),
            _ => None,
        }
    };
    let mut targets: std::collections::BTreeMap<UserId, Vec<(&str, String, JsValue)>> = Default::default();
    for (name, entries) in moved {
        for (key, value) in entries {
            if name == META && (key == "device_id" || PULLED_META.contains(&key.as_str())) {
                continue;
            }
            let owner = author_of(name, &value).unwrap_or(user.id);
            targets.entry(owner).or_default().push((name, key, value));
        }
    }
    for (owner, entries) in targets {
        let db = open(&account_db_name(owner)).await?;
        let tx = db.transaction(STORES).with_mode(TransactionMode::Readwrite).with_options(strict()).build().map_err(err)?;
        for (name, key, value) in entries {
            tx.object_store(name).map_err(err)?.put(value).with_key(key).await.map_err(err)?;
        }
        tx.commit().await.map_err(err)?;
        db.close();
    }
    let tx = device.transaction(STORES).with_mode(TransactionMode::Readwrite).with_options(strict()).build().map_err(err)?;
    for name in [RECORDS, OUTBOX, PHOTOS, PHOTO_BYTES] {
        tx.object_store(name).map_err(err)?.clear().map_err(err)?.await.map_err(err)?;
    }
    let meta = tx.object_store(META).map_err(err)?;
    let keys: Vec<String> = meta.get_all_keys::<String>().await.map_err(err)?.collect::<Result<_, _>>().map_err(err)?;
    for key in keys.into_iter().filter(|k| k != "device_id") {
        meta.delete(key).await.map_err(err)?;
    }
    meta.put(serde_json::to_string(&user).map_err(err)?).with_key(ACCOUNT.to_string()).await.map_err(err)?;
    tx.commit().await.map_err(err)?;
    Ok(Some(user))
}

fn strict() -> TransactionOptions {
    TransactionOptions::new().with_durability(TransactionDurability::Strict)
}

/// The outbox key: by record, then revision, so revisions go out in order.
pub fn outbox_key(env: &RecordEnvelope) -> String {
    format!("{}:{:010}", env.id, env.revision)
}

pub struct Snapshot {
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
    let roster = meta_get(&meta, "roster").await?;
    let last_sync = meta_get(&meta, "last_sync").await?;
    let utc_offset_seconds = meta_get(&meta, "utc_offset_seconds").await?;
    let time_zone = meta_get(&meta, "time_zone").await?;
    let duty_setup = meta_get(&meta, "duty_setup").await?;
    let records = raw.iter().filter_map(|s| rounds::json::from_str(s).ok()).collect();
    Ok(Snapshot { roster, records, last_sync, utc_offset_seconds, time_zone, duty_setup })
}

async fn meta_get<T: DeserializeOwned>(meta: &indexed_db_futures::object_store::ObjectStore<'_>, key: &str) -> Result<Option<T>, String> {
    let raw: Option<String> = meta.get(key).await.map_err(err)?;
    Ok(raw.and_then(|s| rounds::json::from_str(&s).ok()))
}

async fn meta_of<T: DeserializeOwned>(db: &Database, key: &str) -> Result<Option<T>, String> {
    let tx = db.transaction(META).build().map_err(err)?;
    let meta = tx.object_store(META).map_err(err)?;
    meta_get(&meta, key).await
}

/// A value of the open account's `meta`.
pub async fn get_meta<T: DeserializeOwned>(key: &str) -> Result<Option<T>, String> {
    meta_of(&*db().await?, key).await
}

/// Values of the open account's `meta`, in one transaction.
pub async fn set_meta<T: Serialize>(entries: &[(&str, &T)]) -> Result<(), String> {
    set_meta_in(&*db().await?, entries).await
}

async fn set_meta_in<T: Serialize>(db: &Database, entries: &[(&str, &T)]) -> Result<(), String> {
    let tx = db.transaction(META).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
    let meta = tx.object_store(META).map_err(err)?;
    for (key, value) in entries {
        let json = serde_json::to_string(value).map_err(err)?;
        meta.put(json).with_key(key.to_string()).await.map_err(err)?;
    }
    tx.commit().await.map_err(err)
}

/// The id of this phone, made once, the same whoever signs in.
pub async fn device_id() -> Result<String, String> {
    let device = device_db().await?;
    if let Some(id) = meta_of::<String>(&device, "device_id").await? {
        return Ok(id);
    }
    let id = format!("web-{}", rounds::record::new_record_id().simple());
    set_meta_in(&device, &[("device_id", &id)]).await?;
    Ok(id)
}

async fn put_record(store: &indexed_db_futures::object_store::ObjectStore<'_>, local: &LocalRecord) -> Result<(), String> {
    store.put(serde_json::to_string(local).map_err(err)?).with_key(local.record.id.to_string()).await.map_err(err)?;
    Ok(())
}

/// The record and its outbox entry, in one transaction: both or neither.
pub async fn save_with_outbox(local: &LocalRecord) -> Result<(), String> {
    let db = db().await?;
    let tx = db.transaction([RECORDS, OUTBOX]).with_mode(TransactionMode::Readwrite).with_options(strict()).build().map_err(err)?;
    put_record(&tx.object_store(RECORDS).map_err(err)?, local).await?;
    let outbox = tx.object_store(OUTBOX).map_err(err)?;
    outbox.put(serde_json::to_string(&local.record).map_err(err)?).with_key(outbox_key(&local.record)).await.map_err(err)?;
    tx.commit().await.map_err(err)
}

/// Everything in the outbox, in key order.
pub async fn outbox() -> Result<Vec<(String, RecordEnvelope)>, String> {
    let db = db().await?;
    let tx = db.transaction(OUTBOX).build().map_err(err)?;
    let store = tx.object_store(OUTBOX).map_err(err)?;
    let keys: Vec<String> = store.get_all_keys::<String>().await.map_err(err)?.collect::<Result<_, _>>().map_err(err)?;
    let values: Vec<String> = store.get_all::<String>().await.map_err(err)?.collect::<Result<_, _>>().map_err(err)?;
    Ok(keys.into_iter().zip(values).filter_map(|(k, v)| rounds::json::from_str(&v).ok().map(|env| (k, env))).collect())
}

/// After a push: drops the settled outbox entries and stores the records' new states.
pub async fn settle(done_keys: &[String], updated: &[LocalRecord]) -> Result<(), String> {
    let db = db().await?;
    let tx = db.transaction([RECORDS, OUTBOX]).with_mode(TransactionMode::Readwrite).with_options(strict()).build().map_err(err)?;
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

/// Drops records the account may no longer see: after a full pull, every synced record the
/// server did not send again (a class taken away, a student moved out of the user's classes).
pub async fn drop_records(ids: &[uuid::Uuid]) -> Result<(), String> {
    if ids.is_empty() {
        return Ok(());
    }
    let db = db().await?;
    let tx = db.transaction(RECORDS).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
    let store = tx.object_store(RECORDS).map_err(err)?;
    for id in ids {
        store.delete(id.to_string()).await.map_err(err)?;
    }
    tx.commit().await.map_err(err)
}

/// Deletes the open account's unsynced records and outbox, on the user's explicit word.
pub async fn discard_unsynced() -> Result<(), String> {
    let db = db().await?;
    let tx = db.transaction([RECORDS, OUTBOX]).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
    let records = tx.object_store(RECORDS).map_err(err)?;
    let keys: Vec<String> = records.get_all_keys::<String>().await.map_err(err)?.collect::<Result<_, _>>().map_err(err)?;
    let values: Vec<String> = records.get_all::<String>().await.map_err(err)?.collect::<Result<_, _>>().map_err(err)?;
    for (key, raw) in keys.into_iter().zip(values) {
        if rounds::json::from_str::<LocalRecord>(&raw).is_ok_and(|r| r.state.unsynced()) {
            records.delete(key).await.map_err(err)?;
        }
    }
    tx.object_store(OUTBOX).map_err(err)?.clear().map_err(err)?.await.map_err(err)?;
    tx.commit().await.map_err(err)
}

/// A photo and its bytes, in one transaction. The bytes are an ArrayBuffer, which every
/// browser's IndexedDB stores (Blobs are refused by some private modes).
pub async fn put_photo(local: &LocalPhoto, data: &[u8]) -> Result<(), String> {
    let db = db().await?;
    let tx = db.transaction([PHOTOS, PHOTO_BYTES]).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
    let key = local.photo.sha256.clone();
    tx.object_store(PHOTOS).map_err(err)?.put(serde_json::to_string(local).map_err(err)?).with_key(key.clone()).await.map_err(err)?;
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
    Ok(raw.iter().filter_map(|s| rounds::json::from_str(s).ok()).collect())
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
    tx.object_store(PHOTOS).map_err(err)?.put(serde_json::to_string(local).map_err(err)?).with_key(local.photo.sha256.clone()).await.map_err(err)?;
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

/// The `meta` key of the confidential reads made on this phone and not yet uploaded.
const AUDIT_READS: &str = "audit_reads";
/// A phone kept offline for months keeps at most this many reads; the oldest go first (each
/// pull that brought the records was logged on the server anyway).
const MAX_PENDING_READS: usize = 5000;

/// The reads waiting for the next sync.
pub async fn audit_reads() -> Result<Vec<rounds::audit::PhoneRead>, String> {
    Ok(get_meta(AUDIT_READS).await?.unwrap_or_default())
}

/// Notes a read, in one transaction (read the list, add, write back: no await but IndexedDB's).
pub async fn add_audit_read(read: &rounds::audit::PhoneRead) -> Result<(), String> {
    let db = db().await?;
    let tx = db.transaction(META).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
    let meta = tx.object_store(META).map_err(err)?;
    let mut reads: Vec<rounds::audit::PhoneRead> = meta_get(&meta, AUDIT_READS).await?.unwrap_or_default();
    reads.push(read.clone());
    let overflow = reads.len().saturating_sub(MAX_PENDING_READS);
    reads.drain(..overflow);
    meta.put(serde_json::to_string(&reads).map_err(err)?).with_key(AUDIT_READS.to_string()).await.map_err(err)?;
    tx.commit().await.map_err(err)
}

/// Forgets the reads the server has answered.
pub async fn settle_audit_reads(done: &[uuid::Uuid]) -> Result<(), String> {
    let db = db().await?;
    let tx = db.transaction(META).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
    let meta = tx.object_store(META).map_err(err)?;
    let mut reads: Vec<rounds::audit::PhoneRead> = meta_get(&meta, AUDIT_READS).await?.unwrap_or_default();
    reads.retain(|r| !done.contains(&r.id));
    meta.put(serde_json::to_string(&reads).map_err(err)?).with_key(AUDIT_READS.to_string()).await.map_err(err)?;
    tx.commit().await.map_err(err)
}
