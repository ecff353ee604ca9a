#!/usr/bin/env python3
"""Regenerate fixtures/techniques/ and fixtures/clean/ deterministically.

    python3 scripts/make_technique_fixtures.py    # from the repository root (or anywhere)

One small HTML message per tracking technique the detector knows, and per trap that a naive
detector falls into (fixtures/techniques/), plus clean controls that must produce no pixel,
click_tracking, link_decoration or address_leak finding (fixtures/clean/). The tests that read
them are tests/integration/techniques.rs.

No network, seeds derived from each fixture's name, fixed dates: two runs give byte-identical
output, and adding a fixture changes no other. The script only touches the two folders it owns
(every .eml there and their README.md). scripts/make_fixtures.py deletes the whole of fixtures/
when it runs: run this script after it.

Every message here was written for this project. Only example domains are used (example.com/.net/
.org and *.example), plus a real vendor host where a message imitates that vendor's tracking
(list-manage.com, ct.sendgrid.net, safelinks.protection.outlook.com, urldefense.com) and the real
document hosts a clean control links to (docs.google.com, github.com, youtube.com, dropbox.com).
Every id, token and hash is invented here, except the digests of the reader's address in the
leak fixtures, which are computed.
"""

import base64
import binascii
import hashlib
import html
import random
import re
import struct
import sys
import zlib
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures"
DIRS = ("techniques", "clean")
READER = "reader@example.org"

FIXTURES = []  # (relative path, bytes, note)


# --------------------------------------------------------------------------- building blocks

class Rand:
    """Invented ids: seeded by the fixture's name, so fixtures do not depend on each other."""

    def __init__(self, seed):
        self.r = random.Random(seed)

    def token(self, n, alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"):
        # A machine-made id mixes digits, upper and lower case; draw until it does.
        while True:
            t = "".join(self.r.choice(alphabet) for _ in range(n))
            if (any(c.isdigit() for c in t) and any(c.isupper() for c in t)
                    and any(c.islower() for c in t)) or not any(c.isalpha() for c in alphabet):
                return t

    def hex(self, n):
        return "".join(self.r.choice("0123456789abcdef") for _ in range(n))

    def digits(self, n):
        return self.r.choice("123456789") + "".join(self.r.choice("0123456789") for _ in range(n - 1))

    def lower(self, n):
        return "".join(self.r.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))


def png(w, h, rgb):
    """A small valid PNG, drawn here (one solid colour)."""
    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def when(day, hour=9, minute=0):
    return format_datetime(datetime(2024, 4, 1, hour, minute, tzinfo=timezone.utc) + timedelta(days=day))


def e(text):
    """Attribute or text escaping, as an HTML editor writes it (`&` becomes `&amp;`)."""
    return html.escape(text, quote=True)


def headers(frm, subject, day, mid, extra=()):
    return [("From", frm), ("To", READER), ("Subject", subject), ("Date", when(day)),
            ("Message-ID", mid), *extra, ("MIME-Version", "1.0")]


def qp(text):
    out = binascii.b2a_qp(text.encode("utf-8"), quotetabs=False, istext=True, header=False)
    return out if out.endswith(b"\n") else out + b"\n"


def leaf(ctype, text, cte="7bit"):
    body = qp(text) if cte == "quoted-printable" else text.encode("utf-8")
    if not body.endswith(b"\n"):
        body += b"\n"
    return [("Content-Type", ctype), ("Content-Transfer-Encoding", cte)], body


def multipart(subtype, parts, boundary, params=""):
    out = b""
    for hs, body in parts:
        assert boundary.encode() not in body
        out += b"--" + boundary.encode() + b"\n" + hdr_bytes(hs) + b"\n" + body
    out += b"--" + boundary.encode() + b"--\n"
    return [("Content-Type", f'multipart/{subtype};{params} boundary="{boundary}"')], out


def hdr_bytes(hs):
    return "".join(f"{k}: {v}\n" for k, v in hs).encode("utf-8")


def message(hs, entity):
    ehs, body = entity
    return hdr_bytes(list(hs) + list(ehs)) + b"\n" + body


def html_part(body):
    return leaf('text/html; charset="utf-8"', body)


