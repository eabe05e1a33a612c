//! The `load` section: N phones (default 200) on one or more `rounds-server serve` processes, as
//! a school's counselors use them. Each phone signs in as a staff account of its own, pulls its
//! roster and a semester of records, then, for a fixed time, pushes a record and pulls what is
//! new every few seconds (jittered, so the phones do not march in step).
//!
//! The servers are child processes (`rounds-server --database-url URL serve`), so their memory is
//! theirs alone, read from /proc: the peak is reset (`clear_refs`) before the timed phase, so it is
//! the peak of serving the phones, then read again after the office's compliance report, which
//! fills the duty fact cache (a server starts with it warmed, but on a database whose records the
//! phones push afterwards, so it holds none of them until a report asks).
//!
//! Setups: (a) one server on SQLite; (b) one server and (c) two servers on one PostgreSQL
//! database (`--postgres-url`, else a throw-away cluster the bench starts, when PostgreSQL is
//! installed); in (c) the phones' requests alternate between the two servers as a proxy's
//! round-robin sends them (sessions and records must work on either).

use super::{roster_xlsx, school_today, semester};
use rand::{Rng, SeedableRng};
use rounds::sync::{PullResponse, PushResponse, PushStatus};
use rounds::{DormCheck, RecordBody, RecordEnvelope, RoomId, RosterSnapshot, UserProfile};
use rounds_server::db::pg_cluster::{self, PgCluster};
use rounds_server::db::Store;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// What the section is asked to do.
pub struct LoadArgs {
    pub phones: usize,
    pub seconds: u64,
    /// Each phone pushes and pulls once in this many seconds, on average.
    pub interval: f64,
    pub postgres_url: Option<String>,
    /// The `rounds-server` binary; by default beside this one.
    pub server_bin: PathBuf,
}

/// Students in each phone's class; four to a room.
const CLASS_SIZE: usize = 30;
/// Sign-ins and semester pushes at a time during the set-up (sign-in is argon2: CPU-bound).
const SETUP_CONCURRENCY: usize = 4;
const OFFICE: &str = "bench-office";

pub async fn run(args: &LoadArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.phones > 0 && args.seconds > 0 && args.interval > 0.0, "--phones, --seconds and --interval must be above zero");
    anyhow::ensure!(
        args.server_bin.exists(),
        "no rounds-server at {}: build it (cargo build --release -p rounds-server) or give --server-bin",
        args.server_bin.display()
    );
    println!(
        "load: {} phones, each with a class of {CLASS_SIZE} students, signs in, pulls its roster and a 20-week semester, then for {} s pushes a record and pulls what is new every {:.0} s (±50%)",
        args.phones, args.seconds, args.interval
    );
    println!("  targets: p99 ≤ 50 ms for push and incremental pull, 0 errors, RSS ≤ 64 MB per server without the duty fact cache");

    let dir = tempfile::tempdir()?;
    let sqlite = format!("sqlite://{}", dir.path().join("rounds.db").display());
    prepare(&sqlite, args.phones).await?;
    setup("(a) one server on SQLite", &sqlite, 1, args, dir.path(), true).await?;

    // The database given, else one in a throw-away cluster of the bench's own, started as the
    // tests start theirs and stopped when `_cluster` is dropped (or this process ends).
    let (pg, _cluster) = match &args.postgres_url {
        Some(url) => (url.clone(), None),
        None => {
            if let Err(e) = pg_cluster::bin_dir() {
                println!("(b) one server on PostgreSQL, (c) two servers on one PostgreSQL: skipped, the load section ran on SQLite only: {e:#}");
                return Ok(());
            }
            let (url, cluster) = throwaway_database().await?;
            (url, Some(cluster))
        }
    };
    let pg = &pg;
    // (b) sets the database up and pushes the semesters; (c) serves the same database from two
    // processes (with (b)'s records in it too: the phones then pull a few more).
    if let Err(e) = prepare(pg, args.phones).await {
        println!("(b) one server on PostgreSQL, (c) two servers on one PostgreSQL: skipped, this build cannot use {pg}: {e:#}");
        return Ok(());
    }
    setup("(b) one server on PostgreSQL", pg, 1, args, dir.path(), true).await?;
    setup("(c) two servers on one PostgreSQL", pg, 2, args, dir.path(), false).await?;
    Ok(())
}

