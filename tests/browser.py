"""Headless Chromium for tests and benchmarks: open a local HTML file offline and watch it.

``open_offline(path)`` starts Chromium (a fresh profile, no background networking) through
chromedriver, switches the network off with the DevTools ``Network.emulateNetworkConditions``
command, records every request the page tries through the performance log, and loads the file.
``available()`` says why a browser cannot run (None when it can).
"""
from __future__ import annotations

import json
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio",
         "--disable-dev-shm-usage", "--window-size=1400,900")


def _binary() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def available() -> str | None:
    """None when headless Chromium can run here, else the reason it cannot."""
    if _binary() is None:
        return "Chromium is not installed (Debian: apt-get install chromium chromium-driver)"
    if shutil.which("chromedriver") is None:
        return "chromedriver is not installed (Debian: apt-get install chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install 'selenium>=4.20')"
    return None


class Page:
    """A loaded page: the driver plus what the browser logged and requested."""

    def __init__(self, driver):
        self.driver = driver

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def wait_for(self, script: str, timeout: float = 60.0, poll: float = 0.05):
        """Wait until ``script`` (a JS expression) is truthy; returns its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.driver.execute_script(f"return ({script});")
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"page never satisfied: {script}")
            time.sleep(poll)

    def console_errors(self) -> list[dict]:
        return [e for e in self.driver.get_log("browser") if e.get("level") == "SEVERE"]

    def requests(self) -> list[str]:
        """URLs of every request the page tried (from the DevTools performance log)."""
        urls = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                urls.append(message["params"]["request"]["url"])
        return urls

    def canvas_ink(self) -> int:
        """How many pixels of the network canvas are not blank (background)."""
        return self.js("""
            var c = document.querySelector('#gk-network canvas') || document.querySelector('canvas');
            if (!c) { return -1; }
            var ctx = c.getContext('2d');
            var d = ctx.getImageData(0, 0, c.width, c.height).data, ink = 0;
            for (var i = 3; i < d.length; i += 4) { if (d[i] !== 0) { ink++; } }
            return ink;""")


@contextmanager
def chromium(offline: bool = True, flags: tuple = ()):
    """A headless Chromium driver with a fresh profile; network off (``offline=False`` leaves it on,
    for pages served from 127.0.0.1; pass ``flags`` to fence it otherwise); logs recorded."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="gk-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = _binary()
    for flag in FLAGS + tuple(flags):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        if offline:
            driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
                "offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0})
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_file(driver, path) -> Page:
    """Load a local file; returns the Page (requests and console logs readable from it)."""
    driver.get(Path(path).resolve().as_uri())
    return Page(driver)


def screenshot(driver, path) -> None:
    driver.save_screenshot(str(path))
