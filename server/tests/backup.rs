//! `rounds-server backup`: a copy taken while a server takes pushes is a consistent snapshot,
//! refuses to overwrite, and restored (put back as a data directory's `rounds.db`) serves the
//! same pull as the live server did up to the copy's last change.

mod common;

use common::{check_of, to_json};
use rounds::sync::{PullResponse, PushStatus, StoredRecord};
use rounds_server::db::Store;
use rounds_server::router::SiteOptions;
use rounds_server::state::Config;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Signs `user` in with the demo password at `base`.
async fn login(base: &str, user: &str) -> reqwest::Client {
    let c = common::client();
    let body = serde_json::json!({ "username": user, "password": rounds_server::demo::DEMO_PASSWORD });
    common::call(&c, reqwest::Method::POST, format!("{base}/api/v1/session"), Some(body), reqwest::StatusCode::OK).await;
    c
}

/// Every record a user's pull from scratch holds, page after page, by id; and the final cursor.
async fn pull_all(base: &str, user: &str) -> (BTreeMap<uuid::Uuid, StoredRecord>, i64) {
    let c = login(base, user).await;
    let mut records = BTreeMap::new();
    let mut since = 0;
    loop {
        let page = common::call(&c, reqwest::Method::GET, format!("{base}/api/v1/sync/pull?since={since}"), None, reqwest::StatusCode::OK).await;
        let page: PullResponse = serde_json::from_value(page).expect("pull json");
        for r in page.records {
            records.insert(r.record.id, r);
        }
        since = page.cursor;
        if !page.more {
            return (records, since);
        }
    }
}

/// Serves the database in `dir` (as `rounds-server --data-dir dir serve` would): its base URL.
async fn serve_data_dir(dir: &Path) -> (String, Store) {
    let store = Store::open_data_dir(dir).await.expect("open the restored copy");
    store.migrate().await.expect("migrate the restored copy");
    let site = SiteOptions { site_root: dir.join("site"), hash_files: false, hash_file: dir.join("hash.txt") };
    let state = rounds_server::router::state(store.clone(), Config::default(), &site).await.expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = rounds_server::serve(listener, state).await;
    });
    (format!("http://{addr}"), store)
}

