//! Command-line definitions only: what the user can type, validated by clap before any work.

use clap::{Args, Parser, Subcommand, ValueEnum};
use mailtrace::source::MboxFormat;
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  mailtrace scan fixtures/demo.mbox --format summary
  mailtrace scan ~/Takeout/Mail/ -o report.json
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
                  files, Maildir, Apple Mail .emlx, any of them gzip-compressed) and reports, as \
                  JSON, which senders track their readers and how. It never connects to the \
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

    /// A folder of extra rule files
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// The whole report as one JSON document
    Json,
    /// One JSON object per line: messages and errors as they are scanned, then the totals
    Jsonl,
    /// A readable table of the senders that track, worst first
    Summary,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or folders to scan (mbox, .eml, Maildir, .emlx, .gz); `-` reads standard input
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

    /// A folder of extra rule files, added to the built-in rules
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,

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

    /// Change a limit (repeatable): max_headers, max_parts, max_html_bytes, max_css_bytes,
    /// max_urls, max_decompressed_bytes, max_compression_ratio, max_dir_depth (see README)
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
