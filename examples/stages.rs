//! Where a scan's time goes, stage by stage, on a whole archive: how fast mailtrace could be if
//! it stopped after each stage. Every stage reads the archive from the start and does the work
//! of the stages before it too, so the difference between two lines is the cost of one stage.
//!
//! ```text
//! cargo run --release --example stages -- ARCHIVE [JOBS] [ROUNDS]
//! ```
//!
//! - `read`: split the archive into messages (the scan's reader thread alone);
//! - `parse`: and parse each message (`MessageView::parse_limited`: headers, the MIME tree, the
//!   decoded text and HTML parts) on `JOBS` workers (2 by default);
//! - `tokenise`: and run the HTML tokenizer over each HTML part (tags, attributes, character
//!   references), keeping nothing;
//! - `html`: and read each HTML part into the resources it loads and links to (the tokenizer,
//!   the open-element stack for hidden ancestors, inline CSS, URLs resolved);
//! - `detect`: parse and run every detector (`detect::inspect`, which extracts the resources
//!   itself), as a scan does;
//! - `scan`: the whole `mailtrace::scan`, with its fold of the results in archive order but no
//!   output written.
//!
//! Each stage runs `ROUNDS` times (3 by default) in turn, and the median is printed: the
//! machine's speed drifts, and rounds taken side by side share the drift. MiB/s counts message
//! bytes. This is a benchmark, not a test: no figure is checked.
//!
//! A second table splits the `detect` stage by step (`detect::Step`): the CPU time of the
//! parse and of each detector, summed over the workers and averaged over the rounds, read by
//! a clock around each step (`detect::inspect_by_step`). A profile spreads a detector's cost
//! over the helpers the detectors share, such as a URL's facts, worked out by whichever asks
//! first; this table charges each detector for what it asks for first.

use mailtrace::detect::{html, inspect_by_step, tokenizer, Context, Step};
use mailtrace::scan::{scan, Quiet, ScanOptions};
use mailtrace::source::{self, Input, Item, MessageBytes, SourceOptions};
use mailtrace::{Limits, MessageView, RuleSet};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::Instant;

/// Nanoseconds of CPU time by part of the `detect` stage: the parse, then each `Step`.
struct StepClock([AtomicU64; 1 + Step::ALL.len()]);

impl StepClock {
    fn add(&self, part: usize, since: Instant) -> Instant {
        let now = Instant::now();
        self.0[part].fetch_add((now - since).as_nanos() as u64, Ordering::Relaxed);
        now
    }
}

#[derive(Clone, Copy, Debug)]
enum Stage {
    Read,
    Parse,
    Tokenise,
    Html,
    Detect,
    Scan,
}