def page(title, rows, head="", before="", after="", preheader=""):
    """A small, ordinary newsletter layout: one 600px table on a grey background."""
    out = ['<!DOCTYPE html>', '<html lang="en">', '<head>',
           '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f'<title>{e(title)}</title>']
    if head:
        out.append(head)
    out += ['</head>', '<body style="margin:0;padding:0;background-color:#f2f2f2;">']
    if preheader:
        out.append('<div style="display:none;max-height:0;overflow:hidden;">' + e(preheader) + '</div>')
    if before:
        out.append(before)
    out += ['<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">',
            '<tr><td align="center" style="padding:16px 8px;">',
            '<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" '
            'style="width:600px;background-color:#ffffff;font-family:Arial,Helvetica,sans-serif;color:#333333;">']
    for row in rows:
        out.append(f'<tr><td style="padding:16px 24px;">{row}</td></tr>')
    out += ['</table>', '</td></tr>', '</table>']
    if after:
        out.append(after)
    out += ['</body>', '</html>']
    return "\n".join(out) + "\n"


def logo(src, alt, href, w=160, h=48):
    return (f'<a href="{e(href)}"><img src="{e(src)}" width="{w}" height="{h}" alt="{e(alt)}" '
            f'style="display:block;border:0;"></a>')


def para(text):
    return f'<p style="margin:0 0 12px 0;font-size:15px;line-height:22px;">{text}</p>'


def button(href, label):
    return (f'<a href="{e(href)}" style="display:inline-block;padding:10px 20px;background-color:#2f6f4e;'
            f'color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold;">{e(label)}</a>')


def footer(unsubscribe, address="Example Street 1, 12345 Example Town"):
    return (f'<p style="margin:0;font-size:11px;line-height:16px;color:#888888;">{e(address)}<br>'
            f'<a href="{e(unsubscribe)}" style="color:#888888;">Unsubscribe</a></p>')


def add(folder, name, data, note):
    assert folder in DIRS, folder
    assert name.endswith(".eml"), name
    FIXTURES.append((f"{folder}/{name}", data, note))


def newsletter(folder, name, frm, subject, day, mid, body_html, note, extra=()):
    add(folder, name, message(headers(frm, subject, day, mid, extra), html_part(body_html)), note)


SHOP = "Fernhill Garden Supply <news@fernhill.example>"
SHOP_HOME = "https://www.fernhill.example/"
SHOP_LOGO = "https://www.fernhill.example/email/img/fernhill-logo.png"
SHOP_UNSUB = "https://www.fernhill.example/email/unsubscribe"


def shop_page(title, rows, **kw):
    return page(title, [logo(SHOP_LOGO, "Fernhill Garden Supply", SHOP_HOME)] + rows
                + [footer(SHOP_UNSUB)], **kw)


def mid(name, domain="fernhill.example"):
    return f"<{name}.20240401@{domain}>"


# --------------------------------------------------------------------------- pixels

def pixel_fixtures():
    T = "techniques"

    r = Rand("pixel-tiny-attributes")
    url = f"https://img.mailrelay.example/i/{r.token(24)}.gif"
    newsletter(T, "pixel-tiny-attributes.eml", SHOP, "Seed potatoes are in", 0,
               mid("pixel-tiny-attributes"),
               shop_page("Seed potatoes are in", [
                   para("Our seed potatoes arrived this week: earlies, second earlies and maincrop."),
                   button("https://www.fernhill.example/seed-potatoes", "See the range")],
                   after=f'<img src="{e(url)}" width="1" height="1" alt="" border="0">'),
               f"1x1 image by width/height attributes on a third-party host: pixel tiny_image `{url}`.")

    r = Rand("pixel-tiny-css-pt-units")
    url = f"https://img.mailrelay.example/i/{r.token(24)}.png"
    newsletter(T, "pixel-tiny-css-pt-units.eml", SHOP, "Pruning roses in April", 1,
               mid("pixel-tiny-css-pt-units"),
               shop_page("Pruning roses in April", [
                   para("A short guide to pruning shrub and climbing roses before the buds break."),
                   button("https://www.fernhill.example/guides/pruning-roses", "Read the guide")],
                   after=f'<img src="{e(url)}" alt="" style="width:0.75pt;height:0.75pt;border:0;">'),
               f"Image sized only by CSS in points (0.75pt = 1px), no attributes: pixel tiny_image `{url}`.")

    r = Rand("pixel-hidden-ancestor-display-none")
    url = f"https://stats.mailrelay.example/img/{r.token(22)}.png"
    newsletter(T, "pixel-hidden-ancestor-display-none.eml", SHOP, "Tomato plants: order now", 2,
               mid("pixel-hidden-ancestor-display-none"),
               shop_page("Tomato plants: order now", [
                   para("Grafted tomato plants ship from mid-May. Reserve yours today."),
                   button("https://www.fernhill.example/tomatoes", "Reserve plants"),
                   f'<div style="display:none"><table role="presentation"><tr><td>'
                   f'<img src="{e(url)}" alt=""></td></tr></table></div>']),
               f"Image with no size of its own, hidden by a display:none ancestor two levels up: pixel hidden_image `{url}`.")

    r = Rand("pixel-hidden-opacity")
    url = f"https://stats.mailrelay.example/img/{r.token(22)}.png"
    newsletter(T, "pixel-hidden-opacity.eml", SHOP, "Compost week", 3, mid("pixel-hidden-opacity"),
               shop_page("Compost week", [
                   para("Everything for the compost heap, 15% off until Sunday."),
                   button("https://www.fernhill.example/compost", "Shop compost"),
                   f'<img src="{e(url)}" width="10" height="10" alt="" style="opacity:0;display:block;">']),
               f"10x10 image (too big for tiny) made invisible with opacity:0: pixel hidden_image `{url}`.")

    r = Rand("pixel-offscreen")
    url = f"https://stats.mailrelay.example/img/{r.token(22)}.png"
    newsletter(T, "pixel-offscreen.eml", SHOP, "Hedging by the metre", 4, mid("pixel-offscreen"),
               shop_page("Hedging by the metre", [
                   para("Bare-root hedging is nearly over for the season: last orders this week."),
                   button("https://www.fernhill.example/hedging", "Order hedging")],
                   after=f'<img src="{e(url)}" alt="" style="position:absolute;left:-9999px;top:0;">'),
               f"Image with no size positioned at left:-9999px: pixel hidden_image `{url}`.")

    r = Rand("pixel-hidden-by-class")
    url = f"https://stats.mailrelay.example/img/{r.token(22)}.png"
    newsletter(T, "pixel-hidden-by-class.eml", SHOP, "Seed potatoes are in", 62, mid("pixel-hidden-by-class"),
               shop_page("Seed potatoes are in", [
                   para("First earlies, second earlies and maincrop: chit them now."),
                   button("https://www.fernhill.example/potatoes", "Shop seed potatoes"),
                   f'<img class="fh-preview" src="{e(url)}" width="12" height="12" alt="">'],
                   head='<style type="text/css">.fh-preview { display: none !important; } '
                        '@media only screen and (max-width:620px) { .fh-stack { display: block !important; } }'
                        '</style>'),
               f"12x12 image (too big for tiny) hidden by a class rule in the head's <style> "
               f"(`.fh-preview {{ display: none }}`), not by its own style: pixel hidden_image `{url}`.")

    r = Rand("pixel-scaled-to-nothing")
    url = f"https://stats.mailrelay.example/img/{r.token(22)}.png"
    newsletter(T, "pixel-scaled-to-nothing.eml", SHOP, "Rhubarb crowns", 63, mid("pixel-scaled-to-nothing"),
               shop_page("Rhubarb crowns", [
                   para("Plant rhubarb crowns now for stalks next spring."),
                   button("https://www.fernhill.example/rhubarb", "Shop rhubarb"),
                   f'<img src="{e(url)}" width="12" height="12" alt="" style="display:block;transform:scale(0);">']),
               f"12x12 image (too big for tiny) shrunk to nothing by transform:scale(0): pixel hidden_image `{url}`.")

    r = Rand("pixel-known-endpoint-large-declared-size")
    u, lid, eid = r.hex(25), r.hex(10), r.hex(10)
    url = f"https://fernhill.us12.list-manage.com/track/open.php?u={u}&id={lid}&e={eid}"
    newsletter(T, "pixel-known-endpoint-large-declared-size.eml", SHOP, "The April planting calendar", 5,
               mid("pixel-known-endpoint-large-declared-size"),
               shop_page("The April planting calendar", [
                   para("What to sow, plant and prune this month."),
                   f'<img src="{e(url)}" width="600" height="300" alt="April planting calendar" '
                   f'style="display:block;width:600px;max-width:100%;height:auto;">',
                   button("https://www.fernhill.example/calendar/april", "Open the calendar")]),
               f"Mailchimp open endpoint declared 600x300 (size is no alibi): pixel known_open_endpoint, "
               f"vendor Mailchimp, rule mailchimp/open-pixel, `{url}`.")

    r = Rand("pixel-open-tracking-url")
    url = f"https://www.fernhill.example/_tracking/email_open.gif?cid={r.digits(6)}&sid={r.digits(3)}"
    newsletter(T, "pixel-open-tracking-url.eml", SHOP, "Bulbs for summer colour", 6,
               mid("pixel-open-tracking-url"),
               shop_page("Bulbs for summer colour", [
                   para("Dahlias, lilies and gladioli: plant them now for colour from July."),
                   button("https://www.fernhill.example/summer-bulbs", "Shop bulbs"),
                   f'<img src="{e(url)}" alt="">']),
               f"Image with no size, not hidden, whose path says email_open: pixel open_tracking_url `{url}`.")

    r = Rand("pixel-per-recipient-query-token")
    rcpt = r.token(24)
    img = f"https://mta.mailrelay.example/img/spring-hero.jpg?rcpt={rcpt}"
    links = [f"https://mta.mailrelay.example/c/{r.token(28)}" for _ in range(2)]
    newsletter(T, "pixel-per-recipient-query-token.eml", SHOP, "Spring opening weekend", 7,
               mid("pixel-per-recipient-query-token"),
               shop_page("Spring opening weekend", [
                   f'<a href="{e(links[0])}"><img src="{e(img)}" width="552" height="280" '
                   f'alt="Spring opening weekend" style="display:block;"></a>',
                   para("Free coffee, a seed swap and 20% off all perennials on 13 and 14 April."),
                   button(links[1], "Plan your visit")]),
               f"A full-size hero image whose query carries a per-recipient token (rcpt), on the same host "
               f"as the message's tracked links: pixel per_recipient_image `{img}`; the links are "
               f"click_tracking link_token.")

    r = Rand("pixel-address-in-query")
    img = f"https://banners.mailrelay.example/b/summer-sale.png?email={READER}&c={r.digits(5)}"
    newsletter(T, "pixel-address-in-query.eml", SHOP, "Summer sale preview", 8,
               mid("pixel-address-in-query"),
               shop_page("Summer sale preview", [
                   f'<img src="{e(img)}" width="552" height="200" alt="Summer sale" style="display:block;">',
                   para("Members get early access to the summer sale from Thursday."),
                   button("https://www.fernhill.example/sale", "Preview the sale")]),
               f"A banner image with the reader's address in its query: pixel per_recipient_image and "
               f"address_leak plain_address, both `{img}`.")

    r = Rand("pixel-css-background")
    url = f"https://trk.mailrelay.example/o/{r.token(26)}/bg.png"
    newsletter(T, "pixel-css-background.eml", SHOP, "Raised beds, built to order", 9,
               mid("pixel-css-background"),
               shop_page("Raised beds, built to order", [
                   para("Larch raised beds cut to your size and delivered flat-packed."),
                   button("https://www.fernhill.example/raised-beds", "Design your bed"),
                   '<div class="sig" style="height:4px;line-height:4px;font-size:0;">&nbsp;</div>'],
                   head=("<style type=\"text/css\">\n.sig { background-image: url('" + url + "'); "
                         "background-repeat: no-repeat; }\n</style>")),
               f"The only beacon is a <style> background-image whose path carries a token under /o/: "
               f"pixel `{url}` (no <img> at all besides the logo).")

    r = Rand("pixel-vml-conditional-comment")
    fill = f"https://trk.mailrelay.example/o/{r.token(26)}/f.gif"
    imagedata = f"https://trk.mailrelay.example/o/{r.token(26)}/d.gif"
    vml = ('<!--[if mso]>\n'
           '<v:rect xmlns:v="urn:schemas-microsoft-com:vml" fill="true" stroke="false" style="width:1px;height:1px;">'
           f'<v:fill type="frame" src="{e(fill)}" color="#ffffff" /></v:rect>\n'
           '<v:shape xmlns:v="urn:schemas-microsoft-com:vml" style="width:1px;height:1px;" stroked="f">'
           f'<v:imagedata src="{e(imagedata)}" /></v:shape>\n'
           '<![endif]-->')
    newsletter(T, "pixel-vml-conditional-comment.eml", SHOP, "Greenhouse heaters", 10,
               mid("pixel-vml-conditional-comment"),
               shop_page("Greenhouse heaters", [
                   para("Frost is still likely in April. Our paraffin and electric heaters are in stock."),
                   button("https://www.fernhill.example/greenhouse-heaters", "Compare heaters")],
                   after=vml),
               f"Beacons only for Outlook, inside <!--[if mso]>: VML v:fill `{fill}` and v:imagedata "
               f"`{imagedata}`; both pixels, location marked as an Outlook conditional comment.")

    r = Rand("pixel-amp-part")
    amp_pixel = f"https://trk.mailrelay.example/amp/o/{r.token(26)}"
    text = ("Fernhill Garden Supply\n\nYour order FH-20417 has shipped.\n"
            "Track it at https://www.fernhill.example/orders/FH-20417\n")
    amp = ('<!doctype html>\n<html \u26a14email data-css-strict>\n<head>\n<meta charset="utf-8">\n'
           '<script async src="https://cdn.ampproject.org/v0.js"></script>\n'
           '<style amp4email-boilerplate>body{visibility:hidden}</style>\n</head>\n<body>\n'
           '<p>Your order FH-20417 has shipped.</p>\n'
           '<amp-img src="https://www.fernhill.example/email/img/parcel.png" width="120" height="120" '
           'layout="fixed" alt="Parcel"></amp-img>\n'
           f'<amp-img src="{e(amp_pixel)}" width="1" height="1" layout="fixed" alt=""></amp-img>\n'
           '</body>\n</html>\n')
    htm = shop_page("Your order has shipped", [
        para("Your order FH-20417 has shipped."),
        button("https://www.fernhill.example/orders/FH-20417", "Track your parcel")])
    ent = multipart("alternative", [leaf("text/plain; charset=utf-8", text),
                                    leaf("text/x-amp-html; charset=utf-8", amp, "8bit"),
                                    leaf("text/html; charset=utf-8", htm)],
                    "=_amp_boundary_4471")
    add(T, "pixel-amp-part.eml",
        message(headers(SHOP, "Your order FH-20417 has shipped", 11, mid("pixel-amp-part")), ent),
        f"multipart/alternative with text/plain, text/x-amp-html and text/html; only the AMP part's "
        f"1x1 amp-img is a beacon: pixel tiny_image `{amp_pixel}`.")

    for name, attr, why in (
            ("pixel-svg-data-uri.eml", "href", "SVG 2 `href`"),
            ("pixel-svg-data-uri-xlink-href.eml", "xlink:href",
             "SVG 1.1 `xlink:href`, the spelling most SVG tools still write")):
        r = Rand(name)
        inner = f"https://trk.mailrelay.example/o/{r.token(26)}.gif"
        svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
               'width="120" height="24" viewBox="0 0 120 24">'
               '<rect width="120" height="24" rx="4" fill="#2f6f4e"/>'
               '<text x="60" y="16" font-family="Arial" font-size="12" fill="#fff" text-anchor="middle">'
               '4.8 / 5 stars</text>'
               f'<image {attr}="{e(inner)}" x="0" y="0" width="1" height="1"/></svg>')
        data = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
        newsletter(T, name, SHOP, "What customers say about our secateurs", 12,
                   mid(name[:-4]),
                   shop_page("What customers say", [
                       f'<img src="{data}" width="120" height="24" alt="Rated 4.8 out of 5">',
                       para("Over 2,000 reviews for our bypass secateurs."),
                       button("https://www.fernhill.example/secateurs", "Read reviews")]),
                   f"A rating badge as a base64 data:image/svg+xml whose SVG holds a 1x1 <image> pointing "
                   f"at a remote URL with {why}: pixel tiny_image `{inner}`.")

    r = Rand("pixel-srcdoc-iframe")
    inner = f"https://trk.mailrelay.example/o/{r.token(26)}.gif"
    srcdoc = f'<img src="{inner}" width="1" height="1" alt="">'
    newsletter(T, "pixel-srcdoc-iframe.eml", SHOP, "Workshop: grafting fruit trees", 13,
               mid("pixel-srcdoc-iframe"),
               shop_page("Workshop: grafting fruit trees", [
                   para("Join our head gardener on Saturday morning to learn whip-and-tongue grafting."),
                   button("https://www.fernhill.example/workshops/grafting", "Book a place"),
                   f'<iframe srcdoc="{e(srcdoc)}" width="1" height="1" frameborder="0" '
                   f'style="border:0;"></iframe>']),
               f"The beacon is inside an iframe's srcdoc document: pixel tiny_image `{inner}`.")

    r = Rand("pixel-entity-and-qp-encoded")
    cid, rid, sig = r.digits(6), r.token(24), r.hex(16)
    url = f"https://t.mailrelay.example/open?cid={cid}&rid={rid}&sig={sig}"
    body = shop_page("Lawn care in spring", [
        para("Scarify, aerate, feed: the three jobs that give you a thick lawn by June. "
             "Our lawn care kit has everything in one box, delivered free this month."),
        button("https://www.fernhill.example/lawn-care", "Get the kit"),
        f'<img alt="" border="0" style="display:block;border:0;outline:none;" src="{e(url)}" width="1" height="1">'])
    encoded = qp(body)
    # The URL must be split by a soft line break, and its `=` signs written `=3D`.
    start = encoded.index(b"https://t.mailrelay.example")
    end = encoded.index(sig[-6:].encode(), start)
    assert b"=\n" in encoded[start:end], "the soft line break must fall inside the URL"
    hs = headers(SHOP, "Lawn care in spring", 14, mid("pixel-entity-and-qp-encoded"))
    ent = ([("Content-Type", 'text/html; charset="utf-8"'),
            ("Content-Transfer-Encoding", "quoted-printable")], encoded)
    add(T, "pixel-entity-and-qp-encoded.eml", message(hs, ent),
        f"Quoted-printable HTML: the pixel URL is split by a soft line break, its `=` written `=3D` "
        f"and its `&` written `&amp;`: pixel tiny_image `{url}` once decoded.")

    r = Rand("pixel-protocol-relative")
    url = f"//img.mailrelay.example/i/{r.token(24)}.gif"
    newsletter(T, "pixel-protocol-relative.eml", SHOP, "Water butts and rain chains", 15,
               mid("pixel-protocol-relative"),
               shop_page("Water butts and rain chains", [
                   para("Catch the April showers: water butts from 100 to 500 litres."),
                   button("https://www.fernhill.example/water-butts", "Shop water butts")],
                   after=f'<img src="{e(url)}" width="1" height="1" alt="">'),
               f"A protocol-relative 1x1 image `{url}` (the client requests it over https): pixel "
               f"tiny_image, url as written.")

    r = Rand("pixel-newline-split-src")
    token = r.token(32)
    written = f"https://img.mailrelay.example/i/{token[:14]}\n{token[14:]}.gif"
    newsletter(T, "pixel-newline-split-src.eml", SHOP, "Hanging baskets, planted for you", 17,
               mid("pixel-newline-split-src"),
               shop_page("Hanging baskets", [
                   para("Pre-planted hanging baskets: collect from the nursery from 1 May."),
                   button("https://www.fernhill.example/hanging-baskets", "Choose a basket")],
                   after=f'<img width="1" height="1" alt="" src="{e(written)}">'),
               f"A 1x1 image whose src is broken across two lines inside the attribute (clients drop "
               f"the newline): pixel tiny_image `https://img.mailrelay.example/i/{token}.gif`.")

    r = Rand("pixel-third-party-spacer-numeric-ids")
    url = f"https://img.mailrelay.example/spacer.gif?u={r.digits(6)}&m={r.digits(4)}"
    newsletter(T, "pixel-third-party-spacer-numeric-ids.eml", SHOP, "Summer opening hours", 18,
               mid("pixel-third-party-spacer-numeric-ids"),
               shop_page("Summer opening hours", [
                   para("From 1 May we are open until 7pm on weekdays."),
                   button("https://www.fernhill.example/visit", "Plan a visit")],
                   after=f'<img src="{e(url)}" width="1" height="1" alt="">'),
               f"A single 1x1 named spacer.gif, but on the mailing platform's host with numeric "
               f"subscriber and message ids in the query: pixel tiny_image `{url}`.")

    r = Rand("pixel-first-party-short-id")
    url = f"https://www.fernhill.example/o.gif?id={r.token(12)}"
    newsletter(T, "pixel-first-party-short-id.eml", SHOP, "Seed potatoes are in", 19,
               mid("pixel-first-party-short-id"),
               shop_page("Seed potatoes are in", [
                   para("First earlies, second earlies and maincrop: twenty varieties in stock."),
                   button("https://www.fernhill.example/seed-potatoes", "See the varieties")],
                   after=f'<img src="{e(url)}" width="1" height="1" alt="">'),
               f"A single 1x1 image on the sender's own host, its query an id too short to count as "
               f"a token: pixel tiny_image `{url}` (a spacer carries no id).")

    r = Rand("pixel-base-href")
    rel = f"o/{r.token(24)}/1x1.gif"
    base = "https://mail.mailrelay.example/r/"
    newsletter(T, "pixel-base-href.eml", SHOP, "Fruit cage kits", 16, mid("pixel-base-href"),
               shop_page("Fruit cage kits", [
                   para("Keep the birds off your soft fruit: aluminium fruit cages in six sizes."),
                   button("https://www.fernhill.example/fruit-cages", "Find your size"),
                   f'<img src="{e(rel)}" width="1" height="1" alt="">'],
                   head=f'<base href="{base}">'),
               f"A relative 1x1 image `{rel}` resolved against <base href=\"{base}\">: pixel tiny_image, "
               f"absolute URL `{base}{rel}`.")