/// An empty database in a new throw-away PostgreSQL cluster (`pg_cluster`), durable like a
/// deployment's.
async fn throwaway_database() -> anyhow::Result<(String, PgCluster)> {
    let cluster = tokio::task::spawn_blocking(PgCluster::start_durable).await??;
    let url = cluster.fresh_database().await?;
    println!("  a throw-away PostgreSQL cluster in {} (stopped at the end)", cluster.dir().display());
    Ok((url, cluster))
}

/// A fresh database with a department's worth of classes, one staff account per phone (each in
/// charge of a class), and an office account for the compliance report. Written through the
/// `Store`, as `rounds-server import` and `user create` would.
async fn prepare(url: &str, phones: usize) -> anyhow::Result<()> {
    use rounds::roster_import::ImportMode;
    let started = Instant::now();
    let store = Store::connect(url).await?;
    store.migrate().await?;
    anyhow::ensure!(store.user_count().await? == 0, "{url} already has accounts: the load section wants an empty database");
    let file =
        rounds_server::api::import::read_file(&roster_xlsx(phones * CLASS_SIZE, CLASS_SIZE)?, rounds_server::api::import::FileFormat::Xlsx, school_today())?;
    let imported = store.import_students(&file, ImportMode::Apply).await?;
    anyhow::ensure!(imported.applied, "the generated roster was not imported: {:?}", &imported.errors[..imported.errors.len().min(3)]);
    // One hash for every account: argon2 takes a while, and the bench's accounts may share a password.
    let hash = rounds_server::auth::hash_password(rounds_server::demo::DEMO_PASSWORD)?;
    let classes = store.roster().await?.classes.clone();
    anyhow::ensure!(classes.len() >= phones, "the roster has {} classes for {phones} phones", classes.len());
    for (i, class) in classes.iter().take(phones).enumerate() {
        let id = store.create_user(&phone_name(i), &format!("辅导员{i}"), rounds::Role::Counselor, &hash).await?;
        store.assign_class(id, class.id).await?;
    }
    store.create_user(OFFICE, "学工处", rounds::Role::Office, &hash).await?;
    println!(
        "  database {}: {} students in {} classes, {phones} counselors and an office account, in {:.1} s",
        redact(url),
        phones * CLASS_SIZE,
        classes.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn phone_name(i: usize) -> String {
    format!("phone{i:04}")
}

/// A URL without its password, for printing.
fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

/// A `rounds-server serve` child process on a free loopback port.
struct Server {
    child: std::process::Child,
    pid: u32,
    base: String,
}

impl Server {
    async fn start(bin: &Path, url: &str, work: &Path, n: usize) -> anyhow::Result<Server> {
        use std::io::BufRead;
        let log_path = work.join(format!("server-{n}.log"));
        let mut child = std::process::Command::new(bin)
            .args(["--database-url", url, "serve", "--addr", "127.0.0.1:0", "--site-root"])
            .arg(work.join("site"))
            .env_remove("ROUNDS_DEMO")
            .stdout(Stdio::piped())
            .stderr(Stdio::from(std::fs::File::create(&log_path)?))
            .spawn()?;
        let pid = child.id();
        let stdout = child.stdout.take().ok_or_else(|| anyhow::anyhow!("no stdout from the server"))?;
        // The server says where it listens on its first line; the rest is read (and dropped) so
        // its pipe never fills up.
        let (tx, rx) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("Rounds is running at ") {
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(rest.split_whitespace().next().unwrap_or_default().trim_end_matches('/').to_string());
                    }
                }
            }
        });
        let mut server = Server { child, pid, base: String::new() };
        match tokio::time::timeout(Duration::from_secs(60), rx).await {
            Ok(Ok(base)) => server.base = base,
            _ => {
                drop(server);
                anyhow::bail!("the server did not start; see {}", log_path.display())
            }
        }
        Ok(server)
    }

    fn status(&self, field: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid)).ok()?;
        status.lines().find_map(|l| l.strip_prefix(field)).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }

    /// Resident memory now, in MB.
    fn rss_mb(&self) -> Option<f64> {
        self.status("VmRSS:").map(|kb| kb as f64 / 1024.0)
    }

    /// Resident memory now that is the process's own (heap, stacks) and that maps files (the
    /// program's code, shared with other processes and dropped first when memory is short), in MB.
    fn rss_split_mb(&self) -> (Option<f64>, Option<f64>) {
        (self.status("RssAnon:").map(|kb| kb as f64 / 1024.0), self.status("RssFile:").map(|kb| kb as f64 / 1024.0))
    }

    /// Peak resident memory since the last [`Server::reset_peak`] (or the start), in MB.
    fn peak_mb(&self) -> Option<f64> {
        self.status("VmHWM:").map(|kb| kb as f64 / 1024.0)
    }

    /// Starts the peak over from the present (Linux: `echo 5 > /proc/PID/clear_refs`).
    fn reset_peak(&self) -> bool {
        std::fs::write(format!("/proc/{}/clear_refs", self.pid), "5").is_ok()
    }

    /// The peak since the last reset, and a new one started: the peak of the phase just ended.
    fn phase_peak(&self) -> Option<f64> {
        let peak = self.peak_mb();
        self.reset_peak().then_some(peak).flatten()
    }
}

