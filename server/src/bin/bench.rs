//! `rounds-bench`: prints the figures the issues ask for. Not a test: it asserts nothing about
//! speed, it measures and prints.
//!
//! - the release bundle: wasm, js, css and the chunk loader as a browser receives them from the
//!   server (raw, brotli, gzip: the bytes on the wire), beside a local brotli-11 recompression,
//!   and the split-out chunks of the office's pages (`cargo leptos build --split`);
//! - sync ingest: N dorm checks pushed in batches over loopback HTTP to a fresh SQLite server,
//!   once with the server's `synchronous` mode (FULL) and once with NORMAL, to show what the
//!   durability of an `accepted` answer costs;
//! - roster import: a generated .xlsx of N students checked, imported and imported again;
//! - pull: a counselor's first pull of a semester of records, and an incremental one.
//! - results import (帮扶, 003 五): a term's failed credits of N students (default 30,000)
//!   checked, imported, imported again, and the working group's list confirmed.
//!
//! - duties: the duty engine over a generated school of 30,000 students and a year of records,
//!   and the read of those records from SQLite that a compliance report starts with.
//!
//! - load: N phones (default 200) signing in, pulling a semester, then pushing and pulling every
//!   few seconds against `rounds-server serve` child processes: latency percentiles, errors and
//!   the servers' memory (`bench/load.rs`).
//!
//! `--only bundle|ingest|import|pull|duties|results|load` runs one section. `scripts/bench` adds the
//! browser's sections (`--only phone|lighthouse`): see `end2end/bench/`.

// Beside this file, not in src/bin/ where cargo would take it for a binary of its own.
#[path = "bench/load.rs"]
mod load;
#[path = "bench/semester.rs"]
mod semester;

use clap::Parser;
use rounds::sync::{PullResponse, PushResponse, PushStatus};
use rounds::{DormCheck, RecordBody, RecordEnvelope};
use rounds_server::assets::BuildAssets;
use rounds_server::db::Store;
use rounds_server::router::SiteOptions;
use rounds_server::state::Config;
use sqlx::sqlite::SqliteSynchronous;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Parser)]
#[command(name = "rounds-bench", about = "Prints Rounds' bundle sizes and sync throughput")]
struct Args {
    /// The built site (cargo-leptos' site root).
    #[arg(long, default_value = "target/site")]
    site_root: PathBuf,
    /// cargo-leptos' hash file; by default beside this binary.
    #[arg(long)]
    hash_file: Option<PathBuf>,
    /// How many dorm checks to push.
    #[arg(long, default_value_t = 10_000)]
    records: usize,
    /// Records per push.
    #[arg(long, default_value_t = 500)]
    batch: usize,
    /// Students in the generated roster file.
    #[arg(long, default_value_t = 10_000)]
    students: usize,
    /// Students of the counselor in the pull benchmark.
    #[arg(long, default_value_t = 200)]
    pull_students: usize,
    /// Students in the results import (003's identification).
    #[arg(long, default_value_t = 30_000)]
    results_students: usize,
    /// Simulated phones in the load section.
    #[arg(long, default_value_t = 200)]
    phones: usize,
    /// How long the load section's phones push and pull, in seconds.
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// Each phone pushes and pulls once in this many seconds on average (jittered ±50%).
    #[arg(long, default_value_t = 5.0)]
    interval: f64,
    /// A PostgreSQL database (empty) for the load section's setups (b) and (c); without one, the
    /// section starts a throw-away cluster of its own (`rounds_server::db::pg_cluster`).
    #[arg(long, env = "ROUNDS_BENCH_POSTGRES_URL")]
    postgres_url: Option<String>,
    /// The rounds-server binary the load section starts; by default beside this one.
    #[arg(long)]
    server_bin: Option<PathBuf>,
    /// Run one section only.
    #[arg(long, value_enum)]
    only: Option<Section>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Section {
    Bundle,
    Ingest,
    Import,
    Pull,
    Duties,
    Results,
    Load,
}

/// The size of `bytes` compressed as the server's precompressed copies are.
fn brotli_size(bytes: &[u8]) -> anyhow::Result<usize> {
    Ok(rounds_server::precompress::brotli(bytes)?.len())
}

fn kb(n: usize) -> String {
    format!("{:.1} KB", n as f64 / 1024.0)
}

/// The bundle as a browser receives it: each asset fetched from a real server over loopback,
/// once per encoding a browser may accept, counting the bytes on the wire (brotli and gzip are
/// the files `rounds-server precompress` made at build time, else the server's own
/// on-the-fly compression). Beside it, the asset recompressed here at brotli 11, for comparison.
async fn bundle(site_root: &Path, hash_file: &Path) -> anyhow::Result<()> {
    let assets = BuildAssets::load("rounds", "pkg", Some(hash_file), site_root);
    println!("bundle ({}), bytes on the wire:", site_root.display());
    let (store, dir) = fresh_store().await?;
    let site = SiteOptions { site_root: site_root.to_path_buf(), hash_files: true, hash_file: hash_file.to_path_buf() };
    let state = rounds_server::router::state(store, Config::default(), &site).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        let _ = rounds_server::serve(listener, state).await;
    });
    // No decompression in this client: the body is what travelled.
    let client = reqwest::Client::new();
    println!("  {:<6} {:>12} {:>12} {:>12} {:>14}  file", "asset", "raw", "brotli", "gzip", "local br 11");
    let mut totals = [0usize; 3];
    let mut main: Vec<(&str, String)> = vec![("wasm", assets.wasm.clone()), ("js", assets.js.clone()), ("css", assets.css.clone())];
    main.extend(assets.split_js.clone().map(|url| ("split", url)));
    for (label, url) in &main {
        let path = site_root.join(url.trim_start_matches('/'));
        let Ok(bytes) = std::fs::read(&path) else {
            println!("  {label:<6} not found at {}; build with `cargo leptos build --release --split` and `rounds-server precompress` first", path.display());
            continue;
        };
        let mut wire = [0usize; 3];
        for (i, accept) in ["identity", "br", "gzip"].into_iter().enumerate() {
            let resp = client.get(format!("{base}{url}")).header("accept-encoding", accept).send().await?.error_for_status()?;
            wire[i] = resp.bytes().await?.len();
            totals[i] += wire[i];
        }
        println!("  {label:<6} {:>12} {:>12} {:>12} {:>14}  {url}", kb(wire[0]), kb(wire[1]), kb(wire[2]), kb(brotli_size(&bytes)?));
    }
    println!("  {:<6} {:>12} {:>12} {:>12}  (the first load: every page of a phone role is in it)", "total", kb(totals[0]), kb(totals[1]), kb(totals[2]));
    // `--split`: the office's pages, each a chunk fetched when first opened.
    let mut chunks = [0usize; 3];
    let mut count = 0;
    for entry in std::fs::read_dir(site_root.join("pkg"))? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        let url = format!("/pkg/{name}");
        if name.ends_with(".wasm") && url != assets.wasm {
            count += 1;
            for (i, accept) in ["identity", "br", "gzip"].into_iter().enumerate() {
                chunks[i] += client.get(format!("{base}{url}")).header("accept-encoding", accept).send().await?.error_for_status()?.bytes().await?.len();
            }
        }
    }
    println!(
        "  {:<6} {:>12} {:>12} {:>12}  ({count} split-out chunks, loaded when an office page opens)",
        "chunks",
        kb(chunks[0]),
        kb(chunks[1]),
        kb(chunks[2])
    );
    drop(dir);
    Ok(())
}

