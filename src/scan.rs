//! The scan: sources stream raw messages on a reader thread, batches fan out to a rayon pool
//! where each task parses and inspects the message it owns (and renders its JSON and tally,
//! so that serial work stays small), and results are folded into the report in archive order
//! on the calling thread while the pool works on the next batch. No lock is taken per message,
//! and memory is bounded by the batches in flight, not by the size of the archive.

use crate::detect::{self, Context};
use crate::limits::Limits;
use crate::message::MessageView;
use crate::report::{
    ErrorEntry, MessageReport, MessageTally, Report, ReportBuilder, SenderFacts, SkippedFile, Tool,
};
use crate::rules::RuleSet;
use crate::source::{self, Input, Item, MboxFormat, RawMessage, SourceOptions};
use rayon::prelude::*;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Instant;

/// A batch is handed to the pool when it holds this many messages or bytes, whichever first.
const BATCH_MESSAGES: usize = 256;
const BATCH_BYTES: usize = 16 << 20;
/// Batches read ahead while the pool works: bounds memory to about (this + 3) × BATCH_BYTES
/// (one more is mapped, one waits for the fold, one is being folded).
const BATCHES_AHEAD: usize = 2;

#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    pub inputs: Vec<Input>,
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
    /// The reader's own addresses (`--me`), in addition to those each message names.
    pub me: Vec<String>,
    pub limits: Limits,
    pub mbox_format: MboxFormat,
    /// Keep messages in the report (off when they are streamed to an observer instead).
    pub keep_messages: bool,
    /// List messages without findings too.
    pub keep_clean_messages: bool,
    /// Replace the reader's addresses, tokens and hashes with placeholders (`--redact`).
    pub redact: bool,
}

/// Writes a message as an output format has it (its JSON object, its CSV rows).
pub type Render = fn(&MessageReport, &mut Vec<u8>);

/// One scanned message as an observer receives it.
pub enum MessageOut<'a> {
    /// The report, when the observer has no [`Render`] or `--redact` rewrote the report.
    Report(&'a MessageReport),
    /// The message as the observer's [`Observer::renderer`] wrote it, on the worker that
    /// scanned it.
    Rendered {
        bytes: &'a [u8],
        /// [`MessageReport::is_noteworthy`]: the message has findings or warnings.
        noteworthy: bool,
    },
}

impl MessageOut<'_> {
    pub fn is_noteworthy(&self) -> bool {
        match self {
            MessageOut::Report(report) => report.is_noteworthy(),
            MessageOut::Rendered { noteworthy, .. } => *noteworthy,
        }
    }
}

/// Receives results in archive order as the scan goes (for streaming output and progress).
pub trait Observer {
    fn on_message(&mut self, _message: MessageOut<'_>) -> io::Result<()> {
        Ok(())
    }
    /// How workers should render each message for `on_message`, if they should: writing the
    /// output on the workers keeps it off the single thread that folds results in archive
    /// order.
    fn renderer(&self) -> Option<Render> {
        None
    }
    fn on_error(&mut self, _error: &ErrorEntry) -> io::Result<()> {
        Ok(())
    }
    /// Bytes read from the inputs so far, and messages done.
    fn on_progress(&mut self, _bytes_read: u64, _messages: u64) {}
}

