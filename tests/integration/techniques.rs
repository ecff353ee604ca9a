//! One fixture per tracking technique and per trap (fixtures/techniques/), and clean controls
//! that must not be reported as tracking (fixtures/clean/). The fixtures are written by
//! scripts/make_technique_fixtures.py; its README tables say what each one shows.

use crate::common::*;
use mailtrace::report::MessageReport;
use mailtrace::{Confidence, Finding, Kind};

/// The kinds that say the sender watches the reader (besides receipts, which no fixture here
/// requests).
const TRACKING: [Kind; 4] = [
    Kind::Pixel,
    Kind::ClickTracking,
    Kind::LinkDecoration,
    Kind::AddressLeak,
];

fn technique(name: &str) -> MessageReport {
    scan_one(&format!("techniques/{name}"))
}

fn clean(name: &str) -> MessageReport {
    scan_one(&format!("clean/{name}"))
}

fn listing(message: &MessageReport) -> String {
    message
        .findings
        .iter()
        .map(|f| {
            format!(
                "  {} {} {}",
                f.kind,
                f.technique,
                f.url.as_deref().or(f.header.as_deref()).unwrap_or("-")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The finding of this kind and technique about this URL (as the message writes it).
#[track_caller]
fn assert_has<'m>(
    message: &'m MessageReport,
    kind: Kind,
    technique: &str,
    url: &str,
) -> &'m Finding {
    message
        .findings
        .iter()
        .find(|f| f.kind == kind && f.technique == technique && f.url.as_deref() == Some(url))
        .unwrap_or_else(|| {
            panic!(
                "expected {kind} {technique} {url}, found:\n{}",
                listing(message)
            )
        })
}

/// No finding of any of these kinds.
#[track_caller]
fn assert_none(message: &MessageReport, kinds: &[Kind]) {
    let found: Vec<&Finding> = message
        .findings
        .iter()
        .filter(|f| kinds.contains(&f.kind))
        .collect();
    assert!(
        found.is_empty(),
        "expected no {kinds:?}, found:\n{}",
        listing(message)
    );
}

/// Exactly one finding of this kind, and it is about this URL.
#[track_caller]
fn assert_only<'m>(
    message: &'m MessageReport,
    kind: Kind,
    technique: &str,
    url: &str,
) -> &'m Finding {
    let of_kind = message.findings.iter().filter(|f| f.kind == kind).count();
    assert_eq!(
        of_kind,
        1,
        "expected one {kind} finding, found:\n{}",
        listing(message)
    );
    assert_has(message, kind, technique, url)
}

// --------------------------------------------------------------------------- pixels

#[test]
fn a_one_by_one_image_by_attributes_is_a_tiny_image_pixel() {
    let message = technique("pixel-tiny-attributes.eml");
    let pixel = assert_only(
        &message,
        Kind::Pixel,
        "tiny_image",
        "https://img.mailrelay.example/i/mq1zsxZnekaeroA9BqqlcKND.gif",
    );
    assert_eq!(pixel.confidence, Confidence::High);
    assert_eq!(pixel.third_party, Some(true));
    assert!(pixel.evidence.contains("1×1"), "{}", pixel.evidence);
}

#[test]
fn an_image_sized_in_css_points_is_a_tiny_image_pixel() {
    let message = technique("pixel-tiny-css-pt-units.eml");
    let pixel = assert_only(
        &message,
        Kind::Pixel,
        "tiny_image",
        "https://img.mailrelay.example/i/7FFgK0nJxluBEFGlRdAs9U3q.png",
    );
    assert!(pixel.evidence.contains("1×1"), "{}", pixel.evidence);
}

#[test]
fn an_image_inside_a_display_none_ancestor_is_a_hidden_image_pixel() {
    let message = technique("pixel-hidden-ancestor-display-none.eml");
    let pixel = assert_only(
        &message,
        Kind::Pixel,
        "hidden_image",
        "https://stats.mailrelay.example/img/iKDVmJerU1v2IgBDAvD9bG.png",
    );
    assert!(
        pixel.evidence.contains("display:none"),
        "{}",
        pixel.evidence
    );
}