fn backup_command(url: &str, to: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_rounds-server"))
        .args(["--database-url", url, "backup", "--to"])
        .arg(to)
        .env_remove("ROUNDS_DATA_DIR")
        .output()
        .expect("run rounds-server backup")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_while_the_server_takes_pushes_restores_to_the_same_pull() {
    if common::on_postgres() {
        // PostgreSQL is backed up with pg_dump (docs/deploy.md); this command is SQLite's.
        return;
    }
    let live = common::server().await;
    let rounds_server::db::Pool::Sqlite(pool) = &live.store.pool else { panic!("a SQLite store") };
    let file: String = sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'").fetch_one(pool).await.expect("db file");
    let url = format!("sqlite://{file}");
    let (c, me) = live.login("counselor").await;
    let first = live.pull(&c, 0).await;
    let roster = first.roster.expect("roster");
    let rooms: Vec<_> = roster.rooms.iter().map(|r| r.id).collect();
    let records_before = pull_all(&live.base, "counselor").await.0.len();

    let batch = |i: usize| -> Vec<serde_json::Value> {
        (0..5).map(|j| to_json(&check_of(&roster, rooms[(i * 5 + j) % rooms.len()], &me, &format!("batch {i}.{j}")))).collect()
    };
    // Some records before the copy, for sure.
    for i in 0..3 {
        let answer = live.push(&c, batch(i)).await;
        assert!(answer.results.iter().all(|r| r.status == PushStatus::Accepted));
    }
    // Then pushes go on, one small batch after another, until a while after the copy is taken.
    let copied = Arc::new(AtomicBool::new(false));
    let pushing = {
        let (base, c, copied) = (live.base.clone(), c.clone(), copied.clone());
        let batches: Vec<_> = (3..1000).map(batch).collect();
        tokio::spawn(async move {
            let (mut sent, mut accepted, mut after) = (0, 0, 0);
            for records in batches {
                let answer: rounds::sync::PushResponse = c
                    .post(format!("{base}/api/v1/sync/push"))
                    .json(&serde_json::json!({ "records": records }))
                    .send()
                    .await
                    .expect("push")
                    .json()
                    .await
                    .expect("json");
                sent += records.len();
                accepted += answer.results.iter().filter(|r| r.status == PushStatus::Accepted).count();
                if copied.load(Ordering::SeqCst) {
                    after += 1;
                    if after == 5 {
                        break;
                    }
                }
            }
            (sent, accepted)
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let out_dir = tempfile::tempdir().expect("temp dir");
    let copy = out_dir.path().join("rounds-backup.db");
    let run = tokio::task::spawn_blocking({
        let (url, copy) = (url.clone(), copy.clone());
        move || backup_command(&url, &copy)
    })
    .await
    .expect("join");
    copied.store(true, Ordering::SeqCst);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "backup failed: {stdout}{}", String::from_utf8_lossy(&run.stderr));
    assert!(stdout.contains("wrote ") && stdout.contains("integrity checked"), "{stdout}");
    let (sent, accepted) = pushing.await.expect("pushes");
    assert_eq!(accepted, sent, "every push during the backup was accepted");

    // A second backup to the same name is refused and leaves the first as it was.
    let before = std::fs::read(&copy).expect("read the copy");
    let again = backup_command(&url, &copy);
    assert!(!again.status.success(), "a backup overwrote {}", copy.display());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"), "{}", String::from_utf8_lossy(&again.stderr));
    assert_eq!(std::fs::read(&copy).expect("read the copy"), before);

    // Restored as the docs say: the copy becomes rounds.db of a (new) data directory.
    let restored_dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(&copy, restored_dir.path().join("rounds.db")).expect("restore");
    let (restored, restored_store) = serve_data_dir(restored_dir.path()).await;
    let (held, restored_cursor) = pull_all(&restored, "counselor").await;
    let (all, live_cursor) = pull_all(&live.base, "counselor").await;

    // The copy is one moment: exactly the live records whose last change came at or before it.
    let last_seq = restored_store.current_seq().await.expect("seq");
    let then: BTreeMap<_, _> = all.iter().filter(|(_, r)| r.seq <= last_seq).map(|(id, r)| (*id, r.clone())).collect();
    assert!(held.len() >= records_before + 15, "the copy holds the records pushed before it ({records_before} + 15 then, {} in it)", held.len());
    assert!(held.len() < all.len(), "the pushes after the copy are not in it ({} in it, {} live)", held.len(), all.len());
    assert_eq!(held, then, "the restored pull differs from the live one up to the copy's change {last_seq}");
    assert!(restored_cursor < live_cursor);
    // A phone that synced with the live server after the copy is ahead of the restored one: its
    // next pull starts over, or it would skip the change numbers handed out again from here on.
    let rc = login(&restored, "counselor").await;
    let ahead = common::call(&rc, reqwest::Method::GET, format!("{restored}/api/v1/sync/pull?since={live_cursor}"), None, reqwest::StatusCode::OK).await;
    let ahead: PullResponse = serde_json::from_value(ahead).expect("pull json");
    assert!(ahead.reset, "a cursor past the restored database's last change must start a full pull");
    assert!(ahead.roster.is_some() && !ahead.records.is_empty());
    // And the restored server takes pushes on from there.
    let push = serde_json::json!({ "records": [to_json(&check_of(&roster, rooms[0], &me, "after restore"))] });
    let answer = common::call(&rc, reqwest::Method::POST, format!("{restored}/api/v1/sync/push"), Some(push), reqwest::StatusCode::OK).await;
    let answer: rounds::sync::PushResponse = serde_json::from_value(answer).expect("push json");
    assert_eq!(answer.results[0].status, PushStatus::Accepted);
    assert!(answer.results[0].seq.expect("seq") > last_seq);
}

#[tokio::test]
async fn backup_refuses_postgres_and_a_missing_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let to = dir.path().join("copy.db");
    let pg = backup_command("postgres://rounds@localhost/rounds", &to);
    assert!(!pg.status.success());
    assert!(String::from_utf8_lossy(&pg.stderr).contains("pg_dump"), "{}", String::from_utf8_lossy(&pg.stderr));
    let missing = backup_command(&format!("sqlite://{}", dir.path().join("none.db").display()), &to);
    assert!(!missing.status.success());
    assert!(!to.exists() && !dir.path().join("none.db").exists(), "a failed backup left a file behind");
}