/// A fresh, migrated SQLite store in a temporary directory that lives as long as the guard.
async fn fresh_store() -> anyhow::Result<(Store, tempfile::TempDir)> {
    fresh_store_with(rounds_server::db::SYNCHRONOUS).await
}

async fn fresh_store_with(synchronous: SqliteSynchronous) -> anyhow::Result<(Store, tempfile::TempDir)> {
    let dir = tempfile::tempdir()?;
    let store = Store::open_data_dir_with(dir.path(), synchronous).await?;
    store.migrate().await?;
    Ok((store, dir))
}

/// A fresh SQLite server with the demo institution, on a loopback port.
async fn demo_server() -> anyhow::Result<(String, tempfile::TempDir)> {
    demo_server_with(rounds_server::db::SYNCHRONOUS).await.map(|(base, dir, _)| (base, dir))
}

/// As [`demo_server`] with the given sync mode; also says the mode SQLite reports.
async fn demo_server_with(synchronous: SqliteSynchronous) -> anyhow::Result<(String, tempfile::TempDir, &'static str)> {
    let (store, dir) = fresh_store_with(synchronous).await?;
    let mode = store.synchronous_mode().await?;
    rounds_server::demo::load(&store).await?;
    let (base, dir) = serve_store(store, dir).await?;
    Ok((base, dir, mode))
}

/// Serves a prepared store on a loopback port; the directory lives as long as the returned guard.
async fn serve_store(store: Store, dir: tempfile::TempDir) -> anyhow::Result<(String, tempfile::TempDir)> {
    let site = SiteOptions { site_root: dir.path().join("site"), hash_files: false, hash_file: dir.path().join("none") };
    let state = rounds_server::router::state(store, Config::default(), &site).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        let _ = rounds_server::serve(listener, state).await;
    });
    Ok((base, dir))
}

async fn signed_in(base: &str, username: &str) -> anyhow::Result<reqwest::Client> {
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    client
        .post(format!("{base}/api/v1/session"))
        .json(&serde_json::json!({ "username": username, "password": rounds_server::demo::DEMO_PASSWORD }))
        .send()
        .await?
        .error_for_status()?;
    Ok(client)
}

async fn ingest(records: usize, batch: usize, synchronous: SqliteSynchronous) -> anyhow::Result<()> {
    let (base, _dir, mode) = demo_server_with(synchronous).await?;
    let client = signed_in(&base, "counselor").await?;
    let pull: PullResponse = client.get(format!("{base}/api/v1/sync/pull?since=0")).send().await?.json().await?;
    let roster = pull.roster.ok_or_else(|| anyhow::anyhow!("no roster in the first pull"))?;
    let zone = rounds::school_time::offset(8 * 3600);
    let now = rounds::school_time::now_in(&zone);
    let envelopes: Vec<serde_json::Value> = (0..records)
        .map(|i| {
            let room = &roster.rooms[i % roster.rooms.len()];
            let residents: Vec<_> = roster.residents(room.id).iter().map(|(_, s)| s.id).collect();
            let mut check = DormCheck::blank(room.id, &residents, now - chrono::Duration::minutes((i % 600) as i64));
            check.notes = format!("bench {i}");
            serde_json::to_value(RecordEnvelope::new(RecordBody::DormCheck(check), pull.user.id, "bench", now))
        })
        .collect::<Result<_, _>>()?;

    let start = Instant::now();
    let mut accepted = 0;
    for chunk in envelopes.chunks(batch) {
        let answer: PushResponse =
            client.post(format!("{base}/api/v1/sync/push")).json(&serde_json::json!({ "records": chunk })).send().await?.error_for_status()?.json().await?;
        accepted += answer.results.iter().filter(|r| r.status == PushStatus::Accepted).count();
    }
    let elapsed = start.elapsed();
    println!("sync ingest: {records} dorm checks in batches of {batch} over loopback to a fresh SQLite server (synchronous={mode})");
    println!("  accepted {accepted} in {:.2} s = {:.0} records/s", elapsed.as_secs_f64(), accepted as f64 / elapsed.as_secs_f64());

    let start = Instant::now();
    let mut replayed = 0;
    for chunk in envelopes.chunks(batch) {
        let answer: PushResponse = client.post(format!("{base}/api/v1/sync/push")).json(&serde_json::json!({ "records": chunk })).send().await?.json().await?;
        replayed += answer.results.iter().filter(|r| r.status == PushStatus::Duplicate).count();
    }
    let elapsed = start.elapsed();
    println!(
        "  replay of the same batches: {replayed} duplicates in {:.2} s = {:.0} records/s",
        elapsed.as_secs_f64(),
        replayed as f64 / elapsed.as_secs_f64()
    );
    Ok(())
}

