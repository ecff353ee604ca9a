//! Where the report goes: the chosen format to stdout or a file, the progress bar and the
//! closing line on stderr.

use crate::cli::{OutputFormat, ScanArgs};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use mailtrace::report::csv;
use mailtrace::report::{write_summary_table, ErrorEntry, Report, Tool};
use mailtrace::rules::RuleSet;
use mailtrace::scan::{MessageOut, Observer, Render, ScanError};
use mailtrace::source::Input;
use serde::Serialize;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};

pub struct Sink {
    format: OutputFormat,
    all_messages: bool,
    out: Box<dyn Write>,
    progress: ProgressBar,
    tool: Tool,
    /// JSON: messages written so far (the document is opened before the first one).
    streamed: u64,
    /// Whether the JSON document's head, or the CSV header row, is written.
    opened: bool,
}

/// One JSONL line: a `type` tag beside the object's own fields.
#[derive(Serialize)]
struct Line<'a, T: Serialize> {
    #[serde(rename = "type")]
    kind: &'a str,
    #[serde(flatten)]
    body: &'a T,
}

/// The closing JSONL line: the report without its lists of messages and errors.
#[derive(Serialize)]
struct Totals<'a> {
    schema: &'a str,
    tool: &'a mailtrace::report::Tool,
    scanned: &'a mailtrace::report::Scanned,
    summary: &'a mailtrace::report::Summary,
    senders: &'a [mailtrace::report::SenderSummary],
    skipped: &'a [mailtrace::report::SkippedFile],
}

impl Sink {
    pub fn open(args: &ScanArgs, inputs: &[Input], tool: Tool) -> io::Result<Sink> {
        let out: Box<dyn Write> = match &args.output {
            Some(path) => Box::new(BufWriter::new(File::create(path)?)),
            None => Box::new(BufWriter::new(io::stdout().lock())),
        };
        let visible = !args.quiet && io::stderr().is_terminal();
        Ok(Sink {
            format: args.format,
            all_messages: args.all_messages,
            out,
            progress: progress_bar(visible, inputs),
            tool,
            streamed: 0,
            opened: false,
        })
    }

    /// The CSV header row, written once (also when no row follows).
    fn open_table(&mut self) -> io::Result<()> {
        if !self.opened {
            self.opened = true;
            let mut header = Vec::new();
            csv::write_header(&mut header);
            self.out.write_all(&header)?;
        }
        Ok(())
    }

    /// The JSON document up to the opening of `messages`, written once.
    fn open_document(&mut self) -> io::Result<()> {
        if !self.opened {
            self.opened = true;
            write!(
                self.out,
                "{{\n  \"schema\": {},\n  \"tool\": {},\n  \"messages\": [",
                serde_json::to_string(mailtrace::REPORT_SCHEMA)?,
                serde_json::to_string(&self.tool)?
            )?;
        }
        Ok(())
    }

    pub fn finish(&mut self, report: &Report) -> io::Result<()> {
        self.progress.finish_and_clear();
        match self.format {
            OutputFormat::Json => {
                // Messages went out as they were scanned; the totals close the document.
                self.open_document()?;
                let tail = [
                    ("errors", serde_json::to_string_pretty(&report.errors)?),
                    ("skipped", serde_json::to_string_pretty(&report.skipped)?),
                    ("scanned", serde_json::to_string_pretty(&report.scanned)?),
                    ("summary", serde_json::to_string_pretty(&report.summary)?),
                    ("senders", serde_json::to_string_pretty(&report.senders)?),
                ];
                write!(self.out, "{}]", if self.streamed > 0 { "\n  " } else { "" })?;
                for (name, value) in tail {
                    write!(self.out, ",\n  \"{name}\": {}", value.replace('\n', "\n  "))?;
                }
                writeln!(self.out, "\n}}")?;
            }
            OutputFormat::Jsonl => {
                let totals = Totals {
                    schema: &report.schema,
                    tool: &report.tool,
                    scanned: &report.scanned,
                    summary: &report.summary,
                    senders: &report.senders,
                    skipped: &report.skipped,
                };
                self.line("report", &totals)?;
            }
            OutputFormat::Summary => write_summary_table(report, &mut self.out)?,
            // Rows went out as messages were scanned; a table has no place for totals.
            OutputFormat::Csv => self.open_table()?,
        }
        self.out.flush()
    }

    fn line<T: Serialize>(&mut self, kind: &str, body: &T) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, &Line { kind, body })?;
        writeln!(self.out)
    }
}

impl Observer for Sink {
    fn renderer(&self) -> Option<Render> {
        match self.format {
            OutputFormat::Json | OutputFormat::Jsonl => Some(mailtrace::report::write_message),
            OutputFormat::Csv => Some(csv::write_message),
            OutputFormat::Summary => None,
        }
    }

