//! SQLite and PostgreSQL side by side: the same requests answer the same JSON on both; two
//! servers on one PostgreSQL database behave as one; and the pull cursor never skips a record
//! while many pushes commit concurrently through both servers.

mod common;

use common::*;
use reqwest::StatusCode;
use rounds::RosterSnapshot;
use rounds_server::db::Pool;
use rounds_server::state::Config;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};

/// A server over a fresh PostgreSQL database with the demo, and the database's store.
async fn pg_server() -> TestServer {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = fresh_pg_store().await;
    rounds_server::demo::load(&store).await.expect("demo");
    serve_store(store, Config::default(), dir).await
}

async fn sqlite_server() -> TestServer {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = rounds_server::db::Store::open_data_dir(dir.path()).await.expect("open db");
    store.migrate().await.expect("migrate");
    rounds_server::demo::load(&store).await.expect("demo");
    serve_store(store, Config::default(), dir).await
}

/// What may differ between two runs of the same requests: the clock (the demo is loaded, and the
/// script run, a moment apart) and the records' random ids (UUIDv7, chosen by the phone, here by
/// the demo), which are named in order of first appearance. Server-given ids, change numbers,
/// revisions, statuses and every other value must be equal.
fn normalised(answers: Vec<(String, Value)>) -> Vec<(String, Value)> {
    fn walk(v: &mut Value, names: &mut HashMap<String, usize>) {
        match v {
            Value::Object(map) => {
                for (k, x) in map.iter_mut() {
                    // The scope's fingerprint hashes, among others, the random ids of the
                    // records naming the user.
                    if k == "scope" && x.is_string() {
                        *x = Value::String("<fingerprint>".into());
                    } else {
                        walk(x, names);
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|x| walk(x, names)),
            Value::String(s) if uuid::Uuid::parse_str(s).is_ok() => {
                let n = names.len();
                *s = format!("<record {}>", names.entry(s.clone()).or_insert(n));
            }
            Value::String(s)
                if chrono::DateTime::parse_from_rfc3339(s).is_ok()
                    || chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").is_ok()
                    || chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").is_ok() =>
            {
                *s = "<time>".into()
            }
            _ => {}
        }
    }
    let mut names = HashMap::new();
    answers
        .into_iter()
        .map(|(what, mut v)| {
            walk(&mut v, &mut names);
            (what, v)
        })
        .collect()
}

/// Every cell of every sheet of an .xlsx, as text.
fn workbook_cells(bytes: &[u8]) -> Value {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an .xlsx");
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).expect("sheet");
        let rows: Vec<Value> = range.rows().map(|r| Value::Array(r.iter().map(|c| Value::String(c.to_string())).collect())).collect();
        sheets.push(json!({ "sheet": name, "rows": rows }));
    }
    Value::Array(sheets)
}

/// Where two answers first differ, and how (the answers are too long to print whole).
fn first_difference(a: &Value, b: &Value, at: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()) {
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => {
                        if let Some(d) = first_difference(p, q, format!("{at}.{k}")) {
                            return Some(d);
                        }
                    }
                    (p, q) => return Some(format!("{at}.{k}: {p:?} / {q:?}")),
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (p, q))| first_difference(p, q, format!("{at}[{i}]")))
        }
        _ if a == b => None,
        _ => Some(format!("{at}: {} / {}", short(a), short(b))),
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    s.chars().take(300).collect()
}