/// An observer that does nothing: the report is all the caller wants.
pub struct Quiet;
impl Observer for Quiet {}

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("cannot start worker threads: {0}")]
    Threads(#[from] rayon::ThreadPoolBuildError),
    #[error("cannot write output: {0}")]
    Output(#[from] io::Error),
}

/// What one message became.
enum Outcome {
    /// The report, the sender facts, the size, and the reader's addresses (for redaction).
    Message(Box<Scanned>),
    Error(ErrorEntry),
    Skipped(SkippedFile),
    Opened,
    /// A message, then the messages enclosed in it (see `MessageView::enclosed_messages`).
    Nested(Vec<Outcome>),
}

/// Messages enclosed in one message that are scanned, at most, and how many levels of messages
/// (the outermost included) are read inside each other.
pub const MAX_ENCLOSED: usize = 32;
pub const MAX_ENCLOSED_DEPTH: usize = 4;

/// Scans every input and returns the report; `observer` sees each result as it is folded in.
pub fn scan(
    options: &ScanOptions,
    rules: &RuleSet,
    observer: &mut dyn Observer,
) -> Result<Report, ScanError> {
    let started = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs)
        .build()?;
    let bytes_read = Arc::new(AtomicU64::new(0));
    let source_options = SourceOptions {
        limits: options.limits,
        mbox_format: options.mbox_format,
        bytes_read: bytes_read.clone(),
    };
    let me: Vec<String> = options.me.iter().map(|m| m.trim().to_owned()).collect();
    let context = Context {
        rules,
        me: &me,
        limits: options.limits,
    };
    // `--redact` rewrites the report on the folding thread, so it is rendered there.
    let render = observer.renderer().filter(|_| !options.redact);
    let needs = Needs {
        render,
        report: render.is_none() || options.keep_messages,
        readers: options.redact,
    };
    let mut builder = ReportBuilder::new(options.keep_messages, options.keep_clean_messages);

    let (sender, batches) = mpsc::sync_channel::<Vec<Item>>(BATCHES_AHEAD);
    let inputs = options.inputs.clone();
    let reader =
        std::thread::spawn(move || read_batches(source::items(inputs, source_options), sender));

    let mut redactor = options
        .redact
        .then(crate::report::redact::Redactor::default);
    let result = std::thread::scope(|scope| -> io::Result<()> {
        // The pool works on the next batch while this thread folds and writes the last one:
        // folding in step with the pool left the workers idle while the report was written.
        let (done_sender, processed) = mpsc::sync_channel::<Vec<Outcome>>(1);
        let (context, pool) = (&context, &pool);
        scope.spawn(move || {
            for batch in batches {
                let outcomes: Vec<Outcome> = pool.install(|| {
                    batch
                        .into_par_iter()
                        // One message per task: rayon's default leaves hold dozens, and the
                        // worker that finished first sat idle while the other ran through the
                        // rest of its leaf (up to 17 ms per batch on 2 vCPUs).
                        .with_max_len(1)
                        .map(|item| process(item, context, needs))
                        .collect()
                });
                // A closed channel means the fold stopped (an output error): stop too.
                if done_sender.send(outcomes).is_err() {
                    return;
                }
            }
        });
        let mut done = 0u64;
        for outcomes in processed {
            for outcome in outcomes {
                fold(outcome, &mut builder, observer, redactor.as_mut(), &me)?;
                done += 1;
            }
            observer.on_progress(bytes_read.load(Ordering::Relaxed), done);
        }
        Ok(())
    });
    // The batch receiver is gone with the processing thread, which stops the reader at its
    // next send.
    let _ = reader.join();
    result?;
    Ok(builder.finish(Tool::of(rules), started.elapsed().as_millis() as u64))
}

fn read_batches(items: impl Iterator<Item = Item>, sender: mpsc::SyncSender<Vec<Item>>) {
    let mut batch = Vec::with_capacity(BATCH_MESSAGES);
    let mut bytes = 0usize;
    // The read chunk the last message of the batch lies in, if it lies in one.
    let mut last_chunk = None;
    for item in items {
        if let Item::Message(message) = &item {
            // What the batch keeps in memory: a message copied out of the input holds its own
            // bytes; messages lying in a read chunk hold the whole chunk between them, counted
            // once. (Counted by message length, small messages each alone in a chunk, between
            // oversize ones that hold none, would keep a chunk each.)
            bytes += match message.bytes.chunk() {
                Some(chunk) if last_chunk == Some(Arc::as_ptr(chunk)) => 0,
                Some(chunk) => {
                    last_chunk = Some(Arc::as_ptr(chunk));
                    chunk.len()
                }
                None => message.bytes.len(),
            };
        }
        batch.push(item);
        if batch.len() >= BATCH_MESSAGES || bytes >= BATCH_BYTES {
            if sender.send(std::mem::take(&mut batch)).is_err() {
                return;
            }
            bytes = 0;
            last_chunk = None;
        }
    }
    if !batch.is_empty() {
        let _ = sender.send(batch);
    }
}

fn fold(
    outcome: Outcome,
    builder: &mut ReportBuilder,
    observer: &mut dyn Observer,
    mut redactor: Option<&mut crate::report::redact::Redactor>,
    me: &[String],
) -> io::Result<()> {
    match outcome {
        Outcome::Message(scanned) => {
            let Scanned {
                kept,
                facts,
                tally,
                bytes,
                readers,
            } = *scanned;
            match kept {
                Kept::Report {
                    mut report,
                    rendered,
                } => {
                    // Sequential, so placeholders are numbered the same on every run.
                    if let Some(redactor) = redactor {
                        let all: Vec<String> =
                            readers.into_iter().chain(me.iter().cloned()).collect();
                        redactor.redact(&mut report, &all);
                    }
                    observer.on_message(match &rendered {
                        Some(bytes) => MessageOut::Rendered {
                            bytes,
                            noteworthy: report.is_noteworthy(),
                        },
                        None => MessageOut::Report(&report),
                    })?;
                    builder.add_message(report, &facts, tally, bytes);
                }
                Kept::Rendered {
                    bytes: rendered,
                    tracked,
                    noteworthy,
                    date,
                } => {
                    observer.on_message(MessageOut::Rendered {
                        bytes: &rendered,
                        noteworthy,
                    })?;
                    builder.count_message(&facts, tally, bytes, tracked, date.as_deref());
                }
            }
        }
        Outcome::Error(error) => {
            observer.on_error(&error)?;
            builder.add_error(error);
        }
        Outcome::Skipped(skipped) => builder.add_skipped(skipped),
        Outcome::Opened => builder.add_source(),
        Outcome::Nested(outcomes) => {
            for outcome in outcomes {
                let redactor = redactor.as_deref_mut();
                fold(outcome, builder, observer, redactor, me)?;
            }
        }
    }
    Ok(())
}

