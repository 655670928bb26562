"""Fixtures of the browser tests: the server (`minsheng serve` on a free loopback port),
Debian's headless Chromium through Playwright, the CLI for the figures to compare with,
and a folder for screenshots (target/web-screenshots)."""

import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[4]
BINARY = Path(os.environ.get("MINSHENG_BIN", ROOT / "target" / "debug" / "minsheng"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(os.environ.get("SCREENSHOTS", ROOT / "target" / "web-screenshots"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server():
    port = free_port()
    env = dict(os.environ, MINSHENG_LOG="warn")
    proc = subprocess.Popen([str(BINARY), "serve", "--addr", f"127.0.0.1:{port}"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/api/v1/meta", timeout=1).read()
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(proc.stderr.read().decode())
            time.sleep(0.05)
    else:
        raise RuntimeError("the server did not start")
    yield base
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert not errors, f"script errors on the page: {errors}"


def cli_file(path, outputs):
    """The CLI's calculation document for the situation file at `path`."""
    out = subprocess.run([str(BINARY), "calc", str(path), "--json", "--outputs", ",".join(outputs)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def cli(situation, outputs):
    """The CLI's calculation document for `situation` (the figures the page must show)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(situation, f)
    try:
        return cli_file(f.name, outputs)
    finally:
        os.unlink(f.name)


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
