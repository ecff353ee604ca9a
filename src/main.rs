//! The `mailtrace` binary: parse the command line, run the library, map outcomes to exit codes.

mod cli;
mod engine_cli;
mod output;

use clap::Parser;
use cli::{Cli, Command, ExplainArgs, RulesCommand, ScanArgs};
use mailtrace::rules::{RuleError, RuleSet};
use mailtrace::scan::{scan, ScanOptions};
use mailtrace::source::Input;
use mailtrace::Limits;
use std::process::ExitCode;

const EXIT_FAILURE: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_TRACKING: u8 = 3;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Scan(args) => run_scan(args),
        Command::Explain(args) => run_explain(args),
        Command::Rules(command) => run_rules(command),
        Command::Engine(command) => engine_cli::run(command),
        Command::Eval(args) => engine_cli::eval(args),
    };
    ExitCode::from(code)
}

fn run_scan(args: ScanArgs) -> u8 {
    let mut inputs = Vec::new();
    for path in &args.paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        if let Err(err) = std::fs::metadata(path) {
            eprintln!("mailtrace: cannot read {}: {err}", path.display());
            return EXIT_USAGE;
        }
        inputs.push(Input::Path(path.clone()));
    }
    let Some(rules) = load_chosen_rules(&args.rules) else {
        return EXIT_USAGE;
    };
    let mut limits = Limits {
        max_message_bytes: args.max_message_size,
        ..Limits::default()
    };
    for (name, value) in &args.limits {
        if let Err(err) = limits.set(name, value) {
            eprintln!("mailtrace: {err}");
            return EXIT_USAGE;
        }
    }
    let options = ScanOptions {
        inputs,
        jobs: args.jobs,
        me: args.me.clone(),
        limits,
        mbox_format: args.mbox_format,
        // The writers stream messages as they are scanned (the summary table needs none):
        // memory does not grow with the archive.
        keep_messages: false,
        keep_clean_messages: args.all_messages,
        redact: args.redact,
    };
    let mut sink =
        match output::Sink::open(&args, &options.inputs, mailtrace::report::Tool::of(&rules)) {
            Ok(sink) => sink,
            Err(err) => {
                eprintln!("mailtrace: cannot write output: {err}");
                return EXIT_FAILURE;
            }
        };
    let report = match scan(&options, &rules, &mut sink) {
        Ok(report) => report,
        Err(err) if output::is_broken_pipe(&err) => return 0,
        Err(err) => {
            eprintln!("mailtrace: {err}");
            return EXIT_FAILURE;
        }
    };
    if let Err(err) = sink.finish(&report) {
        if err.kind() == std::io::ErrorKind::BrokenPipe {
            return 0;
        }
        eprintln!("mailtrace: cannot write output: {err}");
        return EXIT_FAILURE;
    }
    if !args.quiet {
        eprintln!("{}", output::closing_line(&report));
    }
    if args.fail_on_tracking && report.summary.tracked_messages > 0 {
        return EXIT_TRACKING;
    }
    0
}

fn run_explain(args: ExplainArgs) -> u8 {
    use mailtrace::detect::{techniques, Context};
    use mailtrace::explain;
    use mailtrace::source::{self, Item, SourceOptions};
    if args.list {
        print!("{}", explain::list_techniques());
        return 0;
    }
    if let Some(id) = &args.technique {
        return match techniques::find(id) {
            Some(technique) => {
                print!("{}", explain::explain_technique(technique));
                0
            }
            None => {
                eprintln!("mailtrace: no technique {id:?}; `mailtrace explain --list` lists them");
                EXIT_USAGE
            }
        };
    }
    let Some(path) = args.message else {
        return EXIT_USAGE;
    };
    if let Err(err) = std::fs::metadata(&path) {
        eprintln!("mailtrace: cannot read {}: {err}", path.display());
        return EXIT_USAGE;
    }
    let Some(rules) = load_chosen_rules(&args.rules) else {
        return EXIT_USAGE;
    };
    let me: Vec<String> = args.me.iter().map(|m| m.trim().to_owned()).collect();
    let context = Context {
        rules: &rules,
        me: &me,
        limits: mailtrace::Limits::default(),
    };
    for item in source::items(vec![Input::Path(path)], SourceOptions::default()) {
        match item {
            Item::Message(raw) => explain_each(&raw.bytes, &raw.locator, raw.read, &context, 0),
            Item::Error(error) => println!("== {}: {}", error.locator, error.error),
            Item::Skipped { .. } | Item::Opened => {}
        }
    }
    0
}