/// A students file as a school would send it: `per_class` to a class, 4 to a room, every
/// archive field filled, student numbers and phones typed as numbers.
fn roster_xlsx(students: usize, per_class: usize) -> anyhow::Result<Vec<u8>> {
    use rounds::roster_import::Column;
    use rounds::sheet::SheetColumn;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, col) in Column::ALL.iter().enumerate() {
        sheet.write_string(0, c as u16, col.zh())?;
    }
    let col = |c: Column| Column::ALL.iter().position(|x| *x == c).unwrap_or(0) as u16;
    for i in 0..students {
        let row = i as u32 + 1;
        let class = i / per_class.max(1);
        let department = class / 50;
        let female = (i / 4) % 2 == 1;
        let building = if female { 20 + department } else { 10 + department };
        sheet.write_number(row, col(Column::StudentNo), (2_022_000_000 + i as u64) as f64)?;
        sheet.write_number(row, col(Column::Phone), (13_800_000_000 + i as u64) as f64)?;
        sheet.write_number(row, col(Column::Cohort), f64::from(2022 + (class % 4) as u32))?;
        let flags = if i % 11 == 0 { "学业预警、心理关注" } else { "" };
        for (c, value) in [
            (Column::Name, format!("学生{i}")),
            (Column::Gender, (if female { "女" } else { "男" }).to_string()),
            (Column::Department, format!("第{department}学院")),
            (Column::Class, format!("专业{class}班")),
            (Column::Building, format!("{building}号楼")),
            (Column::Room, format!("{building}-{}", i / 4)),
            (Column::Bed, (i % 4 + 1).to_string()),
            (Column::GuardianName, format!("家长{i}")),
            (Column::GuardianPhone, format!("139{i:08}")),
            (Column::HomeAddress, "四川省成都市某区某街道".to_string()),
            (Column::Origin, (if i % 3 == 0 { "农村" } else { "城镇" }).to_string()),
            (Column::Economy, (if i % 7 == 0 { "困难" } else { "一般" }).to_string()),
            (Column::Flags, flags.to_string()),
        ] {
            if !value.is_empty() {
                sheet.write_string(row, col(c), value)?;
            }
        }
    }
    Ok(workbook.save_to_buffer()?)
}

async fn roster_import(students: usize) -> anyhow::Result<()> {
    use rounds::roster_import::ImportReport;
    let (base, _dir) = demo_server().await?;
    let client = signed_in(&base, "office").await?;
    let start = Instant::now();
    let file = roster_xlsx(students, 40)?;
    let generated = start.elapsed();
    let run = |mode: &'static str| {
        let client = client.clone();
        let url = format!("{base}/api/v1/roster/import?mode={mode}&format=xlsx");
        let body = file.clone();
        async move {
            let start = Instant::now();
            let report: ImportReport = client.post(url).body(body).send().await?.error_for_status()?.json().await?;
            anyhow::Ok((start.elapsed(), report))
        }
    };
    let (check, checked) = run("check").await?;
    let (apply, applied) = run("apply").await?;
    let (again, reapplied) = run("apply").await?;
    anyhow::ensure!(checked.errors.is_empty(), "the generated file has errors: {:?}", &checked.errors[..checked.errors.len().min(3)]);
    anyhow::ensure!(applied.counts.students.created == students, "not every student was created: {:?}", applied.counts);
    anyhow::ensure!(reapplied.counts.changed() == 0, "the re-import changed something: {:?}", reapplied.counts);
    let ms = |d: std::time::Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
    println!(
        "roster import: {students} students (xlsx {}, generated in {}) over loopback to a SQLite server with the demo institution",
        kb(file.len()),
        ms(generated)
    );
    println!("  check {}, apply {}, re-import {} (all {} unchanged)", ms(check), ms(apply), ms(again), reapplied.counts.students.unchanged);
    let c = applied.counts;
    println!(
        "  created {} departments, {} classes, {} students, {} buildings, {} rooms, {} beds",
        c.departments.created, c.classes.created, c.students.created, c.buildings.created, c.rooms.created, c.beds.created
    );
    Ok(())
}

/// What one pull from a cursor to the end (following `more`) cost the client.
struct PullRun {
    elapsed: std::time::Duration,
    /// The bytes of the bodies as received, compressed or not.
    wire: usize,
    /// The JSON after decompression.
    json: usize,
    /// The JSON at brotli's best quality, for comparison with what the server sends (measured
    /// for uncompressed pulls only: it is slow and the same for every encoding).
    json_brotli: Option<usize>,
    /// What the server chose from the Accept-Encoding offered.
    encoding: String,
    pages: usize,
    records: usize,
    cursor: i64,
    /// The decompressed pages.
    bodies: Vec<Vec<u8>>,
}

fn decompress(encoding: &str, body: &[u8]) -> anyhow::Result<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    match encoding {
        "identity" => out.extend_from_slice(body),
        "br" => {
            brotli::Decompressor::new(body, 4096).read_to_end(&mut out)?;
        }
        "gzip" => {
            flate2::read::GzDecoder::new(body).read_to_end(&mut out)?;
        }
        other => anyhow::bail!("the server answered in an encoding the bench does not read: {other}"),
    }
    Ok(out)
}