/// One scripted session of a counselor and the office: what each answered, in order.
async fn script(s: &TestServer, id: uuid::Uuid) -> Vec<(String, Value)> {
    let mut answers = Vec::new();
    let (counselor, user) = s.login("counselor").await;
    let (office, _) = s.login("office").await;
    let pull = s.get(&counselor, "/api/v1/sync/pull?since=0", StatusCode::OK).await;
    let roster: RosterSnapshot = serde_json::from_value(pull["roster"].clone()).expect("roster");
    answers.push(("first pull".into(), pull));
    let room = roster.rooms[0].id;
    // Fixed ids and times, so both servers see the very same records.
    let mut check = check_of(&roster, room, &user, "first");
    check.id = id;
    let pushed = s.post_json(&counselor, "/api/v1/sync/push", json!({ "records": [to_json(&check)] }), StatusCode::OK).await;
    answers.push(("push".into(), pushed));
    let mut edit = check.clone();
    edit.base_revision = Some(edit.revision);
    edit.revision += 1;
    if let rounds::RecordBody::DormCheck(c) = &mut edit.body {
        c.notes = "second".into();
    }
    let mut stale = check.clone();
    stale.base_revision = Some(check.revision);
    stale.revision += 1;
    stale.device_id = "another-phone".into();
    if let rounds::RecordBody::DormCheck(c) = &mut stale.body {
        c.notes = "from another phone".into();
    }
    for (what, env) in [("edit", &edit), ("conflicting edit", &stale), ("replay", &check)] {
        answers.push((what.into(), s.post_json(&counselor, "/api/v1/sync/push", json!({ "records": [to_json(env)] }), StatusCode::OK).await));
    }
    let cursor = answers[0].1["cursor"].as_i64().expect("cursor");
    answers.push(("next pull".into(), s.get(&counselor, &format!("/api/v1/sync/pull?since={cursor}"), StatusCode::OK).await));
    answers.push(("revisions".into(), s.get(&counselor, &format!("/api/v1/records/{}/revisions", check.id), StatusCode::OK).await));
    for path in ["/api/v1/admin/accounts", "/api/v1/admin/students?q=&offset=0&limit=20", "/api/v1/admin/departments", "/api/v1/admin/security"] {
        answers.push((path.into(), s.get(&office, path, StatusCode::OK).await));
    }
    answers.push(("office pull".into(), s.get(&office, "/api/v1/sync/pull?since=0", StatusCode::OK).await));
    // Every documented read without parameters, as the office and as the counselor: reports,
    // ledgers, settings, exports (a non-JSON body is compared as its text).
    let doc = rounds_server::api::openapi_document();
    let before = answers.len();
    for (path, item) in &doc.paths.paths {
        // The session's own answers name random session ids.
        if item.get.is_none() || path.contains('{') || path == "/api/v1/session" || path == "/api/v1/sessions" {
            continue;
        }
        for (who, client) in [("office", &office), ("counselor", &counselor)] {
            let resp = client.get(s.url(path)).send().await.expect("get");
            let status = resp.status().as_u16();
            let bytes = resp.bytes().await.expect("body");
            let body = match std::str::from_utf8(&bytes) {
                Ok(text) => serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string())),
                // A workbook: its cells (the file itself carries the moment it was written).
                Err(_) => workbook_cells(&bytes),
            };
            answers.push((format!("GET {path} as {who}"), json!({ "status": status, "body": body })));
        }
    }
    let reads = (answers.len() - before) / 2;
    assert!(reads >= 20, "only {reads} documented reads without parameters");
    eprintln!("{reads} documented reads compared as the office and as a counselor");
    normalised(answers)
}

#[tokio::test]
async fn both_backends_answer_the_same_json() {
    let (lite, pg) = (sqlite_server().await, pg_server().await);
    assert_eq!(lite.store.backend_name(), "sqlite");
    assert_eq!(pg.store.backend_name(), "postgres");
    // The phone's id of the record the script writes, the same on both.
    let id = uuid::Uuid::now_v7();
    let (a, b) = (script(&lite, id).await, script(&pg, id).await);
    assert_eq!(a.len(), b.len());
    for ((what, x), (_, y)) in a.iter().zip(&b) {
        if let Some(at) = first_difference(x, y, String::new()) {
            panic!("{what}: SQLite and PostgreSQL answered differently at {at}");
        }
    }
    assert_eq!(lite.store.current_seq().await.expect("seq"), pg.store.current_seq().await.expect("seq"));
}

/// A second server on the database of `first`.
async fn second_server(first: &TestServer) -> TestServer {
    let url = first.store.database_url().expect("a PostgreSQL store knows its URL");
    let store = rounds_server::db::Store::connect(&url).await.expect("connect");
    store.migrate().await.expect("migrate again: a no-op");
    serve_store(store, Config::default(), tempfile::tempdir().expect("temp dir")).await
}

