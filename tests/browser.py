"""Browser tests' plumbing: the app served on loopback by a real threaded server, and Debian's chromium
driven by Playwright (its own browser download does not work here; `.ci/run` installs chromium)."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("TOUGAO_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
# Chromium's background services try to reach Google; this machine's network refuses them.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def need_chromium() -> None:
    """Skip outside CI when chromium is missing; in CI (where .ci/run installs it) that is a failure."""
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return
    message = f"no chromium at {CHROMIUM} (apt-get install chromium; .ci/run does it)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def served(app: Flask) -> Iterator[str]:
    """Serve `app` on a free loopback port in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def cjk_fontconfig(folder: Path, system_fonts: bool = True) -> Path:
    """A fontconfig file that adds the Noto Sans CJK SC of the mplfonts wheel to the system's fonts (or,
    with system_fonts=False, offers it alone, as on a server with no fonts), so screenshots show Chinese
    without a system CJK font package."""
    import mplfonts

    fonts = Path(mplfonts.__file__).parent / "fonts"
    conf = folder / "fonts.conf"
    system = '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>' if system_fonts else ""
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"{system}<dir>{fonts}</dir><cachedir>{folder / 'cache'}</cachedir></fontconfig>"
    )
    return conf


@contextmanager
def chromium(system_fonts: bool = True) -> Iterator[object]:
    """A headless Debian chromium under Playwright, with a CJK font (see cjk_fontconfig)."""
    need_chromium()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        env = {**os.environ, "FONTCONFIG_FILE": str(cjk_fontconfig(Path(folder), system_fonts))}
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=env)
        try:
            yield browser
        finally:
            browser.close()


def fonts_rendering(page, selector: str) -> dict[str, int]:
    """The fonts chromium really drew the text of `selector` with: {family: glyph count} (DevTools CSS
    domain), so a missing CJK font shows as a fallback family, not as a test that cannot tell boxes."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {font["familyName"]: font["glyphCount"] for font in fonts}