/// Pulls everything after `since`, page by page, offering `accept` as the Accept-Encoding (a
/// browser offers "gzip, deflate, br, zstd"); times the requests, the decompression and the parse.
async fn pull_from(client: &reqwest::Client, base: &str, since: i64, accept: &str) -> anyhow::Result<PullRun> {
    use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING};
    let mut run = PullRun {
        elapsed: Default::default(),
        wire: 0,
        json: 0,
        json_brotli: None,
        encoding: String::new(),
        pages: 0,
        records: 0,
        cursor: since,
        bodies: Vec::new(),
    };
    let start = Instant::now();
    loop {
        let resp = client.get(format!("{base}/api/v1/sync/pull?since={}", run.cursor)).header(ACCEPT_ENCODING, accept).send().await?.error_for_status()?;
        run.encoding = resp.headers().get(CONTENT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or("identity").to_string();
        let body = resp.bytes().await?;
        run.wire += body.len();
        let json = decompress(&run.encoding, &body)?;
        let page: PullResponse = serde_json::from_slice(&json)?;
        run.pages += 1;
        run.records += page.records.len();
        run.cursor = page.cursor;
        run.json += json.len();
        run.bodies.push(json);
        if !page.more {
            break;
        }
    }
    run.elapsed = start.elapsed();
    Ok(run)
}

/// The median of `runs` pulls from `since` (the figures other than time are the same each run).
async fn median_pull(client: &reqwest::Client, base: &str, since: i64, accept: &str, runs: usize) -> anyhow::Result<PullRun> {
    let mut all = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        all.push(pull_from(client, base, since, accept).await?);
    }
    all.sort_by_key(|r| r.elapsed);
    let middle = all.len() / 2;
    let mut run = all.swap_remove(middle);
    if accept == "identity" {
        run.json_brotli = Some(run.bodies.iter().map(|json| brotli_size(json)).sum::<anyhow::Result<usize>>()?);
    }
    Ok(run)
}

fn print_pull(label: &str, r: &PullRun) {
    println!(
        "  {label:<24} {:>8.1} ms {:>11} on the wire ({:<8}) {:>11} JSON{}  {} records in {} page(s)",
        r.elapsed.as_secs_f64() * 1000.0,
        kb(r.wire),
        r.encoding,
        kb(r.json),
        r.json_brotli.map(|n| format!(" ({} at brotli-11)", kb(n))).unwrap_or_default(),
        r.records,
        r.pages
    );
}

/// A counselor with `students` students (30 to a class, 4 to a room) and a semester of records
/// on a fresh SQLite server; their first pull from scratch and an incremental one after a new
/// record, over loopback HTTP.
async fn pull(students: usize) -> anyhow::Result<()> {
    use rand::SeedableRng;
    use rounds::roster_import::ImportMode;
    let setup = Instant::now();
    let (store, dir) = fresh_store().await?;
    let file = rounds_server::api::import::read_file(&roster_xlsx(students, 30)?, rounds_server::api::import::FileFormat::Xlsx, school_today())?;
    let imported = store.import_students(&file, ImportMode::Apply).await?;
    anyhow::ensure!(imported.applied, "the generated roster was not imported: {:?}", &imported.errors[..imported.errors.len().min(3)]);
    let hash = rounds_server::auth::hash_password(rounds_server::demo::DEMO_PASSWORD)?;
    let counselor = store.create_user("counselor", "王芳", rounds::Role::Counselor, &hash).await?;
    for class in store.roster().await?.classes.clone() {
        store.assign_class(counselor, class.id).await?;
    }
    let (base, _dir) = serve_store(store, dir).await?;
    let client = signed_in(&base, "counselor").await?;
    eprintln!("pull: roster imported and signed in after {:.2} s", setup.elapsed().as_secs_f64());

    // The semester is made as the phone makes records: from the roster it pulled, then pushed.
    let first: PullResponse = client.get(format!("{base}/api/v1/sync/pull?since=0")).send().await?.error_for_status()?.json().await?;
    let roster = first.roster.ok_or_else(|| anyhow::anyhow!("no roster in the first pull"))?;
    let now = rounds::school_time::now_in(&rounds::school_time::offset(first.utc_offset_seconds));
    let mut rng = rand::rngs::StdRng::seed_from_u64(2026);
    let bodies = semester::records(&roster, now, 20, &mut rng);
    let mut kinds: std::collections::BTreeMap<&str, usize> = Default::default();
    for b in &bodies {
        *kinds.entry(b.kind()).or_default() += 1;
    }
    let envelopes: Vec<RecordEnvelope> = bodies
        .into_iter()
        .map(|b| {
            let at = b.occurred_at();
            RecordEnvelope::new(b, first.user.id, "bench", at)
        })
        .collect();
    let mut accepted = 0;
    let pushing = Instant::now();
    for chunk in envelopes.chunks(rounds::sync::MAX_PUSH_BATCH) {
        let answer: PushResponse =
            client.post(format!("{base}/api/v1/sync/push")).json(&serde_json::json!({ "records": chunk })).send().await?.error_for_status()?.json().await?;
        if let Some(refused) = answer.results.iter().find(|r| r.status != PushStatus::Accepted) {
            anyhow::bail!("a generated record was refused: {refused:?}");
        }
        accepted += answer.results.len();
    }
    println!(
        "pull: a counselor with {} students in {} classes and {} rooms, {accepted} records of a 20-week semester, over loopback from a fresh SQLite server",
        roster.students.len(),
        roster.classes.len(),
        roster.rooms.len()
    );
    println!("  pushed in {:.2} s; by kind: {}", pushing.elapsed().as_secs_f64(), kinds.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", "));

    const BROWSER: &str = "gzip, deflate, br, zstd";
    let runs = 5;
    println!("  first pull (since=0, roster and every record; median of {runs}):");
    let full = median_pull(&client, &base, 0, BROWSER, runs).await?;
    print_pull("as a browser asks", &full);
    print_pull("gzip only", &median_pull(&client, &base, 0, "gzip", runs).await?);
    print_pull("uncompressed", &median_pull(&client, &base, 0, "identity", runs).await?);

    println!("  incremental pull (median of {runs}):");
    print_pull("nothing new", &median_pull(&client, &base, full.cursor, BROWSER, runs).await?);
    let room = roster.rooms.first().ok_or_else(|| anyhow::anyhow!("the counselor has no room"))?;
    let residents: Vec<_> = roster.residents(room.id).iter().map(|(_, s)| s.id).collect();
    let check = RecordEnvelope::new(RecordBody::DormCheck(DormCheck::blank(room.id, &residents, now)), first.user.id, "bench", now);
    let answer: PushResponse =
        client.post(format!("{base}/api/v1/sync/push")).json(&serde_json::json!({ "records": [check] })).send().await?.error_for_status()?.json().await?;
    anyhow::ensure!(answer.results.iter().all(|r| r.status == PushStatus::Accepted), "the new check was refused: {:?}", answer.results);
    print_pull("after one new record", &median_pull(&client, &base, full.cursor, BROWSER, runs).await?);
    print_pull("  uncompressed", &median_pull(&client, &base, full.cursor, "identity", runs).await?);
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let hash_file = match args.hash_file {
        Some(p) => p,
        None => std::env::current_exe()?.with_file_name("hash.txt"),
    };
    let runs = |s: Section| args.only.is_none_or(|only| only == s);
    if runs(Section::Bundle) {
        bundle(&args.site_root, &hash_file).await?;
    }
    if runs(Section::Ingest) {
        let batch = args.batch.clamp(1, rounds::sync::MAX_PUSH_BATCH);
        ingest(args.records, batch, rounds_server::db::SYNCHRONOUS).await?;
        // The mode the server ran with before FULL, for comparison.
        ingest(args.records, batch, SqliteSynchronous::Normal).await?;
    }
    if runs(Section::Import) {
        roster_import(args.students).await?;
    }
    if runs(Section::Pull) {
        pull(args.pull_students).await?;
    }
    if runs(Section::Duties) {
        let facts = duties();
        duty_facts_from_sqlite(&facts).await?;
    }
    if runs(Section::Results) {
        results_import(args.results_students).await?;
    }
    if runs(Section::Load) {
        let server_bin = match &args.server_bin {
            Some(p) => p.clone(),
            None => std::env::current_exe()?.with_file_name("rounds-server"),
        };
        let load_args =
            load::LoadArgs { phones: args.phones, seconds: args.seconds, interval: args.interval, postgres_url: args.postgres_url.clone(), server_bin };
        load::run(&load_args).await?;
    }
    Ok(())
}

