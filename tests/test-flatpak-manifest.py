#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the Flatpak manifest: the sandbox holes are exactly the ones the app
needs, it builds this tree, and every third-party source is pinned.

usage: test-flatpak-manifest.py MANIFEST SOURCE_ROOT BUILD_ROOT
Prints TAP.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

APP_ID = "io.github.bytegpt.Monitor"
COMMAND = "bytegpt-monitor"

# Secrets go through the Secret portal, links through OpenURI, notifications
# through the Notification portal and autostart through the Background portal:
# none of them needs a hole in the sandbox.
EXPECTED_FINISH_ARGS = {
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
}
FORBIDDEN_FINISH_ARGS = [
    (re.compile(r"^--filesystem(=|$)"), "file system access"),
    (re.compile(r"^--persist(=|$)"), "persistent home directories"),
    (re.compile(r"^--socket=(session-bus|system-bus)$"), "the whole bus"),
    (re.compile(r"^--socket=x11$"), "X11 even under Wayland"),
    (re.compile(r"^--socket=(pulseaudio|pcsc|cups|gpg-agent|ssh-auth)$"), "an unneeded socket"),
    (re.compile(r"^--(system-)?talk-name="), "direct D-Bus access (portals suffice)"),
    (re.compile(r"^--own-name="), "owning a foreign bus name"),
    (re.compile(r"^--device=(all|shm|kvm|input)$"), "unneeded devices"),
    (re.compile(r"^--allow="), "extra sandbox features"),
    (re.compile(r"^--env="), "environment set by the manifest"),
]


class Tap:
    def __init__(self):
        self.number = 0
        self.failed = 0

    def check(self, condition, description, details=()):
        self.number += 1
        if condition:
            print(f"ok {self.number} - {description}")
        else:
            self.failed += 1
            print(f"not ok {self.number} - {description}")
            for line in details:
                print(f"# {line}")
        return condition

    def skip(self, description, reason):
        self.number += 1
        print(f"ok {self.number} - {description} # SKIP {reason}")

    def finish(self):
        print(f"1..{self.number}")
        return 1 if self.failed else 0


def app_module(manifest):
    modules = [m for m in manifest.get("modules", []) if isinstance(m, dict)]
    return modules[-1] if modules else {}