#[tokio::test]
async fn two_servers_on_one_database_behave_as_one() {
    let a = pg_server().await;
    let b = second_server(&a).await;
    // Signed in through one, the session works on the other (the cookie names no port).
    let (counselor, user) = a.login("counselor").await;
    let me = b.get(&counselor, "/api/v1/session", StatusCode::OK).await;
    assert_eq!(me["user"]["username"], "counselor");
    let roster = a.pull(&counselor, 0).await.roster.expect("roster");
    let check = check_of(&roster, roster.rooms[0].id, &user, "through a");
    let pushed = a.push(&counselor, vec![to_json(&check)]).await;
    assert_eq!(pushed.results[0].status, rounds::sync::PushStatus::Accepted);
    let pulled = b.pull(&counselor, 0).await;
    assert!(pulled.records.iter().any(|r| r.record.id == check.id), "a record pushed to one server is pulled from the other");
    // Signed out through the second, the first no longer knows the session.
    b.delete_at(&counselor, "/api/v1/session", StatusCode::NO_CONTENT).await;
    a.get(&counselor, "/api/v1/session", StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn each_servers_duty_facts_catch_up_with_the_other() {
    let a = pg_server().await;
    let b = second_server(&a).await;
    let setup = a.store.duty_setup().await.expect("setup");
    let kinds = setup.counted_kinds();
    let zone: chrono_tz::Tz = chrono_tz::Asia::Shanghai;
    let since = setup.facts_since(now().date_naive());
    let before = b.store.institution_facts(&kinds, since, zone).await.expect("facts").len();
    let (counselor, user) = a.login("counselor").await;
    let roster = a.pull(&counselor, 0).await.roster.expect("roster");
    let check = check_of(&roster, roster.rooms[0].id, &user, "counted");
    a.push(&counselor, vec![to_json(&check)]).await;
    let after = b.store.institution_facts(&kinds, since, zone).await.expect("facts").len();
    assert_eq!(after, before + 1, "server b's fact cache holds the record pushed through server a");
}

/// Many counselors push through two servers at once while the office pulls in a loop from
/// both, each pull from its last cursor: in the end the office holds every record, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_pull_cursor_never_skips_a_record_under_concurrent_pushes() {
    const WRITERS: usize = 8;
    const PUSHES: usize = 25;
    let a = std::sync::Arc::new(pg_server().await);
    let b = std::sync::Arc::new(second_server(&a).await);
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let (a, b) = (a.clone(), b.clone());
        writers.push(tokio::spawn(async move {
            let username = if w % 2 == 0 { "counselor" } else { "counselor2" };
            let (client, user) = a.login(username).await;
            let roster = a.pull(&client, 0).await.roster.expect("roster");
            let rooms: Vec<_> = roster.rooms.iter().map(|r| r.id).filter(|r| !roster.residents(*r).is_empty()).collect();
            let mut ids = Vec::new();
            for n in 0..PUSHES {
                let env = check_of(&roster, rooms[n % rooms.len()], &user, &format!("writer {w} push {n}"));
                // Alternate servers, so commits of both interleave.
                let server = if (w + n) % 2 == 0 { &a } else { &b };
                let answer = server.push(&client, vec![to_json(&env)]).await;
                assert_eq!(answer.results[0].status, rounds::sync::PushStatus::Accepted, "{:?}", answer.results[0]);
                ids.push(env.id);
            }
            ids
        }));
    }
    let (office, _) = a.login("office").await;
    let mut held: HashMap<uuid::Uuid, i64> = HashMap::new();
    let mut cursor = 0;
    let mut pulls = 0;
    let puller = |server: &TestServer, cursor: i64| {
        let office = office.clone();
        let url = server.url(&format!("/api/v1/sync/pull?since={cursor}"));
        async move {
            let r = office.get(url).send().await.expect("pull");
            assert_eq!(r.status(), StatusCode::OK);
            r.json::<rounds::sync::PullResponse>().await.expect("pull json")
        }
    };
    let absorb = |held: &mut HashMap<uuid::Uuid, i64>, page: &rounds::sync::PullResponse| {
        for r in &page.records {
            held.insert(r.record.id, r.seq);
        }
    };
    while !writers.iter().all(|w| w.is_finished()) {
        let server = if pulls % 2 == 0 { &a } else { &b };
        let page = puller(server, cursor).await;
        absorb(&mut held, &page);
        cursor = page.cursor;
        pulls += 1;
    }
    let mut pushed = HashSet::new();
    for w in writers {
        pushed.extend(w.await.expect("writer"));
    }
    // The writers are done: pull until nothing more comes.
    loop {
        let page = puller(&a, cursor).await;
        absorb(&mut held, &page);
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    assert_eq!(pushed.len(), WRITERS * PUSHES);
    let missing: Vec<_> = pushed.iter().filter(|id| !held.contains_key(id)).collect();
    assert!(missing.is_empty(), "{} of {} records never reached the puller ({pulls} pulls): {missing:?}", missing.len(), pushed.len());
    // Every change number the puller saw is distinct: each record held once, at one change.
    let seqs: HashSet<i64> = held.values().copied().collect();
    assert_eq!(seqs.len(), held.len());
    assert!(pulls > 1, "the office pulled while the counselors pushed");
}

/// Moving house: the demo copied from SQLite into PostgreSQL answers the same, ids, change
/// numbers and revisions included; sessions stay behind; a second copy is refused. With over a
/// thousand more records and 6 MB of photos, so the copy's batches split both by rows and by
/// bytes.
#[tokio::test]
async fn the_demo_moves_house_from_sqlite_to_postgres() {
    let lite = sqlite_server().await;
    let (office_lite, _) = lite.login("office").await;
    let (counselor, user) = lite.login("counselor").await;
    let roster = lite.pull(&counselor, 0).await.roster.expect("roster");
    // A record with an edit, so a history of revisions moves too.
    let check = check_of(&roster, roster.rooms[0].id, &user, "before the move");
    lite.push(&counselor, vec![to_json(&check)]).await;
    let mut edit = check.clone();
    edit.base_revision = Some(1);
    edit.revision = 2;
    lite.push(&counselor, vec![to_json(&edit)]).await;
    for round in 0..3 {
        let many = (0..450).map(|i| to_json(&check_of(&roster, roster.rooms[i % roster.rooms.len()].id, &user, &format!("round {round}, room {i}")))).collect();
        lite.push(&counselor, many).await;
    }
    // Photos straight into the database: three of 2 MB are more than one batch holds.
    let Pool::Sqlite(lite_pool) = &lite.store.pool else { panic!("SQLite") };
    for i in 0..3u8 {
        sqlx::query("INSERT INTO photos (sha256, content_type, width, height, bytes, data, created_at) VALUES ($1, 'image/jpeg', 800, 600, $2, $3, $4)")
            .bind(format!("{i:064}"))
            .bind(2_000_000i64)
            .bind((0..2_000_000u32).map(|b| (b % 251) as u8 ^ i).collect::<Vec<u8>>())
            .bind("2026-11-01T00:00:00Z")
            .execute(lite_pool)
            .await
            .expect("photo");
    }

    let target = fresh_pg_store().await;
    let report = lite.store.copy_into(&target).await.expect("copy");
    assert!(report.tables.iter().any(|(t, n)| *t == "records" && *n > 1_350), "{:?}", report.tables);
    assert!(report.tables.iter().any(|(t, n)| *t == "photos" && *n == 3));
    let Pool::Postgres(pg_pool) = &target.pool else { panic!("PostgreSQL") };
    const PHOTOS: &str = "SELECT sha256, data FROM photos ORDER BY sha256";
    let photos: Vec<(String, Vec<u8>)> = sqlx::query_as(PHOTOS).fetch_all(lite_pool).await.expect("photos");
    assert_eq!(sqlx::query_as::<_, (String, Vec<u8>)>(PHOTOS).fetch_all(pg_pool).await.expect("photos"), photos, "the photos' bytes moved whole");
    assert!(lite.store.copy_into(&target).await.is_err(), "a second copy into the same database is refused");
    let pg = serve_store(target, Config::default(), tempfile::tempdir().expect("temp dir")).await;
    assert_eq!(pg.store.current_seq().await.expect("seq"), lite.store.current_seq().await.expect("seq"));

    // The session of the old server does not open the new one.
    pg.get(&office_lite, "/api/v1/session", StatusCode::UNAUTHORIZED).await;
    let (office_pg, _) = pg.login("office").await;
    let (office_lite, _) = lite.login("office").await;
    for path in [
        "/api/v1/sync/pull?since=0".to_string(),
        format!("/api/v1/records/{}/revisions", check.id),
        "/api/v1/admin/accounts".to_string(),
        "/api/v1/admin/students?q=&offset=0&limit=50".to_string(),
    ] {
        let mut a = lite.get(&office_lite, &path, StatusCode::OK).await;
        let mut b = pg.get(&office_pg, &path, StatusCode::OK).await;
        // The revisions' receipt times are the server's clock at the push: copied as they were.
        for v in [&mut a, &mut b] {
            if let Some(o) = v.as_object_mut() {
                o.remove("server_time");
            }
        }
        assert_eq!(a, b, "{path} answers differently after the move");
    }
    // New ids continue after the copied ones.
    let next = pg.post_json(&office_pg, "/api/v1/admin/departments", json!({ "name": "新学院" }), StatusCode::CREATED).await;
    let max = lite.store.admin_departments().await.expect("departments").iter().map(|d| d.id.0).max().unwrap_or(0);
    assert_eq!(next["id"].as_i64(), Some(max + 1));
}