# --------------------------------------------------------------------------- other remote loads

def remote_fixtures():
    T = "techniques"

    css = "https://assets.mailrelay.example/css/fernhill-2024.css"
    newsletter(T, "remote-stylesheet-import.eml", SHOP, "New: the Fernhill journal", 20,
               mid("remote-stylesheet-import"),
               shop_page("New: the Fernhill journal", [
                   para("Stories from the nursery, four times a year."),
                   button("https://www.fernhill.example/journal", "Read the first issue")],
                   head=f'<style type="text/css">\n@import url("{css}");\nbody {{ margin: 0; }}\n</style>'),
               f"A <style> @import of a remote stylesheet: remote_resource stylesheet `{css}`.")

    font = "https://fonts.typehouse.example/s/fernhill-serif/v3/fernhill-serif-regular.woff2"
    newsletter(T, "remote-font-face.eml", SHOP, "Our new look", 21, mid("remote-font-face"),
               shop_page("Our new look", [
                   para('<span style="font-family:\'Fernhill Serif\',Georgia,serif;">'
                        'We have a new look, and a new typeface to go with it.</span>'),
                   button("https://www.fernhill.example/about", "About us")],
                   head=("<style type=\"text/css\">\n@font-face {\n  font-family: 'Fernhill Serif';\n"
                         f"  src: url('{font}') format('woff2');\n  font-weight: 400;\n}}\n</style>")),
               f"A web font in @font-face: remote_resource web_font `{font}`.")

    poster = "https://media.fernhill.example/video/spring-tour-poster.jpg"
    mp4 = "https://media.fernhill.example/video/spring-tour.mp4"
    newsletter(T, "remote-video-poster.eml", SHOP, "Take the spring tour", 22, mid("remote-video-poster"),
               shop_page("Take the spring tour", [
                   f'<video width="552" height="310" controls poster="{e(poster)}">'
                   f'<source src="{e(mp4)}" type="video/mp4">'
                   f'<a href="https://www.fernhill.example/tour"><img src="{e(poster)}" width="552" height="310" '
                   f'alt="Watch the tour"></a></video>',
                   para("A two-minute walk through the nursery in bloom.")]),
               f"A <video> with a poster and a source: remote_resource media for the poster `{poster}` "
               f"and the source `{mp4}`.")

    r = Rand("remote-prefetch")
    pre = f"https://t.mailrelay.example/p/{r.token(24)}"
    newsletter(T, "remote-prefetch.eml", SHOP, "Plant of the month: hellebores", 23, mid("remote-prefetch"),
               shop_page("Plant of the month", [
                   para("Hellebores flower from February to April in shade where little else will."),
                   button("https://www.fernhill.example/hellebores", "Shop hellebores")],
                   head=(f'<link rel="dns-prefetch" href="//t.mailrelay.example">\n'
                         f'<link rel="prefetch" href="{e(pre)}">')),
               f"<link rel=dns-prefetch> and <link rel=prefetch> in the head: remote_resource "
               f"prefetch_hint `//t.mailrelay.example` and `{pre}`.")

    r = Rand("remote-meta-refresh")
    refresh = f"https://go.mailrelay.example/r/{r.token(24)}"
    newsletter(T, "remote-meta-refresh.eml", SHOP, "Your garden design consultation", 24,
               mid("remote-meta-refresh"),
               shop_page("Your garden design consultation", [
                   para("Thank you for booking a consultation. Your designer will call you this week."),
                   button("https://www.fernhill.example/design", "About garden design")],
                   head=f'<meta http-equiv="refresh" content="0; url={e(refresh)}">'),
               f"<meta http-equiv=refresh> in the head: remote_resource meta_refresh `{refresh}`.")

    r = Rand("remote-iframe")
    frame = f"https://widgets.mailrelay.example/countdown/{r.token(20)}"
    newsletter(T, "remote-iframe.eml", SHOP, "48 hours left: tool sale", 25, mid("remote-iframe"),
               shop_page("48 hours left", [
                   para("Our spring tool sale ends on Sunday at midnight."),
                   f'<iframe src="{e(frame)}" width="552" height="90" frameborder="0" scrolling="no" '
                   f'style="border:0;"></iframe>',
                   button("https://www.fernhill.example/tools", "Shop tools")]),
               f"A countdown widget in an <iframe>: remote_resource iframe `{frame}`.")

    obj = "https://media.mailrelay.example/obj/seasonal-banner.svg"
    emb = "https://media.mailrelay.example/obj/seasonal-strip.svg"
    newsletter(T, "remote-object-embed.eml", SHOP, "May is for planting out", 26, mid("remote-object-embed"),
               shop_page("May is for planting out", [
                   f'<object data="{e(obj)}" type="image/svg+xml" width="552" height="120">May</object>',
                   para("Harden off your seedlings now, plant them out after the last frost."),
                   f'<embed src="{e(emb)}" type="image/svg+xml" width="552" height="24">']),
               f"<object data> and <embed src>: remote_resource object_embed `{obj}` and `{emb}`.")

    hero = "https://cdn.mailrelay.example/campaigns/2024/spring/hero-tulips.jpg"
    newsletter(T, "remote-image-third-party.eml", SHOP, "Tulips at their best", 27,
               mid("remote-image-third-party"),
               shop_page("Tulips at their best", [
                   f'<img src="{e(hero)}" width="552" height="300" alt="Tulips" style="display:block;">',
                   para("Come and see 80 varieties of tulip in flower this week."),
                   button("https://www.fernhill.example/visit", "Plan a visit")]),
               f"A full-size content image on a third-party CDN, no token: remote_resource remote_image "
               f"`{hero}` (low confidence), not a pixel.")

    bg = "https://cdn.mailrelay.example/campaigns/2024/spring/leaf-pattern.jpg"
    newsletter(T, "remote-css-background-attribute.eml", SHOP, "Leaf mould and mulch", 28,
               mid("remote-css-background-attribute"),
               shop_page("Leaf mould and mulch", [
                   f'<table role="presentation" width="100%"><tr><td background="{e(bg)}" bgcolor="#dfe9d8" '
                   f'height="120" style="background-image:url(\'{e(bg)}\');background-size:cover;">'
                   f'<h1 style="margin:24px;font-size:28px;">Mulch month</h1></td></tr></table>',
                   para("A good mulch now saves hours of weeding and watering later."),
                   button("https://www.fernhill.example/mulch", "Shop mulch")]),
               f"A decorative background (td background= and style background-image), no token: "
               f"remote_resource css_background `{bg}`.")

    r = Rand("remote-amp-list")
    amp_list = f"https://api.mailrelay.example/amp/stock/{r.token(24)}.json"
    text = "Fernhill Garden Supply\n\nBack in stock: copper slug tape.\nhttps://www.fernhill.example/slug-tape\n"
    amp = ('<!doctype html>\n<html \u26a14email data-css-strict>\n<head>\n<meta charset="utf-8">\n'
           '<script async src="https://cdn.ampproject.org/v0.js"></script>\n'
           '<script async custom-element="amp-list" src="https://cdn.ampproject.org/v0/amp-list-0.1.js"></script>\n'
           '<script async custom-template="amp-mustache" '
           'src="https://cdn.ampproject.org/v0/amp-mustache-0.2.js"></script>\n'
           '<style amp4email-boilerplate>body{visibility:hidden}</style>\n</head>\n<body>\n'
           '<p>Back in stock: copper slug tape.</p>\n'
           f'<amp-list src="{e(amp_list)}" width="auto" height="40" layout="fixed-height">\n'
           '<template type="amp-mustache"><p>{{count}} rolls left</p></template>\n</amp-list>\n'
           '</body>\n</html>\n')
    htm = shop_page("Back in stock", [para("Back in stock: copper slug tape."),
                                      button("https://www.fernhill.example/slug-tape", "Buy now")])
    ent = multipart("alternative", [leaf("text/plain; charset=utf-8", text),
                                    leaf("text/x-amp-html; charset=utf-8", amp, "8bit"),
                                    leaf("text/html; charset=utf-8", htm)],
                    "=_amp_list_boundary_8812")
    add(T, "remote-amp-list.eml",
        message(headers(SHOP, "Back in stock: copper slug tape", 29, mid("remote-amp-list")), ent),
        f"An AMP part whose amp-list fetches live data on open: remote_resource amp_data `{amp_list}`.")

    r = Rand("remote-form-action")
    action = f"https://survey.mailrelay.example/f/{r.token(24)}"
    form = (f'<form action="{e(action)}" method="post">'
            '<p style="margin:0 0 8px 0;">How likely are you to recommend us?</p>'
            + "".join(f'<label><input type="radio" name="score" value="{n}"> {n}</label> ' for n in range(0, 11, 2))
            + '<br><input type="submit" value="Send"></form>')
    newsletter(T, "remote-form-action.eml", SHOP, "One question about your order", 30,
               mid("remote-form-action"),
               shop_page("One question", [para("Thank you for your recent order."), form]),
               f"A survey form posting to a per-recipient URL: remote_resource form_action `{action}`.")