#[test]
fn an_image_with_opacity_zero_is_a_hidden_image_pixel() {
    let message = technique("pixel-hidden-opacity.eml");
    let pixel = assert_only(
        &message,
        Kind::Pixel,
        "hidden_image",
        "https://stats.mailrelay.example/img/GVoHph16AKMkGZHyRlwxCv.png",
    );
    assert!(pixel.evidence.contains("opacity:0"), "{}", pixel.evidence);
}

#[test]
fn an_image_positioned_off_screen_is_a_hidden_image_pixel() {
    let message = technique("pixel-offscreen.eml");
    let pixel = assert_only(
        &message,
        Kind::Pixel,
        "hidden_image",
        "https://stats.mailrelay.example/img/EwBgHjAJbluUYYUfh0MxHi.png",
    );
    assert!(pixel.evidence.contains("off-screen"), "{}", pixel.evidence);
}

#[test]
fn an_image_hidden_by_a_class_rule_in_a_style_block_is_a_hidden_image_pixel() {
    let message = technique("pixel-hidden-by-class.eml");
    let pixel = assert_only(
        &message,
        Kind::Pixel,
        "hidden_image",
        "https://stats.mailrelay.example/img/BtSyuYH0TSST3fuFWObBNZ.png",
    );
    assert!(
        pixel.evidence.contains("display:none"),
        "{}",
        pixel.evidence
    );
}

#[test]
fn an_image_scaled_to_nothing_is_a_hidden_image_pixel() {
    let message = technique("pixel-scaled-to-nothing.eml");
    let pixel = assert_only(
        &message,
        Kind::Pixel,
        "hidden_image",
        "https://stats.mailrelay.example/img/cEbz9EQUrdi5RkuyPX2inq.png",
    );
    assert!(pixel.evidence.contains("scale(0)"), "{}", pixel.evidence);
}

#[test]
fn a_known_open_endpoint_is_a_pixel_whatever_size_it_declares() {
    let message = technique("pixel-known-endpoint-large-declared-size.eml");
    let pixel = assert_only(
        &message,
        Kind::Pixel,
        "known_open_endpoint",
        "https://fernhill.us12.list-manage.com/track/open.php?u=a5f4110250ad8b2d1905b5b67&id=0f3cc9eef5&e=28104beeb4",
    );
    assert_eq!(pixel.vendor.as_deref(), Some("Mailchimp"));
    assert_eq!(pixel.rule.as_deref(), Some("mailchimp/open-pixel"));
    assert_eq!(pixel.confidence, Confidence::High);
    assert!(pixel.evidence.contains("600×300"), "{}", pixel.evidence);
}

#[test]
fn an_image_whose_path_says_email_open_is_an_open_tracking_url() {
    let message = technique("pixel-open-tracking-url.eml");
    let pixel = assert_only(
        &message,
        Kind::Pixel,
        "open_tracking_url",
        "https://www.fernhill.example/_tracking/email_open.gif?cid=155075&sid=867",
    );
    assert_eq!(pixel.third_party, Some(false), "on the sender's own domain");
}

#[test]
fn a_full_size_image_with_a_query_token_on_the_tracked_link_host_is_per_recipient() {
    let message = technique("pixel-per-recipient-query-token.eml");
    assert_only(
        &message,
        Kind::Pixel,
        "per_recipient_image",
        "https://mta.mailrelay.example/img/spring-hero.jpg?rcpt=143aHPl3l0GYZyYyBpsN0BU7",
    );
    let links = assert_has(
        &message,
        Kind::ClickTracking,
        "link_token",
        "https://mta.mailrelay.example/c/tzGzsyfdEFC59goTTJsUptA72y3q",
    );
    assert_eq!(links.details["links"], "2");
}

