"""Check what the application needs from the system — WeasyPrint's Pango and a serif font
with Vietnamese glyphs; ICU, its headers, pkg-config and a C++ compiler to build PyICU (the
Vietnamese collation) — and print the exact install line when something is missing. Exit 1
if anything is missing. Runs with the system's Python, before the virtualenv is built.

Chromium (web page capture, docs/evidence.md) is optional: without it capture is turned
off and everything else works, so its absence is a warning with the install line."""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys

APT = ("sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b "
       "libharfbuzz-subset0 fonts-liberation2 libicu-dev pkg-config g++ python3-dev")
CHROMIUM_APT = "sudo apt-get install -y chromium"


def main() -> int:
    missing = []
    for lib in ("pango-1.0", "pangoft2-1.0", "harfbuzz", "harfbuzz-subset"):
        if ctypes.util.find_library(lib) is None:
            missing.append(f"library {lib}")
    if shutil.which("pkg-config") is None:
        missing.append("pkg-config")
    elif subprocess.run(["pkg-config", "--exists", "icu-i18n"], check=False).returncode:
        missing.append("ICU headers (libicu-dev)")
    if shutil.which("g++") is None and shutil.which("c++") is None:
        missing.append("a C++ compiler (g++)")
    fonts = ""
    if shutil.which("fc-list"):
        fonts = subprocess.run(["fc-list", ":lang=vi", "family"], capture_output=True,
                               text=True, check=False).stdout
    else:
        missing.append("fontconfig (fc-list)")
    if not any(name in fonts for name in ("Liberation Serif", "Times New Roman",
                                          "DejaVu Serif")):
        missing.append("a serif font with Vietnamese glyphs (Liberation Serif or DejaVu Serif)")
    if not any(shutil.which(name) for name in ("chromium", "chromium-browser")) \
            and not os.path.exists(os.environ.get("CHROMIUM") or "/usr/bin/chromium"):
        print("Chromium is not installed: capturing web pages as evidence is turned off "
              f"(everything else works). Install it with:\n    {CHROMIUM_APT}", file=sys.stderr)
    if missing:
        print("Missing from the system: " + "; ".join(missing), file=sys.stderr)
        print(f"Install them with:\n    {APT}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
