#!/usr/bin/env python3
"""Generate a large, realistic, newsletter-heavy mail archive for whole-program benchmarks.

    python3 scripts/gen_archive.py --size 450M --out target/bench/archive.mbox
    python3 scripts/gen_archive.py --size 50M --format eml-dir --out target/bench/eml
    python3 scripts/gen_archive.py --size 50M --out - | mailtrace scan -

Python 3 standard library only. Deterministic: the same --seed and --size give byte-identical
output (the mbox and eml-dir forms of one seed hold the same sequence of messages). Streaming:
one message is built at a time and written out, so memory stays flat whatever the size.

What it writes (every message is written here; nothing is copied from real mail):
  * ~75 % newsletters from 48 invented brands (*.example), each sent through one ESP profile
    (Mailchimp, SendGrid, Mailgun, Amazon SES, HubSpot, Klaviyo, Brevo, Salesforce Marketing
    Cloud, Mailjet, Constant Contact, Customer.io, or an in-house sender). They carry that ESP's
    headers (X-Mailgun-Sid, X-SG-EID, X-SES-Outgoing, ...) and its real tracking host names, with
    invented ids. multipart/alternative, text/plain + text/html, quoted-printable or base64;
    table layouts with inline styles and MSO conditionals, 8-16 content images with width/height,
    20-60 links (most through click-tracking redirects with per-recipient tokens, many with
    utm_ parameters), List-Unsubscribe (+ One-Click), and in most of them a 1x1 open pixel in one
    of several styles (width/height attributes, CSS size, display:none, hidden wrapper, no size).
  * ~10 % transactional mail (receipts, shipping, password resets) through Postmark, SES, SendGrid
    or Mailgun: smaller, fewer links, usually a pixel.
  * ~15 % personal mail: plain text or simple Gmail-style alternative, replies with quoted text,
    a few lines beginning "From " (so mboxrd quoting is exercised), a few with PDF-like or
    JPEG-like base64 attachments of 50-500 KB.
Message sizes run from under 1 KB (short notes sent by the archive owner, which have no delivery
headers) through 7-150 KB (HTML mail) to ~700 KB (attachments); the mean is about 40 KiB, the
median about 34 KiB.

mbox output is mboxrd: body lines matching /^>*From / get one more '>'. Separator lines look like
a Gmail Takeout export ("From 1791...@xxx Tue Mar 12 09:14:55 +0000 2024"), and headers carry
X-GM-THRID / X-Gmail-Labels as Takeout does. Line endings are LF.

Domains are example domains (example.com/.net/.org, *.example) except the ESPs' own tracking and
content hosts (list-manage.com, ct.sendgrid.net, awstrack.me, ...), used where a message imitates
mail sent through that ESP. Every id, token and address is invented.
"""

import argparse
import base64
import binascii
import os
import random
import re
import sys
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

# --------------------------------------------------------------------------- randomness