fn process(item: Item, context: &Context<'_>, needs: Needs) -> Outcome {
    match item {
        Item::Message(raw) => inspect(raw, context, needs, 0),
        Item::Error(error) => Outcome::Error(ErrorEntry {
            source: format_name(error.format).to_owned(),
            locator: error.locator,
            error: error.error,
        }),
        Item::Skipped { locator, reason } => Outcome::Skipped(SkippedFile {
            path: locator.path,
            entry: locator.entry,
            reason,
        }),
        Item::Opened => Outcome::Opened,
    }
}

/// Parses one message once and runs detection on it, then on the messages enclosed in it
/// (`depth` is how deep this one is enclosed). A panic anywhere below becomes an error entry
/// for this message: one bad message must never end the scan.
fn inspect(raw: RawMessage, context: &Context<'_>, needs: Needs, depth: usize) -> Outcome {
    let RawMessage {
        locator,
        format,
        bytes,
        mut warnings,
        read,
    } = raw;
    // An enclosed message's bytes were counted with the message that holds it.
    let size = if depth == 0 { bytes.len() as u64 } else { 0 };
    let error = |error: String| {
        Outcome::Error(ErrorEntry {
            source: format_name(format).to_owned(),
            locator: locator.clone(),
            error,
        })
    };
    let result = crate::contain::contain(|| {
        let view = MessageView::parse_limited(&bytes, &context.limits)?;
        let mut enclosed: Vec<(usize, Vec<u8>)> = Vec::new();
        if depth + 1 >= MAX_ENCLOSED_DEPTH {
            // Only whether there is one matters: none is copied.
            if view.enclosed_messages().next().is_some() {
                warnings.push(format!(
                    "messages enclosed {MAX_ENCLOSED_DEPTH} deep in each other: the innermost were not scanned"
                ));
            }
        } else {
            let mut found = view.enclosed_messages();
            enclosed.extend(
                found
                    .by_ref()
                    .take(MAX_ENCLOSED)
                    .map(|(part, bytes)| (part, bytes.into_owned())),
            );
            if found.next().is_some() {
                warnings.push(format!(
                    "more than {MAX_ENCLOSED} enclosed messages: the first {MAX_ENCLOSED} were scanned"
                ));
            }
        }
        let detection = detect::inspect(&view, context);
        let findings = detection.findings;
        let sender = view.sender();
        let read = crate::read_flag::of(read, &view);
        let facts = SenderFacts {
            address: sender.map(|s| s.address.clone()),
            domain: sender.map(|s| s.domain.clone()),
            timestamp: view.date.as_ref().map(|d| d.timestamp),
            read,
        };
        let report = MessageReport {
            locator: locator.clone(),
            message_id: view.message_id.clone(),
            from: view.from.as_ref().map(|f| f.address.clone()),
            date: view.date.as_ref().map(|d| d.rfc3339.clone()),
            subject: view.subject.clone(),
            read,
            findings,
            warnings: warnings
                .iter()
                .chain(&view.warnings)
                .chain(&detection.notes)
                .cloned()
                .collect(),
        };
        let readers = if needs.readers {
            view.recipients.clone()
        } else {
            Vec::new()
        };
        Some((report, facts, readers, enclosed))
    });
    match result {
        Ok(Some((mut report, facts, readers, enclosed))) => {
            let read = report.read;
            let tally = MessageTally::of(&report);
            let rendered = needs.render.map(|write| render(&report, write));
            let kept = match rendered {
                Some(bytes) if !needs.report => Kept::Rendered {
                    bytes,
                    tracked: report.is_tracked(),
                    noteworthy: report.is_noteworthy(),
                    date: report.date.take(),
                },
                rendered => Kept::Report { report, rendered },
            };
            let message = Outcome::Message(Box::new(Scanned {
                kept,
                tally,
                facts,
                bytes: size,
                readers,
            }));
            if enclosed.is_empty() {
                return message;
            }
            // An enclosed message is shown with the one that holds it: read if that one is.
            let mut outcomes = vec![message];
            outcomes.extend(enclosed.into_iter().map(|(part, bytes)| {
                let locator = locator.enclosed(part);
                // An attached Outlook message is a compound file, rebuilt as MIME first.
                let (format, bytes, warnings) = match source::msg::rebuild_if_outlook(&bytes) {
                    None => (format, bytes, Vec::new()),
                    Some(Ok(rebuilt)) => (source::Format::Msg, rebuilt.message, rebuilt.warnings),
                    Some(Err(error)) => {
                        return Outcome::Error(ErrorEntry {
                            source: format_name(source::Format::Msg).to_owned(),
                            locator,
                            error,
                        })
                    }
                };
                let raw = RawMessage {
                    locator,
                    format,
                    bytes: bytes.into(),
                    warnings,
                    read,
                };
                inspect(raw, context, needs, depth + 1)
            }));
            Outcome::Nested(outcomes)
        }
        Ok(None) => error("not a mail message: no header could be parsed".to_owned()),
        Err(panic) => error(format!(
            "internal error while scanning this message (please report it): {panic}"
        )),
    }
}

