#!/usr/bin/env bash
# Hostile inputs at full size, measured: each case is generated, scanned by the release binary,
# and reported with wall time, peak RSS and what the report said. Cases that can grow are run
# at two sizes (1x and 4x) so time can be seen to grow in proportion, not faster.
#   scripts/hostile.sh            (about two minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin="$PWD/target/release/mailtrace"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }

python3 - "$work" <<'PY'
import gzip, os, sys, random
out = sys.argv[1]
def msg(body, ctype="text/html", extra=""):
    return (f"From: sender@hostile.example\nTo: reader@example.org\nSubject: hostile\n"
            f"MIME-Version: 1.0\n{extra}Content-Type: {ctype}\n\n{body}\n").encode()
def w(name, data):
    with open(os.path.join(out, name), "wb") as f: f.write(data)
for scale in (1, 4):
    n = 25_000 * scale
    w(f"deep-{scale}x.eml", msg("<div>" * n + '<img src="https://t.example/o/AbC123dEf456GhI789" width=1 height=1>' + "</div>" * n))
    w(f"images-{scale}x.eml", msg("".join(f'<img src="https://img.example/{i}.png">' for i in range(25_000 * scale))))
    w(f"parts-{scale}x.eml", msg("".join(f"--p\nContent-Type: text/plain\n\npart {i}\n" for i in range(10_000 * scale)) + "--p--", "multipart/mixed; boundary=\"p\""))
    # A header block of a million fields (and a part's of as many): kept up to max_headers, counted past it.
    w(f"header-flood-{scale}x.eml", msg("<p>hi</p>", extra="X-Filler: y\n" * (1_000_000 * scale)))
    # One field of a million (or four) items, folded every 76 bytes: parsed, each item would
    # be a record of its own.
    fold = lambda s: "\n ".join(s[i:i + 76] for i in range(0, len(s), 76))
    items = 1_250_000 * scale
    w(f"cc-items-{scale}x.eml", msg("<p>hi</p>", extra="Cc: " + fold("a@b," * items) + "\n"))
    w(f"content-type-items-{scale}x.eml", msg("<p>hi</p>", ctype="text/html; " + fold("a=b;" * items)))
    w(f"subject-items-{scale}x.eml", msg("<p>hi</p>", extra="Subject: " + fold("=?utf-8?q?a?= " * (items * 3 // 10)) + "\n"))
    w(f"unsubscribe-items-{scale}x.eml", msg("<p>hi</p>", extra="List-Unsubscribe: " + fold("<a>" * items) + "\n"))
    # A bounce naming as many recipients, each a block of its own.
    blocks = "".join(f"\nFinal-Recipient: rfc822;r{i}@example.org\nAction: failed\nStatus: 5.1.1\n" for i in range(75_000 * scale))
    w(f"bounce-recipients-{scale}x.eml", msg("--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example\n" + blocks + "\n--B--",
                                          ctype='multipart/report; report-type=delivery-status; boundary="B"'))
    # A read-flag field of nothing but separators (Takeout's labels), folded every 76 bytes.
    w(f"label-flood-{scale}x.eml", msg("<p>hi</p>", extra="X-Gmail-Labels: " + ("," * 76 + "\n ") * (65_000 * scale) + "Opened\n"))
    # Millions of the smallest parts there are: the walk must stop at max_parts, not list them all.
    w(f"tiny-parts-{scale}x.eml", msg("--p\n\nx\n" * (1_000_000 * scale) + "--p--", "multipart/mixed; boundary=\"p\""))
    # Multiparts naming boundaries that never appear: each sends the part search to the end.
    w(f"unused-boundaries-{scale}x.eml", msg("".join(f"--p\nContent-Type: multipart/mixed; boundary=\"never{i}\"\n\n{'x' * 100}\n" for i in range(10_000 * scale)) + "--p--", "multipart/mixed; boundary=\"p\""))
    w(f"nested-{scale}x.eml", msg("".join(f"--b{i}\nContent-Type: multipart/mixed; boundary=\"b{i+1}\"\n\n" for i in range(2_000 * scale)), "multipart/mixed; boundary=\"b0\""))
    w(f"recipients-{scale}x.eml", msg("<p>hi</p>", extra="Cc: " + ", ".join(f"r{i}@example.org" for i in range(10_000 * scale)) + "\n"))
    w(f"css-{scale}x.eml", msg("<style>" + ".a{background:url(https://t.example/x.png)}" * (50_000 * scale) + "</style>"))
    # Hundreds of rules hiding classes, and as many classed elements to match against them.
    w(f"class-rules-{scale}x.eml", msg("<style>" + "".join(f".c{i}.d{{display:none}}.c.d{i}{{opacity:0}}" for i in range(1_000)) + "</style>"
                                       + '<div class="x y c d c7"><i class="c d5">t</i></div>' * (50_000 * scale)))
    # Tracked links to as many hosts: each is a group of its own, found again by host.
    w(f"link-hosts-{scale}x.eml", msg("".join(f'<a href="https://h{i}.example/c/Tk{i:06d}xQ7LmP2vRt9KwZ4b">x</a>' for i in range(10_000 * scale))))
    # The reader's address sent to as many hosts: each (host, encoding) is reported once.
    w(f"leak-hosts-{scale}x.eml", msg("".join(f'<a href="https://h{i}.example/c?e=reader@example.org">x</a>' for i in range(10_000 * scale))))
    # One link with tens of thousands of distinct tracking parameters (a rule's `adj_*`).
    w(f"tracking-params-{scale}x.eml", msg('<a href="https://shop.example/x?' + "&".join(f"adj_p{i}=1" for i in range(20_000 * scale)) + '">x</a>'))
    # A link whose host has 750,000 (or 3 million) labels, one whose path has as many
    # segments, and a text part of 125,000 (or 500,000) URLs.
    w(f"host-labels-{scale}x.eml", msg('<a href="https://' + "a." * (750_000 * scale) + 'example/x">x</a>'))
    w(f"path-segments-{scale}x.eml", msg('<a href="https://t.example/' + "a/" * (750_000 * scale) + '">x</a>'))
    w(f"text-urls-{scale}x.eml", msg("https://t.example/abcDEF123456789xyz " * (125_000 * scale), "text/plain"))
    # One link of three quarters of a million (or three million) plain parameters.
    w(f"query-pairs-{scale}x.eml", msg('<a href="https://t.example/x?' + "a=b&" * (750_000 * scale) + '">x</a>'))
with open(os.path.join(out, "line-40M.mbox"), "wb") as f:
    f.write(b"From a@example.com Mon Jan  1 00:00:00 2024\nFrom: a@example.com\nSubject: long\n\n")
    f.write(b"z" * (40 << 20))
with open(os.path.join(out, "random-16M.bin.eml"), "wb") as f:
    rnd = random.Random(7); f.write(bytes(rnd.getrandbits(8) for _ in range(1 << 20)) * 16)
member = gzip.compress(b"From a@example.com Mon Jan  1 00:00:00 2024\nFrom: a@example.com\nSubject: bomb\n\n" + b"\0" * (16 << 20), 9)
w("bomb.mbox.gz", member * 256)   # 4 GiB of zeros in a few megabytes
import bz2, lzma
head = b"From a@example.com Mon Jan  1 00:00:00 2024\nFrom: a@example.com\nSubject: bomb\n\n"
w("bomb.mbox.bz2", bz2.compress(head + b"\0" * (16 << 20), 9) * 256)
w("bomb.mbox.xz", lzma.compress(head + b"\0" * (16 << 20), preset=9) * 256)
def zstd_frame(window_log, raw, rle_blocks, byte=b"\0"):
    """A zstd frame written by hand: a raw block, then 128 KiB run-length blocks of `byte`."""
    out = bytearray(b"\x28\xb5\x2f\xfd\x00") + bytes([(window_log - 10) << 3])
    out += (len(raw) << 3).to_bytes(3, "little") + raw
    for i in range(rle_blocks):
        last = 1 if i == rle_blocks - 1 else 0
        out += (last | 1 << 1 | (128 << 10) << 3).to_bytes(3, "little") + byte
    return bytes(out)
w("bomb.mbox.zst", zstd_frame(17, head, 32 << 10))   # 4 GiB in 128 KiB
# The largest window allowed (128 MiB, as zstd --long writes), over 512 MiB of one message.
w("window-128M.mbox.zst", zstd_frame(27, head, 4 << 10, b"z"))
# Messages enclosed in a message (forwarded as attachments): 100,000 side by side, and 32 in
# each of 32 in each of 32.
def enclosing(messages, boundary):
    parts = "".join(f"--{boundary}\r\nContent-Type: message/rfc822\r\n\r\n{m}\r\n" for m in messages)
    return ("From: a@example.net\r\nTo: reader@example.org\r\nSubject: fwd\r\n"
            f"Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n{parts}--{boundary}--\r\n")
enclosed = ("From: n@shop.example\r\nSubject: leaf\r\nContent-Type: text/html\r\n\r\n"
            '<img src="https://t.example/o/AbC123dEf456GhI789" width=1 height=1>\r\n')
w("enclosed-wide.eml", enclosing([enclosed] * 100_000, "w").encode())
w("enclosed-tree.eml", enclosing([enclosing([enclosing([enclosed] * 32, "c")] * 32, "b")] * 32, "a").encode())
# Zip archives: tens of thousands of members (time in proportion, memory flat), one member of
# 1 GiB of zeros, and that member listed 1,000 times (members sharing one stream of data).
import io, struct, zipfile
for scale in (1, 4):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for i in range(50_000 * scale):
            z.writestr(f"mail/{i // 1000}/{i}.eml", msg(f"<p>member {i}</p>"))
    w(f"members-{scale}x.zip", buf.getvalue())
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    with z.open("zeros.mbox", "w") as member:
        member.write(b"From a@example.com Mon Jan  1 00:00:00 2024\nFrom: a@example.com\nSubject: bomb\n\n")
        for _ in range(1024):
            member.write(b"\0" * (1 << 20))
bomb = buf.getvalue()
w("zeros-1G.zip", bomb)
listed, end = bomb.find(b"PK\x01\x02"), bomb.rfind(b"PK\x05\x06")
entry = bomb[listed:end]
record = bytearray(bomb[end:])
struct.pack_into("<HHI", record, 8, 1000, 1000, 1000 * len(entry))
w("shared-1000x.zip", bomb[:listed] + entry * 1000 + bytes(record))
PY

printf '%-24s %10s %10s %10s  %s\n' case bytes seconds "peak RSS" "report"
for file in "$work"/*; do
    name="$(basename "$file")"
    size=$(stat -c %s "$file")
    report="$work/.report.json"
    start=$EPOCHREALTIME
    /usr/bin/time -v -o "$work/.time" "$bin" scan --quiet -o "$report" "$file" || true
    end=$EPOCHREALTIME
    rss_kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$work/.time")
    said=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); s=r['scanned']; w=sum(len(m.get('warnings',[])) for m in r['messages']); print(f\"{s['messages']} msg, {s['errors']} err, {w} notes\")" "$report" 2>/dev/null || echo "no report")
    printf '%-24s %10s %10.2f %8d MB  %s\n' "$name" "$size" "$(echo "$end - $start" | bc)" "$((rss_kb / 1024))" "$said"
done
