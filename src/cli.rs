//! Command-line definitions only: what the user can type, validated by clap before any work.

use clap::{Args, Parser, Subcommand, ValueEnum};
use mailtrace::source::MboxFormat;
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  mailtrace scan fixtures/demo.mbox --format summary
  mailtrace scan ~/Takeout/Mail/ -o report.json
  mailtrace scan takeout-20261128T000000Z-001.zip -o report.json
  mailtrace scan reported/*.msg maildir-2019.tar.zst --format summary
  mailtrace scan Outlook.pst --format summary
  mailtrace scan ~/Maildir --me me@example.org --format jsonl | jq 'select(.type==\"message\")'
  gunzip -c archive.mbox.gz | mailtrace scan -
  mailtrace explain message.eml
  mailtrace explain --technique tiny_image
  mailtrace rules list

Exit codes: 0 done; 1 the scan could not finish (e.g. output not writable); 2 bad usage, an
unreadable input path or a broken rule file; 3 tracking found (only with --fail-on-tracking).
Messages that cannot be read never stop a scan: they are listed in the report's errors.";

#[derive(Debug, Parser)]
#[command(
    name = "mailtrace",
    version,
    about = "Audit mail archives for tracking: who watches you read your mail, and how",
    long_about = "mailtrace reads mailbox exports (mbox from Gmail Takeout or Thunderbird, .eml \
                  files, Maildir, Apple Mail .emlx, Outlook .msg, any of them compressed (gzip, bzip2, xz, zstd) or inside a zip or \
                  tar archive such as a Takeout download, and Outlook .pst data files) and reports, as JSON, which senders track their readers and how. It never connects to the \
                  network while scanning.",
    after_help = EXAMPLES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan mail archives and report tracking
    Scan(ScanArgs),
    /// Show a message's findings readably, or document a technique
    Explain(ExplainArgs),
    /// Inspect and validate tracker rules
    #[command(subcommand)]
    Rules(RulesCommand),
    /// The reference tracking engine: build campaigns, run the tracking server, read its metrics
    #[command(subcommand)]
    Engine(EngineCommand),
    /// Score the detector: against generated ground truth, or against hand-labelled mail
    Eval(EvalArgs),
}

#[derive(Debug, Subcommand)]
pub enum EngineCommand {
    /// Write one tracked message per recipient, with the manifest of what was inserted
    Campaign(CampaignArgs),
    /// Run the tracking server (beacons, redirector) and record every hit
    Serve(ServeArgs),
    /// Open rate, click-through, machine opens, forwarding: the metrics of the event store
    Report(EngineReportArgs),
    /// Record read receipts from the disposition notifications (MDNs) in a mailbox
    IngestMdn(IngestMdnArgs),
}

#[derive(Debug, Args)]
pub struct CampaignArgs {
    /// The message HTML; `{{name}}` and `{{email}}` are filled in, every http(s) link is tracked
    #[arg(long, value_name = "T.html")]
    pub template: PathBuf,
    /// Recipients: CSV with an `email` column (and optionally `name`), or one address a line
    #[arg(long, value_name = "R.csv")]
    pub recipients: PathBuf,
    #[arg(long, value_name = "ADDR")]
    pub from: String,
    #[arg(long)]
    pub subject: Option<String>,
    /// Tracking technique (repeatable); default tiny_image_attr and click_redirect. `all` for every one
    #[arg(long = "technique", value_name = "ID")]
    pub techniques: Vec<String>,
    /// Vendor URL shapes: mailtrace, sendgrid, mailchimp, mailgun, ses, sfmc, sparkpost
    #[arg(long, default_value = "mailtrace", value_name = "VENDOR")]
    pub style: String,
    /// Read-receipt headers: dnt, rrt, xcrt (comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub receipts: Vec<String>,
    /// Ask for delivery status notifications in the envelope (NOTIFY=SUCCESS,DELAY RET=HDRS)
    #[arg(long)]
    pub dsn: bool,
    /// Leak the recipient's address into tracking URLs: plain, percent, base64, base64url, hex, md5, sha1, sha256, sha512
    #[arg(long, value_name = "ENCODING")]
    pub leak: Option<String>,
    /// Add tracking parameters (utm_*, and the vendor's own) to link destinations
    #[arg(long)]
    pub decorate: bool,
    /// Write the same campaign with all tracking removed (a negative control)
    #[arg(long)]
    pub clean: bool,
    #[arg(long, value_enum, default_value_t = CampaignFormat::Eml)]
    pub format: CampaignFormat,
    /// Where the tracking server answers
    #[arg(long, default_value = "http://127.0.0.1:8025", value_name = "URL")]
    pub base_url: String,
    /// Register the campaign's tokens and links in this event store
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Output folder
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CampaignFormat {
    Eml,
    Mbox,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[arg(long, value_name = "FILE")]
    pub db: PathBuf,
    /// Address to listen on (loopback by default; port 0 picks a free one)
    #[arg(long, default_value = "127.0.0.1:8025", value_name = "ADDR")]
    pub listen: String,
    /// Register campaigns from their manifests before serving (repeatable)
    #[arg(long = "campaign", value_name = "MANIFEST")]
    pub campaigns: Vec<PathBuf>,
    /// Print events as JSON lines instead of readable lines
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EngineReportArgs {
    #[arg(long, value_name = "FILE")]
    pub db: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct IngestMdnArgs {
    #[arg(long, value_name = "FILE")]
    pub db: PathBuf,
    /// A mailbox (mbox, .eml, Maildir, …) holding the returned receipts
    #[arg(value_name = "MAILBOX")]
    pub mailbox: PathBuf,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Hand labels (JSONL, see docs/evaluation.md); scores the detector on the mail in DIR
    #[arg(long, value_name = "FILE", requires = "dir")]
    pub labels: Option<PathBuf>,
    /// The labelled mail
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
    /// Keep the generated campaigns in this folder instead of a temporary one
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,

    #[command(flatten)]
    pub rules: RuleChoice,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["message", "technique", "list"])))]
pub struct ExplainArgs {
    /// A message (.eml) or any archive: every message in it is explained
    #[arg(value_name = "MESSAGE")]
    pub message: Option<PathBuf>,

    /// Print the documentation of one technique (see --list)
    #[arg(long, value_name = "ID")]
    pub technique: Option<String>,

    /// List every technique
    #[arg(long)]
    pub list: bool,

    /// Your own address (repeatable), as for `scan`
    #[arg(long, value_name = "ADDR")]
    pub me: Vec<String>,

    #[command(flatten)]
    pub rules: RuleChoice,
}

/// Which rules a command judges by: the built-in ones, a folder's, or both.
#[derive(Debug, Args)]
pub struct RuleChoice {
    /// A folder of extra rule files, added to the built-in rules
    #[arg(long = "rules", value_name = "DIR")]
    pub extra: Option<PathBuf>,

    /// Leave out the built-in rules (keeping any --rules folder): what the heuristics find
    /// on their own, as they would for a tracker no rule names yet
    #[arg(long)]
    pub no_builtin_rules: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// The whole report as one JSON document
    Json,
    /// One JSON object per line: messages and errors as they are scanned, then the totals
    Jsonl,
    /// Readable tables: the senders that track, worst first, the companies behind them, the
    /// share of tracked mail per year
    Summary,
    /// One row per finding (and per error) as messages are scanned, for a spreadsheet
    Csv,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or folders to scan (mbox, .eml, Maildir, .emlx, .msg, .pst, .gz, .bz2, .xz, .zst, .zip,
    /// .tar, .tgz, .tar.zst…); `-` reads
    /// standard input
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Write the report to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
    pub format: OutputFormat,

    /// Your own address (repeatable): searched for in tracker URLs besides each message's recipients
    #[arg(long, value_name = "ADDR")]
    pub me: Vec<String>,

    #[command(flatten)]
    pub rules: RuleChoice,

    /// Worker threads (0: one per core)
    #[arg(short, long, default_value_t = 0, value_name = "N")]
    pub jobs: usize,

    /// No progress bar and no closing summary line on standard error
    #[arg(short, long)]
    pub quiet: bool,

    /// Exit with code 3 when any tracking was found
    #[arg(long)]
    pub fail_on_tracking: bool,

    /// How to undo `>From ` quoting in mbox files
    #[arg(long, value_enum, default_value_t = MboxFormat::Auto)]
    pub mbox_format: MboxFormat,

    /// Largest message read, in bytes (K, M, G suffixes accepted); larger ones are reported as errors
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "64M")]
    pub max_message_size: usize,

    /// List every message in the report, not only those with findings
    #[arg(long)]
    pub all_messages: bool,

    /// Replace your addresses, per-recipient tokens and hashes with stable placeholders, so the
    /// report can be shared without identifying you
    #[arg(long)]
    pub redact: bool,

    /// Change a limit (repeatable): max_headers, max_parsed_header_bytes, max_parts,
    /// max_mime_depth, max_html_bytes, max_css_bytes, max_urls, max_decompressed_bytes,
    /// max_compression_ratio, max_dir_depth, max_temporary_copy_bytes (see docs/hardening.md)
    #[arg(long = "limit", value_name = "NAME=SIZE", value_parser = parse_limit)]
    pub limits: Vec<(String, String)>,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List vendors and rule counts
    List {
        /// A folder of extra rule files to include
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
    },
    /// Validate a rule folder (the built-in rules when none is given): ids, regexes, examples
    Test {
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

fn parse_size(text: &str) -> Result<usize, String> {
    mailtrace::limits::parse_size(text)
        .and_then(|size| usize::try_from(size).map_err(|_| format!("{text:?} is too large")))
}

/// `NAME=SIZE` for `--limit`.
fn parse_limit(text: &str) -> Result<(String, String), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?}: expected NAME=SIZE, e.g. max_html_bytes=32M"))?;
    let mut probe = mailtrace::Limits::default();
    probe.set(name.trim(), value)?;
    Ok((name.trim().to_owned(), value.to_owned()))
}
