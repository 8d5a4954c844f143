"""A map's picture for the README: open a map HTML file in headless Chromium (offline, as in
tests/browser.py), wait until it has settled, and save a PNG.

    python bench/map_screenshot.py demo-output/telegram-forwards.html docs/img/telegram-forwards.png

Prints the console errors and the non-local requests the page made (both should be none).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import browser  # noqa: E402


def shoot(page_path: Path, png: Path, size: str = "1200,800") -> dict:
    png.parent.mkdir(parents=True, exist_ok=True)
    with browser.chromium(flags=(f"--window-size={size}",)) as driver:
        driver.get("about:blank")
        driver.get_log("performance")  # drop the new tab's own requests
        driver.get_log("browser")
        page = browser.open_file(driver, page_path)
        page.wait_for("window.graphkitMap && window.graphkitMap.ready", timeout=120)
        time.sleep(0.5)  # the last frame after the fit
        browser.screenshot(driver, png)
        return {"png": str(png), "console_errors": page.console_errors(),
                "requests": [u for u in page.requests() if not u.startswith(("file:", "data:", "about:"))]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--size", default="1200,800", help="window width,height in pixels")
    args = parser.parse_args()
    reason = browser.available()
    if reason:
        sys.exit(reason)
    print(shoot(args.page, args.png, args.size))


if __name__ == "__main__":
    main()