/// Explains a message, then the messages enclosed in it (as a scan reports them).
fn explain_each(
    bytes: &[u8],
    locator: &mailtrace::locator::Locator,
    read: Option<bool>,
    context: &mailtrace::detect::Context<'_>,
    depth: usize,
) {
    let Some(view) = mailtrace::MessageView::parse(bytes) else {
        println!("== {locator}: not a mail message");
        return;
    };
    println!("== {locator}");
    let read = mailtrace::read_flag::of(read, &view);
    let findings = mailtrace::detect::detect(&view, context);
    print!(
        "{}",
        mailtrace::explain::explain_message(&view, &findings, read)
    );
    if depth + 1 < mailtrace::scan::MAX_ENCLOSED_DEPTH {
        let enclosed = view.enclosed_messages().take(mailtrace::scan::MAX_ENCLOSED);
        for (part, enclosed) in enclosed {
            let locator = locator.enclosed(part);
            // An attached Outlook message is a compound file, rebuilt as MIME first.
            match mailtrace::source::msg::rebuild_if_outlook(&enclosed) {
                None => explain_each(&enclosed, &locator, read, context, depth + 1),
                Some(Ok(rebuilt)) => {
                    explain_each(&rebuilt.message, &locator, read, context, depth + 1)
                }
                Some(Err(error)) => println!("== {locator}: {error}"),
            }
        }
    }
}

fn run_rules(command: RulesCommand) -> u8 {
    match command {
        RulesCommand::List { rules } => {
            let Some(set) = load_rules(rules.as_deref(), true) else {
                return EXIT_USAGE;
            };
            match output::write_rule_list(&set, &mut std::io::stdout().lock()) {
                Ok(()) => 0,
                Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => 0,
                Err(err) => {
                    eprintln!("mailtrace: cannot write output: {err}");
                    EXIT_FAILURE
                }
            }
        }
        RulesCommand::Test { dir } => {
            let set = match &dir {
                Some(dir) => RuleSet::from_dir(dir),
                None => RuleSet::builtin(),
            };
            let errors = match set {
                Ok(set) => {
                    let errors = set.check_examples();
                    if errors.is_empty() {
                        println!(
                            "{} rules, {} vendors: all examples behave",
                            set.len(),
                            set.vendors().len()
                        );
                        return 0;
                    }
                    errors
                }
                Err(errors) => errors,
            };
            print_rule_errors(&errors);
            EXIT_USAGE
        }
    }
}

/// The rules a command's `--rules` and `--no-builtin-rules` ask for; `None` (after saying why)
/// when they do not load.
pub(crate) fn load_chosen_rules(choice: &cli::RuleChoice) -> Option<RuleSet> {
    load_rules(choice.extra.as_deref(), !choice.no_builtin_rules)
}

/// The built-in rules (unless `builtin` is false) plus an optional folder; `None` (after saying
/// why) when they do not load.
fn load_rules(extra: Option<&std::path::Path>, builtin: bool) -> Option<RuleSet> {
    let loaded = match (extra, builtin) {
        (Some(dir), true) => RuleSet::builtin_with_dir(dir),
        (None, true) => RuleSet::builtin(),
        (Some(dir), false) => RuleSet::from_dir(dir),
        (None, false) => RuleSet::from_sources(&[]),
    };
    loaded.map_err(|errors| print_rule_errors(&errors)).ok()
}

fn print_rule_errors(errors: &[RuleError]) {
    for error in errors {
        eprintln!("mailtrace: rule error: {error}");
    }
}

/// jemalloc serves the scan's many small, short-lived allocations in fewer instructions than
/// the system allocator (see Cargo.toml).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
