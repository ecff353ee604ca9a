//! The command line as a user meets it: exit codes, formats, stdin, progress kept off pipes.

use crate::common::*;
use mailtrace::report::{MessageReport, Report};

#[test]
fn an_unreadable_path_is_a_usage_error() {
    let output = mailtrace(&["scan", "/nonexistent/mailbox.mbox"], None);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent/mailbox.mbox"));
    assert!(output.stdout.is_empty());
}

#[test]
fn bad_flags_are_usage_errors() {
    assert_eq!(mailtrace(&["scan"], None).status.code(), Some(2));
    assert_eq!(
        mailtrace(&["scan", "--format", "xml", "x"], None)
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn fail_on_tracking_sets_its_own_exit_code() {
    let tracked = mailtrace(
        &[
            "scan",
            "--quiet",
            "--fail-on-tracking",
            &fixture_arg("headers/read-receipt-dnt.eml"),
        ],
        None,
    );
    assert_eq!(tracked.status.code(), Some(3));
    let clean = mailtrace(
        &[
            "scan",
            "--quiet",
            "--fail-on-tracking",
            &fixture_arg("headers/plain-personal.eml"),
        ],
        None,
    );
    assert_eq!(clean.status.code(), Some(0));
}

#[test]
fn an_mbox_on_standard_input_is_scanned_with_offsets() {
    let bytes = std::fs::read(fixture("formats/odd-dates.mbox")).unwrap();
    let output = mailtrace(&["scan", "--quiet", "--all-messages", "-"], Some(&bytes));
    assert!(output.status.success());
    let report: Report = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report.scanned.messages, 5);
    assert_eq!(report.messages[0].locator.path, "-");
    assert_eq!(report.messages[1].locator.offset, Some(340));
}

#[test]
fn a_single_message_on_standard_input_is_scanned() {
    let bytes = std::fs::read(fixture("headers/read-receipt-dnt.eml")).unwrap();
    let output = mailtrace(&["scan", "--quiet", "-"], Some(&bytes));
    let report: Report = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report.summary.kinds[&mailtrace::Kind::ReadReceipt], 1);
}

#[test]
fn a_gzipped_tar_on_standard_input_is_read_member_by_member() {
    let bytes = std::fs::read(fixture("formats/archives/maildir.tar.gz")).unwrap();
    let output = mailtrace(&["scan", "--quiet", "--all-messages", "-"], Some(&bytes));
    assert!(output.status.success());
    let report: Report = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report.scanned.messages, 3, "{:?}", report.errors);
    for message in &report.messages {
        assert_eq!(message.locator.path, "-");
        assert!(message
            .locator
            .entry
            .as_deref()
            .unwrap()
            .starts_with("Maildir/"));
    }
}

#[test]
fn a_zip_on_standard_input_is_an_error_that_says_to_name_the_file() {
    let bytes = std::fs::read(fixture("formats/archives/takeout.zip")).unwrap();
    let output = mailtrace(&["scan", "--quiet", "-"], Some(&bytes));
    assert!(output.status.success());
    let report: Report = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report.errors.len(), 1);
    assert!(report.errors[0].error.contains("name the file"));
}

#[test]
fn the_summary_table_names_the_senders_that_track() {
    let output = mailtrace(
        &[
            "scan",
            "--quiet",
            "--format",
            "summary",
            &fixture_arg("headers"),
        ],
        None,
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("sales@vendor.example"), "{text}");
    assert!(text.contains("billing@vendor.example"));
    assert!(
        !text.contains("friend@example.net"),
        "clean senders are not listed"
    );
}

#[test]
fn the_report_counts_tracked_mail_year_by_year() {
    let report = scan_all(&[fixture("demo.mbox"), fixture("formats/odd-dates.mbox")]);
    let years = &report.summary.years;
    // odd-dates.mbox holds one message each from 1996 and 2011; the demo is all 2024.
    assert_eq!(years["1996"].messages, 1);
    assert_eq!(years["2011"].messages, 1);
    assert_eq!(
        years["2024"].tracked_messages,
        report.summary.tracked_messages
    );
    let dated = report.messages.iter().filter(|m| m.date.is_some()).count() as u64;
    assert_eq!(years.values().map(|y| y.messages).sum::<u64>(), dated);

    let demo = fixture_arg("demo.mbox");
    let output = mailtrace(&["scan", "-q", "--format", "summary", &demo], None);
    let text = String::from_utf8(output.stdout).unwrap();
    let row = text.lines().find(|line| line.starts_with("2024 ")).unwrap();
    let demo_only = &scan_all(&[fixture("demo.mbox")]).summary.years["2024"];
    let share = 100 * demo_only.tracked_messages / demo_only.messages;
    assert!(row.ends_with(&format!(" {share}%")), "{row}");
}