# --------------------------------------------------------------------------- links

def link_fixtures():
    T = "techniques"

    r = Rand("click-known-redirector")
    clicks = [f"https://links.fernhill.example/ls/click?upn=u001.{r.token(40)}-2B{r.token(18)}-3D"
              for _ in range(2)]
    newsletter(T, "click-known-redirector.eml", SHOP, "Wildflower seed mixes", 40,
               mid("click-known-redirector"),
               shop_page("Wildflower seed mixes", [
                   para("Sow a meadow: native wildflower mixes for sun, shade and clay."),
                   button(clicks[0], "Choose a mix"),
                   para(f'<a href="{e(clicks[1])}">How to sow a meadow</a>')]),
               f"SendGrid-style /ls/click?upn= links on the sender's own branded host: click_tracking "
               f"known_redirector, vendor Twilio SendGrid (host-less path rule), first party; "
               f"e.g. `{clicks[0]}`.")

    dest = "https://www.fernhill.example/products/linen-kneeler"
    b64 = base64.b64encode(dest.encode()).decode()
    wrapped = f"https://click.mailrelay.example/r?id=4471&d={quote(b64, safe='')}"
    newsletter(T, "click-wrapped-base64.eml", SHOP, "A kneeler for the long weekend", 41,
               mid("click-wrapped-base64"),
               shop_page("A kneeler for the long weekend", [
                   para("Our padded linen kneeler, now in three colours."),
                   button(wrapped, "See the kneeler")]),
               f"A redirector with the destination in base64 in parameter d: click_tracking "
               f"wrapped_destination `{wrapped}`, destination `{dest}`.")

    dest = "https://www.fernhill.example/sale/spring"
    wrapped = f"https://click.mailrelay.example/redirect?url={quote(dest, safe='')}&cid=20240405"
    newsletter(T, "click-wrapped-percent.eml", SHOP, "The spring sale starts now", 42,
               mid("click-wrapped-percent"),
               shop_page("The spring sale starts now", [
                   para("Up to 30% off tools, pots and planters."),
                   button(wrapped, "Shop the sale")]),
               f"A redirector with the destination percent-encoded in parameter url: click_tracking "
               f"wrapped_destination `{wrapped}`, destination `{dest}`.")

    dest = "https://www.fernhill.example/tools/trowel"
    inner = ("https://ads.adnetwork.example/go?r="
             + base64.urlsafe_b64encode(dest.encode()).decode().rstrip("="))
    outer = f"https://click.mailrelay.example/c?u={quote(inner, safe='')}&s=8f2a"
    newsletter(T, "click-nested-wrap.eml", SHOP, "The trowel that lasts", 43, mid("click-nested-wrap"),
               shop_page("The trowel that lasts", [
                   para("Stainless steel, ash handle, lifetime guarantee."),
                   button(outer, "See the trowel")]),
               f"An ESP redirector wrapping an ad network's redirector, whose destination is base64url: "
               f"click_tracking wrapped_destination `{outer}`, innermost destination `{dest}`.")

    r = Rand("click-link-token-path")
    links = [f"https://click.mailrelay.example/c/{r.token(28)}" for _ in range(2)]
    newsletter(T, "click-link-token-path.eml", SHOP, "Pots and planters", 44, mid("click-link-token-path"),
               shop_page("Pots and planters", [
                   para("Frost-proof terracotta from a family pottery in Tuscany."),
                   button(links[0], "Shop pots"),
                   para(f'<a href="{e(links[1])}">Which size do I need?</a>')]),
               f"Links through /c/<token> with no destination in the URL: click_tracking link_token, "
               f"one finding for both links on the host (details.links = 2); e.g. `{links[0]}`.")

    r = Rand("click-ping")
    ping = f"https://t.mailrelay.example/ping/{r.token(24)}"
    newsletter(T, "click-ping.eml", SHOP, "Bird feeders", 45, mid("click-ping"),
               shop_page("Bird feeders", [
                   para("Feeders, seed and fat balls for garden birds."),
                   f'<a href="https://www.fernhill.example/bird-feeders" ping="{e(ping)}" '
                   f'style="color:#2f6f4e;font-weight:bold;">Shop bird care</a>']),
               f"A plain link with a ping attribute: click_tracking hyperlink_ping `{ping}`.")

    r = Rand("click-text-part-only")
    tokens = [f"u001.{r.token(44)}-2B{r.token(12)}-3D" for _ in range(3)]
    sg = [f"https://u7716402.ct.sendgrid.net/ls/click?upn={t}" for t in tokens]
    text = (f"Hi,\n\nYour Fernhill loyalty card has 420 points: enough for a 10 GBP voucher.\n\n"
            f"Redeem your points:\n{sg[0]}\n\n"
            f"See what else you can do with points:\n{sg[1]}\n\n"
            f"--\nFernhill Garden Supply\nUnsubscribe: {sg[2]}\n")
    hs = headers(SHOP, "You have 420 loyalty points", 46, mid("click-text-part-only"))
    add(T, "click-text-part-only.eml", message(hs, leaf("text/plain; charset=utf-8", text)),
        f"text/plain only, links through SendGrid's click host: click_tracking known_redirector "
        f"vendor Twilio SendGrid, e.g. `{sg[0]}`.")

    r = Rand("decoration-utm-and-mc-eid")
    cid, eid = r.hex(10), r.hex(10)
    links = [f"https://www.fernhill.example/{p}?utm_source=newsletter&utm_medium=email"
             f"&utm_campaign=april-2024&mc_cid={cid}&mc_eid={eid}" for p in ("seeds", "compost")]
    newsletter(T, "decoration-utm-and-mc-eid.eml", SHOP, "April at Fernhill", 47,
               mid("decoration-utm-and-mc-eid"),
               shop_page("April at Fernhill", [
                   para("Seeds to sow now, and compost to sow them in."),
                   button(links[0], "Seeds"), " ", button(links[1], "Compost")]),
               f"Direct links decorated with utm_* and Mailchimp's mc_cid/mc_eid: link_decoration "
               f"tracking_parameters (details.params lists them), no click_tracking; e.g. `{links[0]}`.")

    dest = "https://www.fernhill.example/sale?utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale"
    wrapped = f"https://click.mailrelay.example/redirect?url={quote(dest, safe='')}&cid=20240405"
    newsletter(T, "decoration-behind-redirector.eml", SHOP, "Spring sale: last day", 48,
               mid("decoration-behind-redirector"),
               shop_page("Spring sale: last day", [
                   para("The spring sale ends tonight."),
                   button(wrapped, "Shop the sale")]),
               f"A redirector whose wrapped destination carries utm_*: click_tracking wrapped_destination "
               f"and link_decoration tracking_parameters on www.fernhill.example, both `{wrapped}`.")