#[test]
fn an_image_carrying_the_readers_address_is_per_recipient_and_a_plain_leak() {
    let message = technique("pixel-address-in-query.eml");
    let url =
        "https://banners.mailrelay.example/b/summer-sale.png?email=reader@example.org&c=72755";
    let pixel = assert_only(&message, Kind::Pixel, "per_recipient_image", url);
    assert_eq!(pixel.confidence, Confidence::High);
    let leak = assert_only(&message, Kind::AddressLeak, "plain_address", url);
    assert_eq!(leak.details["encoding"], "plain");
}

#[test]
fn a_style_block_background_with_a_token_is_a_pixel() {
    let message = technique("pixel-css-background.eml");
    let pixel = assert_only(
        &message,
        Kind::Pixel,
        "per_recipient_image",
        "https://trk.mailrelay.example/o/BauLhK4jhGLdakfPkEvV0BbqeS/bg.png",
    );
    assert!(pixel.location.contains("<style>"), "{}", pixel.location);
}

#[test]
fn vml_beacons_inside_outlook_conditional_comments_are_pixels() {
    let message = technique("pixel-vml-conditional-comment.eml");
    let fill = assert_has(
        &message,
        Kind::Pixel,
        "per_recipient_image",
        "https://trk.mailrelay.example/o/xcCA6ofTpRXJKipbvQf5NXYq2v/f.gif",
    );
    assert!(fill.location.contains("v:fill"), "{}", fill.location);
    assert!(
        fill.location.contains("Outlook conditional comment"),
        "{}",
        fill.location
    );
    let imagedata = assert_has(
        &message,
        Kind::Pixel,
        "per_recipient_image",
        "https://trk.mailrelay.example/o/suWOARzGlN6iYdxdOwwORiqSMs/d.gif",
    );
    assert!(
        imagedata.location.contains("v:imagedata"),
        "{}",
        imagedata.location
    );
}

#[test]
fn the_amp_part_is_read_and_its_one_by_one_amp_img_is_a_pixel() {
    let message = technique("pixel-amp-part.eml");
    let pixel = assert_only(
        &message,
        Kind::Pixel,
        "tiny_image",
        "https://trk.mailrelay.example/amp/o/3hKrnCqUZldo368Ut0FDvRs2D5",
    );
    assert!(pixel.location.contains("amp-img"), "{}", pixel.location);
}

#[test]
fn a_remote_image_inside_a_base64_svg_data_uri_is_a_pixel() {
    let message = technique("pixel-svg-data-uri.eml");
    let pixel = assert_only(
        &message,
        Kind::Pixel,
        "tiny_image",
        "https://trk.mailrelay.example/o/TZjn2wDPIwTR3Esm3KhVk0xy7Z.gif",
    );
    assert!(pixel.location.contains("data:"), "{}", pixel.location);
    assert!(
        !message
            .findings
            .iter()
            .any(|f| f.url.as_deref().is_some_and(|u| u.starts_with("data:"))),
        "the data: URL itself loads nothing"
    );
}

#[test]
fn an_image_inside_an_iframe_srcdoc_is_a_pixel() {
    let message = technique("pixel-srcdoc-iframe.eml");
    assert_only(
        &message,
        Kind::Pixel,
        "tiny_image",
        "https://trk.mailrelay.example/o/fCuSX4nS6HxaHZl9XmLxQvTVEi.gif",
    );
}

#[test]
fn a_pixel_split_by_quoted_printable_and_written_with_entities_is_decoded() {
    let message = technique("pixel-entity-and-qp-encoded.eml");
    assert_only(
        &message,
        Kind::Pixel,
        "tiny_image",
        "https://t.mailrelay.example/open?cid=895849&rid=0bBXVYoN1ZBJqunucquurwKH&sig=07cfb458c92db43f",
    );
}

#[test]
fn a_protocol_relative_pixel_is_found_as_written() {
    let message = technique("pixel-protocol-relative.eml");
    let pixel = assert_only(
        &message,
        Kind::Pixel,
        "tiny_image",
        "//img.mailrelay.example/i/KNkCr0jXUhbqmP4tv6cX9AcQ.gif",
    );
    assert_eq!(pixel.third_party, Some(true));
}