#[test]
fn the_summary_ranks_the_companies_behind_the_tracking() {
    let demo = fixture_arg("demo.mbox");
    let output = mailtrace(&["scan", "-q", "--format", "summary", &demo], None);
    let text = String::from_utf8(output.stdout).unwrap();
    let report = scan_with(&[fixture("demo.mbox")], |_| {});
    let table: Vec<&str> = text
        .lines()
        .skip_while(|line| !line.starts_with("vendor "))
        .skip(1)
        .take_while(|line| !line.is_empty())
        .collect();
    assert_eq!(table.len(), report.summary.vendors.len(), "{text}");
    // Most messages first, each with its count of messages and of senders.
    let top = report.summary.vendors.values().max().unwrap();
    let first: Vec<&str> = table[0].split_whitespace().collect();
    assert_eq!(first[first.len() - 2], top.to_string(), "{text}");
    let mailchimp = table
        .iter()
        .find(|line| line.starts_with("Mailchimp"))
        .unwrap();
    let senders = report
        .senders
        .iter()
        .filter(|s| s.vendors.contains_key("Mailchimp"))
        .count();
    assert!(mailchimp.ends_with(&format!(" {senders}")), "{mailchimp}");
}

#[test]
fn output_goes_to_a_file_and_a_closing_line_to_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    let output = mailtrace(
        &[
            "scan",
            "-o",
            out.to_str().unwrap(),
            &fixture_arg("formats/crlf.mbox"),
        ],
        None,
    );
    assert!(output.status.success());
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("3 messages"), "{stderr}");
    assert!(
        !stderr.contains('\r'),
        "no progress bar drawn when stderr is not a terminal"
    );
    let report: Report = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(report.scanned.messages, 3);
}

#[test]
fn quiet_keeps_stderr_empty() {
    let output = mailtrace(
        &["scan", "--quiet", &fixture_arg("formats/crlf.mbox")],
        None,
    );
    assert!(output.stderr.is_empty());
}

/// A rule folder with one rule: the `X-Mozilla-Status` header names "House Mailer" (every
/// message of `formats/thunderbird` has it).
fn house_rule_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("house.toml"),
        r#"[[rule]]
id = "house-mailer/header"
vendor = "House Mailer"
category = "esp"
kind = "esp_header"
headers = ["X-Mozilla-Status"]
examples.match = ["X-Mozilla-Status: 0001"]
examples.no_match = ["X-Mailer: Thunderbird"]
"#,
    )
    .unwrap();
    dir
}

#[test]
fn extra_rules_from_a_folder_name_a_new_vendor() {
    let dir = house_rule_folder();
    let rules = dir.path().to_str().unwrap();
    let output = mailtrace(
        &[
            "scan",
            "--quiet",
            "--rules",
            rules,
            &fixture_arg("formats/thunderbird"),
        ],
        None,
    );
    let report: Report = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report.summary.vendors.get("House Mailer"), Some(&4));

    std::fs::write(
        dir.path().join("broken.toml"),
        "[[rule]]\nid = \"Bad Id\"\n",
    )
    .unwrap();
    let output = mailtrace(
        &["scan", "--rules", rules, &fixture_arg("formats/crlf.mbox")],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("broken.toml:"));
}

