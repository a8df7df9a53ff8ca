#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks what a software centre shows: the merged metainfo and desktop file
carry their pt_BR translations, the screenshots they point at are in the tree,
the release is this version, and the names agree with each other.

usage: test-metainfo.py METAINFO DESKTOP SOURCE_ROOT VERSION
Prints TAP.
"""

import configparser
import os
import re
import sys
import xml.etree.ElementTree as ET

APP_ID = "io.github.bytegpt.Monitor"
REPOSITORY = "https://github.com/bytegpt/monitor"
RAW = "https://raw.githubusercontent.com/bytegpt/monitor/main/"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"

number = 0
failed = 0


def check(condition, description, details=()):
    global number, failed
    number += 1
    print(f"{'ok' if condition else 'not ok'} {number} - {description}")
    if not condition:
        failed += 1
        for line in details:
            print(f"# {line}")


def main(argv):
    metainfo, desktop, source_root, version = argv[1:5]
    print("TAP version 13")

    root = ET.parse(metainfo).getroot()
    check(root.findtext("id") == APP_ID, f"the component id is {APP_ID}")
    check(root.find(f"launchable[@type='desktop-id']") is not None
          and root.findtext("launchable") == APP_ID + ".desktop",
          "the launchable is the desktop file")
    check(root.findtext("provides/binary") == "bytegpt-monitor", "it provides the binary")

    summaries = {e.get(LANG): e.text for e in root.findall("summary")}
    check("pt-BR" in summaries or "pt_BR" in summaries, "the summary has its pt_BR translation",
          [f"languages: {sorted(k or 'C' for k in summaries)}"])
    paragraphs = [p for p in root.findall("description/p") if p.get(LANG) in ("pt_BR", "pt-BR")]
    items = [li for li in root.findall("description/ul/li") if li.get(LANG) in ("pt_BR", "pt-BR")]
    english_items = [li for li in root.findall("description/ul/li") if li.get(LANG) is None]
    check(paragraphs and len(items) == len(english_items),
          "every description paragraph and list item has its pt_BR translation",
          [f"{len(items)} of {len(english_items)} list items translated"])

    urls = {u.get("type"): u.text for u in root.findall("url")}
    check(urls.get("homepage") == REPOSITORY, "the homepage is the repository",
          [f"got {urls.get('homepage')!r}"])
    check(all(u.startswith(REPOSITORY) for u in urls.values()),
          "every URL points into the repository", [str(urls)])

    screenshots = root.findall("screenshots/screenshot")
    check(len(screenshots) >= 2
          and sum(1 for s in screenshots if s.get("type") == "default") == 1,
          "two or more screenshots, one of them the default")
    for shot in screenshots:
        url = shot.findtext("image") or ""
        caption = [c for c in shot.findall("caption") if c.get(LANG) in ("pt_BR", "pt-BR")]
        path = url[len(RAW):] if url.startswith(RAW) else None
        check(path is not None and re.fullmatch(r"data/screenshots/[\w.-]+\.png", path),
              f"screenshot {url} is a PNG of data/screenshots/ on the main branch")
        check(path is not None and os.path.isfile(os.path.join(source_root, path)),
              f"{path} is in the tree")
        check(bool(caption), f"the caption of {path} has its pt_BR translation")

    releases = root.findall("releases/release")
    check(releases and releases[0].get("version") == version,
          f"the newest release is {version}, the project's version",
          [f"newest release: {releases[0].get('version') if releases else None}"])
    check(all(r.find("description") is not None for r in releases),
          "every release has notes")
    rating = root.find("content_rating")
    check(rating is not None and rating.get("type") == "oars-1.1",
          "there is an OARS 1.1 content rating")
    check(root.findtext("translation") == "bytegpt-monitor"
          and root.find("translation").get("type") == "gettext",
          "the translation domain is declared")

    entry = configparser.ConfigParser(interpolation=None, strict=False)
    entry.optionxform = str
    entry.read(desktop, encoding="utf-8")
    section = entry["Desktop Entry"]
    check(section.get("Exec", "").split()[0] == "bytegpt-monitor"
          and section.get("Icon") == APP_ID,
          "the desktop file starts bytegpt-monitor with the app icon")
    english = [k for k in section.get("Keywords", "").split(";") if k]
    portuguese = [k for k in section.get("Keywords[pt_BR]", "").split(";") if k]
    check(english and set(english) <= set(portuguese) and len(portuguese) > len(english),
          "the pt_BR keywords keep the English ones and add Portuguese ones",
          [f"en: {english}", f"pt_BR: {portuguese}"])
    check("Comment[pt_BR]" in section, "the desktop comment has its pt_BR translation")

    print(f"1..{number}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