#[test]
fn a_relative_pixel_is_resolved_against_base_href() {
    let message = technique("pixel-base-href.eml");
    let pixels: Vec<&Finding> = message
        .findings
        .iter()
        .filter(|f| f.kind == Kind::Pixel)
        .collect();
    assert_eq!(pixels.len(), 1, "{}", listing(&message));
    assert_eq!(pixels[0].technique, "tiny_image");
    // Judged on the base's host (mail.mailrelay.example), not the sender's.
    assert_eq!(pixels[0].third_party, Some(true));
    assert_eq!(
        pixels[0].details["resolved"],
        "https://mail.mailrelay.example/r/o/MZpwX8KI0UGEcZjTyIM1u3KQ/1x1.gif",
        "the report says which URL is really requested"
    );
}

#[test]
fn a_pixel_whose_src_is_split_across_lines_is_still_a_tiny_image() {
    let message = technique("pixel-newline-split-src.eml");
    let pixels: Vec<&Finding> = message
        .findings
        .iter()
        .filter(|f| f.kind == Kind::Pixel)
        .collect();
    assert_eq!(pixels.len(), 1, "{}", listing(&message));
    assert_eq!(pixels[0].technique, "tiny_image");
    assert_eq!(pixels[0].third_party, Some(true));
    assert_eq!(
        pixels[0].url.as_deref(),
        Some("https://img.mailrelay.example/i/YNbwDqUUNPL5zp8tMDEgq2GIwYzlAt8c.gif"),
        "line breaks inside the URL are dropped, as browsers do"
    );
}

#[test]
fn a_third_party_spacer_with_numeric_ids_is_a_tiny_image_pixel() {
    let message = technique("pixel-third-party-spacer-numeric-ids.eml");
    let url = "https://img.mailrelay.example/spacer.gif?u=167279&m=2234";
    let pixel = assert_only(&message, Kind::Pixel, "tiny_image", url);
    assert_eq!(pixel.third_party, Some(true));
}

#[test]
fn the_senders_own_1x1_image_with_a_short_id_is_a_tiny_image_pixel() {
    let message = technique("pixel-first-party-short-id.eml");
    let url = "https://www.fernhill.example/o.gif?id=MQGnVZr321gq";
    let pixel = assert_only(&message, Kind::Pixel, "tiny_image", url);
    assert_eq!(pixel.third_party, Some(false), "the sender's own host");
}

#[test]
fn an_svg_1_xlink_href_inside_a_data_uri_is_a_pixel() {
    let message = technique("pixel-svg-data-uri-xlink-href.eml");
    assert_only(
        &message,
        Kind::Pixel,
        "tiny_image",
        "https://trk.mailrelay.example/o/pRTGK5huaBBy6dNQuocxleUyzy.gif",
    );
}

// --------------------------------------------------------------------------- other remote loads

#[test]
fn a_style_import_is_a_remote_stylesheet() {
    let message = technique("remote-stylesheet-import.eml");
    let found = assert_has(
        &message,
        Kind::RemoteResource,
        "stylesheet",
        "https://assets.mailrelay.example/css/fernhill-2024.css",
    );
    assert!(found.location.contains("@import"), "{}", found.location);
    assert_none(&message, &TRACKING);
}

#[test]
fn a_font_face_source_is_a_remote_web_font() {
    let message = technique("remote-font-face.eml");
    assert_has(
        &message,
        Kind::RemoteResource,
        "web_font",
        "https://fonts.typehouse.example/s/fernhill-serif/v3/fernhill-serif-regular.woff2",
    );
    assert_none(&message, &TRACKING);
}

#[test]
fn a_video_poster_and_source_are_remote_media() {
    let message = technique("remote-video-poster.eml");
    let poster = assert_has(
        &message,
        Kind::RemoteResource,
        "media",
        "https://media.fernhill.example/video/spring-tour-poster.jpg",
    );
    assert!(poster.location.contains("poster"), "{}", poster.location);
    assert_has(
        &message,
        Kind::RemoteResource,
        "media",
        "https://media.fernhill.example/video/spring-tour.mp4",
    );
    assert_none(&message, &TRACKING);
}