#[test]
fn without_the_built_in_rules_the_heuristics_still_find_tracking_but_name_no_vendor() {
    let scan = |extra: &[&str]| -> Report {
        let mut args = vec!["scan", "--quiet"];
        args.extend_from_slice(extra);
        let demo = fixture_arg("demo.mbox");
        args.push(&demo);
        let output = mailtrace(&args, None);
        assert!(output.status.success());
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let full = scan(&[]);
    let bare = scan(&["--no-builtin-rules"]);
    assert!(!full.summary.vendors.is_empty());
    assert!(
        bare.summary.vendors.is_empty(),
        "{:?}",
        bare.summary.vendors
    );
    let pixels = |report: &Report| {
        report
            .summary
            .kinds
            .get(&mailtrace::finding::Kind::Pixel)
            .copied()
    };
    assert!(pixels(&bare).is_some_and(|n| n > 0));
    assert!(bare.summary.tracked_messages > 0);
    assert!(bare.summary.tracked_messages <= full.summary.tracked_messages);

    // A folder given with --rules still counts.
    let dir = house_rule_folder();
    let rules = dir.path().to_str().unwrap();
    let output = mailtrace(
        &[
            "scan",
            "--quiet",
            "--no-builtin-rules",
            "--rules",
            rules,
            &fixture_arg("formats/thunderbird"),
        ],
        None,
    );
    let report: Report = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        report.summary.vendors.keys().collect::<Vec<_>>(),
        ["House Mailer"]
    );
}

#[test]
fn rules_test_validates_the_built_in_set() {
    let output = mailtrace(&["rules", "test"], None);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("all examples behave"));
}

#[test]
fn explain_shows_each_finding_with_its_html() {
    let output = mailtrace(&["explain", &fixture_arg("formats/single.eml")], None);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("pixel / known_open_endpoint"), "{text}");
    assert!(
        text.contains("html:  …"),
        "the HTML around the beacon is shown: {text}"
    );
    assert!(text.contains("why:"));
}

#[test]
fn explain_names_each_message_of_an_archive_by_archive_member_and_offset() {
    let archive = fixture_arg("formats/archives/takeout.zip");
    let output = mailtrace(&["explain", &archive], None);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let member = format!("== {archive}!Takeout/Mail/All mail Including Spam and Trash.mbox@");
    assert_eq!(text.matches(&member).count(), 2, "{text}");
    assert!(text.contains("pixel / tiny_image"), "{text}");
}

#[test]
fn explain_shows_the_ancestor_that_hides_a_pixel() {
    let output = mailtrace(
        &[
            "explain",
            &fixture_arg("techniques/pixel-hidden-ancestor-display-none.eml"),
        ],
        None,
    );
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let pixel = text
        .split("\n\n")
        .find(|block| block.contains("pixel / hidden_image"))
        .unwrap_or_else(|| panic!("a hidden pixel is explained: {text}"));
    let tree = pixel
        .lines()
        .find_map(|line| line.trim().strip_prefix("tree:"))
        .unwrap_or_else(|| panic!("its place in the tree is shown: {pixel}"));
    assert!(tree.trim().starts_with("html > body"), "{tree}");
    assert!(tree.trim().ends_with("> img"), "{tree}");
    assert!(tree.contains(r#"div[style="display:none"]"#), "{tree}");
}

#[test]
fn explain_documents_techniques_and_rejects_unknown_ones() {
    let output = mailtrace(&["explain", "--technique", "hidden_image"], None);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("What it detects:") && text.contains("display:none"),
        "{text}"
    );
    let list = String::from_utf8(mailtrace(&["explain", "--list"], None).stdout).unwrap();
    assert!(list.lines().count() >= 30);
    assert_eq!(
        mailtrace(&["explain", "--technique", "telepathy"], None)
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn rules_list_counts_rules_vendors_and_parameters() {
    let output = mailtrace(&["rules", "list"], None);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let first = text.lines().next().unwrap();
    assert!(
        first.contains(" rules, ")
            && first.contains(" vendors, ")
            && first.contains("decoration parameters"),
        "{first}"
    );
    assert!(text.contains("\n  Mailgun\t"), "one line per vendor");
}

#[test]
fn rules_test_names_the_file_and_line_of_a_misbehaving_example() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("shop.toml"),
        "[[rule]]\nid = \"shop/open\"\nvendor = \"Shop\"\ncategory = \"esp\"\nkind = \"pixel\"\n\
hosts = [\"t.shop.example\"]\npath = '^/o/'\nexamples.match = [\"https://t.shop.example/c/1\"]\n\
examples.no_match = [\"https://www.shop.example/\"]\n",
    )
    .unwrap();
    let output = mailtrace(&["rules", "test", dir.path().to_str().unwrap()], None);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("shop.toml:2") && stderr.contains("should match"),
        "{stderr}"
    );
}