# --------------------------------------------------------------------------- leaks

def leak_fixtures():
    T = "techniques"

    survey = f"https://survey.mailrelay.example/s/garden-2024?email={READER}&src=nl"
    newsletter(T, "leak-plain.eml", SHOP, "Tell us about your garden", 50, mid("leak-plain"),
               shop_page("Tell us about your garden", [
                   para("Five questions, two minutes, and a 5 GBP voucher for your time."),
                   button(survey, "Take the survey")]),
               f"The reader's address written plainly in a survey link: address_leak plain_address "
               f"`{survey}`.")

    b64 = base64.b64encode(READER.encode()).decode()
    link = f"https://click.mailrelay.example/l?e={b64}&l=42"
    newsletter(T, "leak-base64.eml", SHOP, "Your wishlist", 51, mid("leak-base64"),
               shop_page("Your wishlist", [
                   para("Three plants on your wishlist are back in stock."),
                   button(link, "See your wishlist")]),
               f"The reader's address in base64 (`{b64}`) in a link: address_leak encoded_address, "
               f"encoding base64, `{link}`.")

    md5 = hashlib.md5(READER.encode()).hexdigest().upper()
    img = f"https://pixel.adnetwork.example/sync/{md5}/p.gif?pid=fernhill"
    newsletter(T, "leak-md5-upper.eml", SHOP, "Picked for you", 52, mid("leak-md5-upper"),
               shop_page("Picked for you", [
                   para("Plants picked for your garden, based on what you bought last spring."),
                   button("https://www.fernhill.example/picked", "See your picks"),
                   f'<img src="{e(img)}" width="1" height="1" alt="">']),
               f"An ad-network sync image with the MD5 of the reader's address in upper-case hex in its "
               f"path: address_leak hashed_address, encoding md5, `{img}`.")

    sha = hashlib.sha256(READER.encode()).hexdigest()
    link = f"https://ads.adnetwork.example/match?uid={sha}&p=fernhill&dest=home"
    newsletter(T, "leak-sha256.eml", SHOP, "Members' evening", 53, mid("leak-sha256"),
               shop_page("Members' evening", [
                   para("Late opening for members on Thursday: wine, music and 25% off."),
                   button(link, "Reply to the invitation")]),
               f"The SHA-256 of the reader's address in a link's query: address_leak hashed_address, "
               f"encoding sha256, `{link}`.")

    r = Rand("leak-in-list-unsubscribe-third-party")
    unsub = f"https://unsub.mailrelay.example/u/{r.digits(6)}?email={quote(READER, safe='')}&list=garden-news"
    extra = [("List-Unsubscribe", f"<mailto:unsubscribe-{r.digits(6)}@bounce.mailrelay.example>, <{unsub}>"),
             ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")]
    newsletter(T, "leak-in-list-unsubscribe-third-party.eml", SHOP, "Garden news, April", 54,
               mid("leak-in-list-unsubscribe-third-party"),
               shop_page("Garden news, April", [
                   para("Opening hours over the bank holiday, and a new café menu."),
                   button("https://www.fernhill.example/news", "Read the news")]),
               f"The reader's address, percent-encoded, in a third-party List-Unsubscribe URL (the body "
               f"is clean): address_leak encoded_address, encoding percent, location header "
               f"List-Unsubscribe, `{unsub}`.", extra)


# --------------------------------------------------------------------------- security rewriters

def rewriter_fixtures():
    T = "techniques"

    r = Rand("rewriter-safelinks")
    dest = "https://www.example.net/events/spring-meetup"
    client = base64.b64encode(b'{"V":"0.0.0000","P":"Win32","AN":"Mail","WT":2}').decode()
    data = (f"05|02|{READER}|{r.hex(32)}|{r.hex(8)}-{r.hex(4)}-{r.hex(4)}-{r.hex(4)}-{r.hex(12)}"
            f"|0|0|638{r.digits(15)}|Unknown|{client}|0||")
    safe = (f"https://eur03.safelinks.protection.outlook.com/?url={quote(dest, safe='')}"
            f"&data={quote(data, safe='')}&sdata={quote(r.token(43) + '=', safe='')}&reserved=0")
    body = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>\n'
            '<body dir="ltr">\n'
            '<div style="font-family:Aptos,Calibri,Helvetica,sans-serif;font-size:12pt;color:#000000;">'
            'Hi,<br><br>The spring meetup details are up, see '
            f'<a href="{e(safe)}" originalsrc="{e(dest)}" shash="{r.token(40)}=" '
            f'data-auth="NotApplicable">{e(dest)}</a><br><br>'
            'See you there,<br>Sam</div>\n</body></html>\n')
    add(T, "rewriter-safelinks.eml",
        message(headers("Sam Okafor <sam.okafor@example.com>", "Spring meetup", 60,
                        "<AM9PR03MB7712F2B0A4C1D9E8F07A3B21C4E5@AM9PR03MB7712.eurprd03.prod.outlook.example>"),
                html_part(body)),
        f"A colleague's plain link, wrapped by the reader's own Safe Links gateway (whose data "
        f"parameter names the reader): no click_tracking, no link_decoration, and the gateway's "
        f"copy of the reader's address is not the sender's leak. `{safe}`.")

    r = Rand("rewriter-urldefense-v3-over-tracker")
    inner = f"https://u7716402.ct.sendgrid.net/ls/click?upn=u001.{r.token(48)}-2B{r.token(14)}-3D"
    pp = f"https://urldefense.com/v3/__{inner}__;!!{r.token(6)}!{r.token(60)}$"
    newsletter(T, "rewriter-urldefense-v3-over-tracker.eml", SHOP, "Your seed order reminder", 61,
               mid("rewriter-urldefense-v3-over-tracker"),
               shop_page("Your seed order reminder", [
                   para("Your saved basket is waiting."),
                   button(pp, "Return to your basket")]),
               f"A SendGrid click link wrapped by Proofpoint URL Defense v3 at the reader's side: "
               f"click_tracking known_redirector vendor Twilio SendGrid for the inner link, evidence "
               f"naming Proofpoint URL Defense, details.destination `{inner}`; url `{pp}`.")


