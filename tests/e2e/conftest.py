"""End-to-end fixtures: the real app in web mode (``python -m app --web``) driven by headless Chromium.

Needs Debian's chromium at /usr/bin/chromium (Playwright's own browser download is never used). The app gets its own
temp data folder and an operator-set (wrong) portal key pointing at a local fake portal.
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from app.web.server import FIRST_FONT
from tests.conftest import REPO
from tests.e2e.diagnostics import dump, watch
from tests.fakes.portal import FakePortal

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
WRONG_PORTAL_KEY = "wrong-portal-key-0000"
KOREAN_FONT = "/assets/" + FIRST_FONT


# Flutter's loader picks multi-threaded skwasm here: the app's server sends COOP/COEP, so the page is cross-origin
# isolated and skwasm renders on a worker thread that shares memory with the page. In headless Chromium (software
# GL) on a loaded 2-core machine a page in that mode occasionally froze for good right after its first messages:
# the renderer's main thread ran at full CPU and answered no script, no animation frame and no screenshot
# (see tests/e2e/diagnostics.py). With skwasm single-threaded (same renderer, no worker thread) none has frozen.
# Only the test browser is changed: the app keeps Flutter's default for real visitors.
# E2E_FLUTTER_CONFIG overrides this, e.g. '{}' for Flutter's own choice or '{"renderer": "canvaskit"}'.
LOADER_CONFIG = os.environ.get("E2E_FLUTTER_CONFIG", '{"forceSingleThreadedSkwasm": true}')
LOADER_HOOK = """(() => {
  const cfg = %s;
  const f = window._flutter = window._flutter || {};
  let loader;
  Object.defineProperty(f, 'loader', {configurable: true, get: () => loader, set: (v) => {
    const load = v.load.bind(v);
    v.load = (opts = {}) => { opts.config = Object.assign(opts.config || {}, cfg); return load(opts); };
    loader = v;
  }});
})();"""


def add_loader_hook(context) -> None:
    """Merge LOADER_CONFIG into the config flutter_bootstrap.js hands to ``_flutter.loader.load``."""
    context.add_init_script(LOADER_HOOK % LOADER_CONFIG)


def pytest_collection_modifyitems(items):
    """Mark browser tests, each under a time limit so that a page that stops answering costs minutes, not
    the whole run. No blanket reruns: a failure is reported with what its pages were doing (diagnostics.py)."""
    for item in items:
        if "tests/e2e" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.timeout(150))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failed browser test, record what each of its pages was doing (before fixtures close them)."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        browsers = [item.funcargs[n] for n in ("browser", "crowd_browser") if n in item.funcargs]
        if browsers:
            try:
                path = dump(item.nodeid, browsers)
                report.sections.append(("browser diagnostics", (path / "report.txt").read_text()))
            except Exception as exc:  # diagnostics must never hide the real failure
                report.sections.append(("browser diagnostics", f"failed: {exc!r}"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def fake_portal_url() -> Iterator[str]:
    with FakePortal() as portal:
        yield portal.base_url


@contextlib.contextmanager
def running_app(data: Path, extra_env: dict[str, str]) -> Iterator[str]:
    """``python -m app --web`` on a free loopback port with its own data folder; yields its URL.

    Keys, endpoints and Flet settings of the machine are dropped so that only ``extra_env`` applies.
    """
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SANJAE_", "FLET_")) and k not in ("GEMINI_API_KEY", "HF_TOKEN", "HF_HUB_OFFLINE")}
    env.update({"SANJAE_DATA_DIR": str(data), "FLET_FORCE_WEB_SERVER": "true",  # never open a browser window
                "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring", **extra_env})
    log_path = data / "app.log"
    log = open(log_path, "wb")  # noqa: SIM115 - the app writes to it until the finally below closes it
    proc = subprocess.Popen([sys.executable, "-m", "app", "--web", "--port", str(port)], cwd=REPO, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 60
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"app exited early:\n{log_path.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(url, timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline:
                raise TimeoutError("the app's web server did not start")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()  # ft.run handles SIGTERM and shuts down cleanly
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory, fake_portal_url) -> Iterator[str]:
    data = tmp_path_factory.mktemp("e2e-data")
    # The portal key is set by the operator in web mode; a wrong one shows the code-30 message.
    with running_app(data, {"SANJAE_PORTAL_KEY": WRONG_PORTAL_KEY, "SANJAE_PORTAL_URL": fake_portal_url}) as url:
        yield url


@pytest.fixture(scope="session")
def playwright_session():
    with sync_playwright() as p:
        yield p


@pytest.fixture
def browser(playwright_session):
    """A fresh Chromium per test: a long-lived one shared by many Flutter pages was seen to stall."""
    b = playwright_session.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS, headless=True)
    yield b
    b.close()  # closes every context too: open_app defers a test's own context.close() to here


def open_app(browser, url: str, width: int = 1280, height: int = 900, timezone_id: str | None = None):
    """A fresh browser context (its own visitor) with the Flutter semantics tree switched on."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="ko-KR",
                                  timezone_id=timezone_id)
    add_loader_hook(context)
    # A test closes its context in a `finally`, which runs before a failure is reported: keep the pages
    # open until the browser fixture ends, so that the failure report can still look at them.
    context.close = lambda *args, **kwargs: None
    return context, open_tab(context, url)


def open_tab(context, url: str):
    """Another tab of the same browser context (same visitor, same browser storage), ready to use."""
    page = context.new_page()
    watch(page)
    # Wait for the Korean font as well (Flutter loads it before its first frame).
    with page.expect_response(lambda r: r.url.endswith(KOREAN_FONT), timeout=60_000) as font:
        page.goto(url)
    assert font.value.ok, "the Korean font was not served"
    placeholder = page.locator("flt-semantics-placeholder")
    placeholder.wait_for(state="attached", timeout=30_000)
    placeholder.evaluate("el => el.click()")
    return page


def type_into(page, label: str, text: str, attempts: int = 3, exact: bool = False):
    """Click, fill, pause and verify: Flutter may reset the DOM value while it attaches its editor."""
    box = page.get_by_label(label, exact=exact)
    for _ in range(attempts):
        box.click()
        try:
            expect(box).to_be_focused()
        except AssertionError:
            # Seen after scrolling a field into view: the click landed while Flutter was still moving it.
            continue
        box.fill(text)
        page.wait_for_timeout(250)
        if box.input_value() == text:
            return box
    raise AssertionError(f"could not type {text!r} into {label!r}; value={box.input_value()!r}")


def screenshot(page, name: str, settle: bool = True) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    # The semantics tree updates before the canvas: let the page transition finish first
    # (``settle=False``: the picture of this very moment, e.g. the loading screen).
    if settle:
        with contextlib.suppress(Exception):  # a page that never goes idle is still worth a picture
            page.wait_for_load_state("networkidle", timeout=15_000)
        page.wait_for_timeout(1000)
    page.screenshot(path=str(path))
    return path

