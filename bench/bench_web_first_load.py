"""The web app's first load on a phone's network, in headless Chromium: bytes, first Korean text, reload.

    python -m bench --only web-first-load
    python -m bench.bench_web_first_load [--profiles 4g,3g]

``python -m app --web`` runs on 127.0.0.1 with a fresh data folder (the sample corpus). Chromium's network is
throttled through the DevTools protocol: "4G" is 9 Mbit/s down, 1.5 up, 170 ms round trip; "Fast 3G" is
1.6 Mbit/s down, 0.75 up, 562.5 ms. For each profile a fresh browser profile loads the start page twice in
the same run, once accepting compressed responses (as every browser does) and once refusing them (what the
server sent before it compressed: the "naive" column), then the compressed one reloads from its cache.

Each load is timed from navigation start:
- ``loading message``: the first paint (the page's own Korean loading screen);
- ``first Korean text``: the start page's heading appears in Flutter's semantics tree (switched on as soon as
  Flutter is up), that is the app itself has drawn Korean;
- ``interactive``: the loading screen is gone and the search button is in the semantics tree.
Bytes on the wire are what Chromium received for the HTTP requests of the visit (compressed size, headers
included), once all of them have finished (the rest of the Korean font comes after the first view), and those
finished by interactive; the websocket is not counted.

The first precedent summaries after the server starts are timed too (no throttling): from the click on a
search result to the summary on screen (that includes opening the precedent's page), the first against an
offline summary made cold in a fresh process (what the first visitor waited for before the server warmed
up Kiwi and the index at start), the next ones for what opening a precedent costs once everything is warm.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playwright.async_api import async_playwright

from bench.table import Row, render

if TYPE_CHECKING:
    from playwright.async_api import Browser, CDPSession, Page, ViewportSize

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE: ViewportSize = {"width": 390, "height": 844}
HOME_TEXT = "내 사건과 비슷한 판례를 찾아보세요"
SEARCH_BUTTON = "판례 찾기"
SUMMARY_TEXT = "자동 발췌"
LOADING_ID = "sanjae-loading"
TIMEOUT_MS = 240_000
SETTLE_S = 2.0
# What every Chromium visitor loads; the server has its best copies of these when their ETag says br11.
FIRST_LOAD = ("main.dart.wasm", "main.dart.mjs", "canvaskit/skwasm.wasm", "canvaskit/skwasm.js",
              "flutter_bootstrap.js", "assets/fonts/MaterialIcons-Regular.otf")


@dataclass(frozen=True)
class Profile:
    name: str
    down_mbit: float
    up_mbit: float
    rtt_ms: float

    def conditions(self) -> dict[str, Any]:
        return {"offline": False, "latency": self.rtt_ms, "downloadThroughput": self.down_mbit * 1e6 / 8,
                "uploadThroughput": self.up_mbit * 1e6 / 8}


PROFILES = {"4g": Profile("4G", 9.0, 1.5, 170.0), "3g": Profile("Fast 3G", 1.6, 0.75, 562.5)}
GOALS = {"bytes_mb": 6.0, "first_text_s": 8.0, "reload_s": 1.5, "summary_s": 1.0}


@dataclass
class Load:
    """One page load: seconds from navigation start, bytes received."""
    loading_message_s: float = 0.0
    first_text_s: float = 0.0
    interactive_s: float = 0.0
    wire_bytes: int = 0          # every HTTP request of the visit, the font's rest after the first view too
    interactive_bytes: int = 0   # those finished by interactive
    requests: list[dict[str, Any]] = field(default_factory=list)

    def encodings(self) -> dict[str, str]:
        return {r["url"].rsplit("/", 1)[-1]: r.get("encoding", "") for r in self.requests if r.get("wire")}


# ---- the app ------------------------------------------------------------------------------------------

@contextlib.contextmanager
def app_server() -> Iterator[str]:
    data = Path(tempfile.mkdtemp(prefix="bench-first-load-"))
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SANJAE_", "FLET_")) and k not in ("GEMINI_API_KEY", "HF_TOKEN")}
    env.update({"SANJAE_DATA_DIR": str(data), "FLET_FORCE_WEB_SERVER": "true",
                "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"})
    with open(data / "app.log", "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "app", "--web", "--port", str(port)], cwd=REPO, env=env,
                                stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/"
        try:
            deadline = time.monotonic() + 120
            while not _answers(url):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the app did not start:\n{(data / 'app.log').read_text(errors='replace')}")
                time.sleep(0.1)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def _version_base(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        page: str = response.read().decode()
    start = page.index('src="/_v/') + len('src="')
    return page[start:page.index("/", start + len("/_v/")) + 1]


def wait_for_best_copies(url: str, limit_s: float = 600) -> bool:
    """Wait until the server sends its best (brotli 11) copies of the files every visitor loads."""
    base = url.rstrip("/") + _version_base(url)
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        tags = []
        for name in FIRST_LOAD:
            request = urllib.request.Request(base + name, method="HEAD", headers={"Accept-Encoding": "br"})
            with urllib.request.urlopen(request, timeout=10) as response:
                tags.append(response.headers.get("ETag", ""))
        if all(tag.endswith('-br11"') for tag in tags):
            return True
        time.sleep(2)
    return False


# ---- one load in Chromium -----------------------------------------------------------------------------

class Network:
    """What one page received, from the DevTools protocol's network events."""

    def __init__(self, cdp: CDPSession) -> None:
        self.requests: dict[str, dict[str, Any]] = {}
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)

    def _sent(self, event: dict[str, Any]) -> None:
        self.requests.setdefault(event["requestId"], {"url": event["request"]["url"], "t": time.monotonic()})

    def _response(self, event: dict[str, Any]) -> None:
        headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
        self.requests.get(event["requestId"], {}).update(status=event["response"]["status"],
                                                          encoding=headers.get("content-encoding", ""))

    def _finished(self, event: dict[str, Any]) -> None:
        self.requests.get(event["requestId"], {}).update(wire=int(event["encodedDataLength"]),
                                                          done=time.monotonic())

    def _failed(self, event: dict[str, Any]) -> None:  # (the CDN script the client asks for offline, aborted ones)
        self.requests.get(event["requestId"], {}).update(done=time.monotonic(), failed=True)

    def since(self, start: float, until: float) -> list[dict[str, Any]]:
        return [r for r in self.requests.values() if r["t"] >= start and r.get("done", until + 1) <= until]

    async def settled(self, start: float, quiet_s: float, limit_s: float = 120) -> None:
        """Wait until every HTTP request since ``start`` has finished and none came for ``quiet_s``."""
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            mine = [r for r in self.requests.values() if r["t"] >= start and r["url"].startswith("http")]
            last = max((r.get("done", r["t"]) for r in mine), default=start)
            if all("done" in r for r in mine) and time.monotonic() - last >= quiet_s:
                return
            await asyncio.sleep(0.2)