class Rand(random.Random):
    """random.Random with the id shapes mail is full of (fast: built from getrandbits/randbytes)."""

    _B64_TO_ALNUM = bytes.maketrans(b"+/=", b"kQ7")
    _B64_TO_URL = bytes.maketrans(b"+/=", b"-_A")

    def hex(self, n):
        return "%0*x" % (n, self.getrandbits(4 * n))

    def HEX(self, n):
        return "%0*X" % (n, self.getrandbits(4 * n))

    def digits(self, n):
        return str(self.randint(10 ** (n - 1), 10 ** n - 1))

    def alnum(self, n):
        raw = base64.b64encode(self.randbytes(n * 3 // 4 + 3))
        return raw.translate(self._B64_TO_ALNUM)[:n].decode()

    def urltok(self, n):
        raw = base64.b64encode(self.randbytes(n * 3 // 4 + 3))
        return raw.translate(self._B64_TO_URL)[:n].decode()

    def b64(self, n):
        return base64.b64encode(self.randbytes(n * 3 // 4 + 3))[:n].decode()

    def uuid(self):
        h = self.hex(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) % 4]}{h[17:20]}-{h[20:]}"

    def ip(self, first=None):
        return f"{first or self.randint(12, 209)}.{self.randint(0, 255)}.{self.randint(0, 255)}.{self.randint(1, 254)}"

    def pick(self, seq):
        return seq[self.randrange(len(seq))]


# --------------------------------------------------------------------------- words and names

WORDS = """the of and to a in for is on that with as it at by from this be are or your our you we
new more can will all about one best how just make time get now up out like so what today week
year day season spring summer autumn winter home design team work life guide city food coffee
travel story stories people world local market price free shipping order offer save sale members
event events tickets launch release feature features update updates product products collection
style classic simple light bright fresh small big quiet open easy quick smart better good great
first last next every own each other across into over after before during through between around
while still even really most many few some these those their there here where when why which
read watch listen learn explore discover build share plan start finish choose try keep find help
garden kitchen table chair lamp bag jacket shoes coat recipe bread pasta soup salad tea cheese
market river mountain coast island trail station bike train flight hotel room weekend morning
evening night data report numbers growth change community support project projects idea ideas
note notes letter edition issue digest roundup highlights picks favourites essentials basics
customers readers writers makers artists founders engineers designers teachers students
careful honest slow warm cold green blue red wooden linen cotton wool leather ceramic glass
""".split()

APOS_WORDS = ["don’t", "you’re", "it’s", "we’ve", "that’s", "can’t", "we’re", "isn’t", "you’ll", "here’s"]

HEADLINE_OPENERS = ["Inside", "Why", "How", "The", "Meet", "New:", "This week:", "Five", "Our",
                    "A closer look at", "Last chance:", "Introducing", "Behind", "What’s next for"]

FIRST_NAMES = ["Alex", "Sam", "Jordan", "Priya", "Mateo", "Lena", "Tomás", "Yuki", "Noor", "Elif",
               "Jonas", "Chloé", "Ravi", "Ingrid", "Kwame", "Maya", "Oskar", "Zara", "Hugo", "Aisha",
               "Björn", "Mei", "Daniel", "Sofia", "Farid", "Grace", "Léa", "Nikolai", "Amara", "Theo"]
LAST_NAMES = ["Morgan", "Lee", "Patel", "García", "Ortiz", "Tanaka", "Haddad", "Yılmaz", "Berg",
              "Martin", "Shah", "Nilsson", "Mensah", "Cohen", "Larsen", "Khan", "Dubois", "Wong",
              "Schmidt", "Rossi", "Karimi", "Owens", "Moreau", "Volkov", "Okafor", "Brennan"]

ME_NAME = "Alex Morgan"
ME_ADDRS = ["alex.morgan@example.com", "alex.morgan@example.com", "alex.morgan@example.com",
            "alex.morgan+news@example.com", "amorgan@example.org"]
ME = ME_ADDRS[0]

# (display name, domain stem, category). Domains become <stem>.example.
BRANDS = [
    ("Northwind Outfitters", "northwind-outfitters", "retail"),
    ("Lumen Coffee Roasters", "lumencoffee", "food"),
    ("The Harbour Gazette", "harbourgazette", "news"),
    ("Fieldnote Weekly", "fieldnote", "news"),
    ("Kestrel Cloud", "kestrelcloud", "saas"),
    ("Pinecrest Travel", "pinecrest-travel", "travel"),
    ("Marlow & Finch", "marlowfinch", "retail"),
    ("Bramble Kitchen", "bramblekitchen", "food"),
    ("Orbit Analytics", "orbitanalytics", "saas"),
    ("Tidewater Bank", "tidewaterbank", "finance"),
    ("Cobalt Cycles", "cobaltcycles", "retail"),
    ("Quill & Ledger", "quill-ledger", "news"),
    ("Saffron Table", "saffrontable", "food"),
    ("Alder Home", "alderhome", "retail"),
    ("Meridian Air", "meridianair", "travel"),
    ("Copperline Tickets", "copperline", "events"),
    ("Greenway Trust", "greenwaytrust", "nonprofit"),
    ("Nimbus Notes", "nimbusnotes", "saas"),
    ("The Daily Sprocket", "dailysprocket", "news"),
    ("Velvet Crate", "velvetcrate", "retail"),
    ("Stonebridge Books", "stonebridgebooks", "retail"),
    ("Atlas Fitness", "atlasfitness", "retail"),
    ("Juniper Health", "juniperhealth", "saas"),
    ("Riverside Cinema", "riversidecinema", "events"),
    ("Wildflower Seeds", "wildflowerseeds", "retail"),
    ("Polar Outdoor Co.", "polaroutdoor", "retail"),
    ("Brightside Insurance", "brightside-insurance", "finance"),
    ("Ferrous Hardware", "ferroushardware", "retail"),
    ("Lantern Podcasts", "lanternpodcasts", "news"),
    ("Sablewood Wines", "sablewood", "food"),
    ("Helix Learning", "helixlearning", "saas"),
    ("Mosaic Museum", "mosaicmuseum", "nonprofit"),
    ("Parcelbird", "parcelbird", "saas"),
    ("Crestline Hotels", "crestlinehotels", "travel"),
    ("Amberfield Market", "amberfield", "food"),
    ("Signal & Noise", "signalnoise", "news"),
    ("Drift Surf Shop", "driftsurf", "retail"),
    ("Oakmoss Candles", "oakmoss", "retail"),
    ("Ledgerly", "ledgerly", "finance"),
    ("Foxglove Florists", "foxglove", "retail"),
    ("Civic Tech Weekly", "civictech", "news"),
    ("Granite Gym", "granitegym", "events"),
    ("Harvest Box", "harvestbox", "food"),
    ("Vantage Jobs", "vantagejobs", "saas"),
    ("Tandem Rail", "tandemrail", "travel"),
    ("Lighthouse Charity", "lighthousecharity", "nonprofit"),
    ("Pixelpress", "pixelpress", "saas"),
    ("Sunday Long Read", "sundaylongread", "news"),
]

ESP_NAMES = ["mailchimp", "sendgrid", "mailgun", "ses", "hubspot", "klaviyo", "brevo", "sfmc",
             "mailjet", "ctct", "customerio", "inhouse"]
ESP_WEIGHTS = [18, 13, 9, 9, 7, 9, 6, 8, 5, 5, 5, 6]

SOCIALS = ["facebook", "instagram", "x", "linkedin", "youtube", "tiktok", "pinterest"]

PALETTES = [("#0b6e4f", "#f4f1ea"), ("#1d3557", "#f1faee"), ("#b5179e", "#fdf0f7"),
            ("#e76f51", "#fff7f2"), ("#264653", "#eef5f4"), ("#6d28d9", "#f5f3ff"),
            ("#111111", "#f4f4f4"), ("#c2410c", "#fff7ed"), ("#0369a1", "#f0f9ff")]
FONTS = ["Helvetica,Arial,sans-serif", "'Helvetica Neue',Helvetica,Arial,sans-serif",
         "Georgia,'Times New Roman',serif", "Arial,sans-serif",
         "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"]


def words(r, n):
    w = r.choices(WORDS, k=n)
    if n > 6 and r.random() < 0.35:
        w[r.randrange(n)] = r.pick(APOS_WORDS)
    return w


def sentence(r, lo=8, hi=22):
    w = words(r, r.randint(lo, hi))
    s = " ".join(w)
    if r.random() < 0.08:
        s += " — " + " ".join(words(r, r.randint(3, 7)))
    if r.random() < 0.05:
        s += f", from €{r.randint(5, 400)}"
    return s[0].upper() + s[1:] + r.pick([".", ".", ".", ".", "!", "?"])


def paragraph(r, lo=2, hi=5):
    return " ".join(sentence(r) for _ in range(r.randint(lo, hi)))


def headline(r):
    w = " ".join(words(r, r.randint(3, 8)))
    return f"{r.pick(HEADLINE_OPENERS)} {w}"


def title_case(text):
    return " ".join(x[:1].upper() + x[1:] for x in text.split())


# --------------------------------------------------------------------------- MIME helpers


def encoded_word(text, r, q=None):
    """RFC 2047 words for a non-ASCII header text, split into words of at most ~75 characters and
    folded onto continuation lines, B or Q encoding at random."""
    if text.isascii():
        return text
    if q is None:
        q = r.random() < 0.5
    chunks, cur = [], ""
    for ch in text:
        if len((cur + ch).encode("utf-8")) > (22 if q else 42):
            chunks.append(cur)
            cur = ""
        cur += ch
    chunks.append(cur)
    out = []
    for c in chunks:
        data = c.encode("utf-8")
        if q:
            body = "".join(chr(x) if (48 <= x <= 57 or 65 <= x <= 90 or 97 <= x <= 122) else "_" if x == 32
                           else "=%02X" % x for x in data)
            out.append("=?utf-8?Q?" + body + "?=")
        else:
            out.append("=?UTF-8?B?" + base64.b64encode(data).decode() + "?=")
    return "\n ".join(out)


def fold(name, value):
    """Fold a long unstructured header at spaces to ~78 columns."""
    line = f"{name}: {value}"
    if len(line) <= 78 or " " not in value:
        return line
    out, cur = [], f"{name}:"
    for part in value.split(" "):
        if len(cur) + 1 + len(part) > 78 and cur.strip() and cur != f"{name}:":
            out.append(cur)
            cur = "\t" + part
        else:
            cur += " " + part
    out.append(cur)
    return "\n".join(out)


def b64_body(data):
    return base64.encodebytes(data).decode("ascii")


def qp_body(data):
    return binascii.b2a_qp(data, istext=True).decode("ascii")


def leaf(ctype, text_or_bytes, cte, extra=()):
    data = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else text_or_bytes
    if cte == "quoted-printable":
        body = qp_body(data)
    elif cte == "base64":
        body = b64_body(data)
    else:
        body = data.decode("utf-8")
    if not body.endswith("\n"):
        body += "\n"
    hs = [f"Content-Type: {ctype}", f"Content-Transfer-Encoding: {cte}", *extra]
    return "\n".join(hs) + "\n\n" + body


def multipart(subtype, parts, boundary):
    out = [f"Content-Type: multipart/{subtype}; boundary=\"{boundary}\"\n\n"]
    for p in parts:
        out.append(f"--{boundary}\n{p}")
    out.append(f"--{boundary}--\n")
    return "".join(out)


def boundary(r, style):
    if style == "gmail":
        return "000000000000" + r.hex(16)
    if style == "java":
        return f"----=_Part_{r.digits(7)}_{r.digits(9)}.{r.digits(13)}"
    if style == "outlook":
        return f"_000_{r.HEX(32)}_"
    return f"--==_mimepart_{r.hex(13)}_{r.hex(4)}"


def rfc2822(d):
    return d.strftime("%a, %d %b %Y %H:%M:%S ") + d.strftime("%z")


def asctime_utc(d):
    u = d.astimezone(timezone.utc)
    return u.strftime("%a %b %d %H:%M:%S +0000 %Y")


def dkim_sig(r, domain, selector, d, hdrs="From:To:Subject:Date:Message-ID:MIME-Version:Content-Type"):
    b = r.b64(342)
    return ("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=" + domain + "; s=" + selector + ";\n"
            f"\tt={int(d.timestamp())}; x={int(d.timestamp()) + 604800}; bh={r.b64(43)}=;\n"
            f"\th={hdrs};\n"
            "\tb=" + "\n\t ".join(b[i:i + 72] for i in range(0, len(b), 72)) + "==")


def pacific(d):
    """Gmail stamps its Received lines in Pacific time (DST approximated as April-October)."""
    dst = 4 <= d.month <= 10
    return rfc2822(d.astimezone(timezone(timedelta(hours=-7 if dst else -8)))) + (" (PDT)" if dst else " (PST)")


def received_chain(r, d, helo, ip, to):
    """The hops Gmail adds on delivery (newest first), ~1.5 KB."""
    t0 = d + timedelta(seconds=r.randint(2, 40))
    hops = [
        f"Received: by 2002:a05:{r.hex(4)}:{r.hex(4)}:b0:{r.hex(3)}:{r.hex(4)}:{r.hex(4)} with SMTP id {r.alnum(8)}csp{r.digits(6)}{r.alnum(3)};\n"
        f"        {pacific(t0)}",
        f"X-Google-Smtp-Source: AGHT+I{r.b64(80)}",
        f"X-Received: by 2002:a17:{r.hex(3)}:{r.hex(4)}:b0:{r.hex(3)}:{r.hex(4)}:{r.hex(4)} with SMTP id {r.alnum(12)}.{r.digits(2)}.{r.digits(13)};\n"
        f"        {pacific(t0)}",
        f"ARC-Seal: i=1; a=rsa-sha256; t={int(t0.timestamp())}; cv=none;\n"
        f"        d=google.com; s=arc-20160816;\n"
        f"        b={r.b64(68)}\n         {r.b64(68)}\n         {r.b64(68)}\n         {r.b64(68)}==",
        f"ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=google.com; s=arc-20160816;\n"
        f"        h=to:subject:message-id:list-unsubscribe:date:from:mime-version\n"
        f"         :dkim-signature;\n        bh={r.b64(43)}=;\n"
        f"        fh=/{r.b64(30)}=;\n        b={r.b64(68)}\n         {r.b64(68)}\n         {r.b64(68)}==",
        f"ARC-Authentication-Results: i=1; mx.google.com;\n"
        f"       dkim=pass header.i=@{helo.split('.', 1)[-1]} header.s=s1 header.b={r.alnum(8)};\n"
        f"       spf=pass (google.com: domain of bounces designates {ip} as permitted sender) smtp.mailfrom=bounces@{helo.split('.', 1)[-1]};\n"
        f"       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from={helo.split('.', 1)[-1]}",
        f"Return-Path: <bounces+{r.digits(7)}-{r.hex(4)}-{to.replace('@', '=')}@{helo.split('.', 1)[-1]}>",
        f"Received: from {helo} ({helo}. [{ip}])\n"
        f"        by mx.google.com with ESMTPS id {r.alnum(20)}.{r.digits(3)}.{r.digits(4)}.{r.digits(2)}.{r.digits(2)}\n"
        f"        for <{to}>\n        (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256);\n"
        f"        {pacific(t0)}",
        f"Received-SPF: pass (google.com: domain of bounces designates {ip} as permitted sender) client-ip={ip};",
        f"Authentication-Results: mx.google.com;\n"
        f"       dkim=pass header.i=@{helo.split('.', 1)[-1]} header.s=s1 header.b={r.alnum(8)};\n"
        f"       spf=pass smtp.mailfrom=bounces@{helo.split('.', 1)[-1]}",
    ]
    return hops


# --------------------------------------------------------------------------- ESP profiles


class Brand:
    def __init__(self, r, name, stem, category):
        self.name, self.stem, self.category = name, stem, category
        self.domain = f"{stem}.example"
        self.esp = r.choices(ESP_NAMES, ESP_WEIGHTS)[0]
        self.weight = 1.0 / (1 + r.random() * 6)
        self.color, self.bg = r.pick(PALETTES)
        self.font = r.pick(FONTS)
        self.sender = r.pick(["news", "hello", "newsletter", "team", "info", "updates", "editors"])
        self.socials = r.sample(SOCIALS, r.randint(3, 6))
        self.list_id = r.hex(10)
        self.mc_u = r.hex(25)
        self.mc_dc = r.randint(2, 21)
        self.account = r.digits(7)
        self.ses_region = r.pick(["us-east-1", "us-west-2", "eu-west-1", "eu-central-1"])
        self.sub_id = r.digits(8)          # the reader's id on this list
        self.sub_tok = r.hex(10)           # per-recipient token on this list
        self.layout = r.pick(["classic", "classic", "digest", "promo"]) if category != "news" else r.pick(["digest", "digest", "classic"])
        self.pixel_style = r.pick(["attrs", "attrs", "attrs_css", "css", "display_none", "hidden_div", "zero", "nosize"])
        self.pixel_rate = r.pick([1.0, 1.0, 0.95, 0.9, 0.8, 0.0])  # some brands never track opens
        self.track_rate = r.pick([1.0, 0.95, 0.9, 0.8, 0.6])      # share of links that are redirects
        self.qp = r.random() < 0.65                                # html CTE: qp or base64
        self.leaks_address = r.random() < 0.15
        self.cdn = r.pick(["esp", "own", "own"])
        self.boundary_style = r.pick(["java", "outlook", "rails", "java"])
        self.freq_days = r.pick([1, 2, 3, 7, 7, 14])


class Ctx:
    """What one message's link and pixel builders need."""

    def __init__(self, r, brand, to, d, campaign):
        self.r, self.b, self.to, self.d, self.campaign = r, brand, to, d, campaign
        self.msg_tok = r.urltok(22)


def esp_click(ctx, dest):
    r, b = ctx.r, ctx.b
    e = b.esp
    if e == "mailchimp":
        return f"https://{b.stem}.us{b.mc_dc}.list-manage.com/track/click?u={b.mc_u}&id={r.hex(10)}&e={b.sub_tok}"
    if e == "sendgrid":
        host = f"u{b.account}.ct.sendgrid.net" if int(b.account) % 2 else f"url{b.account[:4]}.{b.domain}"
        return f"https://{host}/ls/click?upn={r.urltok(r.randint(280, 460))}"
    if e == "mailgun":
        return f"https://email.{b.domain}/c/{r.urltok(r.randint(160, 260))}"
    if e == "ses":
        return (f"https://{b.account[:6]}.r.{b.ses_region}.awstrack.me/L0/{quote(dest, safe='')}/1/"
                f"0100018{r.hex(9)}-{r.uuid()}-000000/{r.b64(27)}=")
    if e == "hubspot":
        return f"https://d{r.alnum(7).lower()}04.na1.hubspotlinks.com/Ctc/{r.alnum(2)}+113/d{r.alnum(6)}04/{r.urltok(180)}"
    if e == "klaviyo":
        return f"https://ctrk.klclick.com/l/{r.alnum(26)}_{r.alnum(6)}"
    if e == "brevo":
        return f"https://{r.alnum(6)}.r.sp1-brevo.net/mk/cl/f/{r.urltok(r.randint(150, 240))}"
    if e == "sfmc":
        return f"https://click.e.{b.domain}/?qs={r.hex(192)}"
    if e == "mailjet":
        return f"https://{r.alnum(5).lower()}.mjt.lu/lnk/{r.urltok(120)}/{r.randint(1, 40)}/{r.urltok(22)}"
    if e == "ctct":
        return (f"https://r20.rs6.net/tn.jsp?f={r.urltok(150)}&c={r.urltok(86)}==&ch={r.urltok(86)}==")
    if e == "customerio":
        return f"https://e.customeriomail.com/e/c/{r.urltok(36)}.{r.urltok(220)}.{r.urltok(43)}"
    if e == "postmark":
        return f"https://click.pstmrk.it/3s/{quote(dest, safe='')}/{r.alnum(8)}/{r.alnum(8)}/{r.urltok(43)}"
    return f"https://links.{b.domain}/ls/click?id={r.hex(24)}&sub={b.sub_id}&u={quote(dest, safe='')}"


def esp_pixel(ctx):
    r, b = ctx.r, ctx.b
    e = b.esp
    if e == "mailchimp":
        return f"https://{b.stem}.us{b.mc_dc}.list-manage.com/track/open.php?u={b.mc_u}&id={ctx.campaign}&e={b.sub_tok}"
    if e == "sendgrid":
        host = f"u{b.account}.ct.sendgrid.net" if int(b.account) % 2 else f"url{b.account[:4]}.{b.domain}"
        return f"https://{host}/wf/open?upn={r.urltok(r.randint(280, 420))}"
    if e == "mailgun":
        return f"https://email.{b.domain}/o/{r.urltok(r.randint(160, 220))}"
    if e == "ses":
        return f"https://{b.account[:6]}.r.{b.ses_region}.awstrack.me/I0/0100018{r.hex(9)}-{r.uuid()}-000000/{r.b64(27)}="
    if e == "hubspot":
        return f"https://t.hubspotemail.net/e2t/to/{r.alnum(6)}+113/d{r.alnum(6)}04/{r.urltok(140)}"
    if e == "klaviyo":
        return f"https://trk.klclick.com/o/{r.alnum(26)}_{r.alnum(6)}.gif"
    if e == "brevo":
        return f"https://{r.alnum(6)}.r.sp1-brevo.net/mk/op/{r.urltok(r.randint(150, 200))}"
    if e == "sfmc":
        return f"https://click.e.{b.domain}/open.aspx?ffcb10-{r.hex(16)}-{r.hex(16)}-{r.hex(16)}-{r.hex(8)}-{r.hex(16)}-{r.hex(8)}"
    if e == "mailjet":
        return f"https://{r.alnum(5).lower()}.mjt.lu/oo/{r.urltok(110)}/{r.hex(8)}/e.gif"
    if e == "ctct":
        return f"https://r20.rs6.net/on.jsp?ca={r.uuid()}&a={b.account}{r.digits(6)}&c={r.uuid()}&ch={r.uuid()}"
    if e == "customerio":
        return f"https://e.customeriomail.com/e/o/{r.urltok(36)}.{r.urltok(160)}"
    if e == "postmark":
        return f"https://ea.pstmrk.it/open?m=v3_1.{r.urltok(22)}.{r.urltok(120)}"
    return f"https://t.{b.domain}/o/{r.hex(32)}.gif?s={b.sub_id}"


def esp_image(ctx, w, h, label):
    r, b = ctx.r, ctx.b
    if b.cdn == "esp":
        if b.esp == "mailchimp":
            return f"https://mcusercontent.com/{b.mc_u}/images/{r.uuid()}.{r.pick(['jpg', 'png', 'jpg'])}"
        if b.esp == "sfmc":
            return f"https://image.e.{b.domain}/lib/{r.hex(18)}/m/{r.randint(1, 9)}/{r.uuid()}.jpg"
        if b.esp == "klaviyo":
            return f"https://d3k81ch9hvuctc.cloudfront.net/company/{r.alnum(6)}/images/{r.uuid()}.jpeg"
        if b.esp == "hubspot":
            return f"https://{b.account}.fs1.hubspotusercontent-na1.net/hubfs/{b.account}/{label}-{w}x{h}.png"
        if b.esp == "brevo":
            return f"https://img.mailinblue.com/{b.account}/images/content_library/original/{r.hex(24)}.png"
    return f"https://cdn.{b.domain}/email/{ctx.d.year}/{ctx.d.month:02d}/{label}-{r.hex(6)}-{w}x{h}.{r.pick(['jpg', 'png', 'webp', 'jpg'])}"


def esp_headers(ctx):
    """ESP-specific headers and Message-ID, Return-Path host, List-Unsubscribe."""
    r, b, d = ctx.r, ctx.b, ctx.d
    e, to = b.esp, ctx.to
    ts = d.strftime("%Y%m%d%H%M%S")
    hs = []
    bounce_host = f"bounce.{b.domain}"
    unsub_http = f"https://{b.domain}/unsubscribe/{r.urltok(40)}"
    unsub_mail = f"unsubscribe-{r.hex(16)}@{bounce_host}"
    if e == "mailchimp":
        mid = f"<{r.hex(24)}.{ts}.{ctx.campaign}.{r.hex(8)}@mail{r.randint(10, 250)}.sea{r.randint(10, 99)}.mcdlv.net>"
        bounce_host = f"mail{r.randint(10, 250)}.suw{b.mc_dc}.mcdlv.net"
        unsub_http = f"https://{b.stem}.us{b.mc_dc}.list-manage.com/unsubscribe?u={b.mc_u}&id={b.list_id}&e={b.sub_tok}&c={ctx.campaign}"
        unsub_mail = f"unsubscribe-mc.us{b.mc_dc}_{b.mc_u}.{ctx.campaign}-{b.sub_tok}@mailin{r.randint(1, 9)}.mcsv.net"
        hs += [f"X-Mailer: Mailchimp Mailer - **CID{ctx.campaign}{r.hex(10)}**",
               f"X-Campaign: mailchimp{b.mc_u}.{ctx.campaign}",
               f"X-campaignid: mailchimp{b.mc_u}.{ctx.campaign}",
               f"X-Report-Abuse: Please report abuse for this campaign here: https://mailchimp.com/contact/abuse/?u={b.mc_u}&id={ctx.campaign}&e={b.sub_tok}",
               f"X-MC-User: {b.mc_u}",
               f"Feedback-ID: {b.account}:{b.account}.{r.digits(7)}:us{b.mc_dc}:mc",
               f"List-ID: {b.mc_u}mc list <{b.mc_u}.{r.digits(6)}.list-id.mcsv.net>",
               "X-Accounttype: pd"]
    elif e == "sendgrid":
        mid = f"<{r.urltok(22)}@geopod-ismtpd-{r.randint(1, 40)}>"
        bounce_host = "sendgrid.net"
        hs += [f"X-SG-EID: =?us-ascii?Q?u001=2E{r.alnum(40)}?=\n =?us-ascii?Q?{r.alnum(60)}?=\n =?us-ascii?Q?{r.alnum(50)}?=",
               f"X-SG-ID: =?us-ascii?Q?u001=2E{r.alnum(46)}?=",
               f"X-Entity-ID: u001.{r.b64(22)}==",
               f"X-Feedback-ID: {b.account}:SG"]
    elif e == "mailgun":
        mid = f"<{ts}.{r.hex(16)}@mg.{b.domain}>"
        bounce_host = f"mg.{b.domain}"
        sid = base64.b64encode(f'["{r.hex(5)}", "{to}", "{r.hex(5)}"]'.encode()).decode()
        hs += [f"X-Mailgun-Sid: {sid}",
               f'X-Mailgun-Variables: {{"campaign": "{ctx.campaign}", "list": "{b.list_id}", "uid": "{b.sub_id}"}}',
               f"X-Mailgun-Tag: {b.category}-newsletter",
               "X-Mailgun-Track: yes", "X-Mailgun-Track-Clicks: yes", "X-Mailgun-Track-Opens: yes"]
    elif e == "ses":
        mid = f"<0100018{r.hex(9)}-{r.uuid()}-000000@email.amazonses.com>"
        bounce_host = f"{b.ses_region}.amazonses.com"
        hs += [f"X-SES-Outgoing: {d.strftime('%Y.%m.%d')}-{r.ip(54)}",
               f"Feedback-ID: 1.{b.ses_region}.{r.b64(43)}=:AmazonSES",
               f"X-SES-Configuration-Set: {b.stem}-marketing"]
    elif e == "hubspot":
        mid = f"<{r.digits(13)}.{r.uuid()}@{b.stem}.hubspotemail.net>"
        bounce_host = f"bf{r.digits(8)}.hubspotemail.net"
        hs += [f"X-HubSpot-MID: {r.uuid()}", f"X-HS-Cid: {r.alnum(40).lower()}",
               f"X-Report-Abuse-To: abuse@hubspot.com"]
    elif e == "klaviyo":
        mid = f"<01H{r.alnum(23).upper()}@klaviyomail.com>"
        bounce_host = f"send.{b.domain}"
        hs += [f"X-Kmail-Account: {r.alnum(6)}", f"X-Kmail-Message: 01H{r.alnum(23).upper()}",
               f"X-Kmail-Relay-Id: {r.hex(32)}"]
    elif e == "brevo":
        mid = f"<{r.uuid()}@smtp-relay.mailin.fr>"
        bounce_host = f"{r.alnum(10).lower()}.sender-sib.com"
        hs += ["X-Mailer: Brevo", f"X-Mailin-EID: {r.urltok(40)}", f"X-Mailin-Campaign: {r.digits(3)}",
               f"X-Mailin-Client: {b.account}", f"X-sib-id: {r.urltok(80)}"]
    elif e == "sfmc":
        mid = f"<{r.uuid()}@xtnvmta{r.randint(1000, 5999)}.xt.local>"
        bounce_host = f"bounce.e.{b.domain}"
        hs += ["X-SFMC-Stack: " + str(r.randint(1, 12)), f"x-job: {b.account}_{r.digits(7)}",
               f"Feedback-ID: {b.account}:{r.digits(6)}:{r.ip(13)}:sfmktgcld",
               f"List-ID: <{r.digits(8)}.xt.local>"]
    elif e == "mailjet":
        mid = f"<{r.uuid()}@mailjet.com>"
        bounce_host = f"bnc3.mailjet.com"
        hs += [f"X-MJ-Mid: {r.urltok(60)}=", f"X-MJ-SMTPGUID: {r.uuid()}",
               f"Feedback-Id: {r.randint(10, 99)}.{b.account}.{r.digits(7)}:MJ",
               "X-REPORT-ABUSE-TO: Message sent by Mailjet please report to abuse@mailjet.com with a copy of the message"]
    elif e == "ctct":
        mid = f"<{r.digits(13)}.{r.digits(13)}.{r.digits(5)}.JavaMail.app@ccprod-v-pc-{r.randint(1, 20)}>"
        bounce_host = "in.constantcontact.com"
        hs += [f"X-Roving-Id: {r.digits(13)}.{r.digits(13)}", f"X-Roving-Campaignid: {r.digits(13)}",
               f"X-Feedback-ID: {r.uuid()}:{r.uuid()}:{r.digits(13)}:CTCT",
               f"X-Return-Path-Hint: {r.b64(8)}==_{r.digits(13)}_{r.b64(22)}==@in.constantcontact.com"]
    elif e == "customerio":
        mid = f"<{r.alnum(20)}.{r.digits(10)}@customeriomail.com>"
        bounce_host = f"cio{r.digits(6)}.{b.domain}"
        hs += [f"X-Mailer: Customer.io ({r.b64(44)}; +https://whatis.customeriomail.com)",
               "X-Report-Abuse-To: badactor@customer.io"]
    elif e == "postmark":
        mid = f"<{r.uuid()}@mtasv.net>"
        bounce_host = "pm-bounces." + b.domain
        hs += [f"X-PM-Message-Id: {r.uuid()}", "X-PM-Message-Stream: outbound",
               f"X-PM-RCPT: |{base64.b64encode(f'bTB8{r.digits(6)}|{r.digits(7)}|{to}'.encode()).decode()}|",
               f"Feedback-ID: s{b.account}-_:s{b.account}:a{r.digits(6)}:postmark",
               "X-Complaints-To: abuse@postmarkapp.com"]
    else:
        mid = f"<{ts}.{r.hex(12)}@mta{r.randint(1, 9)}.{b.domain}>"
        hs += [f"X-Mailer: {b.name} Mailer 4.{r.randint(0, 9)}", f"X-Campaign-Id: {ctx.campaign}"]
    return mid, bounce_host, unsub_http, unsub_mail, hs


# --------------------------------------------------------------------------- HTML newsletter


HEAD_CSS = """
    body, table, td, a {{ -webkit-text-size-adjust:100%; -ms-text-size-adjust:100%; }}
    table, td {{ mso-table-lspace:0pt; mso-table-rspace:0pt; }}
    img {{ -ms-interpolation-mode:bicubic; border:0; height:auto; line-height:100%; outline:none; text-decoration:none; }}
    table {{ border-collapse:collapse !important; }}
    body {{ height:100% !important; margin:0 !important; padding:0 !important; width:100% !important; }}
    a[x-apple-data-detectors] {{ color:inherit !important; text-decoration:none !important; font-size:inherit !important; font-family:inherit !important; font-weight:inherit !important; line-height:inherit !important; }}
    u + #body a {{ color:inherit; text-decoration:none; font-size:inherit; font-family:inherit; font-weight:inherit; line-height:inherit; }}
    #MessageViewBody a {{ color:inherit; text-decoration:none; font-size:inherit; font-family:inherit; font-weight:inherit; line-height:inherit; }}
    .btn a:hover {{ background-color:{color} !important; border-color:{color} !important; }}
    @media screen and (max-width:600px) {{
      .wrapper {{ width:100% !important; max-width:100% !important; }}
      .mobile-hide {{ display:none !important; }}
      .mobile-stack {{ display:block !important; width:100% !important; }}
      .img-max {{ max-width:100% !important; width:100% !important; height:auto !important; }}
      .mobile-padding {{ padding:20px 16px !important; }}
      .mobile-center {{ text-align:center !important; }}
      .h1 {{ font-size:26px !important; line-height:32px !important; }}
    }}
    @media (prefers-color-scheme: dark) {{
      .dark-bg {{ background-color:#1e1e1e !important; }}
      .dark-text {{ color:#eeeeee !important; }}
    }}
"""


def esc(url):
    return url.replace("&", "&amp;")


class Html:
    """Accumulates the HTML and text parts of one message, counting links and images."""

    def __init__(self, ctx, factor):
        self.ctx = ctx
        self.factor = factor      # growth of the HTML by its transfer encoding
        self.h = []
        self.t = []
        self.links = 0
        self.images = 0
        self.size = 4500.0        # estimated encoded size of the message so far (headers ~4.5 KB)

    def add(self, html, text=""):
        self.h.append(html)
        self.size += len(html) * self.factor
        if text:
            self.t.append(text)
            self.size += len(text) * 1.03

    def dest(self, path):
        ctx, r, b = self.ctx, self.ctx.r, self.ctx.b
        url = f"https://www.{b.domain}/{path}"
        if r.random() < 0.8:
            url += (f"?utm_source={r.pick(['newsletter', 'email', b.esp])}&utm_medium=email"
                    f"&utm_campaign={ctx.d.strftime('%Y-%m-%d')}-{r.pick(['weekly', 'promo', 'digest', 'launch', 'edition'])}"
                    f"&utm_content={path.split('/')[-1][:20]}")
            if r.random() < 0.3:
                url += f"&utm_term={r.pick(['hero', 'cta', 'footer', 'grid', 'text'])}"
        if b.leaks_address and r.random() < 0.2:
            url += ("&" if "?" in url else "?") + f"email={quote(ctx.to, safe='')}"
        return url

    def link(self, path, force_direct=False):
        """A link target: a click-tracking redirect most of the time."""
        self.links += 1
        dest = self.dest(path)
        if not force_direct and self.ctx.r.random() < self.ctx.b.track_rate:
            return esp_click(self.ctx, dest)
        return dest

    def img(self, w, h, label, alt="", style="display:block;border:0;outline:none;", cls="img-max"):
        self.images += 1
        src = esp_image(self.ctx, w, h, label)
        return (f'<img src="{esc(src)}" width="{w}" height="{h}" alt="{alt}" class="{cls}" '
                f'style="{style}width:{w}px;max-width:{w}px;height:auto;" border="0">')


def slug(r):
    return "-".join(words(r, r.randint(2, 5))).replace("’", "")


def td_text(b, size=16, color="#333333", extra=""):
    return (f'style="font-family:{b.font};font-size:{size}px;line-height:{int(size * 1.5)}px;'
            f'color:{color};mso-line-height-rule:exactly;{extra}"')


def block_article(hb):
    r, b = hb.ctx.r, hb.ctx.b
    h1 = headline(r)
    url = hb.link(f"{r.pick(['stories', 'blog', 'journal', 'articles'])}/{slug(r)}")
    cta_url = hb.link(f"{r.pick(['stories', 'shop', 'read'])}/{slug(r)}")
    paras = [paragraph(r, 1, 4) for _ in range(r.randint(1, 2))]
    img = hb.img(r.pick([260, 280, 270]), r.pick([180, 200, 260]), "story", alt=h1[:40])
    ptags = "".join(f'<p style="margin:0 0 14px 0;">{p}</p>' for p in paras)
    cta_label = r.pick(["Read more", "Keep reading", "Shop now", "Find out more", "See details", "Learn more"])
    html = f"""<tr>
<td class="mobile-padding" style="padding:24px 32px;background-color:#ffffff;">
<!--[if mso]><table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td width="270" valign="top"><![endif]-->
<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%">
<tr>
<td class="mobile-stack" width="270" valign="top" style="padding:0 16px 0 0;">
<a href="{esc(url)}" target="_blank" style="text-decoration:none;">{img}</a>
</td>
<td class="mobile-stack" valign="top" {td_text(b)}>
<h2 class="dark-text" style="margin:0 0 10px 0;font-family:{b.font};font-size:21px;line-height:27px;color:#111111;font-weight:bold;"><a href="{esc(url)}" target="_blank" style="color:#111111;text-decoration:none;">{h1}</a></h2>
{ptags}
<table role="presentation" cellpadding="0" cellspacing="0" border="0" class="btn"><tr>
<td align="center" bgcolor="{b.color}" style="border-radius:4px;background-color:{b.color};">
<a href="{esc(cta_url)}" target="_blank" style="display:inline-block;padding:10px 22px;font-family:{b.font};font-size:15px;font-weight:bold;color:#ffffff;text-decoration:none;border-radius:4px;border:1px solid {b.color};">{cta_label} &rarr;</a>
</td></tr></table>
</td>
</tr>
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td>
</tr>
"""
    text = f"{h1.upper()}\n\n" + "\n\n".join(paras) + f"\n\n{cta_label}: {cta_url}\n"
    hb.add(html, text)


def block_digest_item(hb, thumb=True):
    r, b = hb.ctx.r, hb.ctx.b
    h1 = headline(r)
    url = hb.link(f"{r.pick(['news', 'p', 'story', 'a'])}/{r.digits(6)}/{slug(r)}")
    p = " ".join(sentence(r) for _ in range(r.randint(1, 3)))
    thumb, want_thumb = "", thumb
    if want_thumb and r.random() < 0.5:
        thumb = f'<td width="96" valign="top" style="padding:0 0 0 14px;">{hb.img(96, 96, "thumb", style="display:block;border-radius:6px;")}</td>'
    source = r.pick(["", f' <span style="color:#888888;font-size:13px;">({r.pick(["5 min read", "Podcast", "Video", "Opinion", "Analysis"])})</span>'])
    html = f"""<tr><td style="padding:14px 32px;border-bottom:1px solid #eeeeee;background-color:#ffffff;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>
<td valign="top" {td_text(b, 15)}><a href="{esc(url)}" target="_blank" style="font-family:{b.font};font-size:18px;line-height:24px;font-weight:bold;color:{b.color};text-decoration:none;">{h1}</a>{source}
<p style="margin:6px 0 0 0;">{p}</p></td>{thumb}
</tr></table></td></tr>
"""
    hb.add(html, f"* {h1}\n  {p}\n  {url}\n")


def block_link_list(hb, n):
    r, b = hb.ctx.r, hb.ctx.b
    title = r.pick(["More from us", "Also worth your time", "Quick links", "In case you missed it", "Popular this week"])
    items = [(title_case(" ".join(words(r, r.randint(3, 7)))), hb.link(f"{r.pick(['p', 'go', 'read'])}/{slug(r)}")) for _ in range(n)]
    lis = "\n".join(f'<li style="margin:0 0 8px 0;"><a href="{esc(u)}" target="_blank" style="color:{b.color};text-decoration:underline;">{t}</a></li>' for t, u in items)
    html = (f'<tr><td class="mobile-padding" {td_text(b, 15, "#333333", "padding:12px 40px;background-color:#ffffff;")}>\n'
            f'<h3 style="margin:0 0 10px 0;font-size:17px;color:#111111;">{title}</h3>\n<ul style="margin:0;padding:0 0 0 18px;">\n{lis}\n</ul></td></tr>\n')
    hb.add(html, f"{title.upper()}\n" + "\n".join(f"- {t}: {u}" for t, u in items) + "\n")


def block_products(hb):
    r, b = hb.ctx.r, hb.ctx.b
    cols = r.pick([2, 3])
    w = 536 // cols - 12
    cells = []
    texts = []
    for _ in range(cols):
        name = title_case(" ".join(words(r, r.randint(2, 4)))).replace("’", "'")
        price = f"€{r.randint(9, 240)}.{r.pick(['00', '95', '99', '50'])}"
        url = hb.link(f"products/{slug(r)}-{r.digits(5)}")
        cells.append(f"""<td class="mobile-stack" width="{w}" valign="top" align="center" style="padding:0 6px 18px 6px;">
<a href="{esc(url)}" target="_blank" style="text-decoration:none;">{hb.img(w, w, "product", alt=name)}</a>
<p style="margin:10px 0 4px 0;font-family:{b.font};font-size:15px;line-height:20px;color:#111111;font-weight:bold;">{name}</p>
<p style="margin:0;font-family:{b.font};font-size:15px;line-height:20px;color:#555555;">{price}{r.pick(['', ' <s style="color:#999999;">€' + str(r.randint(250, 400)) + '.00</s>'])}</p>
</td>""")
        texts.append(f"{name} - {price}\n{url}")
    html = (f'<tr><td style="padding:8px 26px 8px 26px;background-color:#ffffff;">\n'
            f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>\n'
            + "\n".join(cells) + "\n</tr></table></td></tr>\n")
    hb.add(html, "\n\n".join(texts) + "\n")


def block_hero(hb):
    r, b = hb.ctx.r, hb.ctx.b
    h1 = headline(r)
    url = hb.link(f"{r.pick(['collections', 'campaigns', 'edition'])}/{slug(r)}")
    intro = paragraph(r, 1, 3)
    html = f"""<tr><td align="center" style="background-color:#ffffff;">
<a href="{esc(url)}" target="_blank">{hb.img(600, r.pick([300, 340, 400, 450]), "hero", alt=h1[:50])}</a>
</td></tr>
<tr><td class="mobile-padding" align="center" style="padding:28px 40px 8px 40px;background-color:#ffffff;">
<h1 class="h1 dark-text" style="margin:0;font-family:{b.font};font-size:32px;line-height:40px;color:#111111;font-weight:bold;">{h1}</h1>
<p {td_text(b, 17, "#444444", "margin:14px 0 0 0;")}>{intro}</p>
</td></tr>
"""
    hb.add(html, f"{h1.upper()}\n\n{intro}\n\n{url}\n")


def block_text(hb):
    r, b = hb.ctx.r, hb.ctx.b
    paras = [paragraph(r, 2, 4) for _ in range(r.randint(1, 3))]
    html = (f'<tr><td class="mobile-padding" {td_text(b, 16, "#333333", "padding:16px 40px;background-color:#ffffff;")}>\n'
            + "\n".join(f'<p style="margin:0 0 16px 0;">{p}</p>' for p in paras) + "\n</td></tr>\n")
    hb.add(html, "\n\n".join(paras) + "\n")


def build_newsletter(r, ctx, target, factor):
    b = ctx.b
    hb = Html(ctx, factor)
    subject = r.pick([headline(r), f"{b.name}: {headline(r)}", title_case(headline(r)),
                      f"{r.pick(['Your weekly', 'The', 'This week’s', 'Issue #' + str(r.randint(12, 480)) + ':'])} {' '.join(words(r, 4))}"])
    preheader = sentence(r, 6, 14)
    want_links = max(20, min(60, int(target / 1400 + r.gauss(0, 5))))
    want_images = r.randint(8, 16)
    view_url = hb.link(f"view/{ctx.campaign}", force_direct=r.random() < 0.3)
    logo = hb.img(r.pick([140, 160, 180, 200]), r.pick([40, 48, 56]), "logo", alt=b.name, cls="")
    home = hb.link("", force_direct=False)
    nav = [(x, hb.link(x.lower().replace(" ", "-"))) for x in
           r.sample(["New In", "Women", "Men", "Home", "Sale", "Stories", "Events", "Shop", "Podcast", "Archive", "Deals"], r.randint(3, 5))]
    css = HEAD_CSS.format(color=b.color)
    hb.add(f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" lang="en">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light dark">
<title>{subject}</title>
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml><![endif]-->
<style type="text/css">{css}</style>
</head>
<body id="body" class="dark-bg" style="margin:0;padding:0;background-color:{b.bg};word-spacing:normal;">
<div style="display:none;font-size:1px;color:{b.bg};line-height:1px;max-height:0px;max-width:0px;opacity:0;overflow:hidden;mso-hide:all;">{preheader}{"&zwnj;&nbsp;" * r.randint(30, 90)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:{b.bg};">
<tr><td align="center" valign="top" style="padding:0 10px;">
<!--[if (gte mso 9)|(IE)]><table align="center" border="0" cellspacing="0" cellpadding="0" width="600"><tr><td align="center" valign="top" width="600"><![endif]-->
<table role="presentation" class="wrapper" width="600" cellpadding="0" cellspacing="0" border="0" style="width:600px;max-width:600px;">
<tr><td align="center" style="padding:12px 0;font-family:{b.font};font-size:12px;line-height:16px;color:#777777;">{preheader[:60]} &middot; <a href="{esc(view_url)}" target="_blank" style="color:#777777;text-decoration:underline;">View in browser</a></td></tr>
<tr><td align="center" style="padding:24px 0;background-color:#ffffff;border-top:4px solid {b.color};"><a href="{esc(home)}" target="_blank">{logo}</a></td></tr>
<tr><td align="center" style="padding:0 0 12px 0;background-color:#ffffff;">{" &nbsp;|&nbsp; ".join(f'<a href="{esc(u)}" target="_blank" style="font-family:{b.font};font-size:13px;color:#333333;text-decoration:none;text-transform:uppercase;letter-spacing:1px;">{x}</a>' for x, u in nav)}</td></tr>
""", f"{b.name}\n{subject}\n\nView in browser: {view_url}\n\n" + "\n".join(f"{x}: {u}" for x, u in nav) + "\n")

    pixel_top = r.random() < 0.25
    track_pixel = r.random() < b.pixel_rate
    if track_pixel and pixel_top:
        hb.add(pixel_html(esp_pixel(ctx), b.pixel_style))

    footer_links = 4 + len(b.socials)
    if b.layout != "digest" or r.random() < 0.5:
        block_hero(hb)
    kinds = {"classic": [block_article, block_article, block_products, block_text],
             "digest": [block_digest_item, block_digest_item, block_digest_item, block_article, block_text],
             "promo": [block_products, block_products, block_article, block_hero]}[b.layout]
    # Content blocks (with images while the image budget lasts) until the size is reached; then,
    # if links are still short, cheap link lists; plain text if the size is short but not links.
    while True:
        need_links = hb.links + footer_links < want_links
        need_size = hb.size < target
        if not need_links and not need_size:
            break
        if need_size and need_links:
            if hb.images < want_images:
                r.pick(kinds)(hb)
            elif r.random() < 0.6:
                block_digest_item(hb, thumb=False)
            else:
                block_text(hb)
        elif need_size:
            block_text(hb)
        else:
            block_link_list(hb, min(want_links - footer_links - hb.links, r.randint(3, 8)))
    while hb.images < want_images:
        hb.add(f'<tr><td align="center" style="padding:6px 0;background-color:#ffffff;">{hb.img(r.pick([120, 160, 200]), r.pick([60, 80, 100]), "badge", alt="")}</td></tr>\n')

    social_cells = "".join(
        f'<td style="padding:0 6px;"><a href="{esc(hb.link("social/" + s))}" target="_blank">'
        f'<img src="https://cdn.{b.domain}/email/icons/{s}-circle-gray-48.png" width="28" height="28" alt="{s}" style="display:block;border:0;"></a></td>'
        for s in b.socials)
    hb.images += len(b.socials)
    unsub = hb.link(f"unsubscribe/{ctx.b.sub_id}", force_direct=r.random() < 0.5)
    prefs = hb.link(f"preferences/{ctx.b.sub_id}")
    privacy = hb.link("privacy", force_direct=True)
    forward = hb.link(f"forward/{ctx.campaign}")
    addr = f"{r.randint(1, 400)} {title_case(' '.join(words(r, 2)))} Street, {r.pick(['Springfield', 'Riverton', 'Lakeside', 'Fairview', 'Greenville'])} {r.digits(5)}"
    footer_html = f"""<tr><td align="center" style="padding:28px 20px 8px 20px;background-color:{b.bg};">
<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>{social_cells}</tr></table>
</td></tr>
<tr><td align="center" {td_text(b, 12, "#777777", "padding:12px 40px 32px 40px;background-color:" + b.bg + ";")}>
<p style="margin:0 0 8px 0;">You’re receiving this email because you signed up at {b.domain} as <a href="mailto:{ctx.to}" style="color:#777777;">{ctx.to}</a>.</p>
<p style="margin:0 0 8px 0;">{b.name} &middot; {addr}</p>
<p style="margin:0;"><a href="{esc(unsub)}" target="_blank" style="color:#777777;text-decoration:underline;">Unsubscribe</a> &middot; <a href="{esc(prefs)}" target="_blank" style="color:#777777;text-decoration:underline;">Update preferences</a> &middot; <a href="{esc(privacy)}" target="_blank" style="color:#777777;text-decoration:underline;">Privacy policy</a> &middot; <a href="{esc(forward)}" target="_blank" style="color:#777777;text-decoration:underline;">Forward to a friend</a></p>
</td></tr>
</table>
<!--[if (gte mso 9)|(IE)]></td></tr></table><![endif]-->
</td></tr>
</table>
"""
    hb.add(footer_html, f"--\nYou're receiving this email because you signed up at {b.domain} as {ctx.to}.\n{b.name}, {addr}\n"
           f"Unsubscribe: {unsub}\nUpdate preferences: {prefs}\nPrivacy policy: {privacy}\n")
    if track_pixel and not pixel_top:
        hb.add(pixel_html(esp_pixel(ctx), b.pixel_style))
    hb.add("</body>\n</html>\n")
    return subject, "".join(hb.h), "\n".join(hb.t)


def pixel_html(url, style):
    u = esc(url)
    if style == "attrs":
        return f'<img src="{u}" width="1" height="1" alt="" border="0">\n'
    if style == "attrs_css":
        return (f'<img src="{u}" alt="" width="1" height="1" border="0" style="height:1px !important;width:1px !important;'
                'border-width:0 !important;margin-top:0 !important;margin-bottom:0 !important;margin-right:0 !important;'
                'margin-left:0 !important;padding-top:0 !important;padding-bottom:0 !important;padding-right:0 !important;padding-left:0 !important;"/>\n')
    if style == "css":
        return f'<img src="{u}" alt="" style="display:block;width:1px;height:1px;border:0;overflow:hidden;">\n'
    if style == "display_none":
        return f'<img src="{u}" alt="" style="display:none !important;" width="1" height="1">\n'
    if style == "hidden_div":
        return f'<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;"><img src="{u}" alt=""></div>\n'
    if style == "zero":
        return f'<img border="0" width="0" height="0" alt="" src="{u}">\n'
    return f'<img src="{u}" alt="">\n'


# --------------------------------------------------------------------------- transactional


def build_transactional(r, ctx, target, factor):
    b = ctx.b
    hb = Html(ctx, factor)
    kind = r.pick(["receipt", "shipping", "reset", "receipt", "booking"])
    order = f"{r.pick(['#', 'NW-', 'ORD-', ''])}{r.digits(r.randint(6, 9))}"
    subject = {"receipt": f"Your {b.name} order {order} is confirmed",
               "shipping": f"Your order {order} has shipped",
               "reset": f"Reset your {b.name} password",
               "booking": f"Booking confirmation {order} – {b.name}"}[kind]
    track = hb.link(f"account/orders/{order.strip('#')}")
    logo = hb.img(160, 48, "logo", alt=b.name, cls="")
    hb.add(f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{subject}</title>
<style>body{{margin:0;padding:0}} .rcpt td{{font-family:{b.font};font-size:14px;color:#333333;padding:8px 0;border-bottom:1px solid #eeeeee}}</style></head>
<body style="margin:0;padding:0;background:#f6f6f6;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f6f6f6;"><tr><td align="center" style="padding:24px 8px;">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" border="0" style="background:#ffffff;border-radius:8px;">
<tr><td style="padding:24px 32px 0 32px;"><a href="{esc(hb.link(''))}">{logo}</a></td></tr>
<tr><td {td_text(b, 15, "#333333", "padding:16px 32px;")}>
<h1 style="font-size:22px;margin:0 0 12px 0;color:#111111;">{subject}</h1>
<p style="margin:0 0 12px 0;">Hi {ME_NAME.split()[0]}, {paragraph(r, 1, 2)}</p>
<p style="margin:0 0 16px 0;"><a href="{esc(track)}" style="display:inline-block;background:{b.color};color:#ffffff;padding:12px 20px;border-radius:4px;text-decoration:none;font-weight:bold;">{r.pick(['View your order', 'Track your parcel', 'Manage booking', 'Reset password'])}</a></p>
</td></tr>
""", f"{subject}\n\nHi {ME_NAME.split()[0]},\n\n{r.pick(['View your order', 'Track your parcel'])}: {track}\n")
    rows = []
    total = 0
    while hb.size < target and len(rows) < 200:
        name = title_case(" ".join(words(r, r.randint(2, 5)))).replace("’", "'")
        qty = r.randint(1, 3)
        price = r.randint(300, 25000)
        total += qty * price
        thumb = hb.img(64, 64, "item", alt=name) if r.random() < 0.6 and hb.images < 14 else ""
        row = (f'<tr><td width="72">{thumb}</td><td>{name}<br><span style="color:#888888;font-size:12px;">SKU {r.HEX(8)} &middot; Qty {qty}</span></td>'
               f'<td align="right">€{price * qty / 100:.2f}</td></tr>\n')
        rows.append(row)
        hb.add(row, f"{name} x{qty}  €{price * qty / 100:.2f}")
        if r.random() < 0.3:
            hb.add(f'<tr><td colspan="3" style="font-size:12px;color:#666666;">{sentence(r)}</td></tr>\n')
    hb.h.insert(2, '<tr><td style="padding:0 32px;"><table role="presentation" class="rcpt" width="100%" cellpadding="0" cellspacing="0" border="0">\n')
    hb.add(f'<tr><td></td><td><b>Total</b></td><td align="right"><b>€{total / 100:.2f}</b></td></tr>\n</table></td></tr>\n',
           f"Total: €{total / 100:.2f}\n")
    help_url = hb.link("help")
    hb.add(f"""<tr><td {td_text(b, 12, "#888888", "padding:16px 32px 24px 32px;")}>Questions? <a href="{esc(help_url)}" style="color:#888888;">Visit our help centre</a>. {b.name}, {r.randint(1, 200)} Market Street.</td></tr>
</table></td></tr></table>
""", f"Help: {help_url}\n")
    if r.random() < 0.85:
        hb.add(pixel_html(esp_pixel(ctx), r.pick(["attrs", "attrs_css", "css", "nosize"])))
    hb.add("</body></html>\n")
    return subject, "".join(hb.h), "\n".join(hb.t)


# --------------------------------------------------------------------------- personal mail


def pdf_blob(r, n):
    head = (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
            b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n"
            b"4 0 obj\n<< /Length " + str(n).encode() + b" /Filter /FlateDecode >>\nstream\n")
    tail = b"\nendstream\nendobj\nxref\n0 5\n0000000000 65535 f \ntrailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n9\n%%EOF\n"
    return head + r.randbytes(n) + tail


def jpeg_blob(r, n):
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00H\x00H\x00\x00" + r.randbytes(n) + b"\xff\xd9"


def build_personal(r, people, d, attach):
    who = r.pick(people)
    reply = r.random() < 0.45
    subj = title_case(" ".join(words(r, r.randint(2, 6)))).replace("’", "'")
    if r.random() < 0.15:
        subj = r.pick(["Café on Saturday?", "Photos from the trip 📷", "Re: Zürich plans", "Dinner — Friday?", "Grüße aus Berlin"])
    lines = [f"Hi {ME_NAME.split()[0]},", ""]
    for _ in range(r.randint(1, 4)):
        lines += [paragraph(r, 1, 4), ""]
    if r.random() < 0.12:
        # body lines that must be quoted in mboxrd and unquoted by the reader
        lines += [r.pick(["From what I remember, the train leaves at 9.", "From here on it's downhill.",
                          "From the notes: bring the big tent."]), ""]
        if r.random() < 0.4:
            lines += [">From the archive, quoted by an old mailer.", ""]
    lines += [r.pick(["Cheers,", "Best,", "Thanks!", "Talk soon,", "x"]), who[0].split()[0]]
    if reply:
        od = d - timedelta(hours=r.randint(1, 72))
        lines += ["", f"On {od.strftime('%a, %d %b %Y at %H:%M')}, {ME_NAME} <{ME}> wrote:"]
        lines += ["> " + ln if ln else ">" for ln in (paragraph(r, 2, 6) + "\n\n" + paragraph(r, 1, 3)).split("\n")]
        subj = "Re: " + subj
    text = "\n".join(lines) + "\n"
    # hard-wrap at 72 like a mail client
    wrapped = []
    for ln in text.split("\n"):
        while len(ln) > 76:
            cut = ln.rfind(" ", 0, 72)
            if cut <= 0:
                break
            wrapped.append(ln[:cut])
            ln = ("> " if ln.startswith(">") else "") + ln[cut + 1:]
        wrapped.append(ln)
    text = "\n".join(wrapped)
    b = boundary(r, "gmail")
    if r.random() < 0.5:
        body = leaf('text/plain; charset="UTF-8"', text, r.pick(["quoted-printable", "8bit"]))
    else:
        html = "<div dir=\"ltr\">" + "".join(
            f"<div>{ln.replace('&', '&amp;').replace('<', '&lt;')}</div>" if ln and not ln.startswith(">") else "<div><br></div>"
            for ln in text.split("\n") if not ln.startswith(">")) + "</div>\n"
        body = multipart("alternative", [leaf('text/plain; charset="UTF-8"', text, "quoted-printable"),
                                         leaf('text/html; charset="UTF-8"', html, "quoted-printable")], b)
    if attach:
        n = int(50_000 * (10 ** r.random()))  # 50-500 KB, log-uniform
        if r.random() < 0.6:
            name, ctype, blob = f"{r.pick(['invoice', 'scan', 'tickets', 'contract', 'report'])}-{r.digits(4)}.pdf", "application/pdf", pdf_blob(r, n)
        else:
            name, ctype, blob = f"IMG_{r.digits(4)}.jpg", "image/jpeg", jpeg_blob(r, n)
        att = leaf(f'{ctype}; name="{name}"', blob, "base64",
                   (f'Content-Disposition: attachment; filename="{name}"', f"X-Attachment-Id: f_{r.alnum(9).lower()}",
                    f"Content-ID: <f_{r.alnum(9).lower()}>"))
        body = multipart("mixed", [body, att], boundary(r, "gmail"))
    return who, subj, body, reply


# --------------------------------------------------------------------------- archive


def message_size_target(r, kind):
    if kind == "newsletter":
        return min(120_000, max(12_000, int(r.lognormvariate(10.3, 0.55))))
    if kind == "transactional":
        return min(40_000, max(5_000, int(r.lognormvariate(9.4, 0.45))))
    return 0


class Archive:
    def __init__(self, seed):
        self.r = Rand(seed)
        r = self.r
        self.brands = [Brand(r, *x) for x in BRANDS]
        self.tx_brands = [b for b in self.brands
                          if b.category in ("retail", "saas", "finance", "travel", "food", "events")]
        names = [f"{r.pick(FIRST_NAMES)} {r.pick(LAST_NAMES)}" for _ in range(36)]
        domains = ["example.net", "example.org", "mail.example", "example.com", "post.example"]
        # Addresses are kept ASCII by dropping accented letters (Tomás García -> toms.garca).
        self.people = [(n, f"{n.split()[0].lower()}.{n.split()[1].lower()}@{r.pick(domains)}"
                        .encode("ascii", "ignore").decode()) for n in names]
        self.d = datetime(2021, 1, 4, 7, 30, tzinfo=timezone.utc)
        self.n = 0
        self.thread_ids = []

    def next_message(self):
        """Returns (date, raw message bytes, Gmail message id)."""
        r = self.r
        self.n += 1
        self.d += timedelta(seconds=int(r.expovariate(1 / 7200)) + 30)
        d = self.d.astimezone(timezone(timedelta(hours=r.pick([0, 1, 2, -5, -8, 0, 1]))))
        gm_id = str(1690000000000000000 + int(self.d.timestamp()) * 1000000 + r.randint(0, 999999))
        roll = r.random()
        if roll < 0.75:
            kind = "newsletter"
        elif roll < 0.85:
            kind = "transactional"
        else:
            kind = "personal"
        attach = r.random() < 0.02
        if kind == "personal" or attach:
            raw = self._personal(d, attach)
        else:
            raw = self._bulk(d, kind)
        return self.d, raw, gm_id

    def _gmail_headers(self, r, labels):
        if r.random() < 0.3 and self.thread_ids:
            thrid = r.pick(self.thread_ids)
        else:
            thrid = str(1690000000000000000 + r.getrandbits(52))
            self.thread_ids = (self.thread_ids + [thrid])[-50:]
        return [f"X-GM-THRID: {thrid}", f"X-Gmail-Labels: {labels}"]

    def _bulk(self, d, kind):
        r = self.r
        if kind == "newsletter":
            brand = r.choices(self.brands, [b.weight for b in self.brands])[0]
        else:
            brand = r.pick(self.tx_brands)
        esp = brand.esp
        if kind == "transactional":
            brand.esp = r.pick(["postmark", "ses", "sendgrid", "mailgun", esp])
        to = r.pick(ME_ADDRS)
        ctx = Ctx(r, brand, to, d, r.hex(10))
        target = message_size_target(r, kind)
        qp = brand.qp if kind == "newsletter" else r.random() < 0.7
        factor = 1.1 if qp else 1.37   # growth of the HTML by its transfer encoding
        if kind == "newsletter":
            subject, html, text = build_newsletter(r, ctx, target, factor)
        else:
            subject, html, text = build_transactional(r, ctx, target, factor)
        mid, bounce_host, unsub_http, unsub_mail, esp_hs = esp_headers(ctx)
        brand.esp = esp
        sender = f"{brand.sender}@{brand.domain}" if kind == "newsletter" else r.pick(["orders", "no-reply", "noreply", "support"]) + f"@{brand.domain}"
        helo = {"mailchimp": f"mail{r.randint(10, 250)}.suw{brand.mc_dc}.mcdlv.net",
                "sendgrid": f"o{r.randint(1, 30)}.ptr{r.digits(4)}.{brand.domain}",
                "ses": f"a{r.digits(2)}-{r.randint(1, 250)}.smtp-out.amazonses.com",
                "mailgun": f"m{r.randint(10, 250)}-{r.randint(1, 99)}.mailgun.net"}.get(ctx.b.esp, f"mta{r.randint(1, 40)}.{bounce_host}")
        labels = r.pick(["Category Promotions,Inbox", "Category Promotions,Inbox,Opened", "Category Updates,Inbox,Opened",
                         "Archived,Category Promotions", "Category Promotions,Unread", "Newsletters,Opened"])
        hs = self._gmail_headers(r, labels)
        hs += [f"Delivered-To: {to}"]
        hs += received_chain(r, d, helo, r.ip(), to)
        hs += [dkim_sig(r, brand.domain, r.pick(["s1", "k1", "scph0324", "mte1", "200608", "selector1"]), d)]
        if r.random() < 0.6:
            hs += [dkim_sig(r, bounce_host.split(".", 1)[-1] if "." in bounce_host else bounce_host, "s1", d)]
        hs += [f"From: {encoded_word(brand.name, r) if not brand.name.isascii() else chr(34) + brand.name + chr(34)} <{sender}>",
               f"Reply-To: {r.pick(['reply', 'hello', 'support'])}@{brand.domain}",
               f"To: {ME_NAME} <{to}>" if r.random() < 0.6 else f"To: {to}",
               fold("Subject", encoded_word(subject, r)) if subject.isascii() else "Subject: " + encoded_word(subject, r),
               f"Date: {rfc2822(d)}",
               f"Message-ID: {mid}",
               "MIME-Version: 1.0"]
        if kind == "newsletter" or r.random() < 0.3:
            lu = f"<mailto:{unsub_mail}?subject=unsubscribe>, <{unsub_http}>"
            if r.random() < 0.3:
                lu = f"<{unsub_http}>, <mailto:{unsub_mail}>"
            hs += ["List-Unsubscribe: " + lu.replace(">, <", ">,\n <")]
            if r.random() < 0.8:
                hs += ["List-Unsubscribe-Post: List-Unsubscribe=One-Click"]
            if kind == "newsletter" and brand.esp != "mailchimp" and r.random() < 0.5:
                hs += [f"List-Id: {brand.name.replace('&', 'and')} <{brand.list_id}.list-id.{brand.domain}>"]
        hs += esp_hs
        if r.random() < 0.3:
            hs += ["Precedence: bulk"]
        if kind == "transactional" and r.random() < 0.02:
            hs += [f"Disposition-Notification-To: {sender}"]
        html_cte = "quoted-printable" if qp else "base64"
        text_cte = "quoted-printable" if r.random() < 0.8 else "8bit"
        bstyle = brand.boundary_style
        body = multipart("alternative", [leaf('text/plain; charset="utf-8"', text, text_cte),
                                         leaf('text/html; charset="utf-8"', html, html_cte)], boundary(r, bstyle))
        return ("\n".join(hs) + "\n" + body).encode("utf-8")

    def _personal(self, d, attach):
        r = self.r
        who, subj, body, reply = build_personal(r, self.people, d, attach)
        sent = r.random() < 0.2
        frm, to = (f"{ME_NAME} <{ME}>", f"{who[0]} <{who[1]}>") if sent else (f"{who[0]} <{who[1]}>", f"{ME_NAME} <{ME}>")
        from_dom = (ME if sent else who[1]).split("@")[1]
        hs = self._gmail_headers(r, "Sent" if sent else r.pick(["Inbox,Opened", "Important,Inbox,Opened", "Inbox", "Archived,Opened"]))
        if not sent:
            hs += [f"Delivered-To: {ME}"]
            hs += received_chain(r, d, f"mail-{r.alnum(6).lower()}.{from_dom}", r.ip(), ME)
            hs += [dkim_sig(r, from_dom, "20230601", d)]
        hs += ["MIME-Version: 1.0",
               f"Date: {rfc2822(d)}",
               f"Message-ID: <CA{r.alnum(40)}@mail.gmail.com>" if r.random() < 0.7 else f"Message-ID: <{r.uuid()}@{from_dom}>",
               fold("Subject", encoded_word(subj, r)) if subj.isascii() else "Subject: " + encoded_word(subj, r),
               "From: " + named(frm, r),
               "To: " + named(to, r)]
        if reply:
            ref = f"<CA{r.alnum(40)}@mail.gmail.com>"
            hs += [f"In-Reply-To: {ref}", f"References: {ref}"]
        if r.random() < 0.02:
            hs += [f"Disposition-Notification-To: {frm}"]
        return ("\n".join(hs) + "\n" + body).encode("utf-8")


def named(addr, r):
    """'Name <a@b>' with the name encoded when it is not ASCII."""
    name, rest = addr.split(" <", 1)
    return f"{encoded_word(name, r, q=True)} <{rest}" if not name.isascii() else addr


FROM_LINE = re.compile(rb"^(>*From )", re.M)


def parse_size(text):
    text = text.strip()
    mult = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}.get(text[-1:].lower())
    value = int(text[:-1] if mult else text)
    return value * (mult or 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", default="450M", help="target size (bytes; K/M/G are binary multiples); default 450M")
    ap.add_argument("--out", required=True, help="output mbox file ('-' for stdout), or folder with --format eml-dir")
    ap.add_argument("--format", choices=["mbox", "eml-dir"], default="mbox")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    target = parse_size(args.size)
    arch = Archive(args.seed)
    t0 = time.time()
    total = count = 0
    sizes = []
    if args.format == "mbox":
        out = sys.stdout.buffer if args.out == "-" else open(args.out, "wb")
    else:
        if os.path.exists(args.out) and os.listdir(args.out):
            sys.exit(f"gen_archive: {args.out} exists and is not empty")
        os.makedirs(args.out, exist_ok=True)
        out = None
    try:
        while total < target:
            d, raw, gm_id = arch.next_message()
            count += 1
            sizes.append(len(raw))
            if out is not None:
                sep = f"From {gm_id}@xxx {asctime_utc(d)}\n".encode()
                chunk = sep + FROM_LINE.sub(rb">\1", raw) + b"\n"
                out.write(chunk)
                total += len(chunk)
            else:
                folder = os.path.join(args.out, d.strftime("%Y-%m"))
                if not os.path.isdir(folder):
                    os.makedirs(folder)
                with open(os.path.join(folder, f"{count:06d}.eml"), "wb") as f:
                    f.write(raw)
                total += len(raw)
            if not args.quiet and count % 2000 == 0:
                print(f"gen_archive: {count} messages, {total / 2**20:.0f} MiB", file=sys.stderr)
    finally:
        if out is not None and out is not sys.stdout.buffer:
            out.close()
        elif out is not None:
            out.flush()
    if not args.quiet:
        sizes.sort()
        print(f"gen_archive: wrote {count} messages, {total} bytes in {time.time() - t0:.1f}s "
              f"(message size mean {sum(sizes) / len(sizes) / 1024:.1f} KiB, median {sizes[len(sizes) // 2] / 1024:.1f} KiB, "
              f"min {sizes[0] / 1024:.1f} KiB, max {sizes[-1] / 1024:.1f} KiB)", file=sys.stderr)


if __name__ == "__main__":
    main()