/// Each server's peak resident memory in each phase of a setup, in MB.
struct Peaks {
    phases: Vec<(&'static str, Vec<Option<f64>>)>,
}

impl Peaks {
    fn new(procs: &[Server]) -> Peaks {
        // From here on, each phase's own peak (the start-up's is not the phones').
        procs.iter().for_each(|s| {
            s.reset_peak();
        });
        Peaks { phases: vec![("at start", procs.iter().map(Server::rss_mb).collect())] }
    }

    /// Ends a phase: each server's peak during it.
    fn end(&mut self, phase: &'static str, procs: &[Server]) {
        self.phases.push((phase, procs.iter().map(Server::phase_peak).collect()));
    }

    /// Server `n`'s peak over every phase.
    fn worst(&self, n: usize) -> Option<f64> {
        self.phases.iter().filter_map(|(_, p)| p[n]).reduce(f64::max)
    }

    /// Server `n`'s figures, one phase after another.
    fn line(&self, n: usize) -> String {
        let phases: Vec<String> =
            self.phases.iter().map(|(phase, p)| format!("{phase} {}", p[n].map_or_else(|| "?".to_string(), |v| format!("{v:.1}")))).collect();
        phases.join(", ")
    }
}

/// A server is stopped however the setup ends, an error included.
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One simulated phone: its session, what it pulled, where it is in the sync.
struct Phone {
    client: reqwest::Client,
    user: UserProfile,
    roster: RosterSnapshot,
    cursor: i64,
    /// Which server the next request goes to (round-robin over the servers).
    turn: usize,
}

impl Phone {
    fn base<'a>(&mut self, servers: &'a [String]) -> &'a str {
        self.turn += 1;
        &servers[self.turn % servers.len()]
    }
}

/// Latencies of one kind of request and the errors among them.
#[derive(Default)]
struct Samples {
    ms: Vec<f64>,
    errors: usize,
}

impl Samples {
    fn add(&mut self, started: Instant) {
        self.ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }

    fn percentile(sorted: &[f64], p: f64) -> f64 {
        if sorted.is_empty() {
            return f64::NAN;
        }
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        sorted[rank.clamp(1, sorted.len()) - 1]
    }

    fn row(&self, label: &str) -> String {
        let mut sorted = self.ms.clone();
        sorted.sort_by(f64::total_cmp);
        let p = |q| Self::percentile(&sorted, q);
        format!(
            "  {label:<28} {:>7} {:>8.1} {:>8.1} {:>8.1} {:>8.1} {:>7}",
            sorted.len(),
            p(50.0),
            p(95.0),
            p(99.0),
            sorted.last().copied().unwrap_or(f64::NAN),
            self.errors
        )
    }

    fn p99(&self) -> f64 {
        let mut sorted = self.ms.clone();
        sorted.sort_by(f64::total_cmp);
        Self::percentile(&sorted, 99.0)
    }
}

/// What went wrong, counted, with the first few messages kept to print.
#[derive(Default)]
struct Errors {
    count: usize,
    first: Vec<String>,
}

impl Errors {
    fn add(&mut self, what: String) {
        self.count += 1;
        if self.first.len() < 5 {
            self.first.push(what);
        }
    }
}