# --------------------------------------------------------------------------- clean controls

def clean_fixtures():
    C = "clean"

    frm = "Lindenleaf Tea <letters@lindenleaf.example>"
    r = Rand("newsletter-content-images-only")
    prods = [(f"https://img.shopcdn.example/s/files/1/0612/4471/products/{r.hex(32)}_600x600.jpg?v=1709712345",
              "Sencha"), (f"https://img.shopcdn.example/s/files/1/0612/4471/products/{r.hex(32)}_600x600.jpg?v=1709712412",
                          "Assam")]
    rows = [logo("https://lindenleaf.example/email/logo.png", "Lindenleaf Tea", "https://lindenleaf.example/"),
            '<img src="https://cdn.lindenleaf.example/email/2024/04/hero-first-flush.jpg?v=3" width="552" '
            'height="300" alt="First flush" style="display:block;width:552px;max-width:100%;height:auto;">',
            para("The first flush Darjeeling has landed. Light, floral and only here until it is gone.")]
    for src, name in prods:
        rows.append(f'<a href="https://lindenleaf.example/teas/{name.lower()}"><img src="{e(src)}" width="264" '
                    f'height="264" alt="{name}" style="display:block;"></a>' + para(f"<b>{name}</b>"))
    rows.append('<a href="https://instagram.example/lindenleaf"><img src="https://cdn.lindenleaf.example/email/icons/'
                'instagram.png" width="24" height="24" alt="Instagram"></a>')
    rows.append(footer("https://lindenleaf.example/unsubscribe"))
    newsletter(C, "newsletter-content-images-only.eml", frm, "First flush Darjeeling is here", 70,
               mid("newsletter-content-images-only", "lindenleaf.example"),
               page("First flush Darjeeling", rows),
               "Own-domain and CDN content images with declared sizes, hash-named CDN product images "
               "with a `?v=<timestamp>` cache-buster, a `?v=3` hero, a 24x24 icon; plain links. "
               "Expected: no pixel, click_tracking, link_decoration or address_leak.")

    r = Rand("personal-docs-github-youtube-dropbox")
    doc = f"https://docs.google.com/document/d/1{r.token(43, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-')}/edit?usp=sharing"
    commit = f"https://github.com/example-org/garden-planner/commit/{r.hex(40)}"
    yt = f"https://www.youtube.com/watch?v={r.token(11, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-')}"
    dbx = f"https://www.dropbox.com/s/{r.lower(15)}/planting-plan.pdf?dl=0"
    text = (f"Hi,\n\nHere is everything for Thursday:\n\n"
            f"- the draft plan: {doc}\n- the fix for the frost-date bug: {commit}\n"
            f"- that pruning video: {yt}\n- the PDF of the planting plan: {dbx}\n\nCheers,\nAlex\n")
    body = ('<div dir="ltr">Hi,<div><br></div><div>Here is everything for Thursday:</div><ul>'
            f'<li>the draft plan: <a href="{e(doc)}">{e(doc)}</a></li>'
            f'<li>the fix for the frost-date bug: <a href="{e(commit)}">{e(commit)}</a></li>'
            f'<li>that pruning video: <a href="{e(yt)}">{e(yt)}</a></li>'
            f'<li>the PDF of the planting plan: <a href="{e(dbx)}">{e(dbx)}</a></li>'
            '</ul><div>Cheers,</div><div>Alex</div></div>\n')
    ent = multipart("alternative", [leaf('text/plain; charset="UTF-8"', text),
                                    leaf('text/html; charset="UTF-8"', body)],
                    "000000000000a1b2c3d4e5f60718")
    add(C, "personal-docs-github-youtube-dropbox.eml",
        message(headers("Alex Moreno <alex.moreno@example.com>", "Links for Thursday", 71,
                        "<CAB7fq2xR0mZLp4Wd9Nk3Tc8Vh6Js1Ya5Qe2Uo7Ig4Hf0Gb@mail.example.com>"), ent),
        "Personal mail linking to a Google Doc (/document/d/<44-char id>/edit), a GitHub commit "
        "(40-hex sha), a YouTube watch?v= and a Dropbox /s/<id>/file.pdf, in both parts. "
        "Expected: no pixel, click_tracking, link_decoration or address_leak.")

    r = Rand("signature-profile-and-shares")
    profile = f"https://www.linkedin.com/in/priya-raman-{r.hex(8)}/"
    sig_logo = f"https://cdn.fernhill.example/assets/fernhill-logo-{r.hex(10)}.png"
    sheet = (f"https://onedrive.live.com/redir?resid={r.hex(16).upper()}%21{r.digits(3)}"
             f"&authkey=%21{r.token(15)}&ithint=file%2cxlsx")
    form = f"https://forms.gle/{r.token(17)}"
    place = f"https://maps.app.goo.gl/{r.token(17)}"
    text = (f"Hi,\n\nThe budget sheet is here: {sheet}\n"
            f"Please add your dates to the form before Friday: {form}\n"
            f"We meet at the usual place: {place}\n\nBest,\nPriya\n\n--\nPriya Raman\n"
            f"Fernhill Studio\n{profile}\n")
    body = ('<div dir="ltr"><div>Hi,</div><div><br></div>'
            f'<div>The budget sheet is <a href="{e(sheet)}">here</a>.</div>'
            f'<div>Please add your dates to <a href="{e(form)}">the form</a> before Friday.</div>'
            f'<div>We meet at <a href="{e(place)}">the usual place</a>.</div><div><br></div>'
            '<div>Best,</div><div>Priya</div><div><br></div>'
            '<div>-- <br><table cellpadding="0" cellspacing="0"><tr><td>'
            f'<img src="{e(sig_logo)}" width="120" height="40" alt="Fernhill Studio"></td>'
            '<td style="padding-left:8px;font-size:12px;">Priya Raman<br>Fernhill Studio<br>'
            f'<a href="{e(profile)}">LinkedIn</a></td></tr></table></div></div>\n')
    ent = multipart("alternative", [leaf('text/plain; charset="UTF-8"', text),
                                    leaf('text/html; charset="UTF-8"', body)],
                    "000000000000f1e2d3c4b5a69788")
    add(C, "signature-profile-and-shares.eml",
        message(headers("Priya Raman <priya@fernhill.example>", "Budget and dates", 77,
                        "<CAF3kq9xT1mZLp4Wd9Nk3Tc8Vh6Js1Ya5Qe2Uo7Ig4Hf0Gc@mail.fernhill.example>"), ent),
        "Personal mail whose signature links a profile named with a short id "
        "(/in/<name>-<8 hex>/) under a logo named by its content's hash, and whose text shares "
        "a file by its access key (`authkey=`), a Google form and a Maps place by short links. "
        "Expected: no pixel, click_tracking, link_decoration or address_leak.")

    frm = "Willowmere Village Hall <news@willowmere.example>"
    spacer = '<img src="https://willowmere.example/img/spacer.gif" width="1" height="1" alt="" style="display:block;">'
    blank = '<img src="https://www.willowmere.example/images/blank.gif" width="1" height="1" alt="">'
    rows = [logo("https://willowmere.example/img/hall-logo.png", "Willowmere Village Hall",
                 "https://willowmere.example/"),
            spacer, para("The spring fair is on Saturday 20 April, 10 to 4."), spacer,
            para("Stalls, cakes, a plant sale and the tug of war at three."), spacer,
            blank + para("Volunteers welcome: reply to this email."), spacer,
            footer("https://willowmere.example/newsletter/leave")]
    newsletter(C, "spacer-gifs.eml", frm, "Spring fair on the 20th", 72, mid("spacer-gifs", "willowmere.example"),
               page("Spring fair", rows),
               "1x1 spacer.gif (four times) and blank.gif on the sender's own domain, for layout. "
               "Expected: no pixel, click_tracking, link_decoration or address_leak.")

    frm = "Harriet Cole <harriet@example.net>"
    png_b64 = base64.b64encode(png(8, 8, (47, 111, 78))).decode()
    body = ('<html><body><div style="font-family:Helvetica,Arial,sans-serif;">'
            '<p>Hello from the allotment! The new shed is finally up.</p>'
            '<p><img src="cid:shed-photo.7f3a@example.net" width="320" height="240" alt="The new shed"></p>'
            f'<p>Our plot number, as promised: <img src="data:image/png;base64,{png_b64}" width="8" height="8" '
            'alt=""> (the green square marks it on the map)</p>'
            '<p>Harriet</p></div></body></html>\n')
    photo = png(32, 24, (150, 110, 70))
    related = multipart("related", [
        leaf('text/html; charset="utf-8"', body),
        ([("Content-Type", 'image/png; name="shed.png"'), ("Content-Transfer-Encoding", "base64"),
          ("Content-ID", "<shed-photo.7f3a@example.net>"),
          ("Content-Disposition", 'inline; filename="shed.png"')],
         base64.encodebytes(photo))],
        "Apple-Mail=_5E1B7C2D-8A3F-4D6E-9B0C-1F2A3B4C5D6E", ' type="text/html";')
    add(C, "cid-images.eml",
        message(headers(frm, "The shed is up", 73, "<5E1B7C2D-8A3F-4D6E-9B0C-7A1B2C3D4E5F@example.net>"),
                related),
        "Personal HTML mail whose images are a cid: attachment and a data:image/png. "
        "Expected: no findings at all.")

    frm = "Ridgeline Outdoor <news@ridgeline.example>"
    r = Rand("hidden-mobile-copy")
    mobile = ('<div class="mobile-only" style="display:none;max-height:0;overflow:hidden;mso-hide:all;">'
              '<img src="https://cdn.ridgeline.example/email/2024/04/hero-mobile.jpg" width="600" height="800" '
              'alt="New season boots" style="display:block;width:100%;height:auto;">'
              f'<img src="https://img.ridgeline-cdn.example/{r.hex(32)}.jpg" alt="" '
              'style="display:block;width:600px;max-width:100%;">'
              '<img src="https://cdn.ridgeline.example/email/2024/04/promo-mobile.jpg" alt="20% off" '
              'style="display:block;width:100%;">'
              '</div>')
    desktop = ('<div class="desktop-only">'
               '<img src="https://cdn.ridgeline.example/email/2024/04/hero-desktop.jpg" width="552" height="300" '
               'alt="New season boots" style="display:block;"></div>')
    rows = [logo("https://cdn.ridgeline.example/email/logo.png", "Ridgeline Outdoor", "https://ridgeline.example/"),
            desktop + mobile,
            para("Our new season walking boots are in: waterproof, resoleable, made in Portugal."),
            button("https://ridgeline.example/boots", "Shop boots"),
            footer("https://ridgeline.example/unsubscribe")]
    newsletter(C, "hidden-mobile-copy.eml", frm, "New season boots", 74, mid("hidden-mobile-copy", "ridgeline.example"),
               page("New season boots", rows,
                    head='<style type="text/css">@media (max-width:620px){.mobile-only{display:block !important;'
                         'max-height:none !important;}.desktop-only{display:none !important;}}</style>'),
               "A display:none mobile-only block holding content images 600px wide (by attribute, by "
               "CSS, or unsized), one hash-named. Expected: no pixel, click_tracking, link_decoration "
               "or address_leak.")

    frm = "Pinecrest Running Club <news@pinecrest.example>"
    r = Rand("unsubscribe-with-token")
    tok = r.token(24)
    unsub = f"https://pinecrest.example/email/unsubscribe?u={tok}"
    prefs = f"https://pinecrest.example/email/preferences/{tok}"
    rows = [para("<b>Club run this Sunday</b>: 10 km from the boathouse at 9:00."),
            para("Bring water; it is the first warm one of the year."),
            '<p style="margin:0;font-size:11px;color:#888888;">You are receiving this because you joined '
            f'Pinecrest Running Club. <a href="{e(prefs)}">Manage preferences</a> · '
            f'<a href="{e(unsub)}">Unsubscribe</a></p>']
    newsletter(C, "unsubscribe-with-token.eml", frm, "Club run this Sunday", 75,
               mid("unsubscribe-with-token", "pinecrest.example"), page("Club run", rows),
               "The only links are an unsubscribe link and a preferences link carrying a per-recipient "
               "token. Expected: no pixel, click_tracking, link_decoration or address_leak.",
               [("List-Unsubscribe", f"<{unsub}>")])

    frm = "Trailhead Maps <no-reply@trailhead.example>"
    r = Rand("account-links-with-codes")
    verify = f"https://trailhead.example/verify?t={r.token(32)}"
    invite = f"https://trailhead.example/invitations/accept?i={r.token(28)}"
    magic = f"https://trailhead.example/login/magic?k={r.token(40)}"
    reset = f"https://accounts.trailhead.example/password/reset?id={r.token(32)}"
    rows = [para("Welcome to Trailhead Maps! Please confirm this is your address:"),
            button(verify, "Verify your email"),
            para("Sam Okafor has invited you to the shared map <b>Peak District, May</b>."),
            button(invite, "Accept the invitation"),
            para(f'Next time, skip the password: <a href="{e(magic)}">sign in with this link</a>. '
                 f'Forgot it anyway? <a href="{e(reset)}">Reset your password</a>.')]
    newsletter(C, "account-links-with-codes.eml", frm, "Confirm your address", 76,
               mid("account-links-with-codes", "trailhead.example"), page("Welcome", rows),
               "Account mail whose links carry one-time codes in parameters with plain names "
               "(`t`, `i`, `k`, `id`): verify an address, accept an invitation, sign in by link, "
               "reset a password. Expected: no pixel, click_tracking, link_decoration or "
               "address_leak.")