const STAGES: [Stage; 6] = [
    Stage::Read,
    Stage::Parse,
    Stage::Tokenise,
    Stage::Html,
    Stage::Detect,
    Stage::Scan,
];

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(archive) = args.next().map(PathBuf::from) else {
        eprintln!("usage: stages ARCHIVE [JOBS] [ROUNDS]");
        std::process::exit(2);
    };
    let number = |arg: Option<String>, default: usize| {
        arg.map_or(Some(default), |text| text.parse().ok().filter(|&n| n > 0))
            .unwrap_or_else(|| {
                eprintln!("stages: JOBS and ROUNDS are positive numbers");
                std::process::exit(2);
            })
    };
    let jobs = number(args.next(), 2);
    let rounds = number(args.next(), 3);
    let rules = RuleSet::builtin().expect("the built-in rules compile");
    // The message bytes, for MiB/s over a folder as over one file; this first pass also puts
    // the archive in the page cache.
    let bytes: usize = source::items(vec![Input::Path(archive.clone())], SourceOptions::default())
        .map(|item| match item {
            Item::Message(message) => message.bytes.len(),
            _ => 0,
        })
        .sum();
    let bytes = bytes as f64;

    let mut times: Vec<Vec<f64>> = vec![Vec::new(); STAGES.len()];
    let clock = StepClock(std::array::from_fn(|_| AtomicU64::new(0)));
    for _ in 0..rounds {
        for (stage, times) in STAGES.iter().zip(&mut times) {
            let started = Instant::now();
            let messages = run(*stage, &archive, jobs, &rules, &clock);
            times.push(started.elapsed().as_secs_f64());
            eprintln!(
                "{stage:?}: {messages} messages in {:.3} s",
                started.elapsed().as_secs_f64()
            );
        }
    }

    println!("| stage ({jobs} workers) | wall s (median of {rounds}) | MiB/s |");
    println!("|---|---:|---:|");
    for (stage, times) in STAGES.iter().zip(&mut times) {
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        let rate = bytes / (1024.0 * 1024.0) / median;
        println!("| {stage:?} | {median:.3} | {rate:.0} |");
    }

    let parts = std::iter::once("Parse".to_owned()).chain(Step::ALL.map(|s| format!("{s:?}")));
    let cpu: Vec<f64> = clock
        .0
        .iter()
        .map(|nanos| nanos.load(Ordering::Relaxed) as f64 / 1e9 / rounds as f64)
        .collect();
    let total: f64 = cpu.iter().sum();
    println!();
    println!("| detect stage, by part | CPU s (all workers, mean of {rounds}) | share |");
    println!("|---|---:|---:|");
    for (part, seconds) in parts.zip(&cpu) {
        println!(
            "| {part} | {seconds:.3} | {:.1} % |",
            100.0 * seconds / total
        );
    }
}

/// Runs the scan up to `stage`; returns the messages seen. The `detect` stage adds the time
/// of its parts to `clock`.
fn run(stage: Stage, archive: &Path, jobs: usize, rules: &RuleSet, clock: &StepClock) -> usize {
    let inputs = vec![Input::Path(archive.to_path_buf())];
    let limits = Limits::default();
    match stage {
        Stage::Read => source::items(inputs, SourceOptions::default())
            .filter(|item| matches!(item, Item::Message(_)))
            .count(),
        Stage::Scan => {
            let options = ScanOptions {
                inputs,
                jobs,
                limits,
                ..ScanOptions::default()
            };
            let report = scan(&options, rules, &mut Quiet).expect("the scan runs");
            report.scanned.messages as usize
        }
        _ => {
            let me: Vec<String> = Vec::new();
            let context = Context {
                rules,
                me: &me,
                limits,
            };
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(jobs)
                .build()
                .expect("worker threads start");
            // The reader runs on a thread of its own, as in a scan, and hands messages on
            // through a bounded queue.
            let (sender, messages) = mpsc::sync_channel(256);
            let reader = std::thread::spawn(move || {
                for item in source::items(inputs, SourceOptions::default()) {
                    if let Item::Message(message) = item {
                        if sender.send(message.bytes).is_err() {
                            return;
                        }
                    }
                }
            });
            let seen = pool.install(|| {
                messages
                    .into_iter()
                    .par_bridge()
                    .map(|bytes: MessageBytes| {
                        let parsing = Instant::now();
                        let Some(view) = MessageView::parse_limited(&bytes, &limits) else {
                            return 1;
                        };
                        match stage {
                            Stage::Tokenise => {
                                for (_, text) in view.html_parts() {
                                    std::hint::black_box(tokenizer::tokens(text).count());
                                }
                            }
                            Stage::Html => {
                                for (part, text) in view.html_parts() {
                                    std::hint::black_box(html::extract_limited(
                                        text, part, &limits,
                                    ));
                                }
                            }
                            Stage::Detect => {
                                let mut since = clock.add(0, parsing);
                                let detection = inspect_by_step(&view, &context, |step| {
                                    since = clock.add(1 + step as usize, since);
                                });
                                std::hint::black_box(detection);
                            }
                            _ => {
                                std::hint::black_box(&view);
                            }
                        }
                        1
                    })
                    .sum()
            });
            reader.join().expect("the reader finishes");
            seen
        }
    }
}