/// A term's results for the students of [`roster_xlsx`]: most passed everything, one in ten
/// failed a course or two, and a few hundred reach each of 003's lines.
fn results_xlsx(students: usize) -> anyhow::Result<Vec<u8>> {
    use rounds::assistance::ResultsColumn;
    use rounds::sheet::SheetColumn;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, col) in ResultsColumn::ALL.iter().enumerate() {
        sheet.write_string(0, c as u16, col.zh())?;
    }
    for i in 0..students {
        let row = i as u32 + 1;
        let (credits, courses) = match i % 100 {
            0 => (12.5, 4),
            1 => (16.0, 5),
            2 => (27.5, 9),
            3..=12 => (2.0 + (i % 3) as f64, 1 + (i % 2) as u32),
            _ => (0.0, 0),
        };
        sheet.write_number(row, 0, (2_022_000_000 + i as u64) as f64)?;
        sheet.write_string(row, 1, format!("学生{i}"))?;
        sheet.write_number(row, 2, credits)?;
        sheet.write_number(row, 3, f64::from(courses))?;
        // Two in a hundred below a GPA of 1.5 or absent ten hours or more (003 三).
        sheet.write_number(row, 4, if i % 100 == 50 { 1.3 } else { 1.8 + (i % 25) as f64 / 10.0 })?;
        sheet.write_number(row, 5, if i % 100 == 60 { 12.0 } else { (i % 7) as f64 })?;
    }
    Ok(workbook.save_to_buffer()?)
}

