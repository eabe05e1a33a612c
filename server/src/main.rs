//! `rounds-server`: serve, migrate, back up, load the demo institution, import the roster, manage accounts.

use anyhow::Context;
use clap::{Parser, Subcommand};
use rounds::roster_import::{ImportMode, ImportReport};
use rounds::Role;
use rounds_server::api::import::{self, FileFormat};
use rounds_server::db::{Store, StoreError};
use rounds_server::router::SiteOptions;
use rounds_server::state::Config;
use rounds_server::{auth, demo, router};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "rounds-server", version, about = "Rounds (学工巡访) server")]
struct Cli {
    /// Where the SQLite database lives (created if missing).
    #[arg(long, env = "ROUNDS_DATA_DIR", default_value = "data", global = true)]
    data_dir: PathBuf,
    /// A database URL instead of the data directory: sqlite:///var/lib/rounds/rounds.db, or
    /// postgres://rounds@db.example.edu.cn/rounds (several servers may share one PostgreSQL database).
    #[arg(long, env = "ROUNDS_DATABASE_URL", global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

// Parsed once at start: the serve flags (single sign-on's among them) may make it large.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Serve the app and the API (migrates first).
    Serve {
        #[arg(long, env = "ROUNDS_ADDR", default_value = "127.0.0.1:3000")]
        addr: String,
        /// The built site (cargo-leptos' site root).
        #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
        site_root: PathBuf,
        /// Whether the bundle's file names carry hashes (cargo-leptos `hash-files`).
        #[arg(long, env = "LEPTOS_HASH_FILES", default_value_t = false)]
        hash_files: bool,
        /// cargo-leptos' hash file; by default beside this binary.
        #[arg(long, env = "LEPTOS_HASH_FILE_PATH")]
        hash_file: Option<PathBuf>,
        /// Mark the session cookie Secure even without an https public URL.
        #[arg(long, env = "ROUNDS_SECURE_COOKIES", default_value_t = false)]
        secure_cookies: bool,
        /// The public URL people open, e.g. https://rounds.example.edu.cn: writes from it pass
        /// the Origin check, and an https URL makes the session cookie Secure.
        #[arg(long, visible_alias = "public-url", env = "ROUNDS_PUBLIC_ORIGIN")]
        public_origin: Option<String>,
        /// Behind a reverse proxy: trust X-Forwarded-For (the client's address, for sign-in
        /// throttling) and X-Forwarded-Proto (HTTPS). Only when the proxy sets them itself.
        #[arg(long, env = "ROUNDS_TRUST_PROXY", default_value_t = false)]
        trust_proxy: bool,
        /// Serve a demo: start even though the demo accounts still have the demo password.
        #[arg(long, env = "ROUNDS_DEMO", default_value_t = false)]
        demo: bool,
        /// Sign-in through the university (统一身份认证): CAS and/or OpenID Connect.
        #[command(flatten)]
        sso: rounds_server::sso::SsoArgs,
    },
    /// Compress the built bundle once, for good (brotli 11 and gzip 9 beside each file of pkg/).
    Precompress {
        /// The built site (cargo-leptos' site root).
        #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
        site_root: PathBuf,
    },
    /// Apply the database migrations and exit.
    Migrate,
    /// Move house: copy the institution of a SQLite database into an empty PostgreSQL one, with
    /// every revision, photo and history, without sessions. Refused when the target has accounts.
    Copy {
        /// The SQLite database, e.g. sqlite:///var/lib/rounds/rounds.db
        #[arg(long)]
        from: String,
        /// The PostgreSQL database, e.g. postgres://rounds@db.example.edu.cn/rounds
        #[arg(long)]
        to: String,
    },
    /// Copy the live SQLite database, consistently, while the server runs (PostgreSQL: pg_dump).
    Backup {
        /// The file to write; an existing file is never overwritten.
        #[arg(long)]
        to: PathBuf,
    },
    /// Load the demo institution into an empty database.
    Demo {
        /// Do nothing (but print the accounts) when the database already has accounts.
        #[arg(long)]
        if_empty: bool,
    },
    /// Import a students file (.xlsx or .csv) into the roster; see the README for the columns.
    /// Without flags the file is written only when every row is good.
    Import {
        file: PathBuf,
        /// Check the file and report; write nothing.
        #[arg(long, conflicts_with = "skip_bad")]
        check: bool,
        /// Write the good rows and leave the bad ones out.
        #[arg(long)]
        skip_bad: bool,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from ROUNDS_PASSWORD or the first line of stdin.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: String,
        /// counselor, head_teacher, leader, office or admin
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
    /// Set a new password (from ROUNDS_PASSWORD or stdin) and end the account's sessions.
    ResetPassword {
        #[arg(long)]
        username: String,
    },
    /// Record the staff number (工号) the university's sign-in sends for this account.
    StaffNo {
        #[arg(long)]
        username: String,
        /// The staff number; leave it out with --clear to take it away.
        #[arg(long, required_unless_present = "clear")]
        staff_no: Option<String>,
        #[arg(long, conflicts_with = "staff_no")]
        clear: bool,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| format!("unknown role '{s}': use counselor, head_teacher, leader, office or admin"))
}

fn print_import_report(report: &ImportReport) {
    for e in &report.errors {
        println!("row {}: {}", e.row, e.message);
    }
    for w in &report.warnings {
        println!("warning: {}", w.message);
    }
    let verb = if report.applied { "imported" } else { "would import" };
    println!("{} rows read, {} bad; {verb}:", report.rows, report.bad_rows);
    let c = &report.counts;
    for (what, n) in
        [("departments", c.departments), ("classes", c.classes), ("students", c.students), ("buildings", c.buildings), ("rooms", c.rooms), ("beds", c.beds)]
    {
        println!("  {what:<12} {:>6} created {:>6} updated {:>6} unchanged", n.created, n.updated, n.unchanged);
    }
}

fn read_password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("ROUNDS_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// A database URL fit to print: without its password.
fn redact_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

async fn open(cli: &Cli) -> anyhow::Result<Store> {
    let store = match &cli.database_url {
        Some(url) => Store::connect(url).await?,
        None => Store::open_data_dir(&cli.data_dir).await?,
    };
    store.migrate().await?;
    Ok(store)
}

fn main() -> anyhow::Result<()> {
    // Before the runtime's threads exist: they take their arenas on their first allocation.
    rounds_server::memory::configure_allocator();
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into()))
        .init();
    let cli = Cli::parse();
    if let Command::Precompress { site_root } = &cli.command {
        for c in rounds_server::precompress::precompress_dir(&site_root.join("pkg"))? {
            println!("{}: {} bytes, brotli {}, gzip {}", c.path.display(), c.raw, c.brotli, c.gzip);
        }
        return Ok(());
    }
    if let Command::Copy { from, to } = &cli.command {
        let (from_store, to_store) = (Store::connect(from).await?, Store::connect(to).await?);
        from_store.migrate().await?;
        to_store.migrate().await?;
        let report = from_store.copy_into(&to_store).await?;
        for (table, rows) in report.tables {
            println!("  {table:<30} {rows:>8} rows");
        }
        println!("copied {} into {}; sessions were not copied: everyone signs in again", redact_password(from), redact_password(to));
        return Ok(());
    }
    if let Command::Backup { to } = &cli.command {
        // Opens the database read-only and never migrates it: a copy of it as it is.
        let url = rounds_server::backup::sqlite_url(&cli.data_dir, cli.database_url.as_deref())?;
        println!("{}", rounds_server::backup::sqlite(&url, to).await?);
        return Ok(());
    }
    let store = open(&cli).await?;
    match &cli.command {
        Command::Migrate => println!("database is up to date"),
        // Done before the database was opened.
        Command::Precompress { .. } | Command::Copy { .. } | Command::Backup { .. } => {}
        Command::Demo { if_empty } => {
            if *if_empty && store.user_count().await? > 0 {
                println!("the database already has data; the demo was not loaded again");
            } else {
                let s = demo::load(&store).await?;
                println!(
                    "demo institution loaded: {} students, {} rooms, {} past dorm checks, {} other records",
                    s.students, s.rooms, s.dorm_checks, s.other_records
                );
            }
            demo::print_accounts();
        }
        Command::Import { file, check, skip_bad } => {
            let mode = if *check {
                ImportMode::Check
            } else if *skip_bad {
                ImportMode::ApplySkippingBad
            } else {
                ImportMode::Apply
            };
            let format = FileFormat::from_path(file).ok_or_else(|| anyhow::anyhow!("{} is neither an .xlsx nor a .csv file", file.display()))?;
            let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
            let (_, tz) = store.institution().await?;
            let today = rounds::school_time::now_in(&rounds::school_time::zone(&tz)).date_naive();
            let students = import::read_file(&bytes, format, today)?;
            let report = store.import_students(&students, mode).await?;
            print_import_report(&report);
            if mode != ImportMode::Check && !report.applied {
                anyhow::bail!("nothing was imported: fix the errors above, or use --skip-bad to import the good rows");
            }
        }
        Command::User { command: UserCommand::Create { username, name, role } } => {
            let password = read_password()?;
            auth::check_new_password(&password).map_err(anyhow::Error::msg)?;
            let id = store.create_user(username, name, *role, &auth::hash_password(&password)?).await?;
            println!("created {username} ({}) with id {id}", role.as_str());
        }
        Command::User { command: UserCommand::ResetPassword { username } } => {
            let password = read_password()?;
            auth::check_new_password(&password).map_err(anyhow::Error::msg)?;
            if !store.set_password(username, &auth::hash_password(&password)?).await? {
                anyhow::bail!("no account named {username}");
            }
            println!("password of {username} changed; its sessions were ended");
        }
        Command::User { command: UserCommand::StaffNo { username, staff_no, clear: _ } } => {
            let row = store.user_by_name(username).await?.ok_or_else(|| anyhow::anyhow!("no account named {username}"))?;
            let staff_no = staff_no.as_deref().map(str::trim).filter(|s| !s.is_empty());
            match store.set_staff_no(row.profile.id, staff_no).await {
                Ok(()) => println!("staff number of {username}: {}", staff_no.unwrap_or("(none)")),
                Err(StoreError::NotFound) => anyhow::bail!("no account named {username}"),
                Err(StoreError::Conflict { .. }) => anyhow::bail!("another account has the staff number {}", staff_no.unwrap_or("")),
                Err(e) => return Err(e.into()),
            }
        }
        Command::Serve { addr, site_root, hash_files, hash_file, secure_cookies, public_origin, trust_proxy, demo: serve_demo, sso } => {
            let open = demo::accounts_with_demo_password(&store).await?;
            if !open.is_empty() && !*serve_demo {
                anyhow::bail!(demo::refusal(&open));
            }
            let hash_file = match hash_file {
                Some(p) => p.clone(),
                None => std::env::current_exe()?.with_file_name("hash.txt"),
            };
            let site = SiteOptions { site_root: site_root.clone(), hash_files: *hash_files, hash_file };
            let sso = sso.config()?;
            // The university sends people back to absolute URLs: they must be the public ones.
            anyhow::ensure!(!sso.configured() || public_origin.is_some(), "single sign-on needs --public-origin (the URL people open)");
            let config = Config { secure_cookies: *secure_cookies, public_origin: public_origin.clone(), trust_proxy: *trust_proxy, sso, ..Config::default() };
            let state = router::state(store, config, &site).await?;
            let listener = tokio::net::TcpListener::bind(addr).await?;
            let local = listener.local_addr()?;
            let data = cli.database_url.clone().map_or_else(|| cli.data_dir.display().to_string(), |url| redact_password(&url));
            println!("Rounds is running at http://{local}/  (data: {data})");
            if !open.is_empty() {
                demo::print_accounts();
            }
            rounds_server::api::duties::warm_fact_cache(state.store.clone());
            rounds_server::serve(listener, state).await?;
        }
    }
    Ok(())
}
