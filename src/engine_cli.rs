//! The `engine` and `eval` commands: turn arguments into the engine's options and print its
//! results. The work itself is in the library (`mailtrace::engine`).

use crate::cli::{CampaignFormat, EngineCommand, EvalArgs};
use mailtrace::engine::{self, EngineError};
use mailtrace::rules::RuleSet;

const EXIT_FAILURE: u8 = 1;
const EXIT_USAGE: u8 = 2;

pub fn run(command: EngineCommand) -> u8 {
    let result = match command {
        EngineCommand::Campaign(args) => campaign(args),
        EngineCommand::Serve(args) => serve(args),
        EngineCommand::Report(args) => report(args),
        EngineCommand::IngestMdn(args) => ingest(args),
    };
    finish(result)
}

fn finish(result: Result<(), EngineError>) -> u8 {
    match result {
        Ok(()) => 0,
        Err(err @ EngineError::Invalid(_)) => {
            eprintln!("mailtrace: {err}");
            EXIT_USAGE
        }
        Err(err) => {
            eprintln!("mailtrace: {err}");
            EXIT_FAILURE
        }
    }
}

fn read(path: &std::path::Path) -> Result<String, EngineError> {
    std::fs::read_to_string(path).map_err(|e| EngineError::io(path, e))
}

fn campaign(args: crate::cli::CampaignArgs) -> Result<(), EngineError> {
    use engine::campaign::{generate, parse_recipients, CampaignOptions, Format};
    use engine::technique::{self, Receipt};
    let style = engine::style::Style::parse(&args.style).ok_or_else(|| {
        EngineError::Invalid(format!(
            "unknown style {:?}; known: mailtrace, sendgrid, mailchimp, mailgun, ses, sfmc, sparkpost",
            args.style
        ))
    })?;
    let mut receipts = Vec::new();
    for name in &args.receipts {
        receipts.push(Receipt::parse(name).ok_or_else(|| {
            EngineError::Invalid(format!("unknown receipt {name:?}; known: dnt, rrt, xcrt"))
        })?);
    }
    let techniques: Vec<String> = if args.techniques.is_empty() {
        vec!["tiny_image_attr".into(), "click_redirect".into()]
    } else if args.techniques.iter().any(|t| t == "all") {
        technique::all_ids().iter().map(|s| s.to_string()).collect()
    } else {
        args.techniques.clone()
    };
    let options = CampaignOptions {
        name: args
            .template
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "campaign".into()),
        template: read(&args.template)?,
        recipients: parse_recipients(&read(&args.recipients)?)?,
        from: args.from.clone(),
        subject: args.subject.clone(),
        techniques,
        style,
        receipts,
        dsn: args.dsn,
        leak: args.leak.clone(),
        decorate: args.decorate,
        clean: args.clean,
        format: match args.format {
            CampaignFormat::Eml => Format::Eml,
            CampaignFormat::Mbox => Format::Mbox,
        },
        base_url: args.base_url.clone(),
        sent_unix: engine::store::now_ms() / 1000,
    };
    let manifest = generate(&options, &args.output)?;
    if let Some(db) = &args.db {
        engine::store::Store::open(db)?.register(&manifest)?;
    }
    eprintln!(
        "mailtrace: campaign {} — {} messages in {}{}",
        manifest.campaign.id,
        manifest.messages.len(),
        args.output.display(),
        if style.reaches_server() {
            String::new()
        } else {
            format!(
                " ({} URLs use the vendor's own hosts: the local server never sees them)",
                style.id()
            )
        }
    );
    Ok(())
}

fn serve(args: crate::cli::ServeArgs) -> Result<(), EngineError> {
    let store = engine::store::Store::open(&args.db)?;
    for path in &args.campaigns {
        store.register(&engine::manifest::Manifest::read(path)?)?;
    }
    let server = engine::server::Server::bind(&args.listen, store)?;
    eprintln!(
        "mailtrace: tracking server on http://{} (events in {})",
        server.local_addr(),
        args.db.display()
    );
    let json = args.json;
    server.run(&mut |event| {
        use std::io::Write;
        let line = if json {
            serde_json::to_string(event).unwrap_or_default()
        } else {
            engine::server::human_line(event)
        };
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    })
}

fn report(args: crate::cli::EngineReportArgs) -> Result<(), EngineError> {
    let store = engine::store::Store::open_existing(&args.db)?;
    let metrics = engine::metrics::compute(&store.events()?, &store.campaigns()?);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&metrics)?);
    } else {
        print!("{}", engine::metrics::table(&metrics));
    }
    Ok(())
}

fn ingest(args: crate::cli::IngestMdnArgs) -> Result<(), EngineError> {
    let store = engine::store::Store::open_existing(&args.db)?;
    let rules = RuleSet::builtin()
        .map_err(|_| EngineError::Invalid("the built-in rules do not compile".into()))?;
    let outcome = engine::ingest::ingest_mdns(&store, &args.mailbox, &rules)?;
    eprintln!(
        "mailtrace: {} read receipts recorded, {} reports for messages this store does not know",
        outcome.recorded, outcome.unknown
    );
    Ok(())
}

pub fn eval(args: EvalArgs) -> u8 {
    let Some(rules) = crate::load_chosen_rules(&args.rules) else {
        return EXIT_USAGE;
    };
    if let (Some(labels), Some(dir)) = (&args.labels, &args.dir) {
        return finish(
            engine::labels::score(&rules, labels, dir).and_then(|scores| {
                if args.json {
                    println!("{}", serde_json::to_string_pretty(&scores)?);
                } else {
                    print!("{}", engine::labels::table(&scores));
                }
                Ok(())
            }),
        );
    }
    let (workdir, temporary) = match &args.keep {
        Some(dir) => (dir.clone(), false),
        None => match engine::eval::temp_dir() {
            Ok(dir) => (dir, true),
            Err(err) => return finish(Err(err)),
        },
    };
    let result = engine::eval::run(&rules, &workdir);
    if temporary {
        let _ = std::fs::remove_dir_all(&workdir);
    }
    finish(result.and_then(|report| {
        if args.json {
            println!("{}", serde_json::to_string_pretty(&report)?);
        } else {
            print!("{}", engine::eval::table(&report));
        }
        Ok(())
    }))
}