#[test]
fn dns_prefetch_and_prefetch_links_are_prefetch_hints() {
    let message = technique("remote-prefetch.eml");
    assert_has(
        &message,
        Kind::RemoteResource,
        "prefetch_hint",
        "//t.mailrelay.example",
    );
    let prefetch = assert_has(
        &message,
        Kind::RemoteResource,
        "prefetch_hint",
        "https://t.mailrelay.example/p/OIGccphqnuw5wjDYSt8MS7b9",
    );
    assert_eq!(
        prefetch.confidence,
        Confidence::Medium,
        "it carries a token"
    );
}

#[test]
fn a_meta_refresh_is_a_remote_load() {
    let message = technique("remote-meta-refresh.eml");
    assert_has(
        &message,
        Kind::RemoteResource,
        "meta_refresh",
        "https://go.mailrelay.example/r/QwNDmnkTF4DhwkaAD0PjPGu1",
    );
}

#[test]
fn an_iframe_source_is_a_remote_frame() {
    let message = technique("remote-iframe.eml");
    assert_has(
        &message,
        Kind::RemoteResource,
        "iframe",
        "https://widgets.mailrelay.example/countdown/qz3F5nENYBuinobyTDbj",
    );
}

#[test]
fn object_data_and_embed_source_are_embedded_objects() {
    let message = technique("remote-object-embed.eml");
    assert_has(
        &message,
        Kind::RemoteResource,
        "object_embed",
        "https://media.mailrelay.example/obj/seasonal-banner.svg",
    );
    assert_has(
        &message,
        Kind::RemoteResource,
        "object_embed",
        "https://media.mailrelay.example/obj/seasonal-strip.svg",
    );
    assert_none(&message, &TRACKING);
}

#[test]
fn a_full_size_third_party_content_image_is_a_remote_image_not_a_pixel() {
    let message = technique("remote-image-third-party.eml");
    let image = assert_has(
        &message,
        Kind::RemoteResource,
        "remote_image",
        "https://cdn.mailrelay.example/campaigns/2024/spring/hero-tulips.jpg",
    );
    assert_eq!(image.confidence, Confidence::Low);
    assert_eq!(image.third_party, Some(true));
    assert!(!message.is_tracked(), "{}", listing(&message));
}

#[test]
fn a_decorative_background_attribute_is_a_css_background_not_a_pixel() {
    let message = technique("remote-css-background-attribute.eml");
    assert_has(
        &message,
        Kind::RemoteResource,
        "css_background",
        "https://cdn.mailrelay.example/campaigns/2024/spring/leaf-pattern.jpg",
    );
    assert_none(&message, &TRACKING);
}

#[test]
fn an_amp_list_source_is_amp_data_loaded_on_open() {
    let message = technique("remote-amp-list.eml");
    let data = assert_has(
        &message,
        Kind::RemoteResource,
        "amp_data",
        "https://api.mailrelay.example/amp/stock/WNRcyQNfAJVmB1lMl4PXXfka.json",
    );
    assert!(data.location.contains("amp-list"), "{}", data.location);
}

#[test]
fn a_form_posting_to_a_per_recipient_url_is_a_form_action() {
    let message = technique("remote-form-action.eml");
    assert_has(
        &message,
        Kind::RemoteResource,
        "form_action",
        "https://survey.mailrelay.example/f/eaz9MIyhyKNS6r8JhdBMMGUO",
    );
    assert_none(&message, &[Kind::ClickTracking]);
}

// --------------------------------------------------------------------------- click tracking

#[test]
fn a_sendgrid_click_path_on_a_branded_host_is_a_known_redirector() {
    let message = technique("click-known-redirector.eml");
    let click = assert_only(
        &message,
        Kind::ClickTracking,
        "known_redirector",
        "https://links.fernhill.example/ls/click?upn=u001.JZUX5WwjIT8rFkvNOS0ZcqzbtykxtphQV7iWdKdY-2BP0DPJLNTK8zMsFHpTl-3D",
    );
    assert_eq!(click.vendor.as_deref(), Some("Twilio SendGrid"));
    assert_eq!(click.rule.as_deref(), Some("sendgrid/click"));
    assert_eq!(
        click.third_party,
        Some(false),
        "the sender's own link domain"
    );
    assert_eq!(click.details["links"], "2");
}

