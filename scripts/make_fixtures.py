#!/usr/bin/env python3
"""Regenerate every file under fixtures/ deterministically.

    python3 scripts/make_fixtures.py          # from the repository root (or anywhere)

No network, fixed seeds, fixed dates: two runs give byte-identical output.
The script deletes fixtures/ and rewrites all of it, including fixtures/README.md,
whose per-message tables are generated from the same data as the fixtures, so
the documented facts cannot drift from the bytes.

Every message here was written for this project. Only example domains are used
(example.com/.net/.org and *.example), plus real ESP tracking host names where a
message is meant to look as if it was sent through that ESP; all ids are invented.
"""

import base64
import binascii
import bz2
import gzip
import hashlib
import html
import io
import lzma
import random
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import uuid
import zipfile
import zlib
from datetime import datetime, timedelta, timezone
from email.header import decode_header, make_header
from email.utils import format_datetime, parseaddr
from pathlib import Path
from urllib.parse import quote as urlquote

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "fixtures"
READER = "reader@example.org"

WRITTEN = {}    # relative path -> bytes, in write order
MESSAGES = []   # (relative path, index in container (1-based), Msg)


# --------------------------------------------------------------------------- basics

def write(rel, data):
    assert isinstance(data, bytes), rel
    p = FIX / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    WRITTEN[rel] = data


def record(rel, msgs):
    for i, m in enumerate(msgs, 1):
        MESSAGES.append((rel, i, m))


def dt(s, tz=0):
    """'2024-03-06 09:15:00' with a UTC offset in hours -> aware datetime."""
    return datetime.strptime(s, "%Y-%m-%d %H:%M:%S").replace(
        tzinfo=timezone(timedelta(hours=tz)))


def rfc2822(d):
    return format_datetime(d)


def asctime(d):
    """ctime()-style date as used on mbox separator lines: 'Mon Jan  1 10:00:00 2024'."""
    return f"{d:%a %b} {d.day:2d} {d:%H:%M:%S %Y}"


def unfold(v):
    return re.sub(r"\r?\n(?=[ \t])", "", v)


