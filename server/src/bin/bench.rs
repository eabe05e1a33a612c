//! `rounds-bench`: prints the figures the issues ask for. Not a test: it asserts nothing about
//! speed, it measures and prints.
//!
//! - the release bundle: wasm, js and css, raw and brotli-compressed;
//! - sync ingest: N dorm checks pushed in batches over loopback HTTP to a fresh SQLite server.

use clap::Parser;
use rounds::sync::{PullResponse, PushResponse, PushStatus};
use rounds::{DormCheck, RecordBody, RecordEnvelope};
use rounds_server::assets::BuildAssets;
use rounds_server::db::Store;
use rounds_server::router::SiteOptions;
use rounds_server::state::Config;
use std::io::Write;
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
}

fn brotli_size(bytes: &[u8]) -> anyhow::Result<usize> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(bytes)?;
    }
    Ok(out.len())
}

fn kb(n: usize) -> String {
    format!("{:.1} KB", n as f64 / 1024.0)
}

fn bundle(site_root: &Path, hash_file: &Path) -> anyhow::Result<()> {
    let assets = BuildAssets::load("rounds", "pkg", Some(hash_file));
    println!("bundle ({}):", site_root.display());
    println!("  {:<6} {:>12} {:>12}  file", "asset", "raw", "brotli");
    for (label, url) in [("wasm", &assets.wasm), ("js", &assets.js), ("css", &assets.css)] {
        let path = site_root.join(url.trim_start_matches('/'));
        match std::fs::read(&path) {
            Ok(bytes) => println!("  {label:<6} {:>12} {:>12}  {url}", kb(bytes.len()), kb(brotli_size(&bytes)?)),
            Err(e) => println!("  {label:<6} not found at {} ({e}); build with `cargo leptos build --release` first", path.display()),
        }
    }
    Ok(())
}

async fn ingest(records: usize, batch: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let store = Store::open_data_dir(dir.path()).await?;
    store.migrate().await?;
    rounds_server::demo::load(&store).await?;
    let site = SiteOptions { site_root: dir.path().join("site"), hash_files: false, hash_file: dir.path().join("none") };
    let state = rounds_server::router::state(store, Config::default(), &site).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        let _ = rounds_server::serve(listener, state).await;
    });

    let client = reqwest::Client::builder().cookie_store(true).build()?;
    client
        .post(format!("{base}/api/v1/session"))
        .json(&serde_json::json!({ "username": "counselor", "password": rounds_server::demo::DEMO_PASSWORD }))
        .send()
        .await?
        .error_for_status()?;
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
        let answer: PushResponse = client
            .post(format!("{base}/api/v1/sync/push"))
            .json(&serde_json::json!({ "records": chunk }))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        accepted += answer.results.iter().filter(|r| r.status == PushStatus::Accepted).count();
    }
    let elapsed = start.elapsed();
    println!("sync ingest: {records} dorm checks in batches of {batch} over loopback to a fresh SQLite server");
    println!("  accepted {accepted} in {:.2} s = {:.0} records/s", elapsed.as_secs_f64(), accepted as f64 / elapsed.as_secs_f64());

    let start = Instant::now();
    let mut replayed = 0;
    for chunk in envelopes.chunks(batch) {
        let answer: PushResponse =
            client.post(format!("{base}/api/v1/sync/push")).json(&serde_json::json!({ "records": chunk })).send().await?.json().await?;
        replayed += answer.results.iter().filter(|r| r.status == PushStatus::Duplicate).count();
    }
    let elapsed = start.elapsed();
    println!("  replay of the same batches: {replayed} duplicates in {:.2} s = {:.0} records/s", elapsed.as_secs_f64(), replayed as f64 / elapsed.as_secs_f64());
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let hash_file = match args.hash_file {
        Some(p) => p,
        None => std::env::current_exe()?.with_file_name("hash.txt"),
    };
    bundle(&args.site_root, &hash_file)?;
    ingest(args.records, args.batch.clamp(1, rounds::sync::MAX_PUSH_BATCH)).await?;
    Ok(())
}
