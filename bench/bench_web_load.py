"""Web app under load: many visitors in headless Chromium against ``python -m app --web``.

    python -m bench.bench_web_load [--visitors 20] [--rounds 3] [--browsers 1]

The app runs as its own process on 127.0.0.1 with a temp data folder (the sample corpus) and a
fake OpenAI-compatible AI server, so opening a precedent streams a Gemma summary. Each visitor is a
browser context (its own cookies, storage and Flet session) in one headless Debian Chromium and,
after a staggered arrival, does a few rounds of: start page → search (a deep link that loads the
app, or typing into the search box) → open the first precedent → browser back. Every action is
timed from the moment it is issued until the text it should produce is visible.

Then the isolation check: one visitor asks for a new AI summary that the fake server holds for
``slow_delay`` seconds while a few other visitors keep searching; their search times are compared
with the same searches done without the slow call in flight.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, urlparse

import psutil

from app.viewmodels.search_vm import SearchQuery, SearchViewModel
from bench.table import Row, render
from services.judgment import READER
from services.search import SearchService
from storage.precedents import PrecedentStore

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page, ViewportSize

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# most visitors arrive on a phone; a small canvas is cheaper to paint
PHONE: ViewportSize = {"width": 390, "height": 844}
ACTION_TIMEOUT_MS = 90_000  # longer than this counts as an error
ENTER_TIMEOUT_MS = 15_000  # no new address this long after Enter: the typed text was lost, type again
HOME_TEXT = "내 사건과 비슷한 판례를 찾아보세요"
DETAIL_TEXT = "판결문"
# Lay queries as people type them; each has hits in the sample corpus.
QUERIES = ["허리 디스크", "과로로 쓰러졌어요", "뇌출혈", "출퇴근하다 사고", "우울증 자살", "소음성 난청",
           "어깨 회전근개", "야간 근무 심근경색", "진폐", "무릎 연골", "교통사고", "손목 터널"]


def precedent_answer(preview: str) -> dict[str, Any]:
    """A summary the app accepts (every required field filled) with a recognisable preview line."""
    return {
        "preview": preview,
        "plaintiff": "오래 일하다 다친 노동자",
        "defendant": "근로복지공단",
        "result": "법원이 공단의 불승인 처분을 취소했습니다.",
        "background": "노동자가 일하다 다쳐 요양을 신청했으나 공단이 업무 관련성을 인정하지 않았습니다.",
        "issues": ["업무와 질병 사이에 상당인과관계가 있는지"],
        "reasoning": "업무 부담이 질병을 자연적인 진행보다 빠르게 악화시켰다고 보았습니다.",
        "deciding_facts": {"recognized": ["반복된 중량물 취급"], "not_recognized": ["퇴행성 변화"]},
        "statutes": ["산업재해보상보험법 제37조"],
    }


FAST_PREVIEW = "빠른 응답으로 만든 요약입니다."
SLOW_PREVIEW = "오래 걸린 응답으로 만든 요약입니다."
SUMMARY_RUNNING = "요약하고 있습니다…"
# Summary texts are selectable and so absent from Flutter's semantics tree; the notice line is not.
AI_NOTICE = re.compile("^AI 요약: ")


# ---- measurements -----------------------------------------------------------------------------

@dataclass
class Timing:
    visitor: int
    action: str
    started: float  # time.monotonic() when the action was issued
    seconds: float
    ok: bool
    error: str = ""


@dataclass
class Recorder:
    timings: list[Timing] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    artifacts: Path | None = None  # where failed steps leave a screenshot and the page's text
    # Pages of one headless Chromium share its keyboard focus: text typed into two pages at the
    # same moment gets lost in one of them. Typing takes turns; the searches themselves overlap.
    keyboard: asyncio.Lock = field(default_factory=asyncio.Lock)
    retyped: int = 0  # typed searches whose text was lost in the browser and typed again

    async def measure(self, visitor: int, action: str, coro_fn: Callable[[], Awaitable[object]]) -> bool:
        start = time.monotonic()
        try:
            await coro_fn()
        except Exception as exc:  # a timeout or a lost page counts as an error, the run goes on
            self.timings.append(Timing(visitor, action, start, time.monotonic() - start, False,
                                       f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"))
            return False
        self.timings.append(Timing(visitor, action, start, time.monotonic() - start, True))
        return True

    def seconds(self, action: str | None = None, *, after: float = float("-inf"),
                before: float = float("inf")) -> list[float]:
        return [t.seconds for t in self.timings
                if t.ok and (action is None or t.action == action) and after <= t.started <= before]

    def errors(self) -> list[Timing]:
        return [t for t in self.timings if not t.ok]


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0 for no samples."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    rank = max(1, int(round(q / 100 * len(ordered) + 0.4999)))
    return ordered[min(rank, len(ordered)) - 1]


# ---- the app and its fake AI server -------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class AppServer:
    """``python -m app --web`` on 127.0.0.1 with its own data folder; stopped by PID."""

    def __init__(self, data_dir: Path, llm_url: str) -> None:
        self.data_dir = data_dir
        self.llm_url = llm_url
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log_path = data_dir / "app.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self.peak_rss = 0
        self.probes: list[tuple[float, float]] = []  # (monotonic time, seconds for a tiny HTTP request)
        self._sampling = threading.Event()
        self._sampler: threading.Thread | None = None

    def __enter__(self) -> AppServer:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("SANJAE_", "FLET_")) and k not in ("GEMINI_API_KEY", "HF_TOKEN")}
        env.update({
            "SANJAE_DATA_DIR": str(self.data_dir),
            "SANJAE_LLM_URL": self.llm_url,          # the operator configured a Gemma server
            "SANJAE_SUMMARY_ENGINE": "gemma",        # so every precedent page asks it for a summary
            "FLET_FORCE_WEB_SERVER": "true",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        })
        # HF_HUB_OFFLINE=1 would make huggingface_hub refuse even the local AI server.
        env.pop("HF_HUB_OFFLINE", None)
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "app", "--web", "--port", str(self.port)],
                                     cwd=REPO, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app exited early:\n{self.log_path.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(self.url, timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.__exit__()
                raise TimeoutError("the app's web server did not start within 60 s")
            time.sleep(0.1)
        self._sampler = threading.Thread(target=self._sample_rss, daemon=True)
        self._sampler.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._sampling.set()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # ft.run shuts down cleanly on SIGTERM
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self._log is not None:
            self._log.close()

    def _processes(self) -> list[psutil.Process]:
        if self.proc is None:
            raise RuntimeError("the app is not running")
        root = psutil.Process(self.proc.pid)
        return [root, *root.children(recursive=True)]

    def rss(self) -> int:
        total = 0
        for p in self._processes():
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
        return total

    def cpu_seconds(self) -> float:
        total = 0.0
        for p in self._processes():
            try:
                times = p.cpu_times()
                total += times.user + times.system
            except psutil.Error:
                pass
        return total

    def _sample_rss(self) -> None:
        """Peak memory, and how long a tiny request to the app's event loop takes (no browser involved)."""
        ticks = 0
        while not self._sampling.wait(0.1):
            started = time.monotonic()
            try:
                with urllib.request.urlopen(self.url + "favicon.png", timeout=30) as response:
                    response.read()
                self.probes.append((started, time.monotonic() - started))
            except OSError:
                pass
            ticks += 1
            if ticks % 5 == 0:
                try:
                    self.peak_rss = max(self.peak_rss, self.rss())
                except psutil.Error:
                    return

    def probe_seconds(self, after: float, before: float) -> list[float]:
        return [seconds for started, seconds in self.probes if after <= started <= before]

    def log_errors(self) -> list[str]:
        if self._log is not None:
            self._log.flush()
        text = self.log_path.read_text(errors="replace")
        return [line for line in text.splitlines() if "Traceback" in line or " ERROR " in line]