class Msg:
    """An RFC 5322 message: ordered header list plus an LF-terminated body."""

    def __init__(self, headers, body, note="", demo_kind=""):
        assert body.endswith(b"\n")
        assert b"\r" not in body
        self.headers = list(headers)
        self.body = body
        self.note = note            # what a test can assert about this message
        self.demo_kind = demo_kind  # demo.mbox only: sender family

    def get(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def header_block(self):
        return "".join(f"{k}: {v}\n" for k, v in self.headers).encode("utf-8")

    def bytes(self):
        return self.header_block() + b"\n" + self.body

    @property
    def from_addr(self):
        return parseaddr(unfold(self.get("From")))[1]

    @property
    def subject(self):
        return str(make_header(decode_header(unfold(self.get("Subject")))))

    @property
    def mid(self):
        return self.get("Message-ID")


def encode_body(payload, cte):
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    if cte in (None, "7bit", "8bit", "binary"):
        out = payload
    elif cte == "quoted-printable":
        out = binascii.b2a_qp(payload, quotetabs=False, istext=True, header=False)
    elif cte == "base64":
        out = base64.encodebytes(payload)
    else:
        raise ValueError(cte)
    if not out.endswith(b"\n"):
        out += b"\n"
    return out


def leaf(ctype, payload, cte="7bit", extra=()):
    hs = [("Content-Type", ctype)]
    if cte:
        hs.append(("Content-Transfer-Encoding", cte))
    hs.extend(extra)
    return hs, encode_body(payload, cte)


def hdr_bytes(hs):
    return "".join(f"{k}: {v}\n" for k, v in hs).encode("utf-8")


def multipart(subtype, parts, boundary, params="", preamble=b"", extra=()):
    ctype = f'multipart/{subtype};{params}\n\tboundary="{boundary}"'
    b = boundary.encode()
    out = preamble
    for hs, body in parts:
        assert b not in body
        out += b"--" + b + b"\n" + hdr_bytes(hs) + b"\n" + body
    out += b"--" + b + b"--\n"
    return [("Content-Type", ctype)] + list(extra), out


def message(headers, entity, note="", demo_kind=""):
    ehs, body = entity
    return Msg(list(headers) + [("MIME-Version", "1.0")] + ehs, body, note, demo_kind)


def std_headers(frm, subject, d, mid, to=READER):
    return [("From", frm), ("To", to), ("Subject", subject),
            ("Date", rfc2822(d)), ("Message-ID", mid)]


def simple(frm, subject, d, mid, text, to=READER, before=(), after=(),
           charset="us-ascii", cte="7bit", note=""):
    hs = list(before) + std_headers(frm, subject, d, mid, to) + list(after)
    return message(hs, leaf(f"text/plain; charset={charset}", text, cte), note)


def mbox_quote(raw, style):
    out = []
    for line in raw.split(b"\n"):
        if style == "mboxo" and line.startswith(b"From "):
            line = b">" + line
        elif style == "mboxrd" and re.match(rb">*From ", line):
            line = b">" + line
        out.append(line)
    return b"\n".join(out)


def mbox(entries, style="mboxo"):
    """entries: (separator line without 'From ', Msg). Each message is followed by one blank line."""
    out = b""
    for env, m in entries:
        out += b"From " + env.encode() + b"\n" + mbox_quote(m.bytes(), style) + b"\n"
    return out


def mbox_cl(entries, quote_style=None):
    """mboxcl (quote_style='mboxo') / mboxcl2 (None): Content-Length counts the stored body bytes."""
    out = b""
    lengths = []
    for env, m in entries:
        body = m.body if quote_style is None else mbox_quote(m.body, quote_style)
        lengths.append(len(body))
        out += (b"From " + env.encode() + b"\n" + m.header_block()
                + f"Content-Length: {len(body)}\n".encode() + b"\n" + body + b"\n")
    return out, lengths


def png(w, h, rgb):
    """A tiny valid PNG, drawn here (solid colour)."""
    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def gz(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


def zstd(data):
    """zstd as its command-line tool writes it (compressed blocks, a content checksum); the tool
    must be installed to regenerate the fixtures."""
    return subprocess.run(["zstd", "-19", "-q", "-c"], input=data, capture_output=True, check=True).stdout


def zstd_skippable(payload):
    """A zstd skippable frame (RFC 8878 3.1.2): what pzstd puts before each frame it writes."""
    return struct.pack("<II", 0x184D2A50, len(payload)) + payload


def b64word(s):
    return "=?UTF-8?B?" + base64.b64encode(s.encode("utf-8")).decode() + "?="


class Rand:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def hex(self, n):
        return "".join(self.r.choice("0123456789abcdef") for _ in range(n))

    def HEX(self, n):
        return self.hex(n).upper()

    def digits(self, n):
        return str(self.r.choice("123456789")) + "".join(self.r.choice("0123456789") for _ in range(n - 1))

    def tok(self, n, alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"):
        return "".join(self.r.choice(alphabet) for _ in range(n))

    def b64(self, n):
        return self.tok(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    def uuid(self):
        return str(uuid.UUID(int=self.r.getrandbits(128), version=4))


def dkim(r, domain, selector, d):
    b = r.b64(172)
    return (f"v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s={selector};\n"
            f"\tt={int(d.timestamp())}; bh={r.b64(43)}=;\n"
            f"\th=From:To:Subject:Date:Message-ID:MIME-Version:Content-Type;\n"
            f"\tb={b[:70]}\n\t {b[70:140]}\n\t {b[140:]}==")


def received(r, helo, ip, d, by="mx.example.org"):
    return (f"from {helo} ({helo} [{ip}])\n\tby {by} (Postfix) with ESMTPS id 4T{r.tok(10, 'BCDFGHJKLMNPQRSTVWXZbcdfghjklmnpqrstvwxz0123456789')}\n"
            f"\tfor <{READER}>; {rfc2822(d)}")


# --------------------------------------------------------------------------- formats/

PLAIN_SIG = "\n-- \nSent from a test fixture\n"


def fmt_single():
    d = dt("2024-03-05 15:30:00")
    u, lid, e = "4f2a9c1e7b3d5a6f8e0c1b2d3", "7a1b2c3d4e", "9f8e7d6c5b"
    pixel = f"https://shop.us21.list-manage.com/track/open.php?u={u}&id={lid}&e={e}"
    c1 = f"https://shop.us21.list-manage.com/track/click?u={u}&id=0b1c2d3e4f&e={e}"
    c2 = f"https://shop.us21.list-manage.com/track/click?u={u}&id=5a6b7c8d9e&e={e}"
    unsub = f"https://shop.us21.list-manage.com/unsubscribe?u={u}&id={lid}&e={e}&c=1a2b3c4d5e"
    text = (f"New arrivals at Shop Example\n\nThe spring range is in: rain jackets, canvas bags and more.\n\n"
            f"Shop the new range: {c1}\nSee the lookbook: {c2}\n\nUnsubscribe: {unsub}\n")
    htm = f"""<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>New arrivals</title></head>
<body style="margin:0;padding:0;background:#f2f2f2;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
<tr><td align="center" style="padding:16px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="background:#ffffff;">
<tr><td style="padding:24px;font-family:Arial,sans-serif;font-size:16px;color:#222222;">
<h1 style="font-size:24px;margin:0 0 12px 0;">New arrivals at Shop Example</h1>
<p style="margin:0 0 16px 0;">The spring range is in: rain jackets, canvas bags and more.</p>
<p><a href="{html.escape(c1)}" style="color:#0b6e4f;">Shop the new range</a></p>
<p><a href="{html.escape(c2)}" style="color:#0b6e4f;">See the lookbook</a></p>
<p style="font-size:12px;color:#777777;"><a href="{html.escape(unsub)}" style="color:#777777;">Unsubscribe</a></p>
</td></tr>
</table>
</td></tr>
</table>
<img src="{html.escape(pixel)}" height="1" width="1" alt="">
</body>
</html>
"""
    ent = multipart("alternative", [
        leaf("text/plain; charset=utf-8", text),
        leaf("text/html; charset=utf-8", htm),
    ], "----=_NextPart_single_0001")
    hs = [("Return-Path", "<bounce-mc.us21_4f2a9c1e.1234567-reader=example.org@mail42.suw21.mcdlv.net>")]
    hs += std_headers('"Shop Example" <news@shop.example>', "New arrivals at Shop Example", d,
                      "<single-newsletter-20240305@shop.example>")
    hs += [("List-Unsubscribe", f"<{unsub}>")]
    note = (f"multipart/alternative (text/plain + text/html, both 7bit). HTML has one 1x1 pixel "
            f"(width/height attributes) `{pixel}` (written with `&amp;` in the HTML source), "
            f"two click-tracked links `{c1}` and `{c2}`, and the unsubscribe link `{unsub}`.")
    m = message(hs, ent, note)
    write("formats/single.eml", m.bytes())
    record("formats/single.eml", [m])


def fmt_eml_folder():
    a = simple('"Ann Example" <ann@example.com>', "Folder message A", dt("2024-02-01 09:00:00"),
               "<eml-folder-a@example.com>", "This is message A at the top of the folder.\n" + PLAIN_SIG)
    b = simple('"Ben Example" <ben@example.com>', "Folder message B", dt("2024-02-02 09:00:00"),
               "<eml-folder-b@example.com>", "This is message B, one level down.\n" + PLAIN_SIG)
    c = simple('"Cat Example" <cat@example.com>', "Folder message C", dt("2024-02-03 09:00:00"),
               "<eml-folder-c@example.com>", "This is message C, two levels down.\n" + PLAIN_SIG)
    for rel, m in (("a.eml", a), ("sub/b.eml", b), ("sub/deeper/c.eml", c)):
        write("formats/eml-folder/" + rel, m.bytes())
        record("formats/eml-folder/" + rel, [m])
    write("formats/eml-folder/sub/notes.txt", b"shopping list\nmilk\n")


def fmt_mboxo():
    m1 = simple('"Sender One" <sender@example.com>', "mboxo message one", dt("2024-01-01 10:00:00"),
                "<mboxo-1@example.com>", "First message of the mboxo file.\n")
    m2 = simple('"The Editor" <editor@example.com>', "mboxo message two: editor's note",
                dt("2024-01-02 11:30:00"), "<mboxo-2@example.com>",
                "Dear reader,\n\nFrom the desk of the editor\ncomes this short note.\n\nRegards,\nThe Editor\n",
                note="Stored body line `>From the desk of the editor`; after mboxo unquoting the 4th body "
                     "line must read `From the desk of the editor` (decoded body: `Dear reader,\\n\\nFrom the "
                     "desk of the editor\\ncomes this short note.\\n\\nRegards,\\nThe Editor\\n`).")
    m3 = simple('"Sender Three" <three@example.com>', "mboxo message three", dt("2024-01-03 12:45:00"),
                "<mboxo-3@example.com>", "Third message of the mboxo file.\n")
    entries = [("sender@example.com " + asctime(dt("2024-01-01 10:00:00")), m1),
               ("editor@example.com " + asctime(dt("2024-01-02 11:30:00")), m2),
               ("three@example.com " + asctime(dt("2024-01-03 12:45:00")), m3)]
    write("formats/mboxo.mbox", mbox(entries, "mboxo"))
    record("formats/mboxo.mbox", [m1, m2, m3])


def fmt_mboxrd():
    m1 = simple('"Quoting Tester" <quoter@example.com>', "mboxrd quoting", dt("2024-01-05 08:00:00"),
                "<mboxrd-1@example.com>",
                "Two tricky lines follow.\n\nFrom here\n>From there\n\nEnd.\n",
                note="Stored lines `>From here` and `>>From there`; after mboxrd unquoting (remove one `>` "
                     "from any line matching `^>+From `) they read `From here` and `>From there`. "
                     "Decoded body: `Two tricky lines follow.\\n\\nFrom here\\n>From there\\n\\nEnd.\\n`.")
    m2 = simple('"Cheese Shop" <cheese@example.net>', "mboxrd message two", dt("2024-01-06 08:00:00"),
                "<mboxrd-2@example.net>",
                "Fromage is French for cheese.\n>Quoted line, not a From line.\n",
                note="Line `Fromage is French for cheese.` starts with `From` but not `From `: it is "
                     "neither quoted nor a separator; body is stored unchanged.")
    entries = [("quoter@example.com " + asctime(dt("2024-01-05 08:00:00")), m1),
               ("cheese@example.net " + asctime(dt("2024-01-06 08:00:00")), m2)]
    write("formats/mboxrd.mbox", mbox(entries, "mboxrd"))
    record("formats/mboxrd.mbox", [m1, m2])


def fmt_mboxcl2():
    m1 = simple('"Ann Archivist" <ann@archive.example>', "mboxcl2 message one", dt("2024-01-10 09:00:00"),
                "<mboxcl2-1@archive.example>",
                "Hello,\n\nHere is the passage you asked about:\n\nFrom the archive, 1999 edition\n"
                "the index runs to forty pages.\n\nRegards,\nAnn\n")
    m2 = message(std_headers('"Bea Baker" <bea@example.net>', "mboxcl2 message two", dt("2024-01-11 09:00:00"),
                             "<mboxcl2-2@example.net>"),
                 leaf("text/plain; charset=utf-8", "Meet at the Café at noon?\nBea\n", "8bit"))
    m3 = simple('"Cal Carter" <cal@example.org>', "mboxcl2 message three", dt("2024-01-12 09:00:00"),
                "<mboxcl2-3@example.org>", "Third and last.\n")
    entries = [("ann@archive.example " + asctime(dt("2024-01-10 09:00:00")), m1),
               ("bea@example.net " + asctime(dt("2024-01-11 09:00:00")), m2),
               ("cal@example.org " + asctime(dt("2024-01-12 09:00:00")), m3)]
    data, lengths = mbox_cl(entries, None)
    m1.note = (f"Content-Length: {lengths[0]}. Body contains a blank line followed by the UNQUOTED line "
               "`From the archive, 1999 edition`; it is body text, not a separator (a reader that ignores "
               "Content-Length would wrongly split here). Decoded body ends `Regards,\\nAnn\\n`.")
    m2.note = (f"Content-Length: {lengths[1]} (bytes, not characters: the body is UTF-8 8bit and contains "
               "`Café`, 2 bytes for `é`). Body: `Meet at the Café at noon?\\nBea\\n`.")
    m3.note = f"Content-Length: {lengths[2]}. Body: `Third and last.\\n`."
    write("formats/mboxcl2.mbox", data)
    record("formats/mboxcl2.mbox", [m1, m2, m3])


def fmt_mboxcl():
    m1 = simple('"Dee Dalton" <dee@example.com>', "mboxcl message one", dt("2024-01-15 14:00:00"),
                "<mboxcl-1@example.com>",
                "Notes:\n\nFrom time to time the printer jams.\nThat is all.\n")
    m2 = simple('"Eli Evans" <eli@example.com>', "mboxcl message two", dt("2024-01-16 14:00:00"),
                "<mboxcl-2@example.com>",
                "From the top:\nline two\n")
    entries = [("dee@example.com " + asctime(dt("2024-01-15 14:00:00")), m1),
               ("eli@example.com " + asctime(dt("2024-01-16 14:00:00")), m2)]
    data, lengths = mbox_cl(entries, "mboxo")
    m1.note = (f"Content-Length: {lengths[0]} (counts the stored `>`). Stored line `>From time to time the "
               "printer jams.`; after mboxo unquoting it reads `From time to time the printer jams.`")
    m2.note = (f"Content-Length: {lengths[1]} (counts the stored `>`). The body's FIRST line is stored as "
               "`>From the top:` and unquotes to `From the top:`.")
    write("formats/mboxcl.mbox", data)
    record("formats/mboxcl.mbox", [m1, m2])


def fmt_crlf():
    ms, entries = [], []
    for i, (who, d) in enumerate((("fay@example.com", "2024-01-20 07:00:00"),
                                  ("gus@example.com", "2024-01-21 07:00:00"),
                                  ("hal@example.com", "2024-01-22 07:00:00")), 1):
        m = simple(f"<{who}>", f"CRLF message {i}", dt(d), f"<crlf-{i}@example.com>",
                   f"Line one of message {i}.\nLine two of message {i}.\n",
                   note="Every line ends CRLF. Header values must not keep a trailing `\\r`; "
                        f"decoded body is `Line one of message {i}.\\r\\nLine two of message {i}.\\r\\n` "
                        "(or the LF-normalised equivalent).")
        ms.append(m)
        entries.append((f"{who} {asctime(dt(d))}", m))
    data = mbox(entries, "mboxo").replace(b"\n", b"\r\n")
    write("formats/crlf.mbox", data)
    record("formats/crlf.mbox", ms)


def fmt_odd_dates():
    m1 = simple('"Tina Thunder" <tina@example.com>', "Thunderbird-style separator", dt("2024-01-01 10:00:00"),
                "<odd-1@example.com>", "Separator: From - Mon Jan  1 10:00:00 2024\n")
    m2 = simple('"Mail System" <MAILER-DAEMON@mail.example.net>', "Folder bookkeeping record",
                dt("2011-07-08 12:08:34"), "<odd-2@mail.example.net>",
                "This record was written by the mail server to keep folder state.\n")
    m3 = simple("<user@example.com>", "A message from 1996", dt("1996-01-03 01:05:34"),
                "<odd-3@example.com>", "Separator has two spaces after the address.\n")
    m4 = simple('"Gail Takeout" <gail@example.com>', "Takeout-style separator",
                dt("2024-03-06 09:15:00"), "<odd-4@example.com>",
                "Separator: From 1789012345678901234@xxx Wed Mar 06 09:15:00 +0000 2024\n")
    m5 = simple('"Example Deals" <deals@mg.example.net>', "RFC 2822 date on the separator",
                dt("2024-03-05 10:11:12", 1), "<odd-5@mg.example.net>",
                "Separator: From bounce+abc=example.org@mg.example.net Tue, 5 Mar 2024 10:11:12 +0100\n")
    seps = ["- Mon Jan  1 10:00:00 2024",
            "MAILER-DAEMON Fri Jul  8 12:08:34 2011",
            "user@example.com  Sat Jan  3 01:05:34 1996",
            "1789012345678901234@xxx Wed Mar 06 09:15:00 +0000 2024",
            "bounce+abc=example.org@mg.example.net Tue, 5 Mar 2024 10:11:12 +0100"]
    ms = [m1, m2, m3, m4, m5]
    for s, m in zip(seps, ms):
        m.note = f"Separator line: `From {s}`."
    m3.note += (" The weekday is wrong on purpose (3 Jan 1996 was a Wednesday; the Date header says `Wed`): "
                "readers must not reject a separator over its weekday.")
    write("formats/odd-dates.mbox", mbox(list(zip(seps, ms)), "mboxo"))
    record("formats/odd-dates.mbox", ms)


def fmt_preamble():
    m1 = simple('"Ivy Ives" <ivy@example.com>', "After the preamble, one", dt("2024-02-10 10:00:00"),
                "<preamble-1@example.com>", "First real message.\n")
    m2 = simple('"Jon Jones" <jon@example.com>', "After the preamble, two", dt("2024-02-11 10:00:00"),
                "<preamble-2@example.com>", "Second real message.\n")
    pre = b"This archive was exported by hand.\nIt has notes before the first message.\n\n"
    data = pre + mbox([("ivy@example.com " + asctime(dt("2024-02-10 10:00:00")), m1),
                       ("jon@example.com " + asctime(dt("2024-02-11 10:00:00")), m2)], "mboxo")
    write("formats/preamble.mbox", data)
    record("formats/preamble.mbox", [m1, m2])


def fmt_takeout():
    rel = "formats/takeout/All mail Including Spam and Trash.mbox"
    pix = "https://u7654321.ct.sendgrid.net/wf/open?upn=u001.Tk3bE9xQ2aLk8vR1mZp4WcY7nH0sJd6Fq"
    promo_html = (f'<html><body><p style="font-family:Arial,sans-serif;">Spring sale: 30% off planters.</p>\n'
                  f'<p><a href="https://u7654321.ct.sendgrid.net/ls/click?upn=u001.Qm9yZ2FuLXNhbGUtMjAyNC1zcHJpbmc-2Bx">Shop the sale</a></p>\n'
                  f'<img src="{pix}" alt="" width="1" height="1" border="0" style="height:1px !important;width:1px !important;border-width:0 !important;">\n'
                  f'</body></html>\n')
    m1 = message(
        [("X-GM-THRID", "1792345678901234567"),
         ("X-Gmail-Labels", "Inbox,Category Promotions,Opened"),
         ("Delivered-To", READER),
         ("Received", "by 2002:a05:6a10:9b4e:b0:5a1:2b3c:4d5e with SMTP id k14csp123456pxb;\n"
                      "        Wed, 6 Mar 2024 01:15:00 -0800 (PST)"),
         ("Return-Path", "<bounces+7654321-ab12-reader=example.org@em123.garden-store.example>")]
        + std_headers('"Garden Store" <offers@garden-store.example>', "Spring sale: 30% off planters",
                      dt("2024-03-06 09:15:00"), "<takeout-1@garden-store.example>"),
        multipart("alternative", [
            leaf("text/plain; charset=utf-8", "Spring sale: 30% off planters.\nShop the sale: https://garden-store.example/sale\n"),
            leaf("text/html; charset=utf-8", promo_html)], "000000000000takeout0001a"),
        note=f"Gmail headers X-GM-THRID and X-Gmail-Labels come first. HTML has a SendGrid open pixel `{pix}`.")
    m2 = message(
        [("X-GM-THRID", "1792345678901234999"),
         ("X-Gmail-Labels", "Sent,Opened")]
        + std_headers('"Sam Reader" <reader@example.org>', "Re: Lunch on Friday", dt("2024-03-07 12:02:00"),
                      "<takeout-2@example.org>", to='"Alex Friend" <friend@example.net>'),
        leaf("text/plain; charset=utf-8", "Friday works. See you at one.\nSam\n"),
        note="A sent message: From reader@example.org, To friend@example.net. Labels `Sent,Opened`.")
    m3 = message(
        [("X-GM-THRID", "1792345678901235111"),
         ("X-Gmail-Labels", "Spam,Unread")]
        + std_headers('"Prize Desk" <winner@prizes.example>', "You may have won", dt("2024-03-08 18:40:00"),
                      "<takeout-3@prizes.example>"),
        leaf("text/plain; charset=utf-8", "Claim your prize at https://prizes.example/claim today.\n"),
        note="Labels `Spam,Unread`; plain text, no tracking.")
    entries = [("1792345678901234567@xxx Wed Mar 06 09:15:00 +0000 2024", m1),
               ("1792345678901234999@xxx Thu Mar 07 12:02:00 +0000 2024", m2),
               ("1792345678901235111@xxx Fri Mar 08 18:40:00 +0000 2024", m3)]
    write(rel, mbox(entries, "mboxrd"))
    record(rel, [m1, m2, m3])


MOZ_KEYS = ("X-Mozilla-Keys", " " * 80)


def moz(status="0001"):
    return [("X-Mozilla-Status", status), ("X-Mozilla-Status2", "00000000"), MOZ_KEYS]


def mork(rows):
    lines = ['// <!-- <mdb:mork:z v="1.4"/> -->',
             "< <(a=c)> // (f=iso-8859-1)",
             "  (B8=ns:msg:db:row:scope:msgs:all)(B9=ns:msg:db:table:kind:msgs)",
             "  (BA=subject)(BB=sender)(BC=message-id)(BD=date)(BE=size)(BF=flags)>",
             "",
             "<(80=ns:msg:db:row:scope:dbfolderinfo:all)(81=ns:msg:db:table:kind:dbfolderinfo)>",
             "{1:^80 {(k^81:c)(s=9)} [1:^80(^82=%d)]}" % len(rows),
             ""]
    for i, (mid, date_hex) in enumerate(rows, 1):
        lines.append(f"@$${i:X}{{@")
        lines.append(f"<({0x8F + 2 * i:X}={mid})({0x90 + 2 * i:X}={date_hex})>")
        lines.append(f"[{i}:^B8(^BC^{0x8F + 2 * i:X})(^BD^{0x90 + 2 * i:X})]")
        lines.append(f"@$$}}{i:X}}}@")
    return ("\n".join(lines) + "\n").encode()


def fmt_thunderbird():
    base = "formats/thunderbird/Local Folders/"
    d1, d2 = dt("2024-01-09 08:30:00"), dt("2024-01-10 17:45:00")
    i1 = simple('"Kim Kay" <kim@example.net>', "Thunderbird inbox one", d1, "<tb-inbox-1@example.net>",
                "Hello from the Thunderbird inbox.\n", before=moz("0001"))
    i2 = simple('"Lou Lane" <lou@example.net>', "Thunderbird inbox two", d2, "<tb-inbox-2@example.net>",
                "Second inbox message, not yet read.\n", before=moz("0000"))
    for m in (i1, i2):
        m.note = "X-Mozilla-Status, X-Mozilla-Status2 and X-Mozilla-Keys (80 spaces) come first."
    write(base + "Inbox", mbox([("- " + asctime(d1), i1), ("- " + asctime(d2), i2)], "mboxo"))
    record(base + "Inbox", [i1, i2])
    write(base + "Inbox.msf", mork([("tb-inbox-1@example.net", f"{int(d1.timestamp()):x}"), ("tb-inbox-2@example.net", f"{int(d2.timestamp()):x}")]))
    d3, d4 = dt("2024-02-14 12:00:00"), dt("2024-03-01 09:10:00")
    a1 = simple('"Mo Marsh" <mo@example.com>', "Archived: February minutes", d3, "<tb-archive-1@example.com>",
                "Minutes attached in the body: nothing to report.\n", before=moz("0001"))
    a2 = simple('"Nia North" <nia@example.com>', "Archived: March rota", d4, "<tb-archive-2@example.com>",
                "The March rota is unchanged.\n", before=moz("0011"))
    write(base + "Archives.sbd/2024", mbox([("- " + asctime(d3), a1), ("- " + asctime(d4), a2)], "mboxo"))
    record(base + "Archives.sbd/2024", [a1, a2])
    write(base + "Archives.sbd/2024.msf", mork([("tb-archive-1@example.com", f"{int(d3.timestamp()):x}"), ("tb-archive-2@example.com", f"{int(d4.timestamp()):x}")]))
    write(base + "Trash", b"")
    write(base + "Trash.msf", mork([]))


def fmt_maildir():
    base = "formats/maildir/"

    def md(frm, subj, d, mid, text, note):
        return simple(frm, subj, d, mid, text, note=note,
                      before=[("Return-Path", f"<{parseaddr(frm)[1]}>"), ("Delivered-To", READER)])
    m1 = md('"Ola Olsen" <ola@example.com>', "Maildir cur seen", dt("2023-11-14 22:13:21"),
            "<maildir-1@example.com>", "Seen message in cur/.\n", "cur/, flags `S` (seen).")
    m2 = md('"Pat Price" <pat@example.com>', "Maildir cur replied", dt("2023-11-14 22:13:22"),
            "<maildir-2@example.com>", "Replied-to message in cur/.\n", "cur/, flags `RS` (replied, seen).")
    m3 = md('"Quinn Quill" <quinn@example.com>', "Maildir new unread", dt("2023-11-14 22:13:23"),
            "<maildir-3@example.com>", "Fresh message in new/, no info suffix.\n", "new/, no `:2,` suffix (unseen).")
    m4 = md('"Ray Rowe" <ray@example.com>', "Maildir tmp must be ignored", dt("2023-11-14 22:13:24"),
            "<maildir-4-tmp@example.com>", "A delivery still in progress. Readers must skip tmp/.\n",
            "tmp/: MUST be ignored (never counted, never reported).")
    m5 = md('"Sue Stone" <sue@example.com>', "Maildir++ Work folder", dt("2023-11-14 22:13:25"),
            "<maildir-5@example.com>", "Flagged message in the .Work sub-folder.\n",
            "Maildir++ sub-folder `.Work` (folder name `Work`), cur/, flags `FS` (flagged, seen).")
    files = [("cur/1700000001.M1P100.host:2,S", m1), ("cur/1700000002.M2P100.host:2,RS", m2),
             ("new/1700000003.M3P100.host", m3), ("tmp/1700000004.M4P100.host", m4),
             (".Work/cur/1700000005.M5P100.host:2,FS", m5)]
    for rel, m in files:
        write(base + rel, m.bytes())
        record(base + rel, [m])
    write(base + ".Work/maildirfolder", b"")
    write(base + "dovecot-uidlist", b"3 V1700000000 N6\n")
    write(base + "subscriptions", b"Work\n")


PLIST_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
              '<plist version="1.0">\n')


def emlx(m, flags, received, pad):
    raw = m.bytes()
    n = str(len(raw))
    first = (n.ljust(10) if pad else n) + "\n"
    plist = (PLIST_HEAD + "<dict>\n"
             f"\t<key>date-last-viewed</key>\n\t<integer>{received + 600}</integer>\n"
             f"\t<key>date-received</key>\n\t<integer>{received}</integer>\n"
             f"\t<key>flags</key>\n\t<integer>{flags}</integer>\n"
             f"\t<key>remote-id</key>\n\t<string>{received % 10000}</string>\n"
             "</dict>\n</plist>\n")
    return first.encode() + raw + plist.encode(), len(raw)


def fmt_applemail():
    base = "formats/applemail/Inbox.mbox/"
    box = base + "2F1C6D0A-1B2C-4D3E-8F90-0123456789AB/Data/"
    write(base + "Info.plist", (PLIST_HEAD + "<dict>\n"
                                "\t<key>DisplayName</key>\n\t<string>Inbox</string>\n"
                                "\t<key>IMAPMailboxName</key>\n\t<string>INBOX</string>\n"
                                "\t<key>MailboxType</key>\n\t<integer>1</integer>\n"
                                "</dict>\n</plist>\n").encode())
    d1, d2, d3 = dt("2024-03-06 10:00:00"), dt("2024-03-06 11:00:00"), dt("2024-03-06 12:00:00")
    m1 = simple('"Tess Tower" <tess@example.com>', "Apple Mail message 101", d1, "<emlx-101@example.com>",
                "First emlx message.\n")
    m2 = message(std_headers('"Uma Upton" <uma@news.example>', "Apple Mail message 102", d2, "<emlx-102@news.example>"),
                 multipart("alternative", [
                     leaf("text/plain; charset=utf-8", "Read the update online.\n"),
                     leaf("text/html; charset=utf-8",
                          '<html><body><p>Read the update online.</p>\n'
                          '<img src="https://email.mg.news.example/o/eJwNyr0KgzAUQOGnyXXMbWJTuqbm" width="1px" height="1px" alt="">\n'
                          '</body></html>\n')], "Apple-Mail=_8C1E0F2A-0102"))
    pdf_hs = [("Content-Type", 'application/pdf;\n\tname="brochure.pdf"'),
              ("Content-Transfer-Encoding", "base64"),
              ("Content-Disposition", 'attachment;\n\tfilename="brochure.pdf"'),
              ("X-Apple-Content-Length", "48213")]
    ent3 = multipart("mixed", [leaf("text/plain; charset=us-ascii", "The brochure is attached.\n"),
                               (pdf_hs, b"\n")], "Apple-Mail=_8C1E0F2A-0103")
    m3 = message(std_headers('"Vic Vale" <vic@example.com>', "Apple Mail partial message 103", d3,
                             "<emlx-103@example.com>"), ent3)
    b1, n1 = emlx(m1, 8590195713, int(d1.timestamp()), pad=True)
    b2, n2 = emlx(m2, 8590195713, int(d2.timestamp()), pad=False)
    b3, n3 = emlx(m3, 8590195713, int(d3.timestamp()), pad=False)
    m1.note = (f"First line `{n1}` right-padded with spaces to 10 characters then LF; message is exactly "
               f"{n1} bytes, followed by an XML plist (flags 8590195713) that is NOT part of the message.")
    m2.note = (f"First line `{n2}` (no padding); message {n2} bytes, then plist. HTML has a Mailgun-style "
               "1x1 pixel `https://email.mg.news.example/o/eJwNyr0KgzAUQOGnyXXMbWJTuqbm`.")
    m3.note = (f"`.partial.emlx`: first line `{n3}`; message {n3} bytes, then plist. multipart/mixed whose "
               "PDF attachment part has headers (incl. `X-Apple-Content-Length: 48213`) but an empty body "
               "(Apple Mail stores the attachment elsewhere). Still one readable message.")
    for rel, data, m in (("1/Messages/101.emlx", b1, m1), ("2/Messages/102.emlx", b2, m2),
                         ("1/Messages/103.partial.emlx", b3, m3)):
        write(box + rel, data)
        record(box + rel, [m])


def fmt_gz():
    m1 = simple('"Wes West" <wes@example.com>', "Gzipped mbox one", dt("2024-04-01 09:00:00"),
                "<gz-mbox-1@example.com>", "First message inside archive.mbox.gz.\n")
    m2 = simple('"Xia Xu" <xia@example.com>', "Gzipped mbox two", dt("2024-04-02 09:00:00"),
                "<gz-mbox-2@example.com>", "Second message inside archive.mbox.gz.\n")
    inner = mbox([("wes@example.com " + asctime(dt("2024-04-01 09:00:00")), m1),
                  ("xia@example.com " + asctime(dt("2024-04-02 09:00:00")), m2)], "mboxrd")
    for m in (m1, m2):
        m.note = f"Inside gzip (mtime 0, no file name); the decompressed mbox is {len(inner)} bytes."
    write("formats/gz/archive.mbox.gz", gz(inner))
    record("formats/gz/archive.mbox.gz", [m1, m2])
    pix = "https://u2468024.ct.sendgrid.net/wf/open?upn=u001.gZpVx7Lr2Kq9WmN4sBd1HtYc3Ef8Ja5Uo"
    m3 = message(std_headers('"Yara Young" <yara@newsletter.example>', "Gzipped single message",
                             dt("2024-04-03 09:00:00"), "<gz-eml-1@newsletter.example>"),
                 multipart("alternative", [
                     leaf("text/plain; charset=utf-8", "A compressed newsletter.\n"),
                     leaf("text/html; charset=utf-8",
                          f'<html><body><p>A compressed newsletter.</p>\n<img src="{pix}" alt="" '
                          'style="height:1px !important;width:1px !important;border-width:0 !important;">\n'
                          '</body></html>\n')], "----=_gz_single_0001"))
    raw = m3.bytes()
    m3.note = f"gzip of a single {len(raw)}-byte message. HTML has a SendGrid pixel sized by CSS only: `{pix}`."
    write("formats/gz/single.eml.gz", gz(raw))
    record("formats/gz/single.eml.gz", [m3])


def fmt_compressed():
    C = "formats/compressed/"
    m1 = simple('"Ana Abel" <ana@lists.example>', "Packed with bzip2", dt("2024-04-11 09:00:00"),
                "<bz2-mbox-1@lists.example>", "First message inside list.mbox.bz2.\n")
    m2 = simple('"Ben Bauer" <ben@lists.example>', "Also packed with bzip2", dt("2024-04-11 10:00:00"),
                "<bz2-mbox-2@lists.example>", "Second message inside list.mbox.bz2.\n")
    inner = mbox([("ana@lists.example " + asctime(dt("2024-04-11 09:00:00")), m1),
                  ("ben@lists.example " + asctime(dt("2024-04-11 10:00:00")), m2)], "mboxrd")
    for m in (m1, m2):
        m.note = "bzip2, level 9, one stream."
    write(C + "list.mbox.bz2", bz2.compress(inner, 9))
    record(C + "list.mbox.bz2", [m1, m2])

    pix = "https://click.news.example/open/7Hq2Lx9PwT4cVn8Rb3Ks6Dy1Fm5Gz0Je.gif"
    m3 = message(std_headers('"Weekly Notes" <notes@news.example>', "Packed with xz",
                             dt("2024-04-12 07:00:00"), "<xz-mbox-1@news.example>"),
                 leaf("text/html; charset=utf-8",
                      f'<html><body><p>This week in the garden.</p><img src="{pix}" width="1" height="1" alt=""></body></html>\n'),
                 note=f"xz (preset 6, CRC64 check). 1x1 pixel `{pix}`.")
    inner = mbox([("notes@news.example " + asctime(dt("2024-04-12 07:00:00")), m3)], "mboxrd")
    write(C + "notes.mbox.xz", lzma.compress(inner, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64))
    record(C + "notes.mbox.xz", [m3])

    # Two zstd frames, each after a skippable frame, as pzstd (parallel zstd) writes them.
    m4 = simple('"Cleo Chen" <cleo@example.com>', "First zstd frame", dt("2024-04-13 09:00:00"),
                "<zst-mbox-1@example.com>", "In the first of two zstd frames.\n",
                note="First of two zstd frames (`zstd -19`, content checksum), each after a skippable frame.")
    m5 = simple('"Dan Dorsey" <dan@example.com>', "Second zstd frame", dt("2024-04-13 10:00:00"),
                "<zst-mbox-2@example.com>", "In the second of two zstd frames.\n",
                note="Second zstd frame: read after the first, as `zstd -d` reads concatenated frames.")
    first = mbox([("cleo@example.com " + asctime(dt("2024-04-13 09:00:00")), m4)], "mboxrd")
    second = mbox([("dan@example.com " + asctime(dt("2024-04-13 10:00:00")), m5)], "mboxrd")
    frames = b"".join(zstd_skippable(struct.pack("<I", len(z))) + z for z in (zstd(first), zstd(second)))
    write(C + "pair.mbox.zst", frames)
    record(C + "pair.mbox.zst", [m4, m5])

    m6 = simple('"Eli Ekberg" <eli@example.net>', "From a Maildir backup", dt("2024-04-14 09:00:00"),
                "<txz-maildir-1@example.net>", "Backed up with tar and xz.\n",
                note="`Maildir/cur/…:2,S` in a tar compressed with xz, named `.txz`.")
    data = tar_bytes([("Maildir/cur/1713085200.M201P9.host:2,S", m6.bytes())])
    write(C + "backup.txz", lzma.compress(data, format=lzma.FORMAT_XZ))
    record(C + "backup.txz", [m6])


def with_method(data, name, method):
    """A zip whose member `name` is marked as packed with `method` (its data left as written):
    for a compression method no zip library here can write."""
    data = bytearray(data)
    encoded = name.encode()
    for signature, method_at, name_len_at, name_at in ((b"PK\x03\x04", 8, 26, 30), (b"PK\x01\x02", 10, 28, 46)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            (name_len,) = struct.unpack_from("<H", data, start + name_len_at)
            if data[start + name_at:start + name_at + name_len] == encoded:
                struct.pack_into("<H", data, start + method_at, method)
            start += 4
    return bytes(data)


# --------------------------------------------------------------------------- archives (zip, tar)

ZIP_TIME = (2024, 4, 10, 8, 30, 0)


def zip_member(name, data, method=zipfile.ZIP_DEFLATED, mode=0o100644):
    zi = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    zi.create_system = 3          # Unix, whatever machine runs this script
    zi.external_attr = mode << 16
    if name.endswith("/"):
        zi.external_attr |= 0x10  # MS-DOS directory flag
    zi.compress_type = method
    return zi, data


def zip_bytes(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for zi, data in members:
            z.writestr(zi, data)
    return buf.getvalue()


def tar_bytes(members):
    """members: (name, bytes) for regular files, (name, None, target) for symbolic links."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for member in members:
            name, data = member[0], member[1]
            ti = tarfile.TarInfo(name)
            ti.mtime = 1712737800
            ti.uid = ti.gid = 1000
            ti.uname = ti.gname = "reader"
            if data is None:
                ti.type = tarfile.SYMTYPE
                ti.linkname = member[2]
                ti.mode = 0o777
                t.addfile(ti)
            else:
                ti.size = len(data)
                ti.mode = 0o600
                t.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


def fmt_archives():
    A = "formats/archives/"
    pix = "https://open.mailer.shop.example/o/q7Rt2VwX9zLm4Np8Kc1Hs5Bd3Fg6Jy0Ae"
    html_body = (f'<html><body><p>New season, new planters.</p>\n'
                 f'<img src="{pix}" width="1" height="1" alt="" style="display:block">\n'
                 '</body></html>\n')
    m1 = message([("X-GM-THRID", "1795001000000000001"), ("X-Gmail-Labels", "Inbox,Category Promotions")]
                 + std_headers('"Planter Shop" <news@shop.example>', "New season, new planters",
                               dt("2024-04-02 07:00:00"), "<zip-takeout-1@shop.example>"),
                 multipart("alternative", [leaf("text/plain; charset=utf-8", "New season, new planters.\n"),
                                           leaf("text/html; charset=utf-8", html_body)],
                           "000000000000zip0takeout01"),
                 note=f"In `Takeout/Mail/All mail Including Spam and Trash.mbox` inside the zip. 1x1 pixel `{pix}`.")
    m2 = message([("X-GM-THRID", "1795001000000000002"), ("X-Gmail-Labels", "Sent")]
                 + std_headers('"Sam Reader" <reader@example.org>', "Re: Saturday", dt("2024-04-03 18:20:00"),
                               "<zip-takeout-2@example.org>", to='"Alex Friend" <friend@example.net>'),
                 leaf("text/plain; charset=utf-8", "Saturday is fine.\nSam\n"),
                 note="Second message of the zipped Takeout mbox; plain text, no tracking.")
    inner = mbox([("1795001000000000001@xxx Tue Apr 02 07:00:00 +0000 2024", m1),
                  ("1795001000000000002@xxx Wed Apr 03 18:20:00 +0000 2024", m2)], "mboxrd")
    browser = (b"<!DOCTYPE html>\n<html><head><title>Archive overview</title></head>\n"
               b"<body><h1>Your account, your data.</h1><p>Mail: 1 file</p></body></html>\n")
    data = zip_bytes([zip_member("Takeout/", b"", zipfile.ZIP_STORED, 0o40755),
                      zip_member("Takeout/archive_browser.html", browser),
                      zip_member("Takeout/Mail/", b"", zipfile.ZIP_STORED, 0o40755),
                      zip_member("Takeout/Mail/All mail Including Spam and Trash.mbox", inner)])
    write(A + "takeout.zip", data)
    record(A + "takeout.zip", [m1, m2])

    m3 = simple('"Uma Upton" <uma@example.com>', "Stored in a zip", dt("2024-04-04 10:00:00"),
                "<zip-stored-1@example.com>", "Kept uncompressed (method 0) in mixed.zip.\n",
                note="`letters/a.eml`, stored without compression.")
    m4 = simple('"Vik Vance" <vik@example.com>', "Gzipped inside a zip", dt("2024-04-05 10:00:00"),
                "<zip-gz-1@example.com>", "A .eml.gz member: gunzipped before it is read.\n",
                note="`letters/b.eml.gz`: a gzip file, deflated again as a member of the zip.")
    m_bz = simple('"Wen Wu" <wen@example.com>', "Packed with bzip2", dt("2024-04-06 10:00:00"),
                  "<zip-bzip2-1@example.com>", "This member is packed with bzip2 (method 12).\n",
                  note="`letters/c.eml`, packed with bzip2 (method 12).")
    m_lzma = simple('"Xan Xu" <xan@example.com>', "Packed with LZMA", dt("2024-04-06 11:00:00"),
                    "<zip-lzma-1@example.com>", "This member is packed with LZMA (method 14).\n",
                    note="`letters/d.eml`, packed with LZMA (method 14), its stream closed by an end marker.")
    m_d64 = simple('"Zed Zorn" <zed@example.com>', "Packed with Deflate64", dt("2024-04-06 11:30:00"),
                   "<zip-deflate64-1@example.com>", "This member is marked Deflate64 (method 9).\n",
                   note="`letters/f.eml`, marked Deflate64 (method 9): deflate data with no 258-byte match "
                        "(the one length Deflate64 reads differently) is Deflate64 data too.")
    assert not any(m_d64.bytes().find(m_d64.bytes()[i:i + 258], i + 1) >= 0
                   for i in range(len(m_d64.bytes()) - 258))
    lost = simple('"Yun Yoo" <yun@example.com>', "Packed with PPMd", dt("2024-04-06 12:00:00"),
                  "<zip-ppmd-1@example.com>", "This member claims a compression method mailtrace lacks.\n")
    data = zip_bytes([zip_member("letters/a.eml", m3.bytes(), zipfile.ZIP_STORED),
                      zip_member("letters/b.eml.gz", gz(m4.bytes())),
                      zip_member("letters/c.eml", m_bz.bytes(), zipfile.ZIP_BZIP2),
                      zip_member("letters/d.eml", m_lzma.bytes(), zipfile.ZIP_LZMA),
                      zip_member("letters/e.eml", lost.bytes(), zipfile.ZIP_STORED),
                      zip_member("letters/f.eml", m_d64.bytes()),
                      zip_member("letters/inner.zip", zip_bytes([zip_member("x.eml", m3.bytes())])),
                      zip_member("letters/.DS_Store", b"\x00\x00\x00\x01Bud1\x00\x00")])
    write(A + "mixed.zip", with_method(with_method(data, "letters/e.eml", 98), "letters/f.eml", 9))
    record(A + "mixed.zip", [m3, m4, m_bz, m_lzma, m_d64])

    pix2 = "https://t.news.example/open/u-5c1d9e7a2b4f6e8a0c3d5f7b9e1a2c4d.gif"
    m5 = message(std_headers('"Daily Digest" <digest@news.example>', "Your Tuesday digest",
                             dt("2024-04-09 06:00:00"), "<tar-maildir-1@news.example>"),
                 leaf("text/html; charset=utf-8",
                      f'<html><body><p>Three stories today.</p><img src="{pix2}" width="1" height="1"></body></html>\n'),
                 note=f"`Maildir/cur/…:2,S` in the tar. 1x1 pixel `{pix2}`.")
    m6 = simple('"Ola Olsen" <ola@example.net>', "Keys", dt("2024-04-09 12:00:00"),
                "<tar-maildir-2@example.net>", "I left the keys with the neighbour.\n",
                note="`Maildir/new/…`, not yet seen.")
    m7 = simple('"Work Lists" <list@work.example>', "Minutes of the planning meeting", dt("2024-04-09 15:00:00"),
                "<tar-maildir-3@work.example>", "Minutes attached in the next message.\n",
                note="In a folder whose path is longer than a tar header's 100-byte name field (PAX `path`).")
    tmp = simple('"Ola Olsen" <ola@example.net>', "Still arriving", dt("2024-04-09 16:00:00"),
                 "<tar-maildir-4-tmp@example.net>", "Half-delivered.\n")
    long_dir = "Maildir/.Lists.Work.Planning and Coordination Meeting Minutes for the Garden Renovation Project"
    data = tar_bytes([("Maildir/cur/1712648400.M101P7.host:2,S", m5.bytes()),
                      ("Maildir/new/1712664000.M102P7.host", m6.bytes()),
                      ("Maildir/tmp/1712678400.M104P7.host", tmp.bytes()),
                      ("Maildir/dovecot-uidlist", b"3 V1712600000 N104\n"),
                      (long_dir + "/cur/1712674800.M103P7.host:2,RS", m7.bytes()),
                      ("Maildir/latest", None, "cur/1712648400.M101P7.host:2,S")])
    assert len((long_dir + "/cur/1712674800.M103P7.host:2,RS").encode()) > 100
    write(A + "maildir.tar.gz", gz(data))
    record(A + "maildir.tar.gz", [m5, m6, m7])


# --------------------------------------------------------------------------- headers/

def both(text, htm_body):
    return multipart("alternative", [
        leaf("text/plain; charset=utf-8", text),
        leaf("text/html; charset=utf-8",
             '<html><body style="font-family:Arial,sans-serif;">\n' + htm_body + "\n</body></html>\n")],
        "----=_hdr_alt_boundary")


def hdr_fixtures():
    H = "headers/"
    d = dt("2024-03-06 09:00:00")

    m = message(std_headers('"Vendor Sales" <sales@vendor.example>', "Your quote Q-2024-117",
                            d, "<dnt-1@vendor.example>")
                + [("Disposition-Notification-To", '"Sales Team" <receipts@vendor.example>'),
                   ("X-Mailer", "Microsoft Outlook 16.0")],
                leaf("text/plain; charset=utf-8", "Hello,\n\nPlease find our quote below: 12 chairs, 1,440.00.\n\nKind regards,\nVendor Sales\n"),
                note="Read-receipt request: `Disposition-Notification-To: \"Sales Team\" <receipts@vendor.example>` "
                     "(address receipts@vendor.example). No other tracking.")
    write(H + "read-receipt-dnt.eml", m.bytes())
    record(H + "read-receipt-dnt.eml", [m])

    m = message(std_headers('"Vendor Billing" <billing@vendor.example>', "Invoice 8841 (receipt requested)",
                            d + timedelta(minutes=5), "<rr-variants-1@vendor.example>")
                + [("return-receipt-to", "rr@vendor.example"),
                   ("X-Confirm-Reading-To", "<confirm@vendor.example>"),
                   ("READ-RECEIPT-TO", "read@vendor.example"),
                   ("Return-Receipt-Requested", "yes"),
                   ("Generate-Delivery-Report", "yes")],
                leaf("text/plain; charset=utf-8", "Invoice 8841 is due on 5 April.\n"),
                note="Five receipt/report request headers, odd capitalisation on purpose (match names "
                     "case-insensitively): `return-receipt-to: rr@vendor.example`, `X-Confirm-Reading-To: "
                     "<confirm@vendor.example>`, `READ-RECEIPT-TO: read@vendor.example`, "
                     "`Return-Receipt-Requested: yes`, `Generate-Delivery-Report: yes`. No "
                     "Disposition-Notification-To.")
    write(H + "read-receipt-variants.eml", m.bytes())
    record(H + "read-receipt-variants.eml", [m])

    # DSN: delivered
    orig_hdrs = ("Return-Path: <reader@example.org>\n"
                 "From: \"Sam Reader\" <reader@example.org>\n"
                 "To: <alice@example.org>\n"
                 "Subject: Spring catalogue proof\n"
                 "Date: Wed, 06 Mar 2024 09:14:50 +0000\n"
                 "Message-ID: <orig-123@shop.example>\n"
                 "MIME-Version: 1.0\n"
                 "Content-Type: text/plain; charset=us-ascii\n")
    ent = multipart("report", [
        leaf("text/plain; charset=us-ascii",
             "This is the mail system at host mx.example.net.\n\n"
             "Your message was successfully delivered to the destination listed\n"
             "below. If the message was delivered to a mailbox you will receive no\n"
             "further notifications.\n\n"
             "<alice@example.org>: delivered to mailbox\n",
             extra=[("Content-Description", "Notification")]),
        leaf("message/delivery-status",
             "Reporting-MTA: dns; mx.example.net\n"
             "X-Postfix-Queue-ID: 4TqXyZ1abcz9sW\n"
             "Arrival-Date: Wed,  6 Mar 2024 09:14:58 +0000 (UTC)\n"
             "\n"
             "Original-Recipient: rfc822;alice@example.org\n"
             "Final-Recipient: rfc822;alice@example.org\n"
             "Action: delivered\n"
             "Status: 2.0.0\n", None,
             extra=[("Content-Description", "Delivery report")]),
        leaf("text/rfc822-headers", orig_hdrs, None,
             extra=[("Content-Description", "Message Headers")]),
    ], "4TqXyZ1abcz9sW.1709716498/mx.example.net", params=" report-type=delivery-status;",
        preamble=b"This is a MIME-encapsulated message.\n\n")
    m = message(std_headers('"Mail Delivery System" <MAILER-DAEMON@mx.example.net>',
                            "Successful Mail Delivery Report", dt("2024-03-06 09:14:59"),
                            "<dsn-delivered-1@mx.example.net>")
                + [("Auto-Submitted", "auto-replied")], ent,
                note="RFC 3464 DSN. multipart/report; report-type=delivery-status; 3 parts: text/plain, "
                     "message/delivery-status, text/rfc822-headers. Per-message: `Reporting-MTA: dns; "
                     "mx.example.net`, `Arrival-Date: Wed,  6 Mar 2024 09:14:58 +0000 (UTC)`. Per-recipient: "
                     "`Original-Recipient: rfc822;alice@example.org`, `Final-Recipient: rfc822;alice@example.org`, "
                     "`Action: delivered`, `Status: 2.0.0`. Original message: Message-ID "
                     "`<orig-123@shop.example>`, Subject `Spring catalogue proof`.")
    write(H + "dsn-delivery-status.eml", m.bytes())
    record(H + "dsn-delivery-status.eml", [m])

    # DSN: failed, with the original attached
    orig = simple('"Sam Reader" <reader@example.org>', "Meeting notes", dt("2024-03-06 10:20:00"),
                  "<orig-456@example.org>", "Notes from this morning are below.\n", to="<nobody@example.com>")
    ent = multipart("report", [
        leaf("text/plain; charset=us-ascii",
             "This is the mail system at host mx.example.net.\n\n"
             "I'm sorry to have to inform you that your message could not\n"
             "be delivered to one or more recipients. It's attached below.\n\n"
             "<nobody@example.com>: host mx.example.com[192.0.2.25] said: 550 5.1.1 user\n"
             "    unknown (in reply to RCPT TO command)\n",
             extra=[("Content-Description", "Notification")]),
        leaf("message/delivery-status",
             "Reporting-MTA: dns; mx.example.net\n"
             "X-Postfix-Queue-ID: 4TqY0b2defz9sX\n"
             "Arrival-Date: Wed,  6 Mar 2024 10:20:03 +0000 (UTC)\n"
             "\n"
             "Final-Recipient: rfc822;nobody@example.com\n"
             "Original-Recipient: rfc822;nobody@example.com\n"
             "Action: failed\n"
             "Status: 5.1.1\n"
             "Remote-MTA: dns; mx.example.com\n"
             "Diagnostic-Code: smtp; 550 5.1.1 user unknown\n", None,
             extra=[("Content-Description", "Delivery report")]),
        leaf("message/rfc822", orig.bytes(), None,
             extra=[("Content-Description", "Undelivered Message")]),
    ], "4TqY0b2defz9sX.1709720404/mx.example.net", params=" report-type=delivery-status;",
        preamble=b"This is a MIME-encapsulated message.\n\n")
    m = message(std_headers('"Mail Delivery System" <MAILER-DAEMON@mx.example.net>',
                            "Undelivered Mail Returned to Sender", dt("2024-03-06 10:20:04"),
                            "<dsn-failed-1@mx.example.net>")
                + [("Auto-Submitted", "auto-replied")], ent,
                note="RFC 3464 DSN, failure. Per-recipient: `Final-Recipient: rfc822;nobody@example.com`, "
                     "`Action: failed`, `Status: 5.1.1`, `Remote-MTA: dns; mx.example.com`, `Diagnostic-Code: "
                     "smtp; 550 5.1.1 user unknown`. Part 3 is message/rfc822: the original message (From "
                     "reader@example.org, To nobody@example.com, Subject `Meeting notes`, Message-ID "
                     "`<orig-456@example.org>`). That inner Message-ID is not a top-level message.")
    write(H + "dsn-failed.eml", m.bytes())
    record(H + "dsn-failed.eml", [m])

    # MDN
    ent = multipart("report", [
        leaf("text/plain; charset=utf-8",
             "The message sent on Tue, 05 Mar 2024 16:00:00 +0000 to bob@example.org\n"
             "with subject \"Spring campaign\" has been displayed.\n"
             "This is no guarantee that the message has been read or understood.\n"),
        leaf("message/disposition-notification",
             "Reporting-UA: mail.example.org; ExampleMail 1.0\n"
             "Original-Recipient: rfc822;bob@example.org\n"
             "Final-Recipient: rfc822;bob@example.org\n"
             "Original-Message-ID: <campaign-42@sender.example>\n"
             "Disposition: manual-action/MDN-sent-manually; displayed\n", None),
        leaf("text/rfc822-headers",
             "From: \"Sender Example\" <news@sender.example>\n"
             "To: bob@example.org\n"
             "Subject: Spring campaign\n"
             "Date: Tue, 05 Mar 2024 16:00:00 +0000\n"
             "Message-ID: <campaign-42@sender.example>\n"
             "Disposition-Notification-To: news@sender.example\n", None),
    ], "mdn-boundary-7f3a9c21", params=" report-type=disposition-notification;")
    m = message(std_headers('"Bob Example" <bob@example.org>', "Read: Spring campaign",
                            dt("2024-03-06 08:01:00"), "<mdn-displayed-1@example.org>"), ent,
                note="RFC 8098 MDN. multipart/report; report-type=disposition-notification; part 2 "
                     "message/disposition-notification: `Reporting-UA: mail.example.org; ExampleMail 1.0`, "
                     "`Original-Recipient: rfc822;bob@example.org`, `Final-Recipient: rfc822;bob@example.org`, "
                     "`Original-Message-ID: <campaign-42@sender.example>`, `Disposition: manual-action/"
                     "MDN-sent-manually; displayed`. Part 3 text/rfc822-headers of the original.")
    write(H + "mdn-displayed.eml", m.bytes())
    record(H + "mdn-displayed.eml", [m])

    def esp(name, frm, subj, mid, extra, note, before=()):
        body = both(f"{subj}\n\nThanks for being with us.\n",
                    f"<p>{html.escape(subj)}</p>\n<p>Thanks for being with us.</p>")
        m = message(list(before) + std_headers(frm, subj, d + timedelta(hours=1), mid) + extra, body,
                    note=note + " Body has no remote images and no tracked links: the ESP header is the only finding.")
        write(H + name, m.bytes())
        record(H + name, [m])

    esp("esp-mailgun.eml", '"Acme Tickets" <tickets@mg.acme-tickets.example>', "Your tickets for Friday",
        "<20240306100000.a1b2c3d4e5f60718@mg.acme-tickets.example>",
        [("X-Mailgun-Sid", "WyI1ZjNhOSIsICJyZWFkZXJAZXhhbXBsZS5vcmciLCAiOWIyYzEiXQ=="),
         ("X-Mailgun-Variables", '{"order_id": "A-10042",\n\t "venue": "Hall 2"}')],
        "`X-Mailgun-Sid: WyI1ZjNhOSIsICJyZWFkZXJAZXhhbXBsZS5vcmciLCAiOWIyYzEiXQ==`; `X-Mailgun-Variables` is "
        "folded, unfolded value `{\"order_id\": \"A-10042\",\\t \"venue\": \"Hall 2\"}`.")
    esp("esp-sendgrid.eml", '"Lumen Press" <digest@lumenpress.example>', "This week at Lumen Press",
        "<Xk3pQ9rT2vWm8bZ1sLd4Hg@geopod-ismtpd-5>",
        [("X-SG-EID", "\n =?us-ascii?Q?u001=2EzT8fN2kQ4vR7xL1mP9sB3wD6hY0cJ5aE8gK2nV4tU7qS1oF3rX6iZ9?=\n"
                      " =?us-ascii?Q?bM0lW5yC8eA2dH4jG7uT1?="),
         ("X-SG-ID", "\n =?us-ascii?Q?u001=2EsdB8vPq3ZrW1mT6yK9xN2cL4hF7gJ0aD5eQ8uR2sV?=\n"
                     " =?us-ascii?Q?1oY4iM7bX3wE6?=")],
        "`X-SG-EID` and `X-SG-ID` present (values are folded RFC 2047 encoded-words, as SendGrid writes them).")
    esp("esp-ses.eml", '"Cloud Shop" <orders@cloudshop.example>', "Your order has shipped",
        "<0100018e12ab34cd-5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9-000000@email.amazonses.com>",
        [("X-SES-Outgoing", "2024.03.06-54.240.1.1"),
         ("Feedback-ID", "1.us-east-1.abcDEF0123ghiJKL4567mnoPQR89stuVWXyz01AB+cd=:AmazonSES")],
        "`X-SES-Outgoing: 2024.03.06-54.240.1.1`, `Feedback-ID: 1.us-east-1.abcDEF0123ghiJKL4567mnoPQR89stuVWXyz01AB+cd=:AmazonSES`, "
        "Message-ID on email.amazonses.com.")
    esp("esp-mandrill.eml", '"Bookings" <bookings@hotel.example>', "Booking confirmed: 2 nights",
        "<7a8b9c0d1e2f.20240306100000.3a4b5c6d7e8f@mail.hotel.example>",
        [("X-Mandrill-User", "md_31415926"),
         ("X-MC-User", "2f4e6a8c0b1d3f5a7c9e1b2d4")],
        "`X-Mandrill-User: md_31415926`, `X-MC-User: 2f4e6a8c0b1d3f5a7c9e1b2d4`.")
    esp("esp-postmark.eml", '"Invoicely" <receipts@invoicely.example>', "Receipt for your payment",
        "<5d6e7f80-91a2-4b3c-8d4e-5f60718293a4@mtasv.net>",
        [("X-PM-Message-Id", "5d6e7f80-91a2-4b3c-8d4e-5f60718293a4"),
         ("X-PM-RCPT", "|bTB8MTIzNDU2fDk4NzY1fHJlYWRlckBleGFtcGxlLm9yZw==|")],
        "`X-PM-Message-Id: 5d6e7f80-91a2-4b3c-8d4e-5f60718293a4` (plus `X-PM-RCPT`).")
    esp("esp-sfmc.eml", '"Harbor Air" <deals@e.harbor-air.example>', "Fares to the coast from 89",
        "<a0b1c2d3-e4f5-4a6b-8c7d-e8f9a0b1c2d3@ind1s07mta842.xt.local>",
        [("x-job", "1234567_8901234"), ("X-SFMC-Stack", "7")],
        "`x-job: 1234567_8901234` (lower-case name), `X-SFMC-Stack: 7`, Message-ID on xt.local.")

    m = message([("Return-Path", "<friend@example.net>")]
                + std_headers('"Alex Friend" <friend@example.net>', "Photos from Sunday", dt("2024-03-04 20:12:00"),
                              "<3c9d2e1f-0a4b-4c5d-9e6f-7a8b9c0d1e2f@example.net>")
                + [("X-Mailer", "Thunderbird")],
                leaf("text/plain; charset=UTF-8; format=flowed",
                     "Hi Sam,\n\nThe photos from Sunday are on the shared drive now. The one of the\n"
                     "lake came out best.\n\nSee you soon,\nAlex\n", "7bit"),
                note="Personal plain-text mail, `X-Mailer: Thunderbird`, no tracking headers, no HTML, no "
                     "URLs at all: MUST produce no findings.")
    write(H + "plain-personal.eml", m.bytes())
    record(H + "plain-personal.eml", [m])


# --------------------------------------------------------------------------- demo.mbox

R = Rand(20240601)


class Links:
    """Wraps destination URLs for one message; same destination -> same tracked URL."""

    def __init__(self, wrap):
        self.wrap = wrap
        self.map = {}

    def __call__(self, url):
        if url not in self.map:
            self.map[url] = self.wrap(url)
        return self.map[url]

    @property
    def count(self):
        return sum(1 for k, v in self.map.items() if k != v)


def e(u):
    return html.escape(u, quote=True)


def nl_html(*, title, brand, accent, preheader, logo, blocks, footer, L, pixel="", pixel_top=False,
            hero=None, hero_bg=None, view_online=None, font="Helvetica, Arial, sans-serif", bg="#f4f4f4"):
    out = []
    out.append('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
               '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">')
    out.append('<html xmlns="http://www.w3.org/1999/xhtml" xmlns:v="urn:schemas-microsoft-com:vml">')
    out.append("<head>")
    out.append('<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />')
    out.append('<meta name="viewport" content="width=device-width, initial-scale=1.0" />')
    out.append(f"<title>{html.escape(title)}</title>")
    out.append('<style type="text/css">')
    out.append(f"body{{margin:0;padding:0;background-color:{bg};}}")
    out.append("table,td{border-collapse:collapse;mso-table-lspace:0pt;mso-table-rspace:0pt;}")
    out.append("img{border:0;height:auto;line-height:100%;outline:none;text-decoration:none;}")
    out.append("@media only screen and (max-width:620px){.container{width:100% !important;}"
               ".stack{display:block !important;width:100% !important;}.fluid{width:100% !important;height:auto !important;}}")
    out.append("</style>")
    out.append("</head>")
    out.append(f'<body style="margin:0;padding:0;background-color:{bg};">')
    if pixel and pixel_top:
        out.append(pixel)
    out.append(f'<div style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;">{html.escape(preheader)}</div>')
    out.append(f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="{bg}">')
    out.append('<tr><td align="center" style="padding:16px 8px;">')
    if view_online:
        out.append(f'<table role="presentation" class="container" width="600" cellpadding="0" cellspacing="0" border="0"><tr>'
                   f'<td align="right" style="font-family:{font};font-size:11px;color:#888888;padding:0 0 8px 0;">'
                   f'<a href="{e(L(view_online))}" style="color:#888888;text-decoration:underline;">View this email in your browser</a></td></tr></table>')
    out.append('<table role="presentation" class="container" width="600" cellpadding="0" cellspacing="0" border="0" '
               'style="width:600px;background-color:#ffffff;">')
    lhref, lsrc, lw, lh = logo
    out.append(f'<tr><td align="left" style="padding:20px 24px;border-bottom:3px solid {accent};">'
               f'<a href="{e(L(lhref))}" target="_blank"><img src="{e(lsrc)}" width="{lw}" height="{lh}" alt="{html.escape(brand)}" '
               f'style="display:block;width:{lw}px;height:{lh}px;" /></a></td></tr>')
    if hero:
        href, src, w, h, alt = hero
        out.append(f'<tr><td align="center" style="padding:0;"><a href="{e(L(href))}" target="_blank">'
                   f'<img class="fluid" src="{e(src)}" width="{w}" height="{h}" alt="{html.escape(alt)}" '
                   f'style="display:block;width:{w}px;max-width:100%;height:auto;" /></a></td></tr>')
    if hero_bg:
        src, heading, text, href, cta = hero_bg
        out.append(f'<tr><td background="{e(src)}" bgcolor="{accent}" width="600" height="280" valign="middle" '
                   f"style=\"background-image:url('{e(src)}');background-size:cover;background-position:center center;\">")
        out.append(f'<!--[if gte mso 9]><v:rect xmlns:v="urn:schemas-microsoft-com:vml" fill="true" stroke="false" '
                   f'style="width:600px;height:280px;"><v:fill type="frame" src="{e(src)}" color="{accent}" />'
                   f'<v:textbox inset="0,0,0,0"><![endif]-->')
        out.append(f'<div style="padding:48px 40px;font-family:{font};color:#ffffff;">'
                   f'<h1 style="margin:0 0 12px 0;font-size:32px;line-height:38px;">{html.escape(heading)}</h1>'
                   f'<p style="margin:0 0 20px 0;font-size:17px;line-height:24px;">{html.escape(text)}</p>'
                   f'<a href="{e(L(href))}" style="display:inline-block;background-color:#ffffff;color:{accent};'
                   f'padding:12px 24px;border-radius:4px;font-weight:bold;text-decoration:none;">{html.escape(cta)}</a></div>')
        out.append("<!--[if gte mso 9]></v:textbox></v:rect><![endif]-->")
        out.append("</td></tr>")
    for b in blocks:
        out.append('<tr><td style="padding:24px 24px 8px 24px;">')
        out.append('<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>')
        if b.get("img"):
            src, w, h, alt = b["img"]
            out.append(f'<td class="stack" width="{w + 16}" valign="top" style="padding:0 16px 12px 0;">'
                       f'<a href="{e(L(b["href"]))}" target="_blank"><img src="{e(src)}" width="{w}" height="{h}" '
                       f'alt="{html.escape(alt)}" style="display:block;width:{w}px;height:{h}px;" /></a></td>')
        out.append(f'<td class="stack" valign="top" style="font-family:{font};color:#333333;">')
        out.append(f'<h2 style="margin:0 0 8px 0;font-size:20px;line-height:26px;color:#111111;">{html.escape(b["h"])}</h2>')
        out.append(f'<p style="margin:0 0 14px 0;font-size:15px;line-height:22px;">{html.escape(b["p"])}</p>')
        out.append(f'<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>'
                   f'<td bgcolor="{accent}" style="border-radius:4px;"><a href="{e(L(b["href"]))}" target="_blank" '
                   f'style="display:inline-block;padding:10px 20px;font-family:{font};font-size:14px;font-weight:bold;'
                   f'color:#ffffff;text-decoration:none;">{html.escape(b["cta"])}</a></td></tr></table>')
        out.append("</td></tr></table>")
        out.append("</td></tr>")
    out.append(f'<tr><td style="padding:24px;background-color:#fafafa;font-family:{font};font-size:12px;'
               f'line-height:18px;color:#777777;" align="center">{footer}</td></tr>')
    out.append("</table>")
    out.append("</td></tr>")
    out.append("</table>")
    if pixel and not pixel_top:
        out.append(pixel)
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"


def nl_text(brand, blocks, L, footer_lines, hero_link=None, view_online=None):
    t = []
    if view_online:
        t.append(f"View this email in your browser ({L(view_online)})")
        t.append("")
    t.append(f"** {brand} **")
    t.append("")
    if hero_link:
        t.append(f"{hero_link[0]} ( {L(hero_link[1])} )")
        t.append("")
    for b in blocks:
        t.append(b["h"].upper())
        t.append("-" * min(len(b["h"]), 60))
        t.append(b["p"])
        t.append(f"{b['cta']} ( {L(b['href'])} )")
        t.append("")
    t.append("============================================================")
    t.extend(footer_lines)
    return "\n".join(t) + "\n"


DEMO = []   # (envelope sender, Msg)


def add_demo(env, m):
    DEMO.append((env, m))


# -- Northwind Outfitters: Mailchimp -------------------------------------------

def demo_mailchimp():
    u, lst, eid = "9c3f1a7e5b2d4c6f8a0e1b3d5", "4e7a1c9b2f", "d2a9f61c3b"
    host = "https://northwind.us21.list-manage.com"
    site = "https://www.northwind-outfitters.example"
    camps = [
        ("2024-02-08 14:02:11", "New season: trail gear that lasts", "Built for wet weekends and long miles.", "new-season", [
            ("The Ridge shell, rebuilt", "Three-layer fabric, taped seams and a hood that actually fits over a helmet.", "Shop the Ridge", "/products/ridge-shell"),
            ("Boots broken in by us", "Our leather hikers now ship pre-softened. Your heels will thank you.", "Find your pair", "/collections/boots"),
            ("Repair, don't replace", "Free zip repairs on anything bought from us, for as long as you own it.", "How repairs work", "/repairs")]),
        ("2024-03-22 09:30:00", "Members save 20% this weekend", "Your member code is inside.", "members-20", [
            ("20% off, members only", "Use code TRAIL20 at checkout until Sunday midnight.", "Start shopping", "/members"),
            ("Top picks from the team", "What our shop staff actually carry on their own trips.", "See the picks", "/staff-picks")]),
        ("2024-05-16 17:45:30", "Packing list: a week in the hills", "What to bring, what to leave behind.", "packing-list", [
            ("The seven-day list", "Everything we would pack for a week of hut-to-hut walking, weighed and tested.", "Read the list", "/journal/seven-day-list"),
            ("Lighter sleeping bags", "Two new down bags under 900 g, both rated to minus two.", "Compare bags", "/collections/sleeping-bags"),
            ("Map cases are back", "The waterproof map case returns in two sizes.", "Get one", "/products/map-case")]),
        ("2024-08-27 08:15:00", "Last chance: summer clearance", "Up to 50% off, while sizes last.", "summer-clearance", [
            ("Clearance ends Friday", "Tents, daypacks and base layers at up to half price.", "Shop clearance", "/sale"),
            ("Gift cards never expire", "Stuck for a present? A gift card is always the right size.", "Buy a gift card", "/gift-cards")]),
        ("2024-10-03 12:00:00", "Your autumn field guide", "Shorter days, better views.", "autumn-guide", [
            ("Head torches compared", "We took five head torches into the woods at dusk. Here is what we found.", "Read the test", "/journal/head-torches"),
            ("Layer up", "Merino mid-layers in four new colours.", "Shop mid-layers", "/collections/mid-layers"),
            ("Events near you", "Free navigation workshops in our stores every Saturday in October.", "Book a place", "/events")]),
    ]
    for i, (when, subj, pre, slug, blocks_) in enumerate(camps):
        d = dt(when)
        cid = R.hex(10)
        L = Links(lambda url, cid=cid: f"{host}/track/click?u={u}&id={R.hex(10)}&e={eid}")
        blocks = []
        for j, (h, p, cta, path) in enumerate(blocks_):
            img = (f"https://mcusercontent.com/{u}/images/{R.uuid()}.jpg", 180, 180, h) if j % 2 == 0 else None
            blocks.append(dict(h=h, p=p, cta=cta, href=site + path, img=img))
        pixel_url = f"{host}/track/open.php?u={u}&id={cid}&e={eid}"
        unsub = f"{host}/unsubscribe?u={u}&id={lst}&e={eid}&c={cid}"
        prefs = f"{host}/profile?u={u}&id={lst}&e={eid}&c={cid}"
        view = f"https://mailchi.mp/northwind-outfitters/{slug}?e={eid}"
        footer = (f"Northwind Outfitters, 12 Quay Street, Example Town EX1 2AB<br />"
                  f"You are receiving this because you joined our list at northwind-outfitters.example.<br />"
                  f'<a href="{e(prefs)}" style="color:#777777;">Update your preferences</a> or '
                  f'<a href="{e(unsub)}" style="color:#777777;">unsubscribe from this list</a>.')
        htm = nl_html(title=subj, brand="Northwind Outfitters", accent="#1d5b45", preheader=pre,
                      logo=(site + "/", f"https://mcusercontent.com/{u}/images/logo-northwind.png", 180, 48),
                      hero=(site + blocks_[0][3], f"https://mcusercontent.com/{u}/images/{R.uuid()}.jpg", 600, 300, subj),
                      blocks=blocks, footer=footer, L=L, view_online=view,
                      pixel=f'<img src="{e(pixel_url)}" height="1" width="1" alt="" />')
        txt = nl_text("Northwind Outfitters", blocks, L,
                      ["Northwind Outfitters, 12 Quay Street, Example Town EX1 2AB",
                       f"Update your preferences ( {prefs} )", f"Unsubscribe ( {unsub} )"],
                      view_online=view)
        bnd = f"_----------=_MCPart_{R.digits(10)}"
        ent = multipart("alternative", [leaf('text/plain; charset="utf-8"; format="fixed"', txt, "quoted-printable"),
                                        leaf('text/html; charset="utf-8"', htm, "quoted-printable")], bnd)
        mcid = f"{u[:12]}{R.hex(8)}"
        env = f"bounce-mc.us21_{R.digits(8)}.{R.digits(7)}-{eid}@mail{R.r.randint(20, 240)}.suw21.mcdlv.net"
        hs = [("Return-Path", f"<{env}>"),
              ("Received", received(R, f"mail{R.r.randint(20, 240)}.suw21.mcdlv.net", f"198.51.100.{R.r.randint(2, 250)}", d)),
              ("DKIM-Signature", dkim(R, "northwind-outfitters.example", "k2", d))]
        hs += std_headers('"Northwind Outfitters" <news@northwind-outfitters.example>', subj, d,
                          f"<{R.hex(25)}.{R.hex(10)}.{d:%Y%m%d%H%M%S}.{R.hex(12)}@mail{R.r.randint(20, 240)}.suw21.mcdlv.net>")
        hs += [("List-Unsubscribe", f"<{unsub}>,\n <mailto:unsubscribe-mc.us21_{u}.{cid}-{eid}@unsubscribe.mailchimpapp.net>"),
               ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
               ("List-ID", f"{u}mc list <{u}.{R.hex(10)}.list-id.mcsv.net>"),
               ("X-Mailer", f"Mailchimp Mailer - **CID{cid}{R.hex(10)}**"),
               ("X-Campaign", f"mailchimp{u}.{cid}"),
               ("X-campaignid", f"mailchimp{u}.{cid}"),
               ("X-Report-Abuse", f"Please report abuse for this campaign here:\n https://mailchimp.com/contact/abuse/?u={u}&id={cid}&e={eid}"),
               ("X-MC-User", u),
               ("Feedback-ID", f"{R.digits(6)}:{R.digits(6)}.{R.digits(6)}:us21:mc"),
               ("Precedence", "bulk")]
        note = (f"Mailchimp. Open pixel (1x1 via width/height attributes, end of body) `{pixel_url}`; "
                f"{L.count} click-tracked links on northwind.us21.list-manage.com/track/click; "
                "headers X-MC-User, X-Campaign, X-Mailer: Mailchimp Mailer; content images on mcusercontent.com.")
        add_demo(env, message(hs, ent, note, "Northwind Outfitters (Mailchimp)"))


# -- Lumen Press: SendGrid ---------------------------------------------------------

def demo_sendgrid():
    uid = "31415926"
    host = f"https://u{uid}.ct.sendgrid.net"
    site = "https://lumenpress.example"
    issues = [
        ("2024-01-19 06:00:00", 112, "Cities after dark", [
            ("The night shift", "A photo essay on the people who keep a city running while it sleeps.", "Read the essay", "/weekly/112/night-shift"),
            ("Street lights, reconsidered", "Why some towns are switching off a third of their lamps, and what happened next.", "Read more", "/weekly/112/street-lights"),
            ("From the archive", "Our 2019 piece on the last all-night bakeries.", "Open the archive", "/archive/all-night-bakeries")]),
        ("2024-04-12 06:00:00", 124, "Slow rivers", [
            ("Following the Ouse", "Four days on foot from source to sea.", "Read the essay", "/weekly/124/ouse"),
            ("The eel question", "A short history of a fish nobody can count.", "Read more", "/weekly/124/eels")]),
        ("2024-07-05 06:00:00", 136, "Small museums", [
            ("A museum of one room", "The tiny collections that tell big stories.", "Read the essay", "/weekly/136/one-room"),
            ("Volunteers wanted", "How small museums survive on goodwill and tea.", "Read more", "/weekly/136/volunteers"),
            ("Readers' letters", "You wrote in about last month's lighthouse issue.", "Read the letters", "/weekly/136/letters")]),
        ("2024-11-15 06:00:00", 155, "Winter kitchens", [
            ("Soup, slowly", "Three cooks on the dishes that take all afternoon.", "Read the essay", "/weekly/155/soup"),
            ("The pantry shelf", "What to stock before the first frost.", "Read more", "/weekly/155/pantry")]),
    ]
    for when, no, theme, blocks_ in issues:
        d = dt(when)
        L = Links(lambda url: f"{host}/ls/click?upn=u001.{R.tok(96)}-2B{R.tok(40)}-3D-3D")
        blocks = [dict(h=h, p=p, cta=cta, href=site + path,
                       img=(f"{site}/media/weekly/{no}/{j + 1}.jpg", 160, 120, h) if j < 2 else None)
                  for j, (h, p, cta, path) in enumerate(blocks_)]
        pixel_url = f"{host}/wf/open?upn=u001.{R.tok(120)}-3D"
        unsub = f"{host}/asm/unsubscribe/?user_id={uid}&data={R.tok(64)}"
        subj = f"The Lumen Weekly, issue {no}: {theme}"
        footer = (f"Lumen Press, 4 Printers Yard, Example City<br />"
                  f'<a href="{e(unsub)}" style="color:#777777;">Unsubscribe</a> &middot; '
                  f'<a href="{e(L(site + "/account/newsletters"))}" style="color:#777777;">Manage newsletters</a>')
        pixel = (f'<img src="{e(pixel_url)}" alt="" style="height:1px !important;width:1px !important;'
                 f'border-width:0 !important;margin-top:0 !important;margin-bottom:0 !important;margin-right:0 !important;'
                 f'margin-left:0 !important;padding-top:0 !important;padding-bottom:0 !important;padding-right:0 !important;'
                 f'padding-left:0 !important;"/>')
        htm = nl_html(title=subj, brand="The Lumen Weekly", accent="#7a2e8e", preheader=f"This week: {theme.lower()}.",
                      logo=(site + "/", f"{site}/static/email/lumen-weekly.png", 200, 40),
                      blocks=blocks, footer=footer, L=L, pixel=pixel, font="Georgia, 'Times New Roman', serif",
                      bg="#efeae2")
        txt = nl_text("The Lumen Weekly", blocks, L, ["Lumen Press, 4 Printers Yard, Example City",
                                                      f"Unsubscribe: {unsub}"])
        ent = multipart("alternative", [leaf("text/plain; charset=utf-8", txt, "quoted-printable"),
                                        leaf("text/html; charset=utf-8", htm, "quoted-printable")], R.hex(60))
        env = f"bounces+{uid}-{R.hex(4)}-reader=example.org@em4821.lumenpress.example"
        hs = [("Return-Path", f"<{env}>"),
              ("Received", received(R, f"o{R.r.randint(1, 9)}.ptr{R.digits(4)}.lumenpress.example", f"203.0.113.{R.r.randint(2, 250)}", d)),
              ("DKIM-Signature", dkim(R, "lumenpress.example", "s1", d))]
        hs += std_headers('"The Lumen Weekly" <digest@lumenpress.example>', subj, d,
                          f"<{R.tok(22)}@geopod-ismtpd-{R.r.randint(1, 40)}>")
        hs += [("List-Unsubscribe", f"<{unsub}>"),
               ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
               ("X-SG-EID", f"\n =?us-ascii?Q?u001=2E{R.tok(60, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}?=\n"
                            f" =?us-ascii?Q?{R.tok(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}?="),
               ("X-Entity-ID", f"u001.{R.tok(22, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}")]
        note = (f"SendGrid. Open pixel sized by CSS only (no width/height attributes) `{host}/wf/open?upn=...`; "
                f"{L.count} click-tracked links on u{uid}.ct.sendgrid.net/ls/click plus the /asm/unsubscribe link; header X-SG-EID; "
                "content images on lumenpress.example.")
        add_demo(env, message(hs, ent, note, "The Lumen Weekly (SendGrid)"))


# -- Brightwave: HubSpot ---------------------------------------------------------

def demo_hubspot():
    portal = "4412345"
    sub = "d3Kp9x04"
    host = f"https://{sub}.na1.hubspotlinks.com"
    site = "https://www.brightwave.example"
    cdn = f"https://hs-{portal}.f.hubspotemail.net/hub/{portal}/hubfs"
    camps = [
        ("2024-02-27 15:05:00", "Webinar: scaling support without burning out", [
            ("Live on 14 March", "Our head of support shares the playbook we use to answer 3,000 tickets a week with a team of nine.", "Save my seat", "/webinars/scaling-support"),
            ("Can't make it?", "Register anyway and we'll send you the recording.", "Register", "/webinars/scaling-support#register")]),
        ("2024-06-18 15:05:00", "Your Q2 product update from Brightwave", [
            ("Shared inboxes, rebuilt", "Faster search, saved replies and collision detection are live for every plan.", "See what's new", "/changelog/2024-q2"),
            ("Reporting you can export", "Any dashboard can now be exported to CSV on a schedule.", "Try exports", "/features/exports"),
            ("Customer story: Harbour Books", "How a four-person team halved first-reply time.", "Read the story", "/customers/harbour-books")]),
        ("2024-09-10 15:05:00", "Last seats for Brightwave Summit", [
            ("Two days, one room", "Talks, workshops and an evening on the river. 40 seats left.", "Book now", "/summit"),
            ("See the agenda", "Twelve sessions from people who run support for a living.", "View agenda", "/summit/agenda")]),
    ]
    for n, (when, subj, blocks_) in enumerate(camps):
        d = dt(when)
        L = Links(lambda url: f"{host}/Ctc/I6+113/{sub}/VW{R.tok(30, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}"
                              f"/{R.tok(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}3q{R.tok(20, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}")
        blocks = [dict(h=h, p=p, cta=cta, href=site + path, img=None) for h, p, cta, path in blocks_]
        pixel_url = f"{host}/Cto/I6+113/{sub}/VW{R.tok(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}/{R.tok(30, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}"
        unsub = f"{site}/hs/manage-preferences/unsubscribe-all?languagePreference=en&d={R.tok(40)}&v=3"
        footer = (f"Brightwave Software Ltd, 200 Harbour Road, Example City<br />"
                  f'<a href="{e(L(site + "/hs/manage-preferences"))}" style="color:#777777;">Manage preferences</a> &middot; '
                  f'<a href="{e(L(unsub))}" style="color:#777777;">Unsubscribe</a>')
        htm = nl_html(title=subj, brand="Brightwave", accent="#2357d9", preheader=blocks_[0][1][:80],
                      logo=(site + "/", f"{cdn}/email/brightwave-logo.png?width=320&upscale=true&name=brightwave-logo.png", 160, 40),
                      hero=(site + blocks_[0][3], f"{cdn}/email/{n + 1}-hero.png?width=1200&upscale=true&name={n + 1}-hero.png", 600, 250, subj),
                      blocks=blocks, footer=footer, L=L,
                      pixel=f'<img src="{e(pixel_url)}" width="1" height="1" border="0" alt="" />')
        txt = nl_text("Brightwave", blocks, L, ["Brightwave Software Ltd, 200 Harbour Road, Example City",
                                                f"Unsubscribe: {L(unsub)}"])
        ent = multipart("alternative", [leaf("text/plain; charset=UTF-8", txt, "quoted-printable"),
                                        leaf("text/html; charset=UTF-8", htm, "quoted-printable")],
                        f"----=_Part_{R.digits(7)}_{R.digits(9)}.{int(d.timestamp())}000")
        env = f"1ax{R.tok(36, 'abcdefghijklmnopqrstuvwxyz0123456789')}-reader=example.org@bf03b.hubspotemail.net"
        hs = [("Return-Path", f"<{env}>"),
              ("Received", received(R, f"bf03b.hubspotemail.net", f"198.51.100.{R.r.randint(2, 250)}", d)),
              ("DKIM-Signature", dkim(R, "brightwave.example", "hs1", d))]
        hs += std_headers('"Brightwave" <hello@brightwave.example>', subj, d,
                          f"<{int(d.timestamp())}{R.digits(3)}.{R.uuid()}@bf03b.hubspotemail.net>")
        hs += [("List-Unsubscribe", f"<{unsub}>"),
               ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
               ("Precedence", "bulk")]
        note = (f"HubSpot. Open pixel (width/height attributes) on {sub}.na1.hubspotlinks.com/Cto/...; "
                f"{L.count} click-tracked links on {sub}.na1.hubspotlinks.com/Ctc/ (including the unsubscribe "
                "link in the body); content images on hs-4412345.f.hubspotemail.net.")
        add_demo(env, message(hs, ent, note, "Brightwave (HubSpot)"))


# -- Harbor Air: Salesforce Marketing Cloud (ExactTarget) ---------------------------

def demo_sfmc():
    site = "https://www.harbor-air.example"
    camps = [
        ("2024-03-12 11:20:00", "Fares from 89 to the coast", "Spring fares are here", "Fly to the coast from 89 each way.", "/offers/coast", "Find a fare", [
            ("Lisbon from 129", "Seven flights a week from Example City.", "Book Lisbon", "/offers/lisbon"),
            ("Bags included", "Every fare now includes a 10 kg cabin bag.", "What's included", "/fares")]),
        ("2024-06-28 07:00:00", "Your trip to Lisbon is coming up", "Check in opens in 24 hours", "Seat, bags and lounge access, sorted in one place.", "/manage", "Manage booking", [
            ("Add a bag", "It's cheaper online than at the airport.", "Add bags", "/manage/bags"),
            ("Airport parking", "Pre-book and save up to 40%.", "Book parking", "/parking")]),
        ("2024-12-02 10:00:00", "Members: double miles this month", "Double miles, all December", "Every flight booked this month earns twice the miles.", "/loyalty/double", "See the offer", [
            ("Gift miles", "Send miles to family in a few taps.", "Gift miles", "/loyalty/gift"),
            ("New: winter sun routes", "Three new routes to the sun from January.", "Explore routes", "/routes/winter")]),
    ]
    mid_prefix = "fe3a11717564047a7d1c"
    for when, subj, hh, ht, hpath, hcta, blocks_ in camps:
        d = dt(when)
        L = Links(lambda url: f"https://click.e.harbor-air.example/?qs={R.hex(128)}")
        img = f"https://image.e.harbor-air.example/lib/{mid_prefix}/m/1"
        blocks = [dict(h=h, p=p, cta=cta, href=site + path, img=(f"{img}/{R.uuid()}.jpg", 200, 150, h))
                  for h, p, cta, path in blocks_]
        open_url = (f"https://click.e.harbor-air.example/open.aspx?ffcb10-fec{R.hex(13)}-fe{R.hex(18)}-"
                    f"fe{R.hex(20)}-ff{R.hex(10)}-fe{R.hex(18)}-ff{R.hex(14)}&d={R.digits(5)}&bmt=0")
        view = f"https://view.e.harbor-air.example/?qs={R.hex(128)}"
        unsub = f"https://cl.S11.exct.net/unsub_center.aspx?qs={R.hex(96)}"
        footer = (f"Harbor Air, Terminal Road, Example City Airport<br />"
                  f'<a href="{e(L(site + "/privacy"))}" style="color:#777777;">Privacy</a> &middot; '
                  f'<a href="{e(unsub)}" style="color:#777777;">Unsubscribe</a>')
        htm = nl_html(title=subj, brand="Harbor Air", accent="#0a3d62", preheader=ht,
                      logo=(site + "/", f"{img}/harbor-air-logo.png", 150, 44),
                      hero_bg=(f"{img}/{R.uuid()}.jpg", hh, ht, site + hpath, hcta),
                      blocks=blocks, footer=footer, L=L, view_online=view,
                      pixel=f'<img src="{e(open_url)}" width="1" height="1" alt="">', pixel_top=False)
        txt = nl_text("Harbor Air", blocks, L, ["Harbor Air, Terminal Road, Example City Airport", f"Unsubscribe: {unsub}"],
                      hero_link=(hcta, site + hpath), view_online=view)
        ent = multipart("alternative", [leaf('text/plain; charset="utf-8"', txt, "7bit"),
                                        leaf('text/html; charset="utf-8"', htm, "7bit")],
                        f"{R.uuid()}")
        job = R.digits(6)
        env = f"bounce-{R.digits(3)}_HTML-{R.digits(9)}-{R.digits(7)}-7001234-{R.digits(3)}@bounce.e.harbor-air.example"
        hs = [("Return-Path", f"<{env}>"),
              ("Received", received(R, f"mta{R.r.randint(100, 999)}.e.harbor-air.example", f"192.0.2.{R.r.randint(2, 250)}", d)),
              ("DKIM-Signature", dkim(R, "e.harbor-air.example", "200608", d))]
        hs += std_headers('"Harbor Air" <deals@e.harbor-air.example>', subj, d,
                          f"<{R.uuid()}@ind1s11mta{R.digits(4)}.xt.local>")
        hs += [("List-Unsubscribe", f"<{unsub}>, <mailto:leave-{R.hex(40)}@leave.e.harbor-air.example>"),
               ("x-job", f"7001234_{job}"),
               ("X-SFMC-Stack", "11"),
               ("x-messageKey", R.uuid())]
        note = (f"Salesforce Marketing Cloud. Open pixel (width/height attributes) click.e.harbor-air.example/open.aspx; "
                f"{L.count} click-tracked links click.e.harbor-air.example/?qs=; view-online and unsubscribe "
                "links carry per-recipient qs tokens; CSS background hero (with Outlook VML fallback in a "
                "conditional comment); headers x-job, X-SFMC-Stack.")
        add_demo(env, message(hs, ent, note, "Harbor Air (Salesforce Marketing Cloud)"))


# -- Fern & Fig: Klaviyo ---------------------------------------------------------

def demo_klaviyo():
    site = "https://fernandfig.example"
    cdn = "https://d3k81ch9hvuctc.cloudfront.net/company/Xy7Kp2/images"
    camps = [
        ("2024-03-19 18:30:00", "Your spring edit is here \U0001F337", "Fresh linens, pale ceramics, open windows.", [
            ("Stoneware in sage", "Hand-glazed plates and bowls in our new spring colour.", "Shop stoneware", "/collections/stoneware"),
            ("Linen, washed soft", "Bedding that gets better every time it goes through the wash.", "Shop linen", "/collections/linen")]),
        ("2024-03-21 19:10:00", "Still thinking it over?", "Your basket is saved for 48 hours.", [
            ("The Wren jug", "You left this in your basket. It's still here.", "Return to basket", "/cart"),
            ("Free delivery over 50", "Add one more thing and delivery's on us.", "Keep shopping", "/collections/new")]),
        ("2024-07-09 08:00:00", "Back in stock: the linen throw", "It sold out in May. It's back, for now.", [
            ("The linen throw", "Six colours, one weight: just right for summer evenings.", "Shop the throw", "/products/linen-throw")]),
        ("2024-11-29 07:00:00", "Black Friday: 25% off everything \u2728", "No codes needed. Ends Monday.", [
            ("25% off, sitewide", "From candles to cushions, everything is reduced until Monday.", "Shop the sale", "/sale"),
            ("Gift wrap is free", "Tick the box at checkout and we'll wrap it in recycled paper.", "How it works", "/gift-wrap")]),
    ]
    for when, subj, pre, blocks_ in camps:
        d = dt(when)
        L = Links(lambda url: f"https://trk.klclick1.com/ls/click?upn=u001.{R.tok(110)}-3D")
        blocks = [dict(h=h, p=p, cta=cta, href=site + path, img=(f"{cdn}/{R.uuid()}.jpeg", 240, 240, h))
                  for h, p, cta, path in blocks_]
        open_url = f"https://trk.klclick1.com/wf/open?upn=u001.{R.tok(140)}-3D"
        unsub = (f"https://manage.kmail-lists.com/subscriptions/unsubscribe?a=Xy7Kp2&c=01H{R.tok(23, '0123456789ABCDEFGHJKMNPQRSTVWXYZ')}"
                 f"&k={R.hex(32)}&m=01H{R.tok(23, '0123456789ABCDEFGHJKMNPQRSTVWXYZ')}&r={R.tok(26)}")
        footer = (f"Fern &amp; Fig, Unit 3, The Old Dairy, Example Vale<br />"
                  f'No longer want to receive these emails? <a href="{e(L(unsub))}" style="color:#777777;">Unsubscribe</a>.')
        pixel = (f'<img src="{e(open_url)}" alt="" width="1" height="1" border="0" style="height:1px !important;'
                 f'width:1px !important;border-width:0 !important;margin:0 !important;padding:0 !important;" />')
        htm = nl_html(title=subj, brand="Fern & Fig", accent="#8a6d3b", preheader=pre,
                      logo=(site + "/", f"{cdn}/fernandfig-logo.png", 140, 56),
                      hero=(site + blocks_[0][3], f"{cdn}/{R.uuid()}.jpeg", 600, 400, subj),
                      blocks=blocks, footer=footer, L=L, pixel=pixel, font="'Helvetica Neue', Helvetica, Arial, sans-serif",
                      bg="#f7f3ee")
        txt = nl_text("Fern & Fig", blocks, L, ["Fern & Fig, Unit 3, The Old Dairy, Example Vale",
                                                f"Unsubscribe: {L(unsub)}"])
        ent = multipart("alternative", [leaf('text/plain; charset="utf-8"', txt, "base64"),
                                        leaf('text/html; charset="utf-8"', htm, "base64")], f"===============_{R.digits(19)}==")
        subj_hdr = subj if subj.isascii() else "=?utf-8?q?" + "".join(
            c if (c.isalnum() and c.isascii()) else ("_" if c == " " else "".join(f"={b:02X}" for b in c.encode()))
            for c in subj) + "?="
        env = f"bounce@send.fernandfig.example"
        hs = [("Return-Path", f"<{env}>"),
              ("Received", received(R, f"send{R.r.randint(1, 9)}.fernandfig.example", f"203.0.113.{R.r.randint(2, 250)}", d)),
              ("DKIM-Signature", dkim(R, "fernandfig.example", "kl", d))]
        hs += [("From", '"Fern & Fig" <hello@fernandfig.example>'), ("To", READER), ("Subject", subj_hdr),
               ("Date", rfc2822(d)), ("Message-ID", f"<{d:%Y%m%d%H%M%S}.{R.hex(20)}@send.fernandfig.example>")]
        hs += [("List-Unsubscribe", f"<{unsub}>"),
               ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")]
        note = (f"Klaviyo. Both parts base64. Open pixel (width/height attributes AND CSS) trk.klclick1.com/wf/open; "
                f"{L.count} click-tracked links trk.klclick1.com/ls/click (incl. unsubscribe); content images on "
                "d3k81ch9hvuctc.cloudfront.net." + ("" if subj.isascii() else f" Subject is a Q encoded-word, decoded `{subj}`."))
        add_demo(env, message(hs, ent, note, "Fern & Fig (Klaviyo)"))


# -- Pantry & Co: Mailgun transactional -------------------------------------------

def demo_mailgun():
    site = "https://pantry-co.example"
    host = "https://email.mg.pantry-co.example"
    logo_png = png(12, 4, (46, 125, 50))
    orders = [
        ("2024-05-03 10:11:12", "Order PC-48213 confirmed", "Thanks, Sam. We've got your order.",
         "Delivery slot: Saturday 4 May, 8am to 10am.", "View your order", "/account/orders/PC-48213", True),
        ("2024-05-04 06:40:00", "Your Pantry & Co order is on its way", "Your driver is Chris.",
         "Your order PC-48213 left the depot at 6:35am.", "Track your delivery", "/track/PC-48213", False),
        ("2024-05-06 09:00:00", "How did we do?", "Tell us about your delivery.",
         "It takes one minute and helps us plan routes and stock.", "Rate your delivery", "/feedback/PC-48213", False),
    ]
    for when, subj, h1, p1, cta, path, with_logo in orders:
        d = dt(when)
        L = Links(lambda url: f"{host}/c/eJw{R.tok(150)}")
        tok = f"eJw{R.tok(140)}"
        open_url = f"{host}/o/{tok}"
        logo_src = "cid:logo.pantry@pantry-co.example" if with_logo else f"{site}/static/email/logo.png"
        htm = "\n".join([
            "<html>", "<head><meta charset=\"utf-8\"><title>Pantry &amp; Co</title></head>",
            '<body style="margin:0;padding:0;background:#ffffff;">',
            '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">',
            '<tr><td align="center" style="padding:24px;">',
            '<table role="presentation" width="560" cellpadding="0" cellspacing="0" border="0" style="font-family:Arial,Helvetica,sans-serif;color:#222222;">',
            f'<tr><td style="padding-bottom:16px;"><img src="{logo_src}" width="120" height="40" alt="Pantry &amp; Co" style="display:block;" /></td></tr>',
            f'<tr><td><h1 style="font-size:22px;margin:0 0 12px 0;">{html.escape(h1)}</h1>',
            f'<p style="font-size:15px;line-height:22px;margin:0 0 16px 0;">{html.escape(p1)}</p>',
            '<table role="presentation" width="100%" cellpadding="6" cellspacing="0" border="0" style="border-top:1px solid #dddddd;font-size:14px;">',
            '<tr><td>Oat milk, 1 l &times; 2</td><td align="right">3.20</td></tr>',
            '<tr><td>Sourdough loaf</td><td align="right">2.95</td></tr>',
            '<tr><td>Free-range eggs, 12</td><td align="right">3.60</td></tr>',
            '<tr><td style="border-top:1px solid #dddddd;"><strong>Total</strong></td><td align="right" style="border-top:1px solid #dddddd;"><strong>9.75</strong></td></tr>',
            "</table>",
            f'<p style="margin:20px 0;"><a href="{e(L(site + path))}" style="background:#2e7d32;color:#ffffff;padding:10px 18px;text-decoration:none;border-radius:3px;">{html.escape(cta)}</a></p>',
            f'<p style="font-size:12px;color:#777777;">Questions? <a href="{e(L(site + "/help"))}" style="color:#777777;">Visit our help centre</a>.</p>',
            "</td></tr>", "</table>", "</td></tr>", "</table>",
            f'<img width="1px" height="1px" alt="" src="{e(open_url)}">',
            "</body>", "</html>"]) + "\n"
        txt = (f"{h1}\n\n{p1}\n\nOat milk, 1 l x 2      3.20\nSourdough loaf         2.95\nFree-range eggs, 12    3.60\n"
               f"Total                  9.75\n\n{cta}: {L(site + path)}\nHelp: {L(site + '/help')}\n")
        html_part = leaf("text/html; charset=utf-8", htm, "quoted-printable")
        if with_logo:
            logo_part = leaf('image/png; name="logo.png"', logo_png, "base64",
                             extra=[("Content-ID", "<logo.pantry@pantry-co.example>"),
                                    ("Content-Disposition", 'inline; filename="logo.png"')])
            html_part = multipart("related", [html_part, logo_part], R.hex(32), params=' type="text/html";')
            html_part = (html_part[0], html_part[1])
        ent = multipart("alternative", [leaf("text/plain; charset=utf-8", txt, "quoted-printable"), html_part], R.hex(32))
        env = f"bounce+{R.hex(6)}.{R.hex(6)}-reader=example.org@mg.pantry-co.example"
        hs = [("Return-Path", f"<{env}>"),
              ("Received", received(R, f"m{R.r.randint(10, 99)}-{R.r.randint(10, 99)}.mailgun.net", f"198.51.100.{R.r.randint(2, 250)}", d)),
              ("DKIM-Signature", dkim(R, "mg.pantry-co.example", "mx", d))]
        hs += std_headers('"Pantry & Co" <orders@mg.pantry-co.example>', subj, d,
                          f"<{d:%Y%m%d%H%M%S}.{R.hex(16)}.{R.digits(5)}@mg.pantry-co.example>")
        hs += [("X-Mailgun-Sid", base64.b64encode(f'["{R.hex(5)}", "reader@example.org", "{R.hex(5)}"]'.encode()).decode()),
               ("X-Mailgun-Tag", "transactional")]
        note = (f"Mailgun. Open pixel `width=\"1px\" height=\"1px\"` {host}/o/...; {L.count} click-tracked "
                f"links {host}/c/...; header X-Mailgun-Sid."
                + (" Logo is an inline cid: image (multipart/related, Content-ID <logo.pantry@pantry-co.example>)." if with_logo else ""))
        add_demo(env, message(hs, ent, note, "Pantry & Co (Mailgun)"))


# -- 1:1 sales email with a Mailtrack-style pixel ------------------------------------

def demo_mailtrack():
    uid = "7654321"
    d1, d2 = dt("2024-04-09 14:22:05", 1), dt("2024-04-16 09:03:41", 1)
    mid1 = f"<CAF{R.tok(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}@mail.gmail.com>"
    mid2 = f"<CAF{R.tok(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}@mail.gmail.com>"
    book = "https://salesly.example/book/jordan-blake"
    for i, (d, mid) in enumerate(((d1, mid1), (d2, mid2))):
        trace = R.hex(40)
        pix = f"https://mailtrack.io/trace/mail/{trace}.png?u={uid}"
        link = (f"https://mailtrack.io/trace/link/{R.hex(40)}?url={urlquote(book, safe='')}"
                f"&userId={uid}&signature={R.hex(16)}")
        if i == 0:
            subj = "Quick question about reporting at Example Org"
            lines = ["Hi Sam,", "", "I noticed Example Org has been hiring analysts, so I guess reporting is on",
                     "your mind. Salesly builds weekly pipeline reports straight from your CRM,",
                     "with no spreadsheets in between.", "",
                     "Would you have 15 minutes next week? You can pick a time here:"]
        else:
            subj = "Re: Quick question about reporting at Example Org"
            lines = ["Hi Sam,", "", "Just bumping this to the top of your inbox in case it got buried.",
                     "Happy to keep it to 15 minutes:"]
        text = "\n".join(lines) + f"\n{book}\n\nBest,\nJordan\n\n-- \nJordan Blake | Account Executive, Salesly\n"
        hbody = "".join(f"<div>{html.escape(l)}</div>" if l else "<div><br></div>" for l in lines[1:])
        htm = (f'<div dir="ltr"><div>{html.escape(lines[0])}</div>{hbody}'
               f'<div><a href="{e(link)}">{book}</a></div><div><br></div><div>Best,</div><div>Jordan</div>'
               f'<div><br></div><span class="gmail_signature_prefix">-- </span><br><div dir="ltr" class="gmail_signature">'
               f'<div dir="ltr">Jordan Blake | Account Executive, Salesly<br>+44 20 7946 0000</div></div></div>'
               f'<img width="0" height="0" class="mailtrack-img" alt="" style="display:flex" src="{e(pix)}">')
        if i == 1:
            q1 = "On Tue, 9 Apr 2024 at 14:22, Jordan Blake &lt;jordan.blake@salesly.example&gt; wrote:"
            htm += (f'<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">{q1}<br></div>'
                    f'<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);'
                    f'padding-left:1ex"><div dir="ltr">Hi Sam,<div><br></div><div>Would you have 15 minutes next week?</div></div>'
                    f'</blockquote></div>')
            text += ("\nOn Tue, 9 Apr 2024 at 14:22, Jordan Blake <jordan.blake@salesly.example> wrote:\n"
                     "> Hi Sam,\n>\n> Would you have 15 minutes next week?\n")
        htm += "\n"
        ent = multipart("alternative", [leaf('text/plain; charset="UTF-8"', text, "quoted-printable"),
                                        leaf('text/html; charset="UTF-8"', htm, "quoted-printable")],
                        f"000000000000{R.hex(16)}")
        hs = [("Return-Path", "<jordan.blake@salesly.example>"),
              ("Received", received(R, "mail-sor-f41.google.com", f"209.85.220.{R.r.randint(2, 250)}", d)),
              ("DKIM-Signature", dkim(R, "salesly.example", "google", d))]
        hs += std_headers('"Jordan Blake" <jordan.blake@salesly.example>', subj, d, mid)
        if i == 1:
            hs += [("In-Reply-To", mid1), ("References", mid1)]
        note = (f"1:1 sales email (Gmail) with a Mailtrack pixel `<img width=\"0\" height=\"0\" class=\"mailtrack-img\" "
                f"style=\"display:flex\">` `{pix}` and 1 click-tracked link via mailtrack.io/trace/link (destination "
                f"in `url=`: {book}). The text part has the bare link.")
        add_demo("jordan.blake@salesly.example", message(hs, ent, note, "Jordan Blake (Mailtrack)"))


def demo_yesware():
    d = dt("2024-10-22 16:47:12", 1)
    pix = f"https://t.yesware.com/t/{R.hex(40)}/{R.hex(32)}/spacer.gif"
    dest = "https://cloudledger.example/pricing"
    link = f"https://t.yesware.com/tl/{R.hex(40)}/{R.hex(32)}/{R.hex(32)}?ytl={urlquote(dest, safe='')}"
    text = ("Hi Sam,\n\nFollowing up on our call on Thursday. Our pricing is on one page:\n"
            f"{dest}\n\nThe team plan covers up to 25 users, which sounded about right for your\n"
            "finance team. Happy to set up a trial whenever suits.\n\nKind regards,\nPriya\n\n"
            "Priya Nair\nSenior Account Manager | CloudLedger\n")
    htm = ('<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">\n'
           '<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
           '<style><!-- p.MsoNormal{margin:0cm;font-size:11.0pt;font-family:"Calibri",sans-serif;} --></style></head>\n'
           '<body lang="EN-GB" link="#0563C1" vlink="#954F72"><div class="WordSection1">\n'
           '<p class="MsoNormal">Hi Sam,<o:p></o:p></p>\n<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n'
           f'<p class="MsoNormal">Following up on our call on Thursday. Our pricing is on <a href="{e(link)}">one page</a>.<o:p></o:p></p>\n'
           '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n'
           '<p class="MsoNormal">The team plan covers up to 25 users, which sounded about right for your finance team. '
           'Happy to set up a trial whenever suits.<o:p></o:p></p>\n<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n'
           '<p class="MsoNormal">Kind regards,<br>Priya<o:p></o:p></p>\n<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n'
           '<p class="MsoNormal"><b>Priya Nair</b><br>Senior Account Manager | CloudLedger<o:p></o:p></p>\n'
           f'<img src="{e(pix)}" style="border:0; width:0; height:0; overflow:hidden; display:none !important" alt="">\n'
           '</div></body></html>\n')
    ent = multipart("alternative", [leaf('text/plain; charset="utf-8"', text, "quoted-printable"),
                                    leaf('text/html; charset="utf-8"', htm, "quoted-printable")],
                    f"_000_{R.HEX(32)}_")
    mbx = R.digits(4)
    hs = [("Return-Path", "<priya.nair@cloudledger.example>"),
          ("Received", received(R, "mail-db8eur05on2061.outbound.protection.outlook.com", "192.0.2.61", d))]
    hs += std_headers('Priya Nair <priya.nair@cloudledger.example>', "Following up on CloudLedger pricing", d,
                      f"<DB9PR10MB{mbx}{R.HEX(20)}@DB9PR10MB{mbx}.EURPRD10.PROD.OUTLOOK.COM>")
    hs += [("Thread-Topic", "Following up on CloudLedger pricing"), ("X-Mailer", "Microsoft Outlook 16.0"),
           ("Content-Language", "en-GB")]
    note = (f"1:1 sales email (Outlook) with a Yesware-style pixel hidden by `display:none` (width:0;height:0 in CSS, "
            f"no size attributes) `{pix}`; 1 click-tracked link t.yesware.com/tl/...?ytl= (destination {dest}). "
            "This is the only message in demo.mbox whose pixel uses display:none.")
    add_demo("priya.nair@cloudledger.example", message(hs, ent, note, "Priya Nair (Yesware)"))


# -- clean senders ---------------------------------------------------------------

def demo_quiet_garden():
    site = "https://quietgarden.example"
    letters = [("2024-03-01 07:30:00", "March", "Seeds on the windowsill", [
                    ("Sowing early", "Tomatoes and chillies want warmth, not light, for their first week.", "Read the letter", "/letters/2024-03/"),
                    ("From the potting shed", "A reader's trick for labels that survive the rain.", "Read more", "/letters/2024-03/#labels")]),
               ("2024-06-01 07:30:00", "June", "The longest evenings", [
                    ("Watering at dusk", "Why the evening can is kinder than the morning one.", "Read the letter", "/letters/2024-06/"),
                    ("Open gardens", "Six gardens in our valley open their gates this month.", "See the list", "/open-gardens/2024")]),
               ("2024-10-01 07:30:00", "October", "Putting the beds to sleep", [
                    ("Leaf mould", "The cheapest soil improver there is, and it makes itself.", "Read the letter", "/letters/2024-10/"),
                    ("Bulbs for spring", "Plant now, forget, and be surprised in March.", "Read more", "/letters/2024-10/#bulbs")])]
    for when, month, theme, blocks_ in letters:
        d = dt(when)
        L = Links(lambda url: url)
        ym = f"{d:%Y-%m}"
        blocks = [dict(h=h, p=p, cta=cta, href=site + path, img=(f"{site}/letters/{ym}/{j + 1}.jpg", 200, 150, h))
                  for j, (h, p, cta, path) in enumerate(blocks_)]
        subj = f"The Quiet Garden, {month} letter: {theme}"
        footer = ("The Quiet Garden is written by hand in Example Vale.<br />"
                  f'To stop these letters, <a href="mailto:letters-unsubscribe@quietgarden.example?subject=unsubscribe" '
                  f'style="color:#777777;">email us</a>.')
        htm = nl_html(title=subj, brand="The Quiet Garden", accent="#4a6741", preheader=theme,
                      logo=(site + "/", f"{site}/images/quiet-garden-logo.png", 200, 60),
                      hero=(site + f"/letters/{ym}/", f"{site}/letters/{ym}/header.jpg", 600, 240, theme),
                      blocks=blocks, footer=footer, L=L, font="Georgia, serif", bg="#f3f1ea")
        txt = nl_text("The Quiet Garden", blocks, L, ["The Quiet Garden is written by hand in Example Vale.",
                                                      "To stop these letters, email letters-unsubscribe@quietgarden.example"])
        ent = multipart("alternative", [leaf("text/plain; charset=utf-8", txt, "7bit"),
                                        leaf("text/html; charset=utf-8", htm, "7bit")], f"qg-{ym}-{R.hex(12)}")
        hs = [("Return-Path", "<letters@quietgarden.example>"),
              ("Received", received(R, "mail.quietgarden.example", f"203.0.113.{R.r.randint(2, 250)}", d))]
        hs += std_headers('"The Quiet Garden" <letters@quietgarden.example>', subj, d, f"<letter-{ym}@quietgarden.example>")
        hs += [("List-Unsubscribe", "<mailto:letters-unsubscribe@quietgarden.example?subject=unsubscribe>"),
               ("List-Id", "The Quiet Garden letters <letters.quietgarden.example>")]
        note = ("CLEAN newsletter: content images only, all on the sender's own domain quietgarden.example, all "
                "larger than 1x1; links go straight to quietgarden.example with no query parameters; no ESP "
                "headers. Expected: no tracking findings.")
        add_demo("letters@quietgarden.example", message(hs, ent, note, "The Quiet Garden (clean)"))


def demo_utm():
    site = "https://atlasbikes.example"
    mails = [("2024-04-02 17:00:00", "Spring service week at Atlas Bikes", "spring-service-2024",
              "Spring service week", "Book a full service before 20 April and we'll fit new bar tape for free.",
              "/service", "Book a service", [
                  ("Tyres for the season", "Puncture-resistant commuter tyres, fitted while you wait.", "See tyres", "/parts/tyres"),
                  ("Group ride, Sunday 9am", "An easy 40 km loop with a cafe stop. Everyone welcome.", "Ride details", "/rides")]),
             ("2024-09-24 17:00:00", "Atlas Bikes: autumn ride calendar", "autumn-rides-2024",
              "Autumn rides", "Six Sunday rides, from flat and gentle to properly hilly.", "/rides/autumn",
              "See the calendar", [
                  ("Lights check", "Free lights check every Saturday in October.", "Find out more", "/lights"),
                  ("Mudguards fitted", "Stay dry this winter: mudguards fitted from 25.", "Book fitting", "/service/mudguards")])]
    for when, subj, camp, hh, ht, hpath, hcta, blocks_ in mails:
        d = dt(when)
        ctr = iter(range(1, 99))

        def utm(url, camp=camp, ctr=ctr):
            return f"{url}?utm_source=newsletter&utm_medium=email&utm_campaign={camp}&utm_content=link{next(ctr)}"
        L = Links(utm)
        blocks = [dict(h=h, p=p, cta=cta, href=site + path, img=(f"{site}/img/email/{camp}-{j + 1}.jpg", 200, 140, h))
                  for j, (h, p, cta, path) in enumerate(blocks_)]
        footer = ("Atlas Bikes, 8 Mill Lane, Example Town<br />"
                  f'<a href="{site}/newsletter/leave" style="color:#777777;">Leave this list</a>')
        htm = nl_html(title=subj, brand="Atlas Bikes", accent="#c0392b", preheader=ht,
                      logo=(site + "/", f"{site}/img/email/atlas-logo.png", 160, 50),
                      hero_bg=(f"{site}/img/email/{camp}-hero.jpg", hh, ht, site + hpath, hcta),
                      blocks=blocks, footer=footer, L=L)
        txt = nl_text("Atlas Bikes", blocks, L, ["Atlas Bikes, 8 Mill Lane, Example Town",
                                                 f"Leave this list: {site}/newsletter/leave"], hero_link=(hcta, site + hpath))
        ent = multipart("alternative", [leaf("text/plain; charset=utf-8", txt, "quoted-printable"),
                                        leaf("text/html; charset=utf-8", htm, "quoted-printable")], f"atlas-{R.hex(16)}")
        hs = [("Return-Path", "<news@atlasbikes.example>"),
              ("Received", received(R, "smtp.atlasbikes.example", f"192.0.2.{R.r.randint(2, 250)}", d))]
        hs += std_headers('"Atlas Bikes" <news@atlasbikes.example>', subj, d, f"<{camp}.{R.hex(8)}@atlasbikes.example>")
        note = (f"Self-hosted newsletter, no pixel, no click tracker: {L.count} links to atlasbikes.example carry "
                f"utm_source/utm_medium/utm_campaign/utm_content (link decoration only, campaign `{camp}`). Hero is a "
                "CSS background image (content) with VML fallback.")
        add_demo("news@atlasbikes.example", message(hs, ent, note, "Atlas Bikes (utm only)"))


def demo_bank():
    d = dt("2024-04-05 05:12:00")
    site = "https://www.fairbank.example"
    htm = "\n".join([
        "<html><head><meta charset=\"utf-8\"></head>",
        '<body style="font-family:Arial,sans-serif;color:#1a1a1a;background:#ffffff;">',
        '<table role="presentation" width="560" cellpadding="0" cellspacing="0" border="0" align="center">',
        f'<tr><td style="padding:20px 0;"><img src="{site}/static/email/fairbank-logo.png" width="140" height="36" alt="Fairbank"></td></tr>',
        '<tr><td style="font-size:15px;line-height:22px;">',
        "<p>Dear customer,</p>",
        "<p>Your statement for March 2024 is ready. For your security we never include account details in email.</p>",
        f'<p>Log in to online banking at <a href="{site}/">{site.replace("https://", "")}</a> to view it.</p>',
        "<p>Fairbank</p>",
        "</td></tr></table>", "</body></html>"]) + "\n"
    txt = ("Dear customer,\n\nYour statement for March 2024 is ready. For your security we never include\n"
           f"account details in email.\n\nLog in to online banking at {site}/ to view it.\n\nFairbank\n")
    ent = multipart("alternative", [leaf("text/plain; charset=utf-8", txt), leaf("text/html; charset=utf-8", htm)],
                    "fairbank-stmt-202403")
    hs = [("Return-Path", "<statements@fairbank.example>"),
          ("Received", received(R, "out.fairbank.example", "192.0.2.80", d))]
    hs += std_headers('"Fairbank" <statements@fairbank.example>', "Your March statement is ready", d,
                      "<stmt-202403-88412@fairbank.example>")
    add_demo("statements@fairbank.example",
             message(hs, ent, "CLEAN transactional mail: one logo image on the sender's own domain (140x36), one "
                              "plain link to fairbank.example. Expected: no tracking findings.", "Fairbank (clean)"))


def demo_receipts_and_reports():
    # A 1:1 business mail requesting a read receipt
    d = dt("2024-02-20 10:41:00")
    text = ("Hello Sam,\n\nPlease find below the invoice for the brochure print run.\n\n"
            "Invoice 2024-031\n500 brochures, A5, 16 pages: 640.00\nDelivery: 25.00\nTotal: 665.00\n\n"
            "Payment within 30 days, please.\n\nKind regards,\nLena Ortiz\nPrintworks\n")
    htm = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>\n'
           '<body><div style="font-family:Calibri,sans-serif;font-size:11pt;">\n'
           "<p>Hello Sam,</p>\n<p>Please find below the invoice for the brochure print run.</p>\n"
           '<table border="1" cellpadding="4" cellspacing="0" style="border-collapse:collapse;">\n'
           "<tr><td>500 brochures, A5, 16 pages</td><td>640.00</td></tr>\n<tr><td>Delivery</td><td>25.00</td></tr>\n"
           "<tr><td><b>Total</b></td><td><b>665.00</b></td></tr>\n</table>\n"
           "<p>Payment within 30 days, please.</p>\n<p>Kind regards,<br>Lena Ortiz<br>Printworks</p>\n</div></body></html>\n")
    ent = multipart("alternative", [leaf('text/plain; charset="utf-8"', text, "quoted-printable"),
                                    leaf('text/html; charset="utf-8"', htm, "quoted-printable")], f"_000_{R.HEX(24)}_")
    hs = [("Return-Path", "<lena.ortiz@printworks.example>"),
          ("Received", received(R, "mail.printworks.example", "198.51.100.31", d))]
    hs += std_headers('"Lena Ortiz" <lena.ortiz@printworks.example>', "Invoice 2024-031 for the brochure print run", d,
                      "<000c01da63e5$4f2a1b30$ed7e5190$@printworks.example>")
    hs += [("Disposition-Notification-To", '"Lena Ortiz" <lena.ortiz@printworks.example>'),
           ("X-Mailer", "Microsoft Outlook 16.0"), ("Thread-Index", "AdpjzE8qGzDtflGQ" + R.tok(12))]
    add_demo("lena.ortiz@printworks.example",
             message(hs, ent, "Read-receipt request: Disposition-Notification-To: \"Lena Ortiz\" "
                              "<lena.ortiz@printworks.example>. No pixels, no tracked links.", "Printworks (read receipt)"))

    # MDN coming back to the reader
    d = dt("2024-04-03 19:02:00")
    orig_mid = "<agenda-0403@example.org>"
    ent = multipart("report", [
        leaf("text/plain; charset=utf-8",
             "This is a receipt for the mail you sent to carol@example.net at 03/04/2024 18:40.\n\n"
             "This receipt verifies that the message has been displayed on the recipient's computer.\n"
             "There is no guarantee that the content has been read or understood.\n"),
        leaf("message/disposition-notification",
             "Reporting-UA: laptop.example.net; ExampleMail 1.0\n"
             "Original-Recipient: rfc822;carol@example.net\n"
             "Final-Recipient: rfc822;carol@example.net\n"
             f"Original-Message-ID: {orig_mid}\n"
             "Disposition: manual-action/MDN-sent-manually; displayed\n", None),
        leaf("text/rfc822-headers",
             "From: \"Sam Reader\" <reader@example.org>\nTo: carol@example.net\n"
             "Subject: Draft agenda for the April meetup\nDate: Wed, 03 Apr 2024 18:40:00 +0000\n"
             f"Message-ID: {orig_mid}\nDisposition-Notification-To: \"Sam Reader\" <reader@example.org>\n", None),
    ], f"mdn-{R.hex(20)}", params=" report-type=disposition-notification;")
    hs = std_headers('"Carol Example" <carol@example.net>', "Read: Draft agenda for the April meetup", d,
                     f"<mdn.{R.hex(12)}@example.net>")
    add_demo("carol@example.net",
             message(hs, ent, f"MDN (multipart/report; report-type=disposition-notification), Disposition "
                              f"`manual-action/MDN-sent-manually; displayed`, Original-Message-ID {orig_mid}.",
                     "MDN report"))

    # DSN failure for a message the reader sent
    d = dt("2024-08-14 13:27:45")
    ent = multipart("report", [
        leaf("text/plain; charset=us-ascii",
             "This is the mail system at host smtp.example.org.\n\n"
             "I'm sorry to have to inform you that your message could not\n"
             "be delivered to one or more recipients.\n\n"
             "<lettings@old-lettings.example>: host mx.old-lettings.example[203.0.113.77] said:\n"
             "    550 5.1.1 <lettings@old-lettings.example>: Recipient address rejected: User\n"
             "    unknown in virtual mailbox table (in reply to RCPT TO command)\n",
             extra=[("Content-Description", "Notification")]),
        leaf("message/delivery-status",
             "Reporting-MTA: dns; smtp.example.org\n"
             "X-Postfix-Queue-ID: 4WkLmN5pqrz7tY\n"
             "X-Postfix-Sender: rfc822; reader@example.org\n"
             "Arrival-Date: Wed, 14 Aug 2024 13:27:43 +0000 (UTC)\n\n"
             "Final-Recipient: rfc822; lettings@old-lettings.example\n"
             "Original-Recipient: rfc822;lettings@old-lettings.example\n"
             "Action: failed\n"
             "Status: 5.1.1\n"
             "Remote-MTA: dns; mx.old-lettings.example\n"
             "Diagnostic-Code: smtp; 550 5.1.1 <lettings@old-lettings.example>: Recipient\n"
             "    address rejected: User unknown in virtual mailbox table\n", None,
             extra=[("Content-Description", "Delivery report")]),
        leaf("text/rfc822-headers",
             "From: \"Sam Reader\" <reader@example.org>\nTo: lettings@old-lettings.example\n"
             "Subject: Flat viewing on Thursday\nDate: Wed, 14 Aug 2024 13:27:40 +0000\n"
             "Message-ID: <viewing-0814@example.org>\n", None,
             extra=[("Content-Description", "Undelivered Message Headers")]),
    ], "4WkLmN5pqrz7tY.1723642065/smtp.example.org", params=" report-type=delivery-status;",
        preamble=b"This is a MIME-encapsulated message.\n\n")
    hs = std_headers('"Mail Delivery System" <MAILER-DAEMON@smtp.example.org>', "Undelivered Mail Returned to Sender", d,
                     "<20240814132745.4WkLmN5pqrz7tY@smtp.example.org>")
    hs += [("Auto-Submitted", "auto-replied")]
    add_demo("MAILER-DAEMON",
             message(hs, ent, "DSN (multipart/report; report-type=delivery-status), Action failed, Status 5.1.1, "
                              "Final-Recipient lettings@old-lettings.example; part 3 text/rfc822-headers "
                              "(Message-ID <viewing-0814@example.org>).", "DSN report"))


def demo_personal():
    def tb(frm, subj, when, body, mid, extra=(), note="", subj_hdr=None, tz=0):
        d = dt(when, tz)
        hs = [("Return-Path", f"<{parseaddr(frm)[1]}>"),
              ("Received", received(R, "smtp.example.net", f"198.51.100.{R.r.randint(2, 250)}", d))]
        hs += std_headers(frm, subj_hdr or subj, d, mid) + list(extra)
        hs += [("User-Agent", "Mozilla Thunderbird")]
        m = message(hs, leaf("text/plain; charset=UTF-8; format=flowed", body, "8bit"),
                    "CLEAN personal mail, plain text, no tracking." + (" " + note if note else ""), "personal")
        add_demo(parseaddr(frm)[1], m)
        return m

    tb('"Alex Friend" <friend@example.net>', "Saturday hike?", "2024-01-11 20:15:00",
       "Hi Sam,\n\nAre you up for the ridge walk on Saturday? The forecast looks dry.\n\n"
       "From what I remember the car park fills up by nine, so an early start\nwould be good.\n\nAlex\n",
       "<7e1f3a2b-4c5d-4e6f-8a9b-0c1d2e3f4a5b@example.net>",
       note="Body line `From what I remember the car park fills up by nine, so an early start` is stored "
            "mboxrd-quoted as `>From what I remember ...` and must read `From what I remember ...` after unquoting.")
    tb('"Alex Friend" <friend@example.net>', "Café on Saturday?", "2024-06-06 12:01:00",
       "Sam,\n\nThe new café by the station does a proper flat white. Saturday at 10?\n\nAlex\n",
       "<5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e@example.net>",
       subj_hdr=b64word("Café on Saturday?"),
       note="Subject is a B encoded-word; decoded `Café on Saturday?`. Body is 8bit UTF-8.")
    tb('"Dana Colleague" <dana@example.com>', "Re: Notes from Tuesday", "2024-07-17 09:12:00",
       "Thanks, that matches my notes. One correction below.\n\n"
       "On 16/07/2024 17:30, Sam Reader wrote:\n> Budget for the autumn print run is 2,000.\n"
       "> Deadline for copy is 2 September.\n\nIt's 9 September now, they moved it.\n\nDana\n",
       "<a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d@example.com>",
       extra=[("In-Reply-To", "<notes-0716@example.org>"), ("References", "<notes-0716@example.org>")])
    tb('"Tom Neighbour" <tom@example.net>', "Parcel for you", "2024-09-03 18:22:00",
       "Hi Sam,\n\nA parcel for you was left with us this afternoon. Knock whenever you're back.\n\nTom (no. 14)\n",
       "<c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f@example.net>")
    tb('"Mum" <mum@example.com>', "Sunday lunch", "2024-10-18 21:05:00",
       "Hello love,\n\nLunch on Sunday at one? Your brother is bringing pudding.\n\nLove, Mum\n",
       "<d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f7a@example.com>")

    # Apple Mail HTML with an inline cid: photo
    d = dt("2024-05-12 08:47:00", 1)
    photo = png(16, 12, (120, 170, 90))
    text = "Morning!\n\nThe tulips finally opened. Photo below.\n\nLove, Mum\n"
    htm = ('<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head>'
           '<body style="overflow-wrap: break-word; -webkit-nbsp-mode: space; line-break: after-white-space;">'
           '<div>Morning!</div><div><br></div><div>The tulips finally opened. Photo below.</div><div><br></div>'
           '<div><img apple-inline="yes" id="A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D" width="320" height="240" '
           'src="cid:9F8E7D6C-5B4A-4392-8170-6F5E4D3C2B1A@example.com"></div><div><br></div><div>Love, Mum</div></body></html>\n')
    related = multipart("related", [
        leaf("text/html; charset=utf-8", htm, "quoted-printable"),
        leaf('image/png; name="tulips.png"', photo, "base64",
             extra=[("Content-Disposition", 'inline; filename="tulips.png"'),
                    ("Content-Id", "<9F8E7D6C-5B4A-4392-8170-6F5E4D3C2B1A@example.com>")]),
    ], "Apple-Mail=_3B1C5E7A-2D4F-4A6B-8C0E-1F3A5C7E9B2D", params=' type="text/html";')
    ent = multipart("alternative", [leaf("text/plain; charset=us-ascii", text), related],
                    "Apple-Mail=_6D8F0A2C-4E6A-4C8E-9A0C-2E4A6C8E0A2C")
    hs = [("Return-Path", "<mum@example.com>"),
          ("Received", received(R, "smtp.example.com", "198.51.100.77", d))]
    hs += std_headers('"Mum" <mum@example.com>', "The garden this morning", d,
                      "<4A6C8E0A-2C4E-4A8C-9E0A-2C4E6A8C0E2A@example.com>")
    hs += [("X-Mailer", "Apple Mail (2.3774.500.171.1.1)")]
    add_demo("mum@example.com", message(hs, ent, "CLEAN personal HTML mail (Apple Mail) with an inline cid: photo "
                                                  "(multipart/related, 320x240 in HTML). Expected: no tracking findings; "
                                                  "cid: images are never remote.", "personal"))

    # Alex with an attached photo
    d = dt("2024-08-25 21:30:00")
    ent = multipart("mixed", [
        leaf("text/plain; charset=UTF-8; format=flowed",
             "Here's the one from the lake. The rest are on the shared drive.\n\nAlex\n", "7bit"),
        leaf('image/png; name="lake.png"', png(20, 10, (70, 130, 180)), "base64",
             extra=[("Content-Disposition", 'attachment; filename="lake.png"')]),
    ], f"------------{R.digits(24)}")
    hs = [("Return-Path", "<friend@example.net>"),
          ("Received", received(R, "smtp.example.net", "198.51.100.12", d))]
    hs += std_headers('"Alex Friend" <friend@example.net>', "Photo from the lake", d,
                      "<e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b@example.net>")
    hs += [("User-Agent", "Mozilla Thunderbird")]
    add_demo("friend@example.net", message(hs, ent, "CLEAN personal mail with a PNG attachment (multipart/mixed).",
                                           "personal"))


def make_demo():
    demo_mailchimp()
    demo_sendgrid()
    demo_hubspot()
    demo_sfmc()
    demo_klaviyo()
    demo_mailgun()
    demo_mailtrack()
    demo_yesware()
    demo_quiet_garden()
    demo_utm()
    demo_bank()
    demo_receipts_and_reports()
    demo_personal()

    def when(item):
        from email.utils import parsedate_to_datetime
        return parsedate_to_datetime(item[1].get("Date")).astimezone(timezone.utc)
    items = sorted(DEMO, key=when)
    # A local mbox as mutt or mailx leave it: `Status: RO` on what was read, `O` on what was
    # listed but not opened (about one message in four, picked by Message-ID).
    for _, m in items:
        unread = int(hashlib.sha1(m.mid.encode()).hexdigest(), 16) % 4 == 0
        m.headers.append(("Status", "O" if unread else "RO"))
    entries = [(f"{env} {asctime(when(it))}", it[1]) for it in items for env in [it[0]]]
    data = mbox(entries, "mboxrd")
    write("demo.mbox", data)
    record("demo.mbox", [m for _, m in entries])
    return data


# --------------------------------------------------------------------------- README

FILE_DOCS = [
    ("formats/single.eml", "One HTML newsletter (multipart/alternative) from news@shop.example with a Mailchimp-style pixel and two tracked links.", "1 message."),
    ("formats/eml-folder/a.eml", "Loose .eml at the top of a folder.", "1 message."),
    ("formats/eml-folder/sub/b.eml", "Loose .eml one level down.", "1 message."),
    ("formats/eml-folder/sub/deeper/c.eml", "Loose .eml two levels down.", "1 message. Scanning `eml-folder/` recursively yields 3 messages."),
    ("formats/eml-folder/sub/notes.txt", "Plain text that is NOT mail (`shopping list\\nmilk\\n`).", "0 messages; must be skipped (no error that aborts the scan)."),
    ("formats/mboxo.mbox", "mboxo: `From ` body lines quoted with one `>`.", "3 messages; message 2 body line unquotes to `From the desk of the editor`."),
    ("formats/mboxrd.mbox", "mboxrd: `>*From ` lines get one more `>`.", "2 messages; `>From here` -> `From here`, `>>From there` -> `>From there`."),
    ("formats/mboxcl2.mbox", "mboxcl2: Content-Length framing, no quoting; an unquoted `From ` line after a blank line inside message 1.", "3 messages (NOT 4)."),
    ("formats/mboxcl.mbox", "mboxcl: Content-Length framing AND mboxo quoting; Content-Length counts the `>`.", "2 messages."),
    ("formats/crlf.mbox", "Every line CRLF, separators included.", "3 messages."),
    ("formats/odd-dates.mbox", "Separator lines in five odd envelope formats.", "5 messages; every separator must be recognised."),
    ("formats/preamble.mbox", "Three lines of non-mail text before the first `From ` line.", "2 messages; the preamble is not a message."),
    ("formats/takeout/All mail Including Spam and Trash.mbox", "Gmail Takeout export (file name with spaces), mboxrd, X-GM-THRID / X-Gmail-Labels first.", "3 messages."),
    ("formats/thunderbird/Local Folders/Inbox", "Thunderbird mbox with no extension, `From - ` separators, X-Mozilla-* headers.", "2 messages."),
    ("formats/thunderbird/Local Folders/Inbox.msf", "Mork summary file (text, starts `// <!-- <mdb:mork:z v=\"1.4\"/> -->`). NOT mail.", "0 messages; skip."),
    ("formats/thunderbird/Local Folders/Archives.sbd/2024", "mbox in a Thunderbird `.sbd` sub-folder directory.", "2 messages."),
    ("formats/thunderbird/Local Folders/Archives.sbd/2024.msf", "Mork summary. NOT mail.", "0 messages; skip."),
    ("formats/thunderbird/Local Folders/Trash", "Empty mbox (0 bytes).", "0 messages, and no error."),
    ("formats/thunderbird/Local Folders/Trash.msf", "Mork summary. NOT mail.", "0 messages; skip. Scanning `thunderbird/` yields 4 messages."),
    ("formats/maildir/cur/1700000001.M1P100.host:2,S", "Maildir, cur/, flags S.", "1 message."),
    ("formats/maildir/cur/1700000002.M2P100.host:2,RS", "Maildir, cur/, flags RS.", "1 message."),
    ("formats/maildir/new/1700000003.M3P100.host", "Maildir, new/.", "1 message."),
    ("formats/maildir/tmp/1700000004.M4P100.host", "Maildir tmp/: delivery in progress.", "MUST be ignored (0 messages)."),
    ("formats/maildir/.Work/cur/1700000005.M5P100.host:2,FS", "Maildir++ sub-folder `.Work`, flags FS.", "1 message."),
    ("formats/maildir/.Work/maildirfolder", "Empty marker file of a Maildir++ sub-folder.", "0 messages; skip."),
    ("formats/maildir/dovecot-uidlist", "Dovecot bookkeeping text `3 V1700000000 N6\\n`. NOT mail.", "0 messages; skip."),
    ("formats/maildir/subscriptions", "Dovecot subscriptions `Work\\n`. NOT mail.", "0 messages; skip. Scanning `maildir/` yields exactly 4 messages (3 in INBOX, 1 in Work)."),
    ("formats/applemail/Inbox.mbox/Info.plist", "Apple Mail mailbox plist. NOT mail.", "0 messages; skip."),
    ("formats/applemail/Inbox.mbox/2F1C6D0A-1B2C-4D3E-8F90-0123456789AB/Data/1/Messages/101.emlx", "emlx, byte count right-padded with spaces.", "1 message."),
    ("formats/applemail/Inbox.mbox/2F1C6D0A-1B2C-4D3E-8F90-0123456789AB/Data/2/Messages/102.emlx", "emlx, unpadded byte count, HTML with a pixel.", "1 message."),
    ("formats/applemail/Inbox.mbox/2F1C6D0A-1B2C-4D3E-8F90-0123456789AB/Data/1/Messages/103.partial.emlx", "Partial emlx (attachment body stored elsewhere).", "1 message. Scanning `applemail/` yields 3 messages."),
    ("formats/gz/archive.mbox.gz", "gzip of a 2-message mboxrd file.", "2 messages."),
    ("formats/gz/single.eml.gz", "gzip of one message.", "1 message."),
    ("formats/archives/takeout.zip", "Zip laid out like a Google Takeout download: `Takeout/archive_browser.html` and `Takeout/Mail/All mail Including Spam and Trash.mbox` (deflated), plus their folder entries.", "2 messages (from the mbox member, `locator.entry` names it); `archive_browser.html` skipped as not mail."),
    ("formats/compressed/list.mbox.bz2", "bzip2 of a 2-message mboxrd file.", "2 messages."),
    ("formats/compressed/notes.mbox.xz", "xz of a 1-message mboxrd file (a tracking pixel).", "1 message."),
    ("formats/compressed/pair.mbox.zst", "Two zstd frames, each after a skippable frame (as pzstd writes), one mbox message each.", "2 messages."),
    ("formats/compressed/backup.txz", "xz of a tar of a Maildir (`.txz`).", "1 message."),
    ("formats/archives/mixed.zip", "Zip of `letters/`: `a.eml` stored, `b.eml.gz` (a gzip file) deflated, `c.eml` packed with bzip2 (method 12), `d.eml` with LZMA (method 14), `e.eml` marked PPMd (method 98), `f.eml` Deflate64 (method 9), `inner.zip` (a zip), `.DS_Store`.", "5 messages (a, b, c, d, f); 1 error entry for `e.eml` (compression method not supported); `inner.zip` and `.DS_Store` skipped."),
    ("formats/archives/maildir.tar.gz", "gzip of a PAX tar of a Maildir: `cur/` 1, `new/` 1, `tmp/` 1, `dovecot-uidlist`, a folder whose member path passes 100 bytes, and a symbolic link `Maildir/latest`.", "3 messages (cur, new, the long path); `tmp/` member, `dovecot-uidlist` and the link skipped."),
    ("headers/read-receipt-dnt.eml", "Disposition-Notification-To read-receipt request.", "1 message; 1 receipt request."),
    ("headers/read-receipt-variants.eml", "Five legacy receipt/report request headers, odd case.", "1 message; 5 request headers."),
    ("headers/dsn-delivery-status.eml", "RFC 3464 delivery status notification (delivered).", "1 message; it IS a delivery report."),
    ("headers/dsn-failed.eml", "RFC 3464 DSN (failed) with the original as message/rfc822.", "1 top-level message (the attached original is not counted)."),
    ("headers/mdn-displayed.eml", "RFC 8098 message disposition notification (displayed).", "1 message; it IS a read receipt that was sent."),
    ("headers/esp-mailgun.eml", "Mailgun ESP headers.", "1 message; ESP header evidence only."),
    ("headers/esp-sendgrid.eml", "SendGrid ESP headers.", "1 message; ESP header evidence only."),
    ("headers/esp-ses.eml", "Amazon SES ESP headers.", "1 message; ESP header evidence only."),
    ("headers/esp-mandrill.eml", "Mandrill (Mailchimp Transactional) ESP headers.", "1 message; ESP header evidence only."),
    ("headers/esp-postmark.eml", "Postmark ESP headers.", "1 message; ESP header evidence only."),
    ("headers/esp-sfmc.eml", "Salesforce Marketing Cloud ESP headers.", "1 message; ESP header evidence only."),
    ("headers/plain-personal.eml", "Personal plain-text mail, X-Mailer: Thunderbird.", "1 message; NO findings."),
    ("demo.mbox", "Bundled demo archive (mboxrd) of realistic tracked and clean mail over 2024.", "see the demo section."),
]


def md_escape(s):
    return s.replace("|", "\\|")


def readme(demo_bytes):
    counts = {}
    for rel, _, _ in MESSAGES:
        counts[rel] = counts.get(rel, 0) + 1
    fmt_total = sum(1 for rel, _, m in MESSAGES if rel.startswith("formats/") and "/tmp/" not in rel)
    out = []
    w = out.append
    w("# mailtrace test fixtures")
    w("")
    w("Everything in this folder is generated by `scripts/make_fixtures.py` (fixed seeds, fixed dates, no")
    w("network). Do not edit files here by hand: change the script and run")
    w("")
    w("    python3 scripts/make_fixtures.py")
    w("")
    w("which deletes and rewrites `fixtures/` (this README included; its tables come from the same data as")
    w("the fixture bytes). Two runs produce identical bytes.")
    w("")
    w("Conventions:")
    w("")
    w("- All messages were written for this project. Domains are example domains (`example.com/.net/.org`,")
    w("  `*.example`); real ESP host names (list-manage.com, ct.sendgrid.net, hubspotlinks.com, klclick1.com,")
    w("  mailtrack.io, t.yesware.com, exct.net ...) appear only where a message imitates mail sent through that")
    w("  service; every id, token and hash is invented.")
    w("- Line ends are LF everywhere except `formats/crlf.mbox` (CRLF on every line).")
    w("- The reader is `reader@example.org` (To: of every message unless the table says otherwise).")
    w("- Every top-level Message-ID is unique across all fixtures (the generator asserts it). Message-IDs")
    w("  inside DSN/MDN parts (`<orig-123@shop.example>`, `<orig-456@example.org>`, `<campaign-42@sender.example>`, ...)")
    w("  are references, not messages.")
    w("- Subjects below are the decoded values (RFC 2047 decoded, folding removed).")
    w("- Git cannot store empty directories, so `formats/maildir/.Work/new/` and `.Work/tmp/` do not exist. A")
    w("  Maildir reader must accept a folder where `cur`, `new` or `tmp` is missing; tests that need the full")
    w("  layout should copy the tree to a temp dir and create the empty dirs there. Maildir file names contain")
    w("  `:` (fine on Linux/macOS; these files cannot be checked out on Windows).")
    w(f"- If every container is read correctly, `fixtures/formats/` holds **{fmt_total} messages** in total "
      "(maildir `tmp/` excluded, non-mail files skipped).")
    w("")
    w("## Files")
    w("")
    w("| File | Bytes | What it shows | Expected |")
    w("|---|---:|---|---|")
    documented = set()
    for rel, what, exp in FILE_DOCS:
        assert rel in WRITTEN, rel
        documented.add(rel)
        w(f"| `{md_escape(rel)}` | {len(WRITTEN[rel])} | {md_escape(what)} | {md_escape(exp)} |")
    missing = [r for r in WRITTEN if r not in documented and r != "README.md"]
    assert not missing, missing
    w("")
    w("## Messages in each fixture")
    w("")
    w("`#` is the position inside the container (mbox order). Notes state the exact behaviour a test can")
    w("assert for the awkward cases.")
    groups = {}
    for rel, i, m in MESSAGES:
        if rel == "demo.mbox":
            continue
        groups.setdefault(rel, []).append((i, m))
    for rel, items in groups.items():
        w("")
        w(f"### `{rel}` ({len(items)} message{'s' if len(items) != 1 else ''})")
        w("")
        w("| # | From | To | Subject | Message-ID | Notes |")
        w("|---:|---|---|---|---|---|")
        for i, m in items:
            to = parseaddr(unfold(m.get("To")))[1]
            w(f"| {i} | `{m.from_addr}` | `{to}` | {md_escape(m.subject)} | `{m.mid}` | {md_escape(m.note)} |")
    w("")
    w("## Awkward cases: exact expectations")
    w("")
    for line in AWKWARD:
        w(f"- {line}")
    w("")
    w("## demo.mbox")
    w("")
    demo = [(i, m) for rel, i, m in MESSAGES if rel == "demo.mbox"]
    w(f"`demo.mbox` is {len(demo_bytes)} bytes, mboxrd, **{len(demo)} messages** sorted by date (all in 2024), all")
    w("to `reader@example.org`. The tracking column is the ground truth the generator put in each message.")
    w("")
    fam = {}
    for _, m in demo:
        fam[m.demo_kind] = fam.get(m.demo_kind, 0) + 1
    w("Messages per sender family:")
    w("")
    w("| Sender family | Messages |")
    w("|---|---:|")
    for k, v in sorted(fam.items(), key=lambda kv: (-kv[1], kv[0])):
        w(f"| {md_escape(k)} | {v} |")
    senders = {}
    for _, m in demo:
        senders[m.from_addr] = senders.get(m.from_addr, 0) + 1
    w("")
    w("Messages per From address: " + ", ".join(f"`{k}` {v}" for k, v in sorted(senders.items(), key=lambda kv: (-kv[1], kv[0]))) + ".")
    tracked = sum(1 for _, m in demo if m.demo_kind.split(" (")[0] in (
        "Northwind Outfitters", "The Lumen Weekly", "Brightwave", "Harbor Air", "Fern & Fig", "Pantry & Co",
        "Jordan Blake", "Priya Nair"))
    w("")
    w(f"{tracked} messages carry an open pixel plus click tracking; 2 carry link decoration only (utm); 1 requests a "
      "read receipt; 1 MDN and 1 DSN report; the rest are clean.")
    unread = sum(1 for _, m in demo if m.get("Status") == "O")
    w("")
    w(f"Each message carries the `Status` field mutt and mailx write: `RO` (read) on {len(demo) - unread}, `O` (listed, "
      f"not opened) on {unread}.")
    w("")
    w("| # | Date | From | Subject | Message-ID | Status | Tracking (ground truth) |")
    w("|---:|---|---|---|---|---|---|")
    for i, m in demo:
        w(f"| {i} | {m.get('Date')} | `{m.from_addr}` | {md_escape(m.subject)} | `{md_escape(m.mid)}` | {m.get('Status')} | {md_escape(m.note)} |")
    w("")
    return ("\n".join(out)).encode("utf-8")


AWKWARD = [
    "`formats/mboxo.mbox` #2: the stored line is `>From the desk of the editor`; after unquoting the body line "
    "must read `From the desk of the editor`. 3 messages, not 4.",
    "`formats/mboxrd.mbox` #1: stored `>From here` / `>>From there` read `From here` / `>From there` after "
    "mboxrd unquoting (exactly one `>` removed). #2's `Fromage ...` line is untouched.",
    "`formats/mboxcl2.mbox`: 3 messages. Each body is exactly Content-Length bytes, followed by one blank line "
    "and the next separator (the last message is also followed by one blank line). Message #1 contains the "
    "unquoted line `From the archive, 1999 edition` after a blank line: a reader that honours Content-Length "
    "keeps it inside #1's body; one that does not will wrongly see 4 messages (that separator has no date, so "
    "a strict separator check also avoids the split). No unquoting in mboxcl2. #2's Content-Length counts "
    "bytes (UTF-8 `é` = 2).",
    "`formats/mboxcl.mbox`: 2 messages; Content-Length includes the stored `>` of `>From ` lines; after "
    "unquoting, #1 reads `From time to time the printer jams.` and #2's first body line reads `From the top:`. "
    "(mboxcl and mboxcl2 cannot be told apart from the headers alone; a reader that treats this as mboxcl2 "
    "keeps the `>`. Either way the message count and headers are the same.)",
    "`formats/crlf.mbox`: 3 messages; separators end in CRLF too; header values must not end in `\\r`.",
    "`formats/odd-dates.mbox`: 5 messages, separators in this order: `From - Mon Jan  1 10:00:00 2024`, "
    "`From MAILER-DAEMON Fri Jul  8 12:08:34 2011`, `From user@example.com  Sat Jan  3 01:05:34 1996`, "
    "`From 1789012345678901234@xxx Wed Mar 06 09:15:00 +0000 2024`, "
    "`From bounce+abc=example.org@mg.example.net Tue, 5 Mar 2024 10:11:12 +0100`. The 1996 separator's weekday "
    "(`Sat`) disagrees with its Date header (`Wed, 03 Jan 1996`); do not validate weekdays.",
    "`formats/preamble.mbox`: starts with `This archive was exported by hand.\\nIt has notes before the first "
    "message.\\n\\n`; 2 messages; the preamble is not a message (a warning is fine).",
    "`formats/thunderbird/Local Folders/`: 4 messages (Inbox 2, Archives.sbd/2024 2); `Trash` is 0 bytes and "
    "yields 0 messages without error; `*.msf` are Mork text and must not be parsed as mail.",
    "`formats/maildir/`: 4 messages: `cur/` 2 (flags S, RS), `new/` 1, `.Work/cur/` 1 (flags FS). "
    "`tmp/1700000004.M4P100.host` (Message-ID `<maildir-4-tmp@example.com>`) must NOT be read. `dovecot-uidlist`, "
    "`subscriptions` and `.Work/maildirfolder` are not mail.",
    "`formats/applemail/`: 3 messages. In each `.emlx` the first line is the decimal byte count of the message "
    "(101.emlx pads it with spaces to 10 characters before the LF); exactly that many bytes follow, then an XML "
    "plist that is not part of the message. The plist text (e.g. `<key>flags</key>`) must not appear in the body.",
    "`formats/gz/`: `archive.mbox.gz` -> 2 messages, `single.eml.gz` -> 1 message. gzip header mtime is 0 and no "
    "file name is stored; detect by magic bytes `1f 8b` and/or the `.gz` suffix.",
    "`formats/compressed/`: bzip2, xz and zstd, known by their magic bytes: 6 messages. `pair.mbox.zst` starts "
    "with a skippable frame (magic `50 2a 4d 18`), not a zstd frame.",
    "`formats/archives/`: zip and tar members are read as the files of a walked folder: 10 messages, 1 error "
    "(the PPMd member of `mixed.zip`); each message's locator names the archive (`path`) and the member "
    "(`entry`).",
    "`headers/read-receipt-variants.eml`: header names must be matched case-insensitively "
    "(`return-receipt-to`, `READ-RECEIPT-TO`).",
    "`headers/plain-personal.eml`: must produce no findings at all.",
    "`demo.mbox` (Alex Friend, `Saturday hike?`): stored body line `>From what I remember the car park fills up "
    "by nine, so an early start` must read `From what I remember ...` after mboxrd unquoting.",
]


# --------------------------------------------------------------------------- main

def main():
    # Only what this script writes is removed: fixtures/techniques and fixtures/clean belong to
    # scripts/make_technique_fixtures.py.
    for owned in ("formats", "headers"):
        if (FIX / owned).exists():
            shutil.rmtree(FIX / owned)
    for owned in ("demo.mbox", "README.md"):
        if (FIX / owned).exists():
            (FIX / owned).unlink()
    FIX.mkdir(parents=True, exist_ok=True)
    fmt_single()
    fmt_eml_folder()
    fmt_mboxo()
    fmt_mboxrd()
    fmt_mboxcl2()
    fmt_mboxcl()
    fmt_crlf()
    fmt_odd_dates()
    fmt_preamble()
    fmt_takeout()
    fmt_thunderbird()
    fmt_maildir()
    fmt_applemail()
    fmt_gz()
    fmt_compressed()
    fmt_archives()
    hdr_fixtures()
    demo_bytes = make_demo()

    # Sanity checks.
    seen = {}
    for rel, i, m in MESSAGES:
        for h in ("From", "To", "Subject", "Date", "Message-ID", "MIME-Version"):
            assert m.get(h) is not None, (rel, i, h)
        assert re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", m.mid), (rel, i, m.mid)
        assert m.mid not in seen, (m.mid, rel, seen.get(m.mid))
        seen[m.mid] = rel
    n_demo = sum(1 for rel, _, _ in MESSAGES if rel == "demo.mbox")
    assert 36 <= n_demo <= 48, n_demo
    assert len(demo_bytes) < 400_000, len(demo_bytes)
    for rel, data in WRITTEN.items():
        if rel != "demo.mbox":
            assert len(data) < 16_000, (rel, len(data))
        if rel != "formats/crlf.mbox" and not rel.endswith((".gz", ".zip", ".bz2", ".xz", ".zst", ".txz")):
            assert b"\r" not in data, rel
    readme_bytes = readme(demo_bytes)
    write("README.md", readme_bytes)
    print(f"wrote {len(WRITTEN)} files, {len(MESSAGES)} messages ({n_demo} in demo.mbox, "
          f"{len(demo_bytes)} bytes) under {FIX}")


if __name__ == "__main__":
    sys.exit(main())