async fn results_import(students: usize) -> anyhow::Result<()> {
    use rounds::assistance::{ConfirmReport, ConfirmedStudent, Identification, IdentificationDecision, ResultsImportReport};
    use rounds::roster_import::ImportMode;
    let setup = Instant::now();
    let (store, dir) = fresh_store().await?;
    let roster = rounds_server::api::import::read_file(&roster_xlsx(students, 40)?, rounds_server::api::import::FileFormat::Xlsx, school_today())?;
    anyhow::ensure!(store.import_students(&roster, ImportMode::Apply).await?.applied, "the generated roster was not imported");
    let hash = rounds_server::auth::hash_password(rounds_server::demo::DEMO_PASSWORD)?;
    store.create_user("office", "刘敏", rounds::Role::Office, &hash).await?;
    let (base, _dir) = serve_store(store, dir).await?;
    let client = signed_in(&base, "office").await?;
    let file = results_xlsx(students)?;
    eprintln!("results: roster of {students} imported, file generated, after {:.2} s", setup.elapsed().as_secs_f64());
    const TERM: &str = "2025-2026-2";
    let run = |mode: &'static str| {
        let client = client.clone();
        let url = format!("{base}/api/v1/assistance/results/import?term={TERM}&mode={mode}&format=xlsx");
        let body = file.clone();
        async move {
            let start = Instant::now();
            let report: ResultsImportReport = client.post(url).body(body).send().await?.error_for_status()?.json().await?;
            anyhow::Ok((start.elapsed(), report))
        }
    };
    let (check, checked) = run("check").await?;
    let (apply, applied) = run("apply").await?;
    let (again, reapplied) = run("apply").await?;
    anyhow::ensure!(checked.report.errors.is_empty(), "the generated results have errors: {:?}", &checked.report.errors[..checked.report.errors.len().min(3)]);
    anyhow::ensure!(applied.report.counts.created == students, "not every student's results were stored: {:?}", applied.report.counts);
    anyhow::ensure!(reapplied.report.counts.unchanged == students, "the re-import changed something: {:?}", reapplied.report.counts);

    let start = Instant::now();
    let list: Identification = client.get(format!("{base}/api/v1/assistance/identification?term={TERM}")).send().await?.error_for_status()?.json().await?;
    let listed = start.elapsed();
    let decided_on = rounds::school_time::now_in(&rounds::school_time::offset(8 * 3600)).date_naive();
    let decision = IdentificationDecision {
        term: TERM.into(),
        decided_on,
        basis: "bench".into(),
        students: list.students.iter().map(|s| ConfirmedStudent { student_id: s.student_id, level: s.proposal.level }).collect(),
    };
    let start = Instant::now();
    let confirmed: ConfirmReport =
        client.post(format!("{base}/api/v1/assistance/identification/confirm")).json(&decision).send().await?.error_for_status()?.json().await?;
    let confirming = start.elapsed();
    anyhow::ensure!(confirmed.refused.is_empty(), "refused: {:?}", &confirmed.refused[..confirmed.refused.len().min(3)]);
    let ms = |d: std::time::Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
    let p = applied.proposed;
    println!("results import (003 identification): {students} students, xlsx {}, over loopback to SQLite", kb(file.len()));
    println!("  check {}, apply {}, re-import {} (all {} unchanged)", ms(check), ms(apply), ms(again), reapplied.report.counts.unchanged);
    println!("  proposed: 一级 {}, 二级 {}, 三级 {}, other signs only {}", p.level_one, p.level_two, p.level_three, p.signs_only);
    println!(
        "  list of {} in {}; confirming it (standing + history + a case record each) {}: {} cases opened",
        list.students.len(),
        ms(listed),
        ms(confirming),
        confirmed.cases_opened
    );
    Ok(())
}

