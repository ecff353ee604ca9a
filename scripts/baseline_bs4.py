#!/usr/bin/env python3
"""Baseline for the benchmark: the script someone would write instead of mailtrace.

Reads mbox files (Python's mailbox.mbox) and folders of .eml files, and for every text/html
part of every message lists the images that look like tracking pixels (width or height of at
most 1 px, or display:none) and every <a href> link, using BeautifulSoup with Python's own
html.parser. Prints one JSON line per message on stdout and a summary on stderr.

    scripts/baseline_bs4.py ARCHIVE.mbox [MORE.mbox | FOLDER ...] [-q]

It is meant to be straightforward, not tuned: see docs/benchmarks.md ("Python baseline").
Needs bs4 (pip install beautifulsoup4).
"""

import argparse
import email
import json
import mailbox
import os
import re
import sys
import time

from bs4 import BeautifulSoup

SIZE_IN_STYLE = re.compile(r"(?:^|;)\s*(width|height)\s*:\s*([0-9.]+)\s*(?:px)?\s*(?:!important)?\s*(?=;|$)", re.I)
DISPLAY_NONE = re.compile(r"(?:^|;)\s*display\s*:\s*none", re.I)


def number(value):
    """'1', '1px', ' 0 ' -> float; anything else (100%, auto, missing) -> None."""
    if value is None:
        return None
    value = value.strip().lower()
    if value.endswith("px"):
        value = value[:-2]
    try:
        return float(value)
    except ValueError:
        return None


def is_pixel(img):
    style = img.get("style") or ""
    if DISPLAY_NONE.search(style):
        return True
    sizes = [number(img.get("width")), number(img.get("height"))]
    for _name, value in SIZE_IN_STYLE.findall(style):
        sizes.append(number(value))
    return any(s is not None and s <= 1 for s in sizes)


def html_parts(msg):
    for part in msg.walk():
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True)
        if not payload:
            continue
        charset = part.get_content_charset() or "utf-8"
        try:
            yield payload.decode(charset, errors="replace")
        except LookupError:  # unknown charset name
            yield payload.decode("utf-8", errors="replace")


def inspect(msg):
    """(number of HTML parts, pixel candidate URLs, link URLs)."""
    parts = 0
    pixels = []
    links = []
    for html in html_parts(msg):
        parts += 1
        soup = BeautifulSoup(html, "html.parser")
        for img in soup.find_all("img"):
            src = img.get("src")
            if src and is_pixel(img):
                pixels.append(src)
        for a in soup.find_all("a", href=True):
            links.append(a["href"])
    return parts, pixels, links


def messages(paths):
    """(where, message) for every message under the given paths."""
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if name.endswith(".eml"):
                        full = os.path.join(root, name)
                        with open(full, "rb") as f:
                            yield full, email.message_from_binary_file(f)
        else:
            box = mailbox.mbox(path, create=False)
            for key, msg in box.iteritems():
                yield f"{path}#{key}", msg


def input_bytes(paths):
    total = 0
    for path in paths:
        if os.path.isdir(path):
            for root, _dirs, files in os.walk(path):
                total += sum(os.path.getsize(os.path.join(root, n)) for n in files if n.endswith(".eml"))
        else:
            total += os.path.getsize(path)
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+", help="mbox files or folders of .eml files")
    ap.add_argument("-q", "--quiet", action="store_true", help="only the summary")
    args = ap.parse_args()

    start = time.time()
    count = with_html = with_pixel = n_pixels = n_links = errors = 0
    out = sys.stdout
    for where, msg in messages(args.paths):
        count += 1
        try:
            parts, pixels, links = inspect(msg)
        except Exception as e:  # one bad message should not stop the run
            errors += 1
            print(f"{where}: {e}", file=sys.stderr)
            continue
        if parts:
            with_html += 1
        if pixels:
            with_pixel += 1
        n_pixels += len(pixels)
        n_links += len(links)
        if not args.quiet:
            out.write(json.dumps({"message": where, "subject": str(msg.get("Subject", "")),
                                  "pixels": pixels, "links": links}) + "\n")
    elapsed = time.time() - start
    size = input_bytes(args.paths)
    print(f"baseline_bs4: {count} messages, {with_html} with HTML, "
          f"{with_pixel} with pixel candidates ({n_pixels} pixels), {n_links} links, {errors} errors; "
          f"{size} bytes in {elapsed:.1f} s ({size / 2**20 / elapsed if elapsed else 0:.2f} MiB/s)",
          file=sys.stderr)


if __name__ == "__main__":
    main()