#[test]
fn a_base64_destination_in_the_query_is_a_wrapped_destination() {
    let message = technique("click-wrapped-base64.eml");
    let click = assert_only(
        &message,
        Kind::ClickTracking,
        "wrapped_destination",
        "https://click.mailrelay.example/r?id=4471&d=aHR0cHM6Ly93d3cuZmVybmhpbGwuZXhhbXBsZS9wcm9kdWN0cy9saW5lbi1rbmVlbGVy",
    );
    assert_eq!(
        click.details["destination"],
        "https://www.fernhill.example/products/linen-kneeler"
    );
    assert!(click.evidence.contains("base64"), "{}", click.evidence);
}

#[test]
fn a_percent_encoded_destination_in_the_query_is_a_wrapped_destination() {
    let message = technique("click-wrapped-percent.eml");
    let click = assert_only(
        &message,
        Kind::ClickTracking,
        "wrapped_destination",
        "https://click.mailrelay.example/redirect?url=https%3A%2F%2Fwww.fernhill.example%2Fsale%2Fspring&cid=20240405",
    );
    assert_eq!(
        click.details["destination"],
        "https://www.fernhill.example/sale/spring"
    );
}

#[test]
fn nested_redirectors_are_unwrapped_to_the_innermost_destination() {
    let message = technique("click-nested-wrap.eml");
    let click = assert_only(
        &message,
        Kind::ClickTracking,
        "wrapped_destination",
        "https://click.mailrelay.example/c?u=https%3A%2F%2Fads.adnetwork.example%2Fgo%3Fr%3DaHR0cHM6Ly93d3cuZmVybmhpbGwuZXhhbXBsZS90b29scy90cm93ZWw&s=8f2a",
    );
    assert_eq!(
        click.details["destination"],
        "https://www.fernhill.example/tools/trowel"
    );
}

#[test]
fn a_token_in_a_redirector_path_is_a_link_token() {
    let message = technique("click-link-token-path.eml");
    let click = assert_only(
        &message,
        Kind::ClickTracking,
        "link_token",
        "https://click.mailrelay.example/c/Djj3zSLK3EWG40TavFCO2U23NtmZ",
    );
    assert_eq!(click.confidence, Confidence::Medium);
    assert_eq!(click.details["links"], "2");
}

#[test]
fn a_ping_attribute_is_hyperlink_ping_click_tracking() {
    let message = technique("click-ping.eml");
    let ping = assert_only(
        &message,
        Kind::ClickTracking,
        "hyperlink_ping",
        "https://t.mailrelay.example/ping/awJw612rkXiUhPVYWjj4Ym7p",
    );
    assert_eq!(ping.third_party, Some(true));
    assert!(ping.location.contains("ping"), "{}", ping.location);
}

#[test]
fn redirector_links_in_a_text_only_message_are_click_tracking() {
    let message = technique("click-text-part-only.eml");
    let click = assert_only(
        &message,
        Kind::ClickTracking,
        "known_redirector",
        "https://u7716402.ct.sendgrid.net/ls/click?upn=u001.yhwmtaOZPNtd9dPwY22ouKxV6tKRxeKnmvsc2oEnNa6T-2BK1MeabQMsKfO-3D",
    );
    assert_eq!(click.vendor.as_deref(), Some("Twilio SendGrid"));
    assert!(click.location.contains("text/plain"), "{}", click.location);
    assert_eq!(click.details["links"], "3");
}

// --------------------------------------------------------------------------- link decoration