/// The duty engine on a large school, in memory: 30,000 students in 1,000 classes, 7,500 rooms
/// of four, 150 counselors with about seven classes each, a head teacher per class, 50 leaders
/// with four links each, and a year of records (about a million facts). Times (a) indexing the
/// facts, (b) everyone's duties (the office's report; the issue's target is under 200 ms), and
/// (c) one counselor's duties from their own facts and roster only (the phone's "Today").
/// Returns the facts, for [`duty_facts_from_sqlite`].
fn duties() -> Vec<rounds::duties::Fact> {
    use rand::{Rng, SeedableRng};
    use rounds::duties::calendar::demo_calendar;
    use rounds::duties::engine::kind_index;
    use rounds::duties::{default_rules, DutyEngine, Fact, Owner, Tally};
    use rounds::groups::{Club, LinkTarget, PartyBranch};
    use rounds::record::Subject;
    use rounds::*;

    const STUDENTS: i64 = 30_000;
    const CLASS_SIZE: i64 = 30;
    const CLASSES: i64 = STUDENTS / CLASS_SIZE;
    const ROOMS: i64 = STUDENTS / 4;
    const COUNSELORS: i64 = 150;
    const LEADERS: i64 = 50;
    const RUNS: usize = 7;
    let mut rng = rand::rngs::StdRng::seed_from_u64(4);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    let calendar = demo_calendar();
    let rules = default_rules();

    let student = |i: i64, rng: &mut rand::rngs::StdRng| {
        let mut archive = StudentArchive { confirmed_on: (i % 10 != 0).then(|| today - chrono::Duration::days(60 + i % 20)), ..Default::default() };
        match rng.gen_range(0..100) {
            0..=2 => (archive.warning_level, archive.warning_on) = (Some(1 + (i % 3) as u8), Some(today - chrono::Duration::days(i % 70))),
            3 => archive.discipline_on = Some(today - chrono::Duration::days(i % 200)),
            4..=5 => archive.assistance_level = Some(1 + (i % 3) as u8),
            _ => {}
        }
        Student {
            id: StudentId(i),
            student_no: format!("2026{i:06}"),
            name: format!("学生{i}"),
            gender: if (i / 4) % 2 == 0 { Gender::Male } else { Gender::Female },
            class_id: ClassId(i / CLASS_SIZE),
            phone: None,
            initials: String::new(),
            archive: Some(archive),
        }
    };
    let roster = RosterSnapshot {
        departments: (0..20).map(|d| Department { id: DepartmentId(d), name: format!("第{d}学院") }).collect(),
        classes: (0..CLASSES).map(|c| Class { id: ClassId(c), department_id: DepartmentId(c / 50), name: format!("班级{c}"), cohort_year: 2023 }).collect(),
        students: (0..STUDENTS).map(|i| student(i, &mut rng)).collect(),
        buildings: (0..50).map(|b| Building { id: BuildingId(b), name: format!("{b}号楼") }).collect(),
        rooms: (0..ROOMS).map(|r| Room { id: RoomId(r), building_id: BuildingId(r / 150), number: format!("{}-{}", r / 150, r % 150) }).collect(),
        beds: (0..STUDENTS).map(|i| Bed { id: BedId(i), room_id: RoomId(i / 4), label: (i % 4 + 1).to_string(), student_id: Some(StudentId(i)) }).collect(),
        clubs: (0..LEADERS).map(|c| Club { id: ClubId(c), name: format!("社团{c}"), department_id: None }).collect(),
        branches: (0..LEADERS).map(|b| PartyBranch { id: BranchId(b), name: format!("党支部{b}"), department_id: None }).collect(),
        links: Vec::new(),
        assigned_classes: Vec::new(),
        leadership: false,
        office_department: None,
        staff: vec![],
    };
    // Counselor k has classes k*1000/150 up to (k+1)*1000/150; head teachers are 1000 + class;
    // leaders 2000 + k.
    let counselor_of = |class: i64| UserId(class * COUNSELORS / CLASSES);
    let mut owners: Vec<Owner> = (0..COUNSELORS)
        .map(|k| Owner {
            user: UserId(k),
            role: Role::Counselor,
            classes: (0..CLASSES).filter(|c| counselor_of(*c) == UserId(k)).map(ClassId).collect(),
            links: vec![],
            leadership: false,
        })
        .collect();
    owners.extend((0..CLASSES).map(|c| Owner { user: UserId(1000 + c), role: Role::HeadTeacher, classes: vec![ClassId(c)], links: vec![], leadership: false }));
    owners.extend((0..LEADERS).map(|k| Owner {
        user: UserId(2000 + k),
        role: Role::Leader,
        classes: vec![],
        links: vec![LinkTarget::Class(ClassId(k * 20)), LinkTarget::Room(RoomId(k * 150)), LinkTarget::Club(ClubId(k)), LinkTarget::Branch(BranchId(k))],
        // One leader in five is of the school's leadership (班子成员).
        leadership: k % 5 == 0,
    }));

    // A year of records up to today, by the staff in charge of their subjects.
    let kind = |k: &str| kind_index(k).unwrap_or(0);
    let mut facts: Vec<Fact> = Vec::with_capacity(1_050_000);
    let mut add = |author: UserId, k: &str, subject: Subject, activity: Option<u8>, n: usize, rng: &mut rand::rngs::StdRng| {
        for _ in 0..n {
            let on = today - chrono::Duration::days(rng.gen_range(0..365));
            facts.push(Fact { author: Some(author), kind: kind(k), activity, subject, on, counterpart: None });
        }
    };
    for r in 0..ROOMS {
        add(counselor_of(r * 4 / CLASS_SIZE), "dorm_check", Subject::Room(RoomId(r)), None, rng.gen_range(60..=80), &mut rng);
    }
    for c in 0..CLASSES {
        let (counselor, head) = (counselor_of(c), UserId(1000 + c));
        let class = Subject::Class(ClassId(c));
        add(counselor, "class_check", class, None, rng.gen_range(100..=140), &mut rng);
        add(counselor, "class_meeting", class, None, 8, &mut rng);
        add(counselor, "committee_meeting", class, None, 4, &mut rng);
        add(counselor, "teacher_contact", class, None, 3, &mut rng);
        add(counselor, "lecture_visit", class, None, 2, &mut rng);
        add(counselor, "student_issue", class, None, 5, &mut rng);
        for i in c * CLASS_SIZE..(c + 1) * CLASS_SIZE {
            let s = Subject::Student(StudentId(i));
            add(counselor, "talk", s, None, rng.gen_range(3..=6), &mut rng);
            add(head, "talk", s, None, rng.gen_range(1..=3), &mut rng);
            add(counselor, "parent_contact", s, None, rng.gen_range(2..=5), &mut rng);
        }
    }
    for k in 0..COUNSELORS {
        add(UserId(k), "duty_log", Subject::Own, None, 20, &mut rng);
    }
    for (k, o) in owners.iter().filter(|o| o.role == Role::Leader).enumerate() {
        let k = k as i64;
        add(o.user, "dorm_visit", Subject::Room(RoomId(k * 150)), None, 12, &mut rng);
        add(o.user, "class_attendance", Subject::Class(ClassId(k * 20)), None, 3, &mut rng);
        for a in 0..4u8 {
            add(o.user, "branch_activity", Subject::Branch(BranchId(k)), Some(a), 2, &mut rng);
        }
        for a in 0..3u8 {
            add(o.user, "club_activity", Subject::Club(ClubId(k)), Some(a), 2, &mut rng);
        }
    }

    let median = |mut times: Vec<std::time::Duration>| {
        times.sort();
        times[times.len() / 2].as_secs_f64() * 1000.0
    };
    let timed = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        f();
        start.elapsed()
    };

    let build: Vec<_> = (0..RUNS).map(|_| timed(&mut || drop(DutyEngine::new(&rules, &calendar, &roster, facts.iter().copied())))).collect();
    let engine = DutyEngine::new(&rules, &calendar, &roster, facts.iter().copied());
    let mut all = Vec::new();
    let everyone: Vec<_> = (0..RUNS).map(|_| timed(&mut || all = engine.duties_of_all(&owners, today))).collect();
    let tally = Tally::of(&all);

    // One counselor's phone: their own facts and the roster of their classes and rooms.
    let me = &owners[0];
    let mine_facts: Vec<Fact> = facts.iter().filter(|f| f.author == Some(me.user)).copied().collect();
    let classes: std::collections::BTreeSet<ClassId> = me.classes.iter().copied().collect();
    let rooms = roster.rooms_of_classes(&classes);
    let phone_roster = RosterSnapshot {
        students: roster.students.iter().filter(|s| classes.contains(&s.class_id) || rooms.contains(&RoomId(s.id.0 / 4))).cloned().collect(),
        rooms: roster.rooms.iter().filter(|r| rooms.contains(&r.id)).cloned().collect(),
        beds: roster.beds.iter().filter(|b| rooms.contains(&b.room_id)).cloned().collect(),
        classes: roster.classes.iter().filter(|c| classes.contains(&c.id)).cloned().collect(),
        ..RosterSnapshot::default()
    };
    let mut today_list = Vec::new();
    let phone: Vec<_> = (0..RUNS)
        .map(|_| timed(&mut || today_list = DutyEngine::new(&rules, &calendar, &phone_roster, mine_facts.iter().copied()).duties_of(me, today)))
        .collect();

    println!(
        "duties: {STUDENTS} students, {CLASSES} classes, {ROOMS} rooms, {} owners ({COUNSELORS} counselors, {CLASSES} head teachers, {LEADERS} leaders), {} facts, {} rules, on {today}; median of {RUNS} runs",
        owners.len(),
        facts.len(),
        rules.len()
    );
    println!("  (a) index the facts (DutyEngine::new):     {:>8.1} ms", median(build));
    println!(
        "  (b) everyone's duties (duties_of_all):     {:>8.1} ms  {} duties: {} overdue, {} due soon, {} upcoming, {} met",
        median(everyone),
        all.len(),
        tally.overdue,
        tally.due_soon,
        tally.upcoming,
        tally.met
    );
    println!(
        "  (c) one counselor's Today (own {} facts, {} students, {} rooms; index + duties_of): {:>6.2} ms  {} duties",
        mine_facts.len(),
        phone_roster.students.len(),
        phone_roster.rooms.len(),
        median(phone),
        today_list.len()
    );
    facts
}