    fn on_message(&mut self, message: MessageOut<'_>) -> io::Result<()> {
        if !(self.all_messages || message.is_noteworthy()) {
            return Ok(());
        }
        match self.format {
            OutputFormat::Jsonl => match message {
                // The line is the message's object with a `type` field first: `{"type":…,`
                // and the rendered object without its opening brace.
                MessageOut::Rendered { bytes: json, .. } => {
                    // The rendered object always starts with `{"locator":`.
                    let fields = json.strip_prefix(b"{").unwrap_or(b"}");
                    self.out.write_all(br#"{"type":"message""#)?;
                    if !fields.starts_with(b"}") {
                        self.out.write_all(b",")?;
                    }
                    self.out.write_all(fields)?;
                    writeln!(self.out)?;
                }
                MessageOut::Report(report) => self.line("message", report)?,
            },
            OutputFormat::Json => {
                self.open_document()?;
                let separator = if self.streamed > 0 { "," } else { "" };
                write!(self.out, "{separator}\n    ")?;
                match message {
                    MessageOut::Rendered { bytes, .. } => self.out.write_all(bytes)?,
                    MessageOut::Report(report) => serde_json::to_writer(&mut self.out, report)?,
                }
                self.streamed += 1;
            }
            OutputFormat::Csv => {
                self.open_table()?;
                match message {
                    MessageOut::Rendered { bytes, .. } => self.out.write_all(bytes)?,
                    MessageOut::Report(report) => {
                        let mut rows = Vec::new();
                        csv::write_message(report, &mut rows);
                        self.out.write_all(&rows)?;
                    }
                }
            }
            OutputFormat::Summary => {}
        }
        Ok(())
    }

    fn on_error(&mut self, error: &ErrorEntry) -> io::Result<()> {
        match self.format {
            OutputFormat::Jsonl => self.line("error", error)?,
            OutputFormat::Csv => {
                self.open_table()?;
                let mut row = Vec::new();
                csv::write_error(error, &mut row);
                self.out.write_all(&row)?;
            }
            OutputFormat::Json | OutputFormat::Summary => {}
        }
        Ok(())
    }

    fn on_progress(&mut self, bytes_read: u64, messages: u64) {
        self.progress.set_position(bytes_read);
        self.progress.set_message(format!("{messages} messages"));
    }
}

/// A bar over input bytes when their total is known (only files and folders named), a spinner
/// otherwise; hidden unless stderr is a terminal.
fn progress_bar(visible: bool, inputs: &[Input]) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let total = total_input_bytes(inputs);
    let bar = match total {
        Some(total) => ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
    };
    let template = if total.is_some() {
        "{spinner} {msg} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {wide_bar}"
    } else {
        "{spinner} {msg} {bytes} {binary_bytes_per_sec}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

fn total_input_bytes(inputs: &[Input]) -> Option<u64> {
    let mut total = 0;
    for input in inputs {
        let Input::Path(path) = input else {
            return None;
        };
        for entry in walkdir::WalkDir::new(path)
            .follow_links(true)
            .into_iter()
            .flatten()
        {
            if entry.file_type().is_file() {
                total += entry.metadata().map(|m| m.len()).unwrap_or(0);
            }
        }
    }
    Some(total)
}

pub fn is_broken_pipe(err: &ScanError) -> bool {
    matches!(err, ScanError::Output(io) if io.kind() == io::ErrorKind::BrokenPipe)
}

/// The one-line account printed on stderr at the end.
pub fn closing_line(report: &Report) -> String {
    let s = &report.summary;
    format!(
        "mailtrace: {} messages ({:.1} MB) from {} senders in {:.2} s; {} senders track, in {} messages{}; {} errors",
        report.scanned.messages,
        report.scanned.bytes as f64 / 1e6,
        s.senders,
        report.scanned.duration_ms as f64 / 1000.0,
        s.tracking_senders,
        s.tracked_messages,
        mailtrace::report::summary::read_note(s.tracked_read, s.tracked_unread),
        report.scanned.errors
    )
}

/// `rules list`: totals, counts by category and kind, then one line per vendor.
pub fn write_rule_list(rules: &RuleSet, out: &mut dyn Write) -> io::Result<()> {
    use std::collections::{BTreeMap, BTreeSet};
    let mut by_category: BTreeMap<&str, (usize, BTreeSet<&str>)> = BTreeMap::new();
    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    let mut params: BTreeSet<String> = BTreeSet::new();
    for rule in rules.rules() {
        let entry = by_category.entry(rule.category.as_str()).or_default();
        entry.0 += 1;
        entry.1.insert(rule.vendor.as_str());
        *by_kind.entry(rule.kind.to_string()).or_default() += 1;
        if rule.kind == mailtrace::Kind::LinkDecoration {
            params.extend(rule.params.iter().map(|p| p.to_ascii_lowercase()));
        }
    }
    writeln!(
        out,
        "{} rules, {} vendors, {} decoration parameters (rules version {})",
        rules.len(),
        rules.vendors().len(),
        params.len(),
        rules.version()
    )?;
    writeln!(out, "by kind:")?;
    for (kind, count) in &by_kind {
        writeln!(out, "  {kind}: {count} rules")?;
    }
    writeln!(out, "by category:")?;
    for (category, (count, vendors)) in &by_category {
        writeln!(
            out,
            "  {category}: {count} rules, {} vendors",
            vendors.len()
        )?;
    }
    writeln!(out, "vendors:")?;
    for vendor in rules.vendors() {
        let kinds: BTreeSet<String> = rules
            .rules()
            .iter()
            .filter(|r| r.vendor == vendor)
            .map(|r| r.kind.to_string())
            .collect();
        writeln!(
            out,
            "  {vendor}\t{}",
            kinds.into_iter().collect::<Vec<_>>().join(",")
        )?;
    }
    out.flush()
}
