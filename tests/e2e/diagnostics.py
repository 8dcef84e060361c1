"""What a browser page was doing when a test failed: written to tests/e2e/artifacts/<test>/.

Each watched page keeps a short event log (console, page errors, websocket traffic counts). On a failure every page of
the test's browsers is probed with short time limits: does its main thread answer, does it still paint frames
(requestAnimationFrame), what Flutter elements exist, and how busy each Chromium process is.
"""
from __future__ import annotations

import contextlib
import json
import re
import time
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
_LOGS: dict[int, list[str]] = {}
_SOCKETS: dict[int, list[tuple[str, dict[str, int]]]] = {}  # live frame counters of each page's websockets

STATE_JS = """() => {
  const q = s => document.querySelector(s);
  return {url: location.href, ready: document.readyState, loading: !!q('#loading'),
    view: !!q('flutter-view'), placeholder: !!q('flt-semantics-placeholder'),
    semantics_nodes: document.querySelectorAll('flt-semantics').length,
    skwasm: !!window._flutter_skwasmInstance, canvaskit: !!window.flutterCanvasKit,
    cross_origin_isolated: window.crossOriginIsolated, hidden: document.hidden,
    app_loaded: !!(window.flet && window.flet.flutterApp)};
}"""


def watch(page) -> None:
    log = _LOGS.setdefault(id(page), [])
    t0 = time.monotonic()

    def add(text: str) -> None:
        log.append(f"{time.monotonic() - t0:7.2f} {text}")
        del log[:-400]

    page.on("console", lambda m: add(f"console.{m.type}: {m.text[:300]}"))
    page.on("pageerror", lambda e: add(f"pageerror: {e}"))
    page.on("crash", lambda _: add("CRASH"))
    page.on("framenavigated", lambda f: add(f"navigated {f.url}") if f == page.main_frame else None)

    def on_ws(ws) -> None:
        counts = {"sent": 0, "received": 0}
        add(f"websocket open {ws.url}")
        ws.on("framesent", lambda _: counts.__setitem__("sent", counts["sent"] + 1))
        ws.on("framereceived", lambda _: counts.__setitem__("received", counts["received"] + 1))
        ws.on("close", lambda _: add(f"websocket closed {counts}"))
        _SOCKETS.setdefault(id(page), []).append((ws.url, counts))
    page.on("websocket", on_ws)


def _probe(what: str, fn) -> str:
    start = time.monotonic()
    try:
        fn()
        return f"{what}: yes ({time.monotonic() - start:.1f}s)"
    except Exception as exc:
        return f"{what}: NO ({type(exc).__name__}: {str(exc).splitlines()[0][:120]})"


def _chromium_cpu() -> list[str]:
    try:
        import psutil
    except ImportError:
        return ["psutil missing"]
    procs = [p for p in psutil.process_iter(["name", "cmdline"]) if "chrom" in (p.info["name"] or "")]
    for p in procs:
        with contextlib.suppress(psutil.Error):
            p.cpu_percent(None)
    time.sleep(2)
    lines = []
    for p in procs:
        try:
            cmd = " ".join(p.info["cmdline"] or [])
            kind = re.search(r"--type=([\w-]+)", cmd)
            lines.append(f"pid {p.pid} {kind.group(1) if kind else 'browser'}: {p.cpu_percent(None):.0f}% cpu, "
                         f"{p.num_threads()} threads")
            if kind and kind.group(1) in ("renderer", "gpu-process"):
                lines.extend(_busy_threads(p.pid))
        except psutil.Error:
            pass
    return lines


def _thread_ticks(pid: int) -> dict[str, int]:
    ticks = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
            ticks[f"{task.name} {name}"] = int(fields[11]) + int(fields[12])  # utime + stime
        except OSError:
            pass
    return ticks


def _busy_threads(pid: int) -> list[str]:
    """CPU share of each thread over one second (Linux only)."""
    try:
        before = _thread_ticks(pid)
        time.sleep(1)
        after = _thread_ticks(pid)
    except OSError:
        return []
    return [f"    thread {t}: {after[t] - before.get(t, 0)}%" for t in sorted(after) if after[t] - before.get(t, 0) > 0]


def _paused_stack(page) -> list[str]:
    """Interrupt the page's JavaScript/wasm with the debugger and list where it was."""
    import threading
    session = page.context.new_cdp_session(page)
    frames: list[str] = []
    got = threading.Event()

    def on_paused(event) -> None:
        for f in event.get("callFrames", [])[:25]:
            loc = f.get("location", {})
            frames.append(f"    at {f.get('functionName') or '?'} ({f.get('url', '')[-40:]}:"
                          f"{loc.get('lineNumber')}:{loc.get('columnNumber')})")
        got.set()
    session.on("Debugger.paused", on_paused)
    session.send("Debugger.enable")
    session.send("Debugger.pause")
    for _ in range(50):
        if got.is_set():
            break
        page.wait_for_timeout(100)
    try:
        session.send("Debugger.resume")
        session.send("Debugger.disable")
    except Exception:
        pass
    return frames or ["    (did not pause)"]


def dump(name: str, browsers) -> Path:
    out = ARTIFACTS / re.sub(r"[^\w.-]+", "_", name)
    out.mkdir(parents=True, exist_ok=True)
    report = ["chromium processes:", *("  " + line for line in _chromium_cpu())]
    for b in browsers:
        for ci, context in enumerate(b.contexts):
            for pi, page in enumerate(context.pages):
                tag = f"ctx{ci}-page{pi}"
                report.append(f"\n== {tag} {page.url}")
                report.append("  " + _probe("main thread answers", lambda page=page: page.wait_for_function(
                    "true", polling=100, timeout=5_000)))
                report.append("  " + _probe("paints frames (rAF)", lambda page=page: page.wait_for_function(
                    "true", polling="raf", timeout=5_000)))
                try:
                    page.wait_for_function("true", polling=100, timeout=3_000)
                    report.append("  state " + json.dumps(page.evaluate(STATE_JS), ensure_ascii=False))
                except Exception as exc:
                    report.append(f"  state: unavailable ({type(exc).__name__})")
                    try:
                        report.append("  stack when paused by the debugger:")
                        report.extend(_paused_stack(page))
                    except Exception as exc2:
                        report.append(f"  debugger pause failed: {exc2!r}")
                report.append("  " + _probe("screenshot", lambda page=page, tag=tag: page.screenshot(
                    path=str(out / f"{tag}.png"), timeout=10_000)))
                for ws_url, counts in _SOCKETS.get(id(page), []):
                    report.append(f"  websocket {ws_url}: {counts['sent']} frames sent, {counts['received']} received")
                report.extend(f"  {entry}" for entry in _LOGS.get(id(page), []))
    (out / "report.txt").write_text("\n".join(report), encoding="utf-8")
    return out