# --------------------------------------------------------------------------- main

def markdown(note):
    """A note as table-cell text: tags outside `code` spans escaped, so renderers show them."""
    parts = note.split("`")
    for i in range(0, len(parts), 2):
        parts[i] = parts[i].replace("<", "&lt;").replace(">", "&gt;")
    return "`".join(parts).replace("|", "&#124;")


def readme(folder):
    lines = [f"# fixtures/{folder}", "",
             "Generated by `scripts/make_technique_fixtures.py` (deterministic; do not edit by hand). "
             "Read by `tests/integration/techniques.rs`. The reader is `reader@example.org`.", "",
             "| File | What it shows and what is expected |", "|---|---|"]
    for rel, _, note in FIXTURES:
        if rel.startswith(folder + "/"):
            lines.append(f"| `{rel.split('/', 1)[1]}` | {markdown(note)} |")
    return ("\n".join(lines) + "\n").encode()


def main():
    pixel_fixtures()
    remote_fixtures()
    link_fixtures()
    leak_fixtures()
    rewriter_fixtures()
    clean_fixtures()

    names = [rel for rel, _, _ in FIXTURES]
    assert len(names) == len(set(names)), "duplicate fixture name"
    ids = set()
    for rel, data, _ in FIXTURES:
        head = data.split(b"\n\n", 1)[0].decode()
        for h in ("From", "To", "Subject", "Date", "Message-ID", "MIME-Version"):
            assert re.search(rf"^{h}: ", head, re.M), (rel, h)
        mid_value = re.search(r"^Message-ID: (.*)$", head, re.M).group(1)
        assert mid_value not in ids, (rel, mid_value)
        ids.add(mid_value)
        assert b"\r" not in data, rel
        assert len(data) < 16_000, (rel, len(data))

    for folder in DIRS:
        path = FIX / folder
        path.mkdir(parents=True, exist_ok=True)
        for old in path.glob("*.eml"):
            old.unlink()
    for rel, data, _ in FIXTURES:
        (FIX / rel).write_bytes(data)
    for folder in DIRS:
        (FIX / folder / "README.md").write_bytes(readme(folder))
    print(f"wrote {len(FIXTURES)} messages under {FIX}/{{{','.join(DIRS)}}}")


if __name__ == "__main__":
    sys.exit(main())