#[test]
fn utm_and_mailchimp_parameters_are_link_decoration_not_click_tracking() {
    let message = technique("decoration-utm-and-mc-eid.eml");
    let decoration = assert_only(
        &message,
        Kind::LinkDecoration,
        "tracking_parameters",
        "https://www.fernhill.example/seeds?utm_source=newsletter&utm_medium=email&utm_campaign=april-2024&mc_cid=e2f97bda91&mc_eid=41cc7a6554",
    );
    assert_eq!(
        decoration.details["params"],
        "mc_cid,mc_eid,utm_campaign,utm_medium,utm_source"
    );
    assert_eq!(decoration.details["links"], "2");
    assert_none(
        &message,
        &[Kind::ClickTracking, Kind::Pixel, Kind::AddressLeak],
    );
}

#[test]
fn utm_parameters_on_a_wrapped_destination_are_decoration_behind_the_redirector() {
    let message = technique("decoration-behind-redirector.eml");
    let url = "https://click.mailrelay.example/redirect?url=https%3A%2F%2Fwww.fernhill.example%2Fsale%3Futm_source%3Dnewsletter%26utm_medium%3Demail%26utm_campaign%3Dspring-sale&cid=20240405";
    let click = assert_only(&message, Kind::ClickTracking, "wrapped_destination", url);
    assert_eq!(
        click.details["destination"],
        "https://www.fernhill.example/sale?utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale"
    );
    let decoration = assert_only(&message, Kind::LinkDecoration, "tracking_parameters", url);
    assert_eq!(
        decoration.details["params"],
        "utm_source,utm_medium,utm_campaign"
    );
    assert_eq!(
        decoration.third_party,
        Some(false),
        "the destination is the sender's"
    );
    assert!(
        decoration.evidence.contains("www.fernhill.example"),
        "{}",
        decoration.evidence
    );
}

// --------------------------------------------------------------------------- address leaks

#[test]
fn the_readers_address_written_plainly_in_a_link_is_a_plain_leak() {
    let message = technique("leak-plain.eml");
    let leak = assert_only(
        &message,
        Kind::AddressLeak,
        "plain_address",
        "https://survey.mailrelay.example/s/garden-2024?email=reader@example.org&src=nl",
    );
    assert_eq!(leak.details["address"], "reader@example.org");
    assert_eq!(leak.third_party, Some(true));
}

#[test]
fn the_readers_address_in_base64_is_an_encoded_leak() {
    let message = technique("leak-base64.eml");
    let leak = assert_only(
        &message,
        Kind::AddressLeak,
        "encoded_address",
        "https://click.mailrelay.example/l?e=cmVhZGVyQGV4YW1wbGUub3Jn&l=42",
    );
    assert_eq!(leak.details["encoding"], "base64");
    assert_eq!(leak.details["matched"], "cmVhZGVyQGV4YW1wbGUub3Jn");
}

#[test]
fn an_upper_case_md5_of_the_readers_address_is_a_hashed_leak() {
    let message = technique("leak-md5-upper.eml");
    let url =
        "https://pixel.adnetwork.example/sync/B84DD9883FCD50E6C55048B17E5F3656/p.gif?pid=fernhill";
    let leak = assert_only(&message, Kind::AddressLeak, "hashed_address", url);
    assert_eq!(leak.details["encoding"], "md5");
    assert_only(&message, Kind::Pixel, "tiny_image", url);
}

#[test]
fn a_sha256_of_the_readers_address_is_a_hashed_leak() {
    let message = technique("leak-sha256.eml");
    let leak = assert_only(
        &message,
        Kind::AddressLeak,
        "hashed_address",
        "https://ads.adnetwork.example/match?uid=32a9c5afd14518dde375f5d361400d2f88d8a1cf099f57eeaf6ad15e6bfdd3b8&p=fernhill&dest=home",
    );
    assert_eq!(leak.details["encoding"], "sha256");
}