/// The message as `write` has it. The buffer starts near its final size (a finding takes a few
/// hundred bytes): grown from empty, its reallocations and copies cost as much as the writing.
fn render(report: &MessageReport, write: Render) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(512 + 768 * report.findings.len());
    write(report, &mut bytes);
    bytes
}

/// One message scanned: its report or its rendering, the sender facts, tally and size for the
/// totals, and the reader's addresses (for redaction).
struct Scanned {
    kept: Kept,
    facts: SenderFacts,
    tally: MessageTally,
    bytes: u64,
    readers: Vec<String>,
}

/// What a worker hands on of a message's report. It travels inside the boxed `Scanned`, so the
/// size of its larger variant costs nothing per outcome.
#[allow(clippy::large_enum_variant)]
enum Kept {
    /// The report itself, with its rendering when the observer asked for one.
    Report {
        report: MessageReport,
        rendered: Option<Vec<u8>>,
    },
    /// The rendering alone, with what the totals read from the report. The worker drops the report
    /// when nothing after it needs more: a report holds about a hundred allocations, and the
    /// thread that made them frees them faster than the one folding in archive order, which
    /// every worker waits on.
    Rendered {
        bytes: Vec<u8>,
        tracked: bool,
        noteworthy: bool,
        date: Option<String>,
    },
}

/// What the fold will need of each message, settled once per scan.
#[derive(Debug, Clone, Copy)]
struct Needs {
    /// How the observer wants each message rendered on the worker, if it does.
    render: Option<Render>,
    /// The report itself: to redact it, to keep it in the report, or for an observer that
    /// takes no rendering.
    report: bool,
    /// The reader's addresses the message names, for `--redact`.
    readers: bool,
}

fn format_name(format: source::Format) -> &'static str {
    match format {
        source::Format::Eml => "eml",
        source::Format::Mbox => "mbox",
        source::Format::Maildir => "maildir",
        source::Format::Emlx => "emlx",
        source::Format::Msg => "msg",
        source::Format::Pst => "pst",
        source::Format::Folder => "folder",
        source::Format::Zip => "zip",
        source::Format::Tar => "tar",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locator::Locator;
    use crate::source::{Format, MessageBytes};

    fn message(chunk: &Arc<Vec<u8>>, range: std::ops::Range<usize>) -> Item {
        Item::Message(RawMessage {
            locator: Locator::at("t.mbox", range.start as u64),
            format: Format::Mbox,
            bytes: MessageBytes::Shared {
                chunk: Arc::clone(chunk),
                range,
            },
            warnings: Vec::new(),
            read: None,
        })
    }

    fn batch_sizes(items: Vec<Item>) -> Vec<usize> {
        let (sender, batches) = mpsc::sync_channel(items.len());
        read_batches(items.into_iter(), sender);
        batches.iter().map(|batch| batch.len()).collect()
    }

    #[test]
    fn batches_are_bounded_by_the_memory_their_messages_hold() {
        // Small messages each alone in a read chunk (as between oversize messages, which are
        // skipped and hold nothing) keep a whole chunk each: 16 one-MiB chunks fill a batch.
        let alone: Vec<Item> = (0..20)
            .map(|_| message(&Arc::new(vec![b'x'; 1 << 20]), 0..10))
            .collect();
        assert_eq!(batch_sizes(alone), [16, 4]);
        // Messages lying in one chunk count it once: only the message count ends the batch.
        let chunk = Arc::new(vec![b'x'; 1 << 20]);
        let together: Vec<Item> = (0..300).map(|i| message(&chunk, i..i + 1)).collect();
        assert_eq!(
            batch_sizes(together),
            [BATCH_MESSAGES, 300 - BATCH_MESSAGES]
        );
    }
}