def main(argv):
    manifest_path, source_root, build_root = argv[1:4]
    tap = Tap()
    print("TAP version 13")

    try:
        with open(manifest_path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        tap.check(False, "the manifest is valid JSON", [str(e)])
        return tap.finish()
    tap.check(isinstance(manifest, dict), "the manifest is valid JSON")

    tap.check(manifest.get("id") == APP_ID, f"id is {APP_ID}",
              [f"got {manifest.get('id')!r}"])
    tap.check("app-id" not in manifest, "uses id, not the deprecated app-id")
    tap.check(manifest.get("runtime") == "org.gnome.Platform"
              and manifest.get("sdk") == "org.gnome.Sdk",
              "builds on the GNOME runtime and SDK",
              [f"runtime {manifest.get('runtime')!r}, sdk {manifest.get('sdk')!r}"])
    version = manifest.get("runtime-version", "")
    tap.check(isinstance(version, str) and re.fullmatch(r"[0-9]{2,}", version) is not None,
              "runtime-version is a stable GNOME release, not master or nightly",
              [f"got {version!r}"])
    tap.check(manifest.get("command") == COMMAND, f"command is {COMMAND}",
              [f"got {manifest.get('command')!r}"])

    finish_args = manifest.get("finish-args", [])
    tap.check(len(finish_args) == len(set(finish_args)), "no finish-arg is repeated")
    found = set(finish_args)
    tap.check(found == EXPECTED_FINISH_ARGS,
              "finish-args are exactly network, ipc, wayland, fallback-x11 and dri",
              [f"missing: {sorted(EXPECTED_FINISH_ARGS - found)}",
               f"extra: {sorted(found - EXPECTED_FINISH_ARGS)}"])
    forbidden = [f"{arg}: {why}" for arg in finish_args
                 for pattern, why in FORBIDDEN_FINISH_ARGS if pattern.search(arg)]
    tap.check(not forbidden, "no forbidden finish-arg", forbidden)

    # The app module: this very tree, built with meson.
    app = app_module(manifest)
    tap.check(app.get("buildsystem") == "meson", "the app module builds with meson",
              [f"got {app.get('buildsystem')!r}"])
    dir_sources = [s for s in app.get("sources", []) if s.get("type") == "dir"]
    tree = None
    if dir_sources:
        tree = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(manifest_path)),
                                             dir_sources[0].get("path", "")))
    tap.check(tree == os.path.realpath(source_root),
              "the app module's dir source is this source tree",
              [f"resolves to {tree!r}, source root is {os.path.realpath(source_root)!r}"])

    # Its -D options must name real options with valid values, or meson stops.
    try:
        with open(os.path.join(build_root, "meson-info", "intro-buildoptions.json"),
                  encoding="utf-8") as f:
            options = {o["name"]: o for o in json.load(f)}
    except (OSError, ValueError) as e:
        options = None
        tap.check(False, "meson's option list is readable", [str(e)])
    if options is not None:
        bad = []
        for opt in app.get("config-opts", []):
            m = re.fullmatch(r"-D([\w.-]+)=(.*)", opt)
            if not m or m.group(1) not in options:
                bad.append(f"{opt}: no such option")
                continue
            option, value = options[m.group(1)], m.group(2)
            if option["type"] == "boolean" and value not in ("true", "false"):
                bad.append(f"{opt}: not a boolean")
            elif option["type"] == "combo" and value not in option.get("choices", []):
                bad.append(f"{opt}: not one of {option.get('choices')}")
        tap.check(not bad, "the app module's config-opts are valid meson options", bad)
        tap.check("-Dportal=enabled" in app.get("config-opts", []),
                  "the app is built with libportal for the Background portal")

    # The command must be what the build installs into bin/.
    try:
        with open(os.path.join(build_root, "meson-info", "intro-targets.json"),
                  encoding="utf-8") as f:
            targets = json.load(f)
    except (OSError, ValueError) as e:
        targets = []
    installed = [fn for t in targets if t.get("installed")
                 for fn in t.get("install_filename") or []]
    tap.check(any(fn.endswith("/bin/" + COMMAND) for fn in installed),
              "the build installs the command into bin/",
              [f"installed: {installed}"])

    # Third-party code must be pinned: a checksum for archives, a commit for git.
    unpinned = []
    for module in manifest.get("modules", [])[:-1]:
        if not isinstance(module, dict):
            unpinned.append(f"{module}: module kept in another file")
            continue
        for source in module.get("sources", []):
            kind = source.get("type")
            if kind in ("archive", "file"):
                if not re.fullmatch(r"[0-9a-f]{64}", source.get("sha256", "")):
                    unpinned.append(f"{module.get('name')}: {kind} without sha256")
                if not source.get("url", "").startswith("https://"):
                    unpinned.append(f"{module.get('name')}: not fetched over https")
            elif kind == "git":
                if not re.fullmatch(r"[0-9a-f]{40}", source.get("commit", "")):
                    unpinned.append(f"{module.get('name')}: git source without a commit")
                if not source.get("url", "").startswith("https://"):
                    unpinned.append(f"{module.get('name')}: not fetched over https")
            else:
                unpinned.append(f"{module.get('name')}: unexpected source type {kind!r}")
    tap.check(not unpinned, "every dependency is pinned and fetched over https", unpinned)

    # flatpak-builder itself must accept it, unknown keys included.
    builder = shutil.which("flatpak-builder")
    if builder is None:
        tap.skip("flatpak-builder accepts the manifest", "flatpak-builder not installed")
    else:
        # It leaves a .flatpak-builder/ state directory in its working directory.
        with tempfile.TemporaryDirectory() as scratch:
            run = subprocess.run([builder, "--show-manifest", os.path.abspath(manifest_path)],
                                 capture_output=True, text=True, timeout=60, cwd=scratch)
        complaints = [line for line in run.stderr.splitlines() if line.strip()]
        tap.check(run.returncode == 0 and not complaints,
                  "flatpak-builder --show-manifest accepts it without warnings",
                  [f"exit {run.returncode}"] + complaints)

    return tap.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
