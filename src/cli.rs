//! The `hejnal` command line: serve, worker, migrate, official add, token create, apikey create/list/revoke.

use std::{io::BufRead, path::PathBuf, process::ExitCode};

use anyhow::{Context, bail};
use chrono::Utc;
use clap::{Args, Parser, Subcommand};
use tokio::net::TcpListener;

use crate::{
    app::{self, RunOptions},
    config::Config,
    core::CoreError,
    domain::{Email, Role},
    officials::{self, OfficialInput, Via, issue_token_from_command_line},
    storage::DynStorage,
    telemetry,
};

#[derive(Parser, Debug)]
#[command(name = "hejnal", version, about = "Kraków's resident consultation panel and mass-notification platform")]
pub struct Cli {
    /// Configuration file (TOML). Default: ./hejnal.toml when present.
    #[arg(long, global = true, env = "HEJNAL_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Web server plus an embedded delivery worker (the default).
    Serve(ServeArgs),
    /// The delivery worker alone (for several-machine deployments).
    Worker,
    /// Apply migrations and exit.
    Migrate,
    /// Manage officials.
    #[command(subcommand)]
    Official(OfficialCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Manage Open311 API keys for apps.
    #[command(subcommand)]
    Apikey(ApikeyCommand),
    /// Load testing against local sinks with synthetic recipients (never real people).
    #[command(subcommand)]
    Bench(BenchCommand),
    /// The resident panel.
    #[command(subcommand)]
    Panel(PanelCommand),
}

#[derive(Subcommand, Debug)]
enum BenchCommand {
    /// A delivery worker whose recipient `i` is r{i}@bench.example.org, +48 600 {i}, push subscription i mod n.
    Worker {
        /// JSON array of {endpoint, p256dh, auth} used for the push channel.
        #[arg(long)]
        push_subscriptions: Option<PathBuf>,
    },
    /// Queue a synthetic broadcast to recipients 1..=N and print what it took, as JSON.
    Submit {
        #[arg(long)]
        recipients: usize,
        /// email, push or sms (repeatable).
        #[arg(long = "channel", required = true)]
        channels: Vec<hejnal_jobs::Channel>,
        /// emergency, service or survey.
        #[arg(long, default_value = "service")]
        priority: hejnal_jobs::Priority,
        #[arg(long)]
        key: Option<String>,
    },
    /// Print a broadcast's progress as JSON.
    Progress {
        #[arg(long)]
        broadcast: i64,
    },
    /// A launched 10-question survey with a sample of N synthetic invitees; their tokens go to a file (for wrk).
    SurveySetup {
        #[arg(long)]
        invitations: u64,
        #[arg(long)]
        tokens_out: PathBuf,
    },
    /// Add the tallies of N synthetic responses to a survey (for the results benchmark).
    SurveyTallies {
        #[arg(long)]
        survey: i64,
        #[arg(long)]
        responses: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Draw a stratified sample of N from everyone who consented to surveys, and time it.
    Sample {
        #[arg(long)]
        n: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Add N synthetic reports (no contact) spread over the last DAYS days, for the Open311 listing benchmark.
    DeskSeed {
        #[arg(long)]
        reports: u64,
        #[arg(long, default_value_t = 365)]
        days: i64,
    },
    /// File N reports with a ~4 MB phone JPEG each (one at a time, then all at once) and time them, as JSON.
    DeskPhotos {
        #[arg(long, default_value_t = 20)]
        count: usize,
    },
}

#[derive(Subcommand, Debug)]
enum PanelCommand {
    /// Create N verified synthetic residents (example.org/example.net, phones from +48 600 000 000 on).
    Synth {
        #[arg(long)]
        count: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Args, Debug, Default)]
struct ServeArgs {
    /// Seed demonstration data on first start (districts, an admin with one-time credentials).
    #[arg(long)]
    demo: bool,
    /// Serve the web only; run `hejnal worker` elsewhere.
    #[arg(long)]
    no_worker: bool,
}

#[derive(Subcommand, Debug)]
enum OfficialCommand {
    /// Create an official; the password is read from standard input.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, editor, approver or analyst (repeatable).
        #[arg(long = "role", required = true)]
        roles: Vec<Role>,
    },
}

#[derive(Subcommand, Debug)]
enum ApikeyCommand {
    /// Print a new Open311 API key for an app (shown once; only its hash is kept).
    Create {
        /// Whom the key is for (the app), shown in the admin pages.
        #[arg(long)]
        name: String,
    },
    /// List the keys: id, issued, last used, revoked, name (never the keys).
    List,
    /// Revoke a key by its id: its app is refused from the next request.
    Revoke { id: i64 },
}

#[derive(Subcommand, Debug)]
enum TokenCommand {
    /// Print a new API bearer token acting as the official.
    Create {
        #[arg(long)]
        email: String,
        /// A label shown in the admin pages.
        #[arg(long, default_value = "cli")]
        name: String,
        #[arg(long)]
        expires_days: Option<i64>,
    },
}

/// Parses the command line and runs it; errors are one line on stderr and exit code 1.
pub async fn main() -> ExitCode {
    let cli = Cli::parse();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let config = match Config::load(cli.config.clone()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("hejnal: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init_logging(&config);
    match run(cli, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hejnal: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli, config: Config) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Serve(args) => serve(config, args).await,
        Command::Worker => {
            let store = app::prepare(&config).await?;
            tracing::info!("delivery worker starting");
            let engine = crate::delivery::engine(&config, &store).await?;
            // Scheduled announcements and interrupted hand-overs are picked up here too.
            // Scheduled announcements, interrupted hand-overs, feeds and reminders are picked up here too; nothing
            // of the web (page templates, limiters) is built.
            let core = crate::core::Core::new(config, store).await?;
            let background = crate::background::start(&core);
            let result = engine.run(shutdown_signal()).await;
            background.stop().await;
            result
        }
        Command::Migrate => {
            let store = app::prepare(&config).await?;
            store.close().await;
            println!("migrations applied");
            Ok(())
        }
        Command::Official(OfficialCommand::Add { email, name, roles }) => {
            let store = app::prepare(&config).await?;
            let password = read_password()?;
            let id = add_official(&store, &email, &name, &password, &roles).await?;
            println!(
                "official {id} created with roles {}",
                roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
            );
            Ok(())
        }
        Command::Bench(command) => bench(config, command).await,
        Command::Apikey(command) => {
            let store = app::prepare(&config).await?;
            apikey(&store, command).await
        }
        Command::Panel(PanelCommand::Synth { count, seed }) => {
            let store = app::prepare(&config).await?;
            let started = std::time::Instant::now();
            let first = panel_synth(&store, count, seed).await?;
            println!(
                "{count} synthetic residents created (ids {first}..{}) in {:.1} s",
                first + count as i64 - 1,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Token(TokenCommand::Create { email, name, expires_days }) => {
            if expires_days.is_some_and(|d| !(1..=3650).contains(&d)) {
                bail!("--expires-days must be between 1 and 3650");
            }
            let store = app::prepare(&config).await?;
            let email = Email::parse(&email).map_err(|_| anyhow::anyhow!("--email is not a valid email address"))?;
            let (official, _) = store.official_credentials(&email).await?.context("no official has that email")?;
            if !official.active {
                bail!("that official is deactivated");
            }
            let (token, _) = issue_token_from_command_line(&store, official.id, &name, expires_days).await?;
            println!("{token}");
            Ok(())
        }
    }
}

async fn apikey(store: &DynStorage, command: ApikeyCommand) -> anyhow::Result<()> {
    use crate::desk::apikeys::{self, Via};
    match command {
        ApikeyCommand::Create { name } => match apikeys::create(store, None, &name, Via::Cli).await {
            Ok((key, _)) => println!("{key}"),
            Err(CoreError::Invalid(_)) => bail!("--name must be 1 to {} characters", apikeys::MAX_NAME_CHARS),
            Err(e) => return Err(e.into()),
        },
        ApikeyCommand::List => {
            let time = |t: Option<chrono::DateTime<Utc>>| t.map(|t| t.format("%Y-%m-%d %H:%M").to_string());
            for k in apikeys::list(store).await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    k.id,
                    time(Some(k.created_at)).unwrap_or_default(),
                    time(k.last_used_at).unwrap_or_else(|| "never used".into()),
                    time(k.revoked_at).map(|t| format!("revoked {t}")).unwrap_or_else(|| "active".into()),
                    k.name
                );
            }
        }
        ApikeyCommand::Revoke { id } => match apikeys::revoke(store, None, id, Via::Cli).await {
            Ok(()) => println!("API key {id} revoked"),
            Err(CoreError::NotFound) => bail!("there is no API key {id}"),
            Err(e) => return Err(e.into()),
        },
    }
    Ok(())
}

async fn bench(config: Config, command: BenchCommand) -> anyhow::Result<()> {
    let store = app::prepare(&config).await?;
    match command {
        BenchCommand::Worker { push_subscriptions } => {
            let push = crate::bench::read_subscriptions(push_subscriptions.as_ref())?;
            crate::bench::worker(&config, &store, push).await?.run(shutdown_signal()).await
        }
        BenchCommand::Submit { recipients, channels, priority, key } => {
            let key = key.unwrap_or_else(|| format!("bench-{}", uuid::Uuid::new_v4()));
            let (broadcast, all) = crate::bench::broadcast(&key, priority, &channels);
            let started = std::time::Instant::now();
            let submitted =
                hejnal_jobs::submit(&store.queue_db(), &broadcast, all.take(recipients), config.delivery.batch_size)
                    .await?;
            let seconds = started.elapsed().as_secs_f64();
            let out = serde_json::json!({
                "broadcast_id": submitted.broadcast_id,
                "deliveries": submitted.deliveries,
                "seconds": seconds,
                "rows_per_second": submitted.deliveries as f64 / seconds,
            });
            println!("{out}");
            Ok(())
        }
        BenchCommand::SurveySetup { invitations, tokens_out } => {
            println!("{}", crate::bench_surveys::setup(&config, &store, invitations, &tokens_out).await?);
            Ok(())
        }
        BenchCommand::SurveyTallies { survey, responses, seed } => {
            println!("{}", crate::bench_surveys::tallies(&store, survey, responses, seed).await?);
            Ok(())
        }
        BenchCommand::Sample { n, seed } => {
            println!("{}", crate::bench_surveys::sample(&store, n, seed).await?);
            Ok(())
        }
        BenchCommand::DeskSeed { reports, days } => {
            println!("{}", crate::bench_desk::seed(&store, reports, days.max(1)).await?);
            Ok(())
        }
        BenchCommand::DeskPhotos { count } => {
            println!("{}", crate::bench_desk::photos(config, store, count.max(1)).await?);
            Ok(())
        }
        BenchCommand::Progress { broadcast } => {
            let progress =
                hejnal_jobs::progress(&store.queue_db(), broadcast, Utc::now()).await?.context("no such broadcast")?;
            println!("{}", serde_json::to_string(&progress)?);
            Ok(())
        }
    }
}

async fn serve(config: Config, args: ServeArgs) -> anyhow::Result<()> {
    let store = app::prepare(&config).await?;
    if args.demo {
        seed_demo(&store, &config).await?;
    }
    let listener = TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("cannot listen on {} (HEJNAL_BIND)", config.bind))?;
    println!("hejnał is serving on {}", config.public_url);
    println!("officials sign in at {}", config.link("/official/login"));
    app::run(config, store, listener, shutdown_signal(), RunOptions { embedded_worker: !args.no_worker }).await
}

/// Residents per transaction in `panel synth`.
const SYNTH_BATCH: u64 = 50_000;

/// Creates `count` verified synthetic residents; returns the first id. Deterministic for a seed (and a start id).
pub async fn panel_synth(store: &DynStorage, count: u64, seed: u64) -> anyhow::Result<i64> {
    use crate::domain::synth::{Generator, SynthBatch};
    let districts = store.list_districts().await?;
    anyhow::ensure!(!districts.is_empty(), "no districts loaded");
    let first = store.next_resident_id().await?;
    let now = Utc::now();
    let mut generator = Generator::new(seed, &districts, now);
    // The phone range is per run: numbers continue after the residents already in the database.
    let offset = (first - 1).max(0) as u64;
    let mut done = 0;
    while done < count {
        let n = SYNTH_BATCH.min(count - done);
        let mut batch = SynthBatch::default();
        for i in done..done + n {
            generator.push(&mut batch, first + i as i64, offset + i);
        }
        store.insert_synthetic(&batch, now).await.context("inserting synthetic residents failed")?;
        done += n;
        tracing::info!(done, count, "synthetic residents");
    }
    // Without fresh statistics the database would plan the next queries for the panel as it was before the load.
    store.analyze_panel().await.context("analysing the loaded panel failed")?;
    Ok(first)
}

/// First start with `--demo`: an admin with a random one-time password, printed once, and 1,000 synthetic residents.
async fn seed_demo(store: &DynStorage, config: &Config) -> anyhow::Result<()> {
    if store.panel_counts().await?.verified_residents == 0 {
        panel_synth(store, 1000, 1).await?;
        println!("demo: 1000 synthetic residents created");
    }
    if store.count_officials().await? > 0 {
        println!("demo: officials already exist; add more with `hejnal official add`");
        return Ok(());
    }
    let password = crate::domain::secret_token::generate("")[..20].to_string();
    let email = "admin@hejnal.example.org";
    add_official(store, email, "Demo Admin", &password, &Role::ALL).await?;
    println!("demo: sign in at {} as {email} with password {password}", config.link("/official/login"));
    println!("demo: this password is shown only now");
    Ok(())
}

/// Creates an official (validating as the admin form does) and records it in the audit log.
pub async fn add_official(
    store: &DynStorage,
    email: &str,
    name: &str,
    password: &str,
    roles: &[Role],
) -> anyhow::Result<i64> {
    let roles: Vec<String> = roles.iter().map(|r| r.as_str().to_string()).collect();
    let input = OfficialInput { email, name, password, roles: &roles };
    match officials::create(store, None, &input, "role", Via::Cli).await {
        Ok(id) => Ok(id),
        // The form's messages, in English, each after the option it is about.
        Err(CoreError::Invalid(issues)) => bail!(
            "{}",
            issues
                .iter()
                .map(|i| format!("--{}: {}", i.field, crate::i18n::t(crate::i18n::Lang::En, &i.key)))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        Err(e) => Err(anyhow::Error::new(e)),
    }
}

fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("cannot read the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