/// Runs a setup on a prepared database and prints its figures. `push_semesters`: the database has
/// no records yet, so the phones push theirs first.
async fn setup(label: &str, url: &str, servers: usize, args: &LoadArgs, work: &Path, push_semesters: bool) -> anyhow::Result<()> {
    println!("{label}:");
    let mut procs = Vec::new();
    for n in 0..servers {
        procs.push(Server::start(&args.server_bin, url, work, n).await?);
    }
    let bases: Arc<Vec<String>> = Arc::new(procs.iter().map(|s| s.base.clone()).collect());
    let errors = Arc::new(Mutex::new(Errors::default()));

    let mut peaks = Peaks::new(&procs);
    let started = Instant::now();
    let phones = sign_in_all(args.phones, &bases).await?;
    println!("  {} sign-ins in {:.1} s ({SETUP_CONCURRENCY} at a time; argon2)", phones.len(), started.elapsed().as_secs_f64());
    peaks.end("sign-ins", &procs);
    let mut phones = if push_semesters {
        let phones = push_semesters_of(phones, &bases).await?;
        peaks.end("semester pushes", &procs);
        phones
    } else {
        phones
    };

    // Every phone pulls its roster and semester from scratch, all at once (a morning's first sync).
    let first = Arc::new(Mutex::new(Samples::default()));
    let mut tasks = tokio::task::JoinSet::new();
    for mut phone in phones.drain(..) {
        let (bases, first, errors) = (bases.clone(), first.clone(), errors.clone());
        tasks.spawn(async move {
            let started = Instant::now();
            phone.cursor = 0;
            match pull_to_end(&mut phone, &bases).await {
                Ok(_) => first.lock().await.add(started),
                Err(e) => {
                    first.lock().await.errors += 1;
                    errors.lock().await.add(format!("first pull: {e:#}"));
                }
            }
            phone
        });
    }
    while let Some(phone) = tasks.join_next().await {
        phones.push(phone?);
    }

    peaks.end("first pulls", &procs);

    // The timed phase.
    let rss_before: Vec<Option<f64>> = procs.iter().map(Server::rss_mb).collect();
    let push = Arc::new(Mutex::new(Samples::default()));
    let pull = Arc::new(Mutex::new(Samples::default()));
    let missed = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let load_started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for (i, mut phone) in phones.drain(..).enumerate() {
        let (bases, push, pull, errors, missed) = (bases.clone(), push.clone(), pull.clone(), errors.clone(), missed.clone());
        let interval = args.interval;
        tasks.spawn(async move {
            let mut rng = rand::rngs::StdRng::seed_from_u64(i as u64);
            // Spread over the first interval, then jittered: phones are not in step.
            let mut wait = Duration::from_secs_f64(rng.gen_range(0.0..interval));
            let mut n = 0;
            loop {
                tokio::time::sleep(wait).await;
                if Instant::now() >= deadline {
                    break;
                }
                wait = Duration::from_secs_f64(interval * rng.gen_range(0.5..1.5));
                n += 1;
                let started = Instant::now();
                let id = match push_one(&mut phone, &bases, n).await {
                    Ok(id) => {
                        push.lock().await.add(started);
                        Some(id)
                    }
                    Err(e) => {
                        push.lock().await.errors += 1;
                        errors.lock().await.add(format!("push: {e:#}"));
                        None
                    }
                };
                let started = Instant::now();
                match pull_to_end(&mut phone, &bases).await {
                    Ok(got) => {
                        pull.lock().await.add(started);
                        // The record it pushed a moment ago (maybe to the other server) is in it.
                        if id.is_some_and(|id| !got.contains(&id)) {
                            missed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                    }
                    Err(e) => {
                        pull.lock().await.errors += 1;
                        errors.lock().await.add(format!("incremental pull: {e:#}"));
                    }
                }
            }
            phone
        });
    }
    while let Some(phone) = tasks.join_next().await {
        phones.push(phone?);
    }
    // Requests are sent until the deadline; a phone may sleep past it before it sees so.
    let elapsed = load_started.elapsed().as_secs_f64().min(args.seconds as f64);
    peaks.end("timed phase", &procs);
    let rss_after: Vec<(Option<f64>, Option<f64>)> = procs.iter().map(Server::rss_split_mb).collect();

    let (push, pull, first, errors) = (push.lock().await, pull.lock().await, first.lock().await, errors.lock().await);
    let requests = push.ms.len() + push.errors + pull.ms.len() + pull.errors;
    println!("  {:<28} {:>7} {:>8} {:>8} {:>8} {:>8} {:>7}", "ms", "n", "p50", "p95", "p99", "max", "errors");
    println!("{}", first.row("first pull (roster+semester)"));
    println!("{}", push.row("push (1 record)"));
    println!("{}", pull.row("incremental pull"));
    let missed = missed.load(std::sync::atomic::Ordering::Relaxed);
    println!(
        "  {:.0} requests/s over {elapsed:.0} s; errors {}; a pushed record missing from the phone's next pull: {missed}",
        requests as f64 / elapsed,
        errors.count
    );
    for e in &errors.first {
        println!("    error: {e}");
    }

    // The office's compliance report, on each server: it fills the duty fact cache.
    let office = signed_in_as(&bases[0], OFFICE).await?;
    for (n, server) in procs.iter().enumerate() {
        let started = Instant::now();
        let report = office.get(format!("{}/api/v1/compliance", server.base)).send().await?.error_for_status()?.bytes().await?;
        let took = started.elapsed();
        let mb = |v: Option<f64>| v.map_or_else(|| "?".to_string(), |v| format!("{v:.1} MB"));
        println!(
            "  server {}: RSS {} before the timed phase; peak MB (fact cache empty): {}; after it, {} anonymous and {} of files (the program's code); after a compliance report ({:.0} ms, {}), which fills the fact cache: RSS {}, peak {}",
            n + 1,
            mb(rss_before[n]),
            peaks.line(n),
            mb(rss_after[n].0),
            mb(rss_after[n].1),
            took.as_secs_f64() * 1000.0,
            super::kb(report.len()),
            mb(server.rss_mb()),
            mb(server.peak_mb()),
        );
    }
    // The peak of the whole run with the phones, the setup's bursts included, the cache empty.
    let worst_peak = (0..procs.len()).filter_map(|n| peaks.worst(n)).fold(0.0, f64::max);
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
    println!(
        "  targets: push p99 {:.1} ms {}; incremental pull p99 {:.1} ms {}; errors {} {}; peak RSS {worst_peak:.1} MB {}",
        push.p99(),
        verdict(push.p99() <= 50.0),
        pull.p99(),
        verdict(pull.p99() <= 50.0),
        errors.count + missed,
        verdict(errors.count + missed == 0),
        verdict(worst_peak > 0.0 && worst_peak <= 64.0)
    );
    drop((push, pull, first, errors));
    drop(procs);
    Ok(())
}

async fn signed_in_as(base: &str, username: &str) -> anyhow::Result<reqwest::Client> {
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    let body = serde_json::json!({ "username": username, "password": rounds_server::demo::DEMO_PASSWORD });
    // A busy server (too many sign-ins waiting for argon2) says when to come back.
    for _ in 0..20 {
        let resp = client.post(format!("{base}/api/v1/session")).json(&body).send().await?;
        if resp.status() == reqwest::StatusCode::SERVICE_UNAVAILABLE {
            let after = resp.headers().get("retry-after").and_then(|v| v.to_str().ok()?.parse().ok()).unwrap_or(1);
            tokio::time::sleep(Duration::from_secs(after)).await;
            continue;
        }
        resp.error_for_status()?;
        return Ok(client);
    }
    anyhow::bail!("{username} could not sign in: the server stayed busy")
}

/// Signs every phone in (a few at a time) and takes its roster from a first pull.
async fn sign_in_all(phones: usize, bases: &Arc<Vec<String>>) -> anyhow::Result<Vec<Phone>> {
    let gate = Arc::new(tokio::sync::Semaphore::new(SETUP_CONCURRENCY));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..phones {
        let (gate, bases) = (gate.clone(), bases.clone());
        tasks.spawn(async move {
            let _turn = gate.acquire_owned().await?;
            let base = &bases[i % bases.len()];
            let client = signed_in_as(base, &phone_name(i)).await?;
            let first: PullResponse = client.get(format!("{base}/api/v1/sync/pull?since=0")).send().await?.error_for_status()?.json().await?;
            let roster = first.roster.ok_or_else(|| anyhow::anyhow!("no roster in the first pull"))?;
            anyhow::Ok(Phone { client, user: first.user, roster, cursor: 0, turn: i })
        });
    }
    let mut out = Vec::with_capacity(phones);
    while let Some(phone) = tasks.join_next().await {
        out.push(phone??);
    }
    Ok(out)
}

/// Each phone pushes a 20-week semester of its class's records (as `rounds-bench --only pull`
/// makes them), a few phones at a time.
async fn push_semesters_of(phones: Vec<Phone>, bases: &Arc<Vec<String>>) -> anyhow::Result<Vec<Phone>> {
    let started = Instant::now();
    let gate = Arc::new(tokio::sync::Semaphore::new(SETUP_CONCURRENCY));
    let mut tasks = tokio::task::JoinSet::new();
    for (i, mut phone) in phones.into_iter().enumerate() {
        let (gate, bases) = (gate.clone(), bases.clone());
        tasks.spawn(async move {
            let _turn = gate.acquire_owned().await?;
            let now = rounds::school_time::now_in(&rounds::school_time::offset(8 * 3600));
            let mut rng = rand::rngs::StdRng::seed_from_u64(2026 + i as u64);
            // The roster also shows the roommates from other classes (a dorm check lists every
            // resident); what is about a student or a class is about the phone's own class only.
            let mine = &phone.roster.assigned_classes;
            let own_students: std::collections::BTreeSet<_> = phone.roster.students.iter().filter(|s| mine.contains(&s.class_id)).map(|s| s.id).collect();
            let envelopes: Vec<RecordEnvelope> = semester::records(&phone.roster, now, 20, &mut rng)
                .into_iter()
                .filter(|b| match b.subject() {
                    rounds::record::Subject::Student(s) => own_students.contains(&s),
                    rounds::record::Subject::Class(c) => mine.contains(&c),
                    _ => true,
                })
                .map(|b| {
                    let at = b.occurred_at();
                    RecordEnvelope::new(b, phone.user.id, "bench", at)
                })
                .collect();
            for chunk in envelopes.chunks(rounds::sync::MAX_PUSH_BATCH) {
                let base = phone.base(&bases);
                let answer: PushResponse = phone
                    .client
                    .post(format!("{base}/api/v1/sync/push"))
                    .json(&serde_json::json!({ "records": chunk }))
                    .send()
                    .await?
                    .error_for_status()?
                    .json()
                    .await?;
                if let Some((refused, record)) = answer.results.iter().zip(chunk).find(|(r, _)| r.status != PushStatus::Accepted) {
                    anyhow::bail!("a generated {} about {:?} was refused: {refused:?}", record.body.kind(), record.body.subject());
                }
            }
            anyhow::Ok((phone, envelopes.len()))
        });
    }
    let (mut out, mut records) = (Vec::new(), 0);
    while let Some(done) = tasks.join_next().await {
        let (phone, n) = done??;
        out.push(phone);
        records += n;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "  pushed {records} records ({} a phone) of a 20-week semester in {secs:.1} s ({:.0} records/s, {SETUP_CONCURRENCY} phones at a time)",
        records / out.len().max(1),
        records as f64 / secs
    );
    Ok(out)
}

/// Pulls from the phone's cursor to the end (following `more`); answers the ids received.
async fn pull_to_end(phone: &mut Phone, bases: &[String]) -> anyhow::Result<Vec<uuid::Uuid>> {
    let mut ids = Vec::new();
    loop {
        let base = phone.base(bases);
        let page: PullResponse = phone.client.get(format!("{base}/api/v1/sync/pull?since={}", phone.cursor)).send().await?.error_for_status()?.json().await?;
        ids.extend(page.records.iter().map(|r| r.record.id));
        phone.cursor = page.cursor;
        if !page.more {
            return Ok(ids);
        }
    }
}

/// Pushes one dorm check of one of the phone's rooms; answers its id.
async fn push_one(phone: &mut Phone, bases: &[String], n: usize) -> anyhow::Result<uuid::Uuid> {
    let room: RoomId = phone.roster.rooms.get(n % phone.roster.rooms.len().max(1)).map(|r| r.id).ok_or_else(|| anyhow::anyhow!("the phone has no room"))?;
    let residents: Vec<_> = phone.roster.residents(room).iter().map(|(_, s)| s.id).collect();
    let now = rounds::school_time::now_in(&rounds::school_time::offset(8 * 3600));
    let mut check = DormCheck::blank(room, &residents, now);
    check.notes = format!("load {n}");
    let envelope = RecordEnvelope::new(RecordBody::DormCheck(check), phone.user.id, "bench", now);
    let id = envelope.id;
    let base = phone.base(bases);
    let answer: PushResponse = phone
        .client
        .post(format!("{base}/api/v1/sync/push"))
        .json(&serde_json::json!({ "records": [envelope] }))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    match answer.results.first().map(|r| r.status) {
        Some(PushStatus::Accepted) => Ok(id),
        other => anyhow::bail!("the record was answered {other:?}"),
    }
}