@dataclass
class Plan:
    """How the fake AI server answers one request."""
    text: str
    wait: float = 0.0    # seconds before the first byte (a cold or busy endpoint)
    spread: float = 0.0  # seconds over which the pieces are sent (a model writing)
    piece: int = 7       # characters per streamed piece


class FakeChatServer:
    """An OpenAI-compatible chat endpoint on 127.0.0.1 (vLLM-like: no ``/info``) that streams
    Server-Sent Events. Requests take the next queued ``Plan``, else answer ``answer`` at once."""

    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.plans: list[Plan] = []
        self.started = 0
        self.finished = 0
        self.last_pieces = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def __enter__(self) -> FakeChatServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _json(self, code: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 - http.server naming
                self._json(404, {"detail": "Not Found"})

            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if not self.path.endswith("/chat/completions"):
                    self._json(404, {"detail": "Not Found"})
                    return
                with fake._lock:
                    plan = fake.plans.pop(0) if fake.plans else Plan(text=fake.answer)
                    fake.started += 1
                time.sleep(plan.wait)
                pieces = [plan.text[i:i + plan.piece] for i in range(0, len(plan.text), plan.piece)]
                pause = plan.spread / max(1, len(pieces))
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                try:
                    for piece in pieces:
                        self._event({"role": "assistant", "content": piece}, None)
                        if pause:
                            time.sleep(pause)
                    self._event({}, "stop")
                    self.wfile.write(b"data: [DONE]\n\n")
                    self.wfile.flush()
                except OSError:
                    pass
                finally:
                    self.close_connection = True
                    with fake._lock:
                        fake.finished += 1
                        fake.last_pieces = len(pieces)

            def _event(self, delta: dict[str, Any], finish: str | None) -> None:
                chunk = {"id": "chatcmpl-bench", "object": "chat.completion.chunk", "created": int(time.time()),
                         "model": "gemma", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
                self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                self.wfile.flush()

        return Handler


def expected_lines(queries: list[str]) -> dict[str, str]:
    """The results line each query must produce, worked out here on a private copy of the corpus."""

    with tempfile.TemporaryDirectory() as tmp:
        service = SearchService(PrecedentStore(Path(tmp) / "cache", reader=READER), index_dir=Path(tmp) / "index")
        vm = SearchViewModel(service)
        return {q: vm.run(SearchQuery(text=q)).summary_line for q in ["", *queries]}


# ---- one visitor --------------------------------------------------------------------------------

class Visitor:
    def __init__(self, number: int, page: Page, base_url: str, lines: dict[str, str], recorder: Recorder,
                 rng: random.Random) -> None:
        self.number = number
        self.page = page
        self.base_url = base_url
        self.lines = lines
        self.recorder = recorder
        self.rng = rng
        self.frames = 0  # websocket messages from the server: each screen update is one
        page.on("websocket", lambda ws: ws.on("framereceived", self._count_frame))
        page.on("pageerror", lambda err: recorder.page_errors.append(f"visitor {number}: {err}"))
        page.on("crash", lambda _: recorder.page_errors.append(f"visitor {number}: page crashed"))

    def _count_frame(self, payload: Any) -> None:
        self.frames += 1

    async def _visible(self, text: str | re.Pattern[str]) -> None:
        # wait_for re-checks on every animation frame; expect() backs off up to 1 s between checks.
        # Only visible matches count: a page under the top one may still hold the same text.
        await self.page.get_by_text(text, exact=True).filter(visible=True).first.wait_for(
            state="visible", timeout=ACTION_TIMEOUT_MS)

    async def _load(self, path: str, text: str) -> None:
        """A full page load (new tab, deep link or reload): boot Flutter, switch semantics on, wait."""
        await self.page.goto(self.base_url + path, timeout=ACTION_TIMEOUT_MS)
        placeholder = self.page.locator("flt-semantics-placeholder")
        await placeholder.wait_for(state="attached", timeout=ACTION_TIMEOUT_MS)
        await placeholder.evaluate("el => el.click()")
        await self._visible(text)

    async def _type(self, label: str, text: str, attempts: int = 4) -> None:
        """Type like a person, key by key: a value set with fill() alone can reach the DOM but not
        Flutter's own text model, and then the search runs with an empty box."""
        box = self.page.get_by_label(label)
        for _ in range(attempts):
            await box.click(timeout=ACTION_TIMEOUT_MS)
            await box.fill("", timeout=ACTION_TIMEOUT_MS)
            await box.press_sequentially(text, delay=20, timeout=ACTION_TIMEOUT_MS)
            await self.page.wait_for_timeout(250)
            if await box.input_value() == text:
                return
        raise RuntimeError(f"could not type {text!r}")

    async def think(self) -> None:
        await asyncio.sleep(self.rng.uniform(0.3, 1.0))

    async def step(self, action: str, fn: Callable[[], Awaitable[object]]) -> bool:
        ok = await self.recorder.measure(self.number, action, fn)
        if not ok:
            await self.snapshot(action)
        return ok

    async def snapshot(self, action: str) -> None:
        folder = self.recorder.artifacts
        if folder is None:
            return
        folder.mkdir(parents=True, exist_ok=True)
        stem = folder / f"v{self.number:02d}-{len(self.recorder.timings):04d}-{re.sub(r'[^a-z]+', '-', action)}"
        try:
            await self.page.screenshot(path=f"{stem}.png")
            texts = await self.page.locator("flt-semantics").all_inner_texts()
            Path(f"{stem}.txt").write_text(f"{self.page.url}\n" + "\n---\n".join(texts[:3]), encoding="utf-8")
        except Exception:
            pass

    async def open_home(self, first: bool) -> bool:
        if first:
            return await self.step("home (page load)", lambda: self._load("", HOME_TEXT))

        async def tab() -> None:
            await self.page.get_by_role("tab", name="시작").click(timeout=ACTION_TIMEOUT_MS)
            await self._visible(HOME_TEXT)
        return await self.step("home (in app)", tab)

    async def search_deep_link(self, query: str) -> bool:
        return await self.step("search (deep link, page load)",
                               lambda: self._load(f"search?q={quote(query)}", self.lines[query]))

    async def search_typed(self, query: str) -> bool:
        async def tab() -> None:
            await self.page.get_by_role("tab", name="판례 찾기").click(timeout=ACTION_TIMEOUT_MS)
            await self._visible(self.lines[""])
        if not await self.step("search page (all precedents)", tab):
            return False
        await self.think()
        return await self.typed_query(query)

    async def typed_query(self, query: str) -> bool:
        """Type into the search box of the search page shown now, press Enter, wait for the results.

        Timed from the first Enter. When the typed text was lost on the browser side (the address
        does not change), it is typed once more and that counts in ``retyped``."""
        action = "search (typed)"

        def failed(start: float, exc: BaseException, what: str = action) -> bool:
            self.recorder.timings.append(Timing(self.number, what, start, time.monotonic() - start, False,
                                                f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"))
            return False

        def searched(url: str) -> bool:
            return parse_qs(urlparse(url).query).get("q") == [query]

        start = time.monotonic()
        async with self.recorder.keyboard:
            for attempt in range(2):
                try:
                    await self._type("찾을 말", query)
                except Exception as exc:
                    await self.snapshot(action)
                    return failed(time.monotonic(), exc)
                if attempt == 0:
                    start = time.monotonic()
                else:
                    self.recorder.retyped += 1
                await self.page.keyboard.press("Enter")
                try:
                    # The new address first: the page shown before may hold the same results line.
                    await self.page.wait_for_url(searched, timeout=ENTER_TIMEOUT_MS)
                    break
                except Exception as exc:
                    if attempt == 1:
                        await self.snapshot(action)
                        return failed(start, exc, "search (typed): Enter had no effect")
        try:
            await self._visible(self.lines[query])
        except Exception as exc:
            await self.snapshot(action)
            return failed(start, exc)
        self.recorder.timings.append(Timing(self.number, action, start, time.monotonic() - start, True))
        return True

    async def open_first_result(self) -> bool:
        async def click() -> None:
            await self.page.get_by_role("button", name=re.compile("판례 자세히 보기")).first.click(
                timeout=ACTION_TIMEOUT_MS)
            await self._visible(DETAIL_TEXT)
        return await self.step("open precedent", click)

    async def back(self, query: str) -> bool:
        async def go_back() -> None:
            await self.page.go_back(timeout=ACTION_TIMEOUT_MS)
            await self._visible(self.lines[query])
        return await self.step("back to results", go_back)

    async def rounds(self, count: int, queries: list[str], deep_link_share: float) -> None:
        for r in range(count):
            if not await self.open_home(first=(r == 0)):
                await self.recover()
                continue
            await self.think()
            query = queries[(self.number * 5 + r) % len(queries)]
            deep = self.rng.random() < deep_link_share
            found = await (self.search_deep_link(query) if deep else self.search_typed(query))
            if not found:
                await self.recover()
                continue
            await self.think()
            if await self.open_first_result():
                await self.think()
                await self.back(query)
            else:
                await self.recover()
            await self.think()

    async def recover(self) -> None:
        """After a failed step start the next round from a fresh page load."""
        with contextlib.suppress(Exception):
            await self._load("", HOME_TEXT)


# ---- the run ------------------------------------------------------------------------------------

async def _load_phase(browsers: list[Browser], app: AppServer, lines: dict[str, str], recorder: Recorder,
                      visitors: int, rounds: int, arrival_gap: float, deep_link_share: float,
                      seed: int) -> list[Visitor]:
    crowd: list[Visitor] = []
    for i in range(visitors):
        context = await browsers[i % len(browsers)].new_context(viewport=PHONE, locale="ko-KR")
        crowd.append(Visitor(i, await context.new_page(), app.url, lines, recorder, random.Random(seed + i)))
    queries = [q for q in QUERIES if q in lines]

    async def arrive(v: Visitor) -> None:
        await asyncio.sleep(v.number * arrival_gap)
        await v.rounds(rounds, queries, deep_link_share)

    await asyncio.gather(*(arrive(v) for v in crowd))
    return crowd


async def _isolation_phase(crowd: list[Visitor], lines: dict[str, str], recorder: Recorder, fake: FakeChatServer,
                           app: AppServer, slow_delay: float, others: int) -> dict[str, Any]:
    """One visitor waits on a slow AI summary while ``others`` visitors keep searching.

    Three windows of ``slow_delay`` seconds each: no AI call; an AI call whose server answers only
    at the end (a cold or busy endpoint); an AI answer that streams in small pieces for the whole
    window (a model writing). The searches started inside each window are compared.
    """
    slow, searchers = crowd[0], crowd[1:1 + others]
    pair = [q for q in QUERIES if q in lines][:2]
    await asyncio.gather(*(v.search_deep_link(pair[0]) for v in searchers))  # each on its own results page
    turn = {v.number: 1 for v in searchers}

    async def keep_searching(until: Callable[[], bool]) -> None:
        async def one(v: Visitor) -> None:
            while not until():
                query = pair[turn[v.number] % 2]
                turn[v.number] += 1
                if not await v.typed_query(query):
                    await v.search_deep_link(query)
                await v.think()
        await asyncio.gather(*(one(v) for v in searchers))

    # The slow visitor opens a precedent first, so every window has the same pages open; its first
    # summary comes back at once.
    await slow.search_deep_link(pair[1])
    await slow.open_first_result()
    await slow._visible(AI_NOTICE)
    await asyncio.sleep(1.0)

    windows: dict[str, dict[str, Any]] = {}
    cpu0, t0 = app.cpu_seconds(), time.monotonic()
    await keep_searching(lambda: time.monotonic() - t0 > slow_delay)
    t1 = time.monotonic()
    windows["quiet"] = {"searches": recorder.seconds("search (typed)", after=t0, before=t1),
                        "cpu": (app.cpu_seconds() - cpu0) / (t1 - t0), "probes": app.probe_seconds(t0, t1)}
    slow_json = json.dumps(precedent_answer(SLOW_PREVIEW), ensure_ascii=False)
    for name, plan in (("wait", Plan(text=slow_json, wait=slow_delay)),
                       ("stream", Plan(text=slow_json, spread=slow_delay, piece=2))):
        finished_before = fake.finished
        started_before = fake.started
        fake.plans.append(plan)
        frames_before = slow.frames
        clicked = time.monotonic()
        await slow.page.get_by_role("button", name=re.compile("다시 요약")).click(timeout=ACTION_TIMEOUT_MS)
        while fake.started == started_before and time.monotonic() - clicked < 30:
            await asyncio.sleep(0.02)
        begin, cpu0 = time.monotonic(), app.cpu_seconds()

        def summary_done(finished_before: int = finished_before, begin: float = begin) -> bool:
            return fake.finished > finished_before or time.monotonic() - begin > slow_delay + 60

        searching = asyncio.create_task(keep_searching(summary_done))

        async def slow_summary(finished_before: int = finished_before) -> None:
            await slow._visible(SUMMARY_RUNNING)
            await slow._visible(AI_NOTICE)
            if fake.finished == finished_before:
                raise RuntimeError("the summary was shown before the AI server had answered")

        ok = await recorder.measure(slow.number, f"AI summary ({name})", slow_summary)
        end = time.monotonic()
        await searching
        windows[name] = {"searches": recorder.seconds("search (typed)", after=begin, before=end),
                         "probes": app.probe_seconds(begin, end),
                         "cpu": (app.cpu_seconds() - cpu0) / (time.monotonic() - begin),
                         "summary_seconds": end - clicked, "summary_ok": ok,
                         "frames": slow.frames - frames_before, "pieces": fake.last_pieces}
    return windows


async def _run_async(visitors: int, rounds: int, browsers_n: int, slow_delay: float, others: int,
                     arrival_gap: float, deep_link_share: float, seed: int,
                     artifacts: Path | None) -> list[Row]:
    from playwright.async_api import async_playwright

    lines = expected_lines(QUERIES)
    recorder = Recorder(artifacts=artifacts)
    fast_json = json.dumps(precedent_answer(FAST_PREVIEW), ensure_ascii=False)
    with tempfile.TemporaryDirectory() as tmp, FakeChatServer(fast_json) as fake, \
            AppServer(Path(tmp), fake.url) as app:
        rss_before = app.rss()
        async with async_playwright() as p:
            browsers = [await p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS, headless=True)
                        for _ in range(browsers_n)]
            cpu_start, wall_start = app.cpu_seconds(), time.monotonic()
            crowd = await _load_phase(browsers, app, lines, recorder, visitors, rounds, arrival_gap,
                                      deep_link_share, seed)
            wall = time.monotonic() - wall_start
            cpu = app.cpu_seconds() - cpu_start
            load_probes = app.probe_seconds(wall_start, wall_start + wall)
            rss_after = app.rss()
            load_timings = list(recorder.timings)
            page_errors = list(recorder.page_errors)
            windows = await _isolation_phase(crowd, lines, recorder, fake, app, slow_delay,
                                             min(others, visitors - 1))
            for b in browsers:
                await b.close()
        server_errors = app.log_errors()
        peak = app.peak_rss
    for t in recorder.errors()[:10]:
        print(f"  error: visitor {t.visitor} {t.action}: {t.error}", file=sys.stderr)
    for line in (server_errors + recorder.page_errors)[:10]:
        print(f"  {line[:200]}", file=sys.stderr)
    return _rows(visitors, browsers_n, load_timings, page_errors, server_errors, wall, cpu, rss_before,
                 rss_after, peak, windows, recorder, slow_delay, load_probes)


GOALS_S = {"home (page load)": 8.0, "search (deep link, page load)": 8.0, "search page (all precedents)": 3.0,
           "search (typed)": 3.0, "open precedent": 3.0, "back to results": 3.0, "home (in app)": 3.0}


def _rows(visitors: int, browsers_n: int, load_timings: list[Timing], page_errors: list[str],
          server_errors: list[str], wall: float, cpu: float, rss_before: int, rss_after: int, peak: int,
          windows: dict[str, dict[str, Any]], recorder: Recorder, slow_delay: float,
          load_probes: list[float]) -> list[Row]:
    area = "web"
    rows = [Row(area, f"visitors (browser contexts) in {browsers_n} headless Chromium", visitors, "visitors")]
    for action, goal_s in GOALS_S.items():
        samples = [t.seconds for t in load_timings if t.ok and t.action == action]
        if not samples:
            continue
        p50, p95 = percentile(samples, 50), percentile(samples, 95)
        rows.append(Row(area, f"{action} p50 (n={len(samples)})", p50 * 1000, "ms"))
        rows.append(Row(area, f"{action} p95", p95 * 1000, "ms", f"<= {goal_s * 1000:,.0f} ms", p95 <= goal_s))
    done = sum(1 for t in load_timings if t.ok)
    load_errors = [t for t in load_timings if not t.ok]
    rows += [
        Row(area, "actions completed", done, "actions"),
        Row(area, "action errors (timeouts, lost pages)", len(load_errors), "errors", "0", not load_errors),
        Row(area, "server errors in the app log", len(server_errors), "lines", "0", not server_errors),
        Row(area, "browser page errors", len(page_errors), "errors", "0", not page_errors),
        Row(area, "typed searches retyped (text lost in the shared headless browser)", recorder.retyped, "searches"),
        Row(area, "throughput", done / wall if wall else 0.0, "actions/s"),
        Row(area, "server CPU per action", cpu / done * 1000 if done else 0.0, "ms"),
        Row(area, "server CPU during the rounds", cpu / wall * 100 if wall else 0.0, "% of a core"),
        Row(area, f"tiny HTTP request to the app p95 during the rounds (n={len(load_probes)})",
            percentile(load_probes, 95) * 1000, "ms", "<= 250 ms", percentile(load_probes, 95) <= 0.25),
        Row(area, "server RSS before visitors", rss_before / 2**20, "MiB"),
        Row(area, "server RSS after the rounds", rss_after / 2**20, "MiB", "<= 1,024 MiB", rss_after <= 2**30),
        Row(area, "server RSS peak (whole run)", peak / 2**20, "MiB"),
    ]
    quiet = windows["quiet"]["searches"]
    quiet_p95 = percentile(quiet, 95)
    rows.append(Row(area, f"isolation: others' search p95, no AI call (n={len(quiet)})", quiet_p95 * 1000, "ms"))
    rows.append(Row(area, "isolation: server CPU, no AI call", windows["quiet"]["cpu"] * 100, "% of a core"))
    quiet_probe = percentile(windows["quiet"]["probes"], 95)
    rows.append(Row(area, "isolation: tiny HTTP request p95, no AI call", quiet_probe * 1000, "ms"))
    words = {"wait": f"AI server silent {slow_delay:g} s, then answers",
             "stream": f"AI answer streams for {slow_delay:g} s"}
    for name in ("wait", "stream"):
        w = windows[name]
        during = w["searches"]
        p95 = percentile(during, 95)
        rows.append(Row(area, f"isolation: others' search p95, {words[name]} (n={len(during)})", p95 * 1000, "ms",
                        "<= 2x no AI call", bool(during) and p95 <= 2 * max(quiet_p95, 0.05),
                        naive=quiet_p95 * 1000))
        worst = max(during) if during else 0.0
        rows.append(Row(area, f"isolation: slowest search, {words[name]}", worst * 1000, "ms",
                        f"< {slow_delay * 1000:,.0f} ms", bool(during) and worst < slow_delay))
        rows.append(Row(area, f"isolation: server CPU, {words[name]}", w["cpu"] * 100, "% of a core"))
        probe = percentile(w["probes"], 95)
        rows.append(Row(area, f"isolation: tiny HTTP request p95, {words[name]}", probe * 1000, "ms",
                        "<= 2x no AI call + 20 ms", probe <= 2 * quiet_probe + 0.02, naive=quiet_probe * 1000))
        rows.append(Row(area, f"isolation: the slow summary shown after ({name})", w["summary_seconds"] * 1000,
                        "ms", f">= {slow_delay * 1000:,.0f} ms",
                        w["summary_ok"] and w["summary_seconds"] >= slow_delay))
    stream = windows["stream"]
    per_second = stream["frames"] / max(stream["summary_seconds"], 0.001)
    rows.append(Row(area, f"isolation: screen updates sent to the waiting visitor ({stream['pieces']} pieces streamed)",
                    stream["frames"], "messages"))
    rows.append(Row(area, "isolation: screen updates per second while the answer streams", per_second, "msg/s",
                    "<= 10/s", per_second <= 10))
    iso_errors = len(recorder.errors()) - len(load_errors)
    rows.append(Row(area, "isolation: errors", iso_errors, "errors", "0", iso_errors == 0))
    return rows


def run(n: int = 30_000, visitors: int = 20, rounds: int = 2, browsers: int = 1, slow_delay: float = 8.0,
        others: int = 5, arrival_gap: float = 2.0, deep_link_share: float = 0.4, seed: int = 7,
        time_limit: float = 1_200.0, artifacts: str | None = None) -> list[dict[str, Any]]:
    """Rows for ``python -m bench``. ``n`` is ignored: the app serves the sample corpus."""
    rows = asyncio.run(asyncio.wait_for(
        _run_async(visitors, rounds, browsers, slow_delay, others, arrival_gap, deep_link_share, seed,
                   Path(artifacts) if artifacts else None),
        timeout=time_limit))
    return [{"area": r.area, "metric": r.metric, "value": r.value, "unit": r.unit, "goal": r.goal, "ok": r.ok,
             "naive": r.naive} for r in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--visitors", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--browsers", type=int, default=1, help="Chromium processes the visitors are spread over")
    parser.add_argument("--slow-delay", type=float, default=8.0, help="seconds the fake AI server waits")
    parser.add_argument("--others", type=int, default=5, help="visitors searching during the slow AI call")
    parser.add_argument("--artifacts", default=None, help="folder for screenshots of failed steps")
    args = parser.parse_args()
    # Stopped from outside: unwind, so the app server is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    load = os.getloadavg()
    rows = run(visitors=args.visitors, rounds=args.rounds, browsers=args.browsers, slow_delay=args.slow_delay,
               others=args.others, artifacts=args.artifacts)
    print(f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB; "
          f"load average before {load[0]:.1f}, after {os.getloadavg()[0]:.1f}")
    print(render([Row(**r) for r in rows]))


if __name__ == "__main__":
    main()