#[test]
fn redacted_reports_name_no_reader_address_token_or_hash() {
    let inputs = [fixture_arg("techniques"), fixture_arg("demo.mbox")];
    let plain = mailtrace(&["scan", "--quiet", &inputs[0], &inputs[1]], None);
    let redacted = mailtrace(
        &["scan", "--quiet", "--redact", &inputs[0], &inputs[1]],
        None,
    );
    let plain = String::from_utf8(plain.stdout).unwrap();
    let redacted = String::from_utf8(redacted.stdout).unwrap();
    assert!(
        plain.contains("reader@example.org"),
        "the fixtures do leak the reader's address"
    );
    assert!(!redacted.to_lowercase().contains("reader@example.org"));
    assert!(!redacted.to_lowercase().contains("reader%40example.org"));
    assert!(redacted.contains("<reader-1>") && redacted.contains("<token-"));
    // The same report otherwise: same messages, same findings.
    let count = |text: &str| text.matches("\"kind\":").count();
    assert_eq!(count(&plain), count(&redacted));
    serde_json::from_str::<mailtrace::report::Report>(&redacted).expect("still a valid report");
}

/// JSON and JSONL list the same messages: those with findings or warnings, and with
/// `--all-messages` the clean ones too, in archive order; the totals count them all.
#[test]
fn both_formats_list_clean_messages_only_when_asked() {
    // The messages each format lists, by location.
    let listed = |extra: &[&str]| -> (Vec<MessageReport>, Vec<String>) {
        let demo = fixture_arg("demo.mbox");
        let mut args = vec!["scan", "--quiet", demo.as_str()];
        args.extend_from_slice(extra);
        let json = mailtrace(&args, None);
        assert!(json.status.success());
        let report: Report = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(report.scanned.messages, 41);

        args.extend_from_slice(&["--format", "jsonl"]);
        let jsonl = mailtrace(&args, None);
        assert!(jsonl.status.success());
        let from_jsonl = String::from_utf8(jsonl.stdout)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
            .filter(|line| line["type"] == "message")
            .map(|line| {
                let message: MessageReport = serde_json::from_value(line).unwrap();
                message.locator.to_string()
            })
            .collect();
        (report.messages, from_jsonl)
    };
    let locators = |messages: &[MessageReport]| -> Vec<String> {
        messages.iter().map(|m| m.locator.to_string()).collect()
    };
    let (all, all_jsonl) = listed(&["--all-messages"]);
    assert_eq!(all.len(), 41);
    assert_eq!(locators(&all), all_jsonl);
    let noteworthy: Vec<MessageReport> = all
        .into_iter()
        .filter(|m| !m.findings.is_empty() || !m.warnings.is_empty())
        .collect();
    assert!(noteworthy.len() < 41, "the demo holds clean messages");

    let (some, some_jsonl) = listed(&[]);
    assert_eq!(some, noteworthy);
    assert_eq!(locators(&some), some_jsonl);
}

#[test]
fn me_names_the_reader_as_spelled_and_the_report_names_the_address_lower_cased() {
    // A message to a list: only --me names the reader. The pixel carries the md5 of the
    // address as the reader spells it, which is not the md5 of the lower-cased address.
    let message = b"From: news@shop.example\nTo: members@list.example\nSubject: s\n\
        MIME-Version: 1.0\nContent-Type: text/html\n\n\
        <img src=\"https://t.example/o.gif?h=27eadd1922f5f153da2fb97a8fe352e1\">\n";
    let leaks_with = |me: &[&str]| -> Vec<(String, String)> {
        let mut args = vec!["scan", "--quiet"];
        for address in me {
            args.extend(["--me", address]);
        }
        args.push("-");
        let output = mailtrace(&args, Some(message));
        assert!(output.status.success());
        let report: Report = serde_json::from_slice(&output.stdout).unwrap();
        report
            .messages
            .iter()
            .flat_map(|m| &m.findings)
            .filter(|f| f.details.contains_key("encoding"))
            .map(|f| (f.details["encoding"].clone(), f.details["address"].clone()))
            .collect()
    };
    let expected = vec![("md5".to_owned(), "reader@example.org".to_owned())];
    assert_eq!(leaks_with(&["Reader@Example.org"]), expected);
    assert_eq!(
        leaks_with(&[" Reader@Example.org ", "reader@example.org"]),
        expected
    );
    assert!(leaks_with(&["reader@example.org"]).is_empty());
    assert!(leaks_with(&[]).is_empty());
}