/// (d, e) What the office's report reads before the engine runs: the same year of facts written
/// as rows of a fresh SQLite store (with an envelope of a typical record's size, since the row
/// width decides how many pages a scan reads), read whole by the first report, then caught up
/// on by the next ones.
async fn duty_facts_from_sqlite(facts: &[rounds::duties::Fact]) -> anyhow::Result<()> {
    const RUNS: usize = 3;
    let (store, _dir) = fresh_store().await?;
    let mut authors: Vec<i64> = facts.iter().filter_map(|f| f.author.map(|a| a.0)).collect();
    authors.sort_unstable();
    authors.dedup();
    let started = Instant::now();
    // This section measures SQLite's read of the facts (the bench's stores are SQLite).
    let rounds_server::db::Pool::Sqlite(pool) = &store.pool else { anyhow::bail!("the duty-facts section runs on SQLite") };
    let mut tx = pool.begin().await?;
    for id in &authors {
        sqlx::query(
            "INSERT INTO users (id, username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, 'counselor', '-', '2026-01-01T00:00:00Z')",
        )
        .bind(id)
        .bind(format!("staff{id}"))
        .bind(format!("教师{id}"))
        .execute(&mut *tx)
        .await?;
    }
    write_facts(&mut tx, facts, 0).await?;
    tx.commit().await?;
    let written = started.elapsed();

    store.ensure_duty_setup().await?;
    let setup = store.duty_setup().await?;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    let kinds = setup.counted_kinds();
    let since = setup.facts_since(today);
    let zone: chrono_tz::Tz = chrono_tz::Asia::Shanghai;
    let rss_before = resident_kb();
    let start = Instant::now();
    let loaded = store.institution_facts(&kinds, since, zone).await?.len();
    let cold = start.elapsed();
    let held_mb = resident_kb().zip(rss_before).map(|(after, before)| after.saturating_sub(before) as f64 / 1024.0);
    // The next reports: each after 100 more records (about an hour of a large school's day).
    let mut times = Vec::new();
    for run in 0..RUNS {
        let mut tx = pool.begin().await?;
        write_facts(&mut tx, &facts[run * 100..(run + 1) * 100], facts.len() + run * 100).await?;
        tx.commit().await?;
        let start = Instant::now();
        store.institution_facts(&kinds, since, zone).await?;
        times.push(start.elapsed());
    }
    times.sort();
    println!(
        "  (d) the first report's read of the facts from SQLite ({} rows written in {:.1} s; Store::institution_facts, cold): {:>8.1} ms  {loaded} facts since {since}; the cache grew the process by {}",
        facts.len(),
        written.as_secs_f64(),
        cold.as_secs_f64() * 1000.0,
        held_mb.map_or_else(|| "(unknown)".to_string(), |mb| format!("{mb:.0} MB")),
    );
    println!(
        "  (e) a later report's read, 100 records after the last (catch-up + copy out, median of {RUNS}): {:>8.1} ms",
        times[times.len() / 2].as_secs_f64() * 1000.0
    );
    Ok(())
}

/// Writes facts as `records` rows (with new ids), their `seq` numbered on from `seq_from`.
async fn write_facts(tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>, facts: &[rounds::duties::Fact], seq_from: usize) -> anyhow::Result<()> {
    let notes = "宿舍卫生良好，物品摆放整齐，无违规电器；".repeat(12);
    for (chunk_no, chunk) in facts.chunks(500).enumerate() {
        let mut q = sqlx::QueryBuilder::new(
            "INSERT INTO records (id, kind, revision, author_id, room_id, class_id, student_id, club_id, branch_id, occurred_at, deleted, envelope, seq) ",
        );
        q.push_values(chunk.iter().enumerate(), |mut row, (i, f)| {
            let seq = (seq_from + chunk_no * 500 + i + 1) as i64;
            let kind = RecordBody::KINDS.get(usize::from(f.kind)).copied().unwrap_or("duty_log");
            let activity = f.activity.and_then(|a| RecordBody::activities_of(kind).get(usize::from(a)).copied());
            let [room, class, student, club, branch] = rounds::access::SubjectColumn::values(f.subject);
            let envelope = serde_json::json!({ "kind": kind, "body": { "kind": kind, "data": { "activity": activity, "notes": notes } } });
            row.push_bind(uuid::Uuid::now_v7().to_string())
                .push_bind(kind)
                .push_bind(1_i64)
                .push_bind(f.author.map(|a| a.0))
                .push_bind(room)
                .push_bind(class)
                .push_bind(student)
                .push_bind(club)
                .push_bind(branch)
                .push_bind(format!("{}T10:00:00+08:00", f.on))
                .push_bind(0_i64)
                .push_bind(envelope.to_string())
                .push_bind(seq);
        });
        q.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// The process's resident memory (Linux), for what a cache costs.
fn resident_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Today in the default school zone: the generated rosters' cohorts are checked against it.
fn school_today() -> chrono::NaiveDate {
    rounds::school_time::now_in(&rounds::school_time::zone(rounds::school_time::DEFAULT_TIME_ZONE)).date_naive()
}