async def _semantics_on(page: Page) -> None:
    placeholder = page.locator("flt-semantics-placeholder")
    await placeholder.wait_for(state="attached", timeout=TIMEOUT_MS)
    await placeholder.evaluate("el => el.click()")


async def _measure(page: Page, network: Network, action: str) -> Load:
    start = time.monotonic()
    if action == "reload":
        await page.reload(wait_until="commit", timeout=TIMEOUT_MS)
    else:
        await page.goto(action, wait_until="commit", timeout=TIMEOUT_MS)
    await _semantics_on(page)
    await page.get_by_text(HOME_TEXT, exact=True).first.wait_for(state="attached", timeout=TIMEOUT_MS)
    first_text = time.monotonic() - start
    await page.wait_for_function(f"!document.getElementById('{LOADING_ID}')", timeout=TIMEOUT_MS, polling=50)
    await page.get_by_role("button", name=SEARCH_BUTTON, exact=True).wait_for(state="attached", timeout=TIMEOUT_MS)
    interactive = time.monotonic() - start
    fcp = await page.evaluate(
        "(performance.getEntriesByName('first-contentful-paint')[0] || {startTime: 0}).startTime / 1000")
    until_interactive = sum(r.get("wire", 0) for r in network.since(start, start + interactive))
    await network.settled(start, SETTLE_S)
    requests = network.since(start, time.monotonic())
    return Load(loading_message_s=float(fcp), first_text_s=first_text, interactive_s=interactive,
                wire_bytes=sum(r.get("wire", 0) for r in requests), interactive_bytes=until_interactive,
                requests=requests)


async def load_twice(browser: Browser, url: str, profile: Profile, compressed: bool) -> tuple[Load, Load | None]:
    """A first load in a fresh browser profile, and (compressed only) a reload from its cache."""
    context = await browser.new_context(viewport=PHONE, locale="ko-KR")
    try:
        page = await context.new_page()
        cdp = await context.new_cdp_session(page)
        await cdp.send("Network.enable")
        network = Network(cdp)
        await cdp.send("Network.emulateNetworkConditions", profile.conditions())
        if not compressed:
            await cdp.send("Network.setAcceptedEncodings", {"encodings": []})
        first = await _measure(page, network, url)
        again = await _measure(page, network, "reload") if compressed else None
        return first, again
    finally:
        await context.close()