#[test]
fn the_readers_address_in_a_third_party_list_unsubscribe_url_is_a_leak() {
    let message = technique("leak-in-list-unsubscribe-third-party.eml");
    let leak = assert_only(
        &message,
        Kind::AddressLeak,
        "encoded_address",
        "https://unsub.mailrelay.example/u/821085?email=reader%40example.org&list=garden-news",
    );
    assert_eq!(leak.details["encoding"], "percent");
    assert_eq!(leak.location, "header List-Unsubscribe");
    assert_eq!(leak.third_party, Some(true));
    assert_none(&message, &[Kind::Pixel, Kind::ClickTracking]);
}

// --------------------------------------------------------------------------- security rewriters

#[test]
fn a_safe_links_wrapped_plain_link_is_not_click_tracking() {
    let message = technique("rewriter-safelinks.eml");
    // Safe Links writes the reader's address into its own `data=`: that is the reader's
    // gateway, not the sender, so it is no leak either.
    assert_none(&message, &TRACKING);
}

#[test]
fn urldefense_around_a_sendgrid_link_is_the_senders_click_tracking_unwrapped() {
    let message = technique("rewriter-urldefense-v3-over-tracker.eml");
    let click = assert_only(
        &message,
        Kind::ClickTracking,
        "known_redirector",
        "https://urldefense.com/v3/__https://u7716402.ct.sendgrid.net/ls/click?upn=u001.fyoBQbpYB7ELa3flW5Qdi1KW2SvtysplFLzLmc8XzIQ8lYNL-2BgweeHTbMzKaDw6-3D__;!!f75El1!r5RF21ERqLMHVcYpHKzTXt2qXDpbOVQppYhp5arQ21MOmPOusHq3DaXWkH5U$",
    );
    assert_eq!(click.vendor.as_deref(), Some("Twilio SendGrid"));
    assert!(
        click.evidence.contains("Proofpoint URL Defense"),
        "{}",
        click.evidence
    );
    assert_eq!(
        click.details["destination"],
        "https://u7716402.ct.sendgrid.net/ls/click?upn=u001.fyoBQbpYB7ELa3flW5Qdi1KW2SvtysplFLzLmc8XzIQ8lYNL-2BgweeHTbMzKaDw6-3D"
    );
}

// --------------------------------------------------------------------------- clean controls

#[test]
fn content_images_with_sizes_hashes_and_cache_busters_are_not_tracking() {
    let message = clean("newsletter-content-images-only.eml");
    assert_none(&message, &TRACKING);
    assert!(!message.is_tracked(), "{}", listing(&message));
}

#[test]
fn links_to_docs_commits_videos_and_shared_files_are_not_tracked_links() {
    let message = clean("personal-docs-github-youtube-dropbox.eml");
    assert_none(&message, &TRACKING);
    assert!(!message.is_tracked(), "{}", listing(&message));
}

#[test]
fn repeated_first_party_spacer_gifs_are_not_pixels() {
    let message = clean("spacer-gifs.eml");
    assert_none(&message, &TRACKING);
    assert!(!message.is_tracked(), "{}", listing(&message));
}

#[test]
fn cid_and_data_images_load_nothing() {
    let message = clean("cid-images.eml");
    assert!(message.findings.is_empty(), "{}", listing(&message));
}

#[test]
fn large_images_in_a_hidden_mobile_block_are_not_pixels() {
    let message = clean("hidden-mobile-copy.eml");
    assert_none(&message, &TRACKING);
    assert!(!message.is_tracked(), "{}", listing(&message));
}

#[test]
fn one_time_codes_in_account_links_are_not_click_tracking() {
    let message = clean("account-links-with-codes.eml");
    assert_none(&message, &TRACKING);
    assert!(!message.is_tracked(), "{}", listing(&message));
}

#[test]
fn a_signatures_profile_and_shared_files_and_forms_are_not_click_tracking() {
    let message = clean("signature-profile-and-shares.eml");
    assert_none(&message, &TRACKING);
    assert!(!message.is_tracked(), "{}", listing(&message));
}

#[test]
fn a_token_in_unsubscribe_and_preference_links_is_not_click_tracking() {
    let message = clean("unsubscribe-with-token.eml");
    assert_none(&message, &TRACKING);
    assert!(!message.is_tracked(), "{}", listing(&message));
}