async def summaries(browser: Browser, url: str, count: int = 3) -> list[float]:
    """Seconds from the click on a search result to its summary on screen (no throttling): the first
    precedents opened after the server started, one after another."""
    context = await browser.new_context(viewport=PHONE, locale="ko-KR")
    found = []
    try:
        page = await context.new_page()
        await page.goto(url + "search", timeout=TIMEOUT_MS)
        await _semantics_on(page)
        for n in range(count):
            result = page.get_by_role("button", name="판례 자세히 보기").nth(n)
            await result.wait_for(timeout=TIMEOUT_MS)
            start = time.monotonic()
            await result.click()
            await page.get_by_text(SUMMARY_TEXT, exact=False).first.wait_for(timeout=TIMEOUT_MS)
            found.append(time.monotonic() - start)
            await page.go_back()
        return found
    finally:
        await context.close()


COLD_SUMMARY = textwrap.dedent("""
    import time
    from app.context import Services
    summaries = Services.shared().require_summaries()
    summaries.store.get("sample:001")
    start = time.monotonic()
    summaries.summarize_id("sample:001", "offline")
    print(time.monotonic() - start)
""")


def cold_summary_seconds() -> float:
    """An offline summary made first thing in a fresh process: what a visitor waited for without warm-up."""
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "SANJAE_DATA_DIR": data, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
        out = subprocess.run([sys.executable, "-c", COLD_SUMMARY], cwd=REPO, env=env, capture_output=True,
                             text=True, check=True, timeout=300)
        return float(out.stdout.strip().splitlines()[-1])


# ---- the run ------------------------------------------------------------------------------------------

async def _run(profiles: list[Profile]) -> dict[str, Any]:
    found: dict[str, Any] = {"loads": {}}
    with app_server() as url:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS, headless=True)
            try:
                found["summaries_s"] = await summaries(browser, url)
                found["summary_s"] = found["summaries_s"][0]
                found["best_copies"] = wait_for_best_copies(url)
                for profile in profiles:
                    compressed, reload = await load_twice(browser, url, profile, compressed=True)
                    plain, _ = await load_twice(browser, url, profile, compressed=False)
                    found["loads"][profile.name] = {"compressed": compressed, "reload": reload, "plain": plain}
            finally:
                await browser.close()
    found["cold_summary_s"] = cold_summary_seconds()
    return found


def _mb(n: int) -> float:
    return round(n / 1e6, 2)


def _row(name: str, metric: str, value: float, unit: str, goal: float | None = None,
         naive: float | None = None) -> Row:
    return Row("web-first-load", f"{name}: {metric}" if name else metric, value, unit,
               f"<= {goal:g} {unit}" if goal else "", (value <= goal) if goal else None, naive)


def rows(found: dict[str, Any]) -> list[Row]:
    out: list[Row] = []
    for name, loads in found["loads"].items():
        comp, reload, plain = loads["compressed"], loads["reload"], loads["plain"]
        goal = GOALS if name == "4G" else {}  # the goals are set for 4G
        out += [
            _row(name, "bytes on the wire, first load", _mb(comp.wire_bytes), "MB", goal.get("bytes_mb"),
                 _mb(plain.wire_bytes)),
            _row(name, "bytes on the wire until interactive", _mb(comp.interactive_bytes), "MB", None,
                 _mb(plain.interactive_bytes)),
            _row(name, "loading message on screen", round(comp.loading_message_s, 2), "s", None,
                 round(plain.loading_message_s, 2)),
            _row(name, "first Korean text of the app", round(comp.first_text_s, 2), "s", goal.get("first_text_s"),
                 round(plain.first_text_s, 2)),
            _row(name, "interactive", round(comp.interactive_s, 2), "s", None, round(plain.interactive_s, 2)),
            _row(name, "reload from cache: first Korean text", round(reload.first_text_s, 2), "s",
                 goal.get("reload_s")),
            _row(name, "reload from cache: bytes on the wire", _mb(reload.wire_bytes), "MB"),
        ]
    out.append(_row("", "first precedent summary after a start", round(found["summary_s"], 2), "s",
                    GOALS["summary_s"], round(found["cold_summary_s"], 2)))
    later = found["summaries_s"][1:]
    if later:
        out.append(_row("", "the next precedent summaries (mean)", round(sum(later) / len(later), 2), "s"))
    return out


def _save(found: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "web_first_load.json"
    plain = {name: {kind: (vars(load) if load else None) for kind, load in loads.items()}
             for name, loads in found["loads"].items()}
    path.write_text(json.dumps({**found, "loads": plain}, ensure_ascii=False, indent=1, default=str))
    return path


def run(n: int = 0, profiles: str = "4g,3g") -> list[Row]:
    """``python -m bench`` entry (``n`` is the synthetic corpus size of other benchmarks; unused here)."""
    chosen = [PROFILES[p.strip()] for p in profiles.split(",") if p.strip()]
    found = asyncio.run(_run(chosen))
    print(f"details: {_save(found)}; best compressed copies ready: {found['best_copies']}", file=sys.stderr)
    return rows(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", default="4g,3g", help="comma-separated: 4g, 3g")
    args = parser.parse_args()
    print(render(run(profiles=args.profiles)))


if __name__ == "__main__":
    main()
