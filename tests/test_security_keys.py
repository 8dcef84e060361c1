"""Keys and tokens never leak: the main flows run with marker keys against the fake servers (successes
and failures), and then every log line, exception text, CLI output, stored file and exported file is
searched for the markers (raw, URL-encoded and without the four characters a masked key shows)."""
from __future__ import annotations

import gzip
import json
import logging
import os
import subprocess
import sys
import traceback
from pathlib import Path
from urllib.parse import quote, quote_plus

import huggingface_hub.constants
import pytest

from core.errors import SanjaeError
from services.ai.choice import build_model
from services.analysis import OverlapFinder, analyze
from services.cases.exchange import backup_workspace, export_json
from services.cases.repository import UserFileCaseRepository
from services.judgment import READER
from services.settings import Settings
from services.sources.http import RetryPolicy
from services.sources.lawgokr import LawGoKrClient
from services.sources.portal import PortalClient
from services.sync import make_client, sync
from storage.precedents import PrecedentStore
from storage.user_store import UserStore
from tests.conftest import REPO
from tests.fakes import gemini_server
from tests.fakes.ai_models import fast_retry
from tests.fakes.faults import assert_korean_failure
from tests.fakes.lawgokr import FakeLawGoKr, make_iaciac
from tests.fakes.llm_server import FakeLLMServer, Status
from tests.fakes.portal import FakePortal, make_records
from tests.summaries_for_tests import summarize, summarize_text
from tests.test_fuzz_models import GOOD_ANALYSIS, RECORDS, SITUATION

PORTAL_KEY = "MARKER+PORTAL/KEY123456789=="
LAWGOKR_OC = "MARKEROC4417"
GEMINI_KEY = "AIzaMARKERGEMINIKEY4455667"
HF_TOKEN = "hf_MARKERHFTOKEN99887766"
PASSPHRASE = "MARKERPASSPHRASE-비밀"
MARKERS = (PORTAL_KEY, LAWGOKR_OC, GEMINI_KEY, HF_TOKEN, PASSPHRASE)
LOGGERS = ("", "httpx", "httpcore", "huggingface_hub", "google_genai", "google", "urllib3", "filelock",
           "core", "services", "storage", "app")
FAST = RetryPolicy(attempts=2, backoff=0.01)


def needles(marker: str) -> set[str]:
    core = marker[4:-4]  # what is left after the 4+4 characters ``settings.mask`` may show
    return {form for text in (marker, core) for form in (text, quote(text, safe=""), quote_plus(text))}


NEEDLES = set().union(*(needles(m) for m in MARKERS))


def leaks(text: str) -> list[str]:
    return sorted(n for n in NEEDLES if n in text)


def file_texts(*folders: Path) -> dict[str, str]:
    out = {}
    for folder in folders:
        for path in folder.rglob("*"):
            if not path.is_file():
                continue
            raw = path.read_bytes()
            if raw[:2] == b"\x1f\x8b":
                raw += gzip.decompress(raw)
            out[str(path)] = raw.decode("utf-8", errors="replace") + raw.decode("latin-1")
    return out


@pytest.fixture
def servers(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)

    def answer(body: dict) -> str:
        text = json.dumps(body.get("messages"), ensure_ascii=False)
        return json.dumps(GOOD_ANALYSIS if "cited_precedents" in text else gemini_server.precedent_answer(),
                          ensure_ascii=False)

    with FakePortal(make_records(230), key=PORTAL_KEY) as portal, \
            FakeLawGoKr(iaciac=make_iaciac(12), oc=LAWGOKR_OC) as law, \
            FakeLLMServer("tgi", token=HF_TOKEN, answer=answer) as llm, gemini_server.FakeGemini() as gemini:
        env = {"SANJAE_PORTAL_KEY": PORTAL_KEY, "SANJAE_PORTAL_URL": portal.base_url, "SANJAE_LAWGOKR_OC": LAWGOKR_OC,
               "SANJAE_LAWGOKR_URL": law.base_url, "GEMINI_API_KEY": GEMINI_KEY, "SANJAE_GEMINI_URL": gemini.url,
               "SANJAE_LLM_URL": llm.url, "HF_TOKEN": HF_TOKEN}
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        yield {"portal": portal, "law": law, "llm": llm, "gemini": gemini, "env": env}


def run_flow(errors: list[str], call) -> object:
    """Run one flow; keep every detail of a failure (message, repr, traceback) for the leak search."""
    try:
        return call()
    except SanjaeError as exc:
        assert_korean_failure(exc)
        errors += [exc.message, str(exc), repr(exc), "".join(traceback.format_exception(exc))]
        return exc


def test_main_flows_with_marker_keys_leak_nothing(servers, caplog, tmp_path: Path, isolated_data_dir: Path) -> None:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    portal, law, llm, gemini = servers["portal"], servers["law"], servers["llm"], servers["gemini"]
    errors: list[str] = []
    failures: list[object] = []
    settings = Settings()

    # sync: success, then code 30, HTTP 500 and a timeout
    assert sync("portal", PrecedentStore(reader=READER), client=make_client("portal", settings)).complete
    portal.queue("code:30")
    failures.append(run_flow(errors, lambda: sync("portal", PrecedentStore(reader=READER),
                                                  client=make_client("portal", settings))))
    for fault, timeout in (("http500", 10.0), ("slow", 0.3)):
        portal.slow_seconds = 1.0
        portal.queue(fault, fault)
        client = PortalClient(settings.get("portal_key"), base_url=portal.base_url, retry=FAST, timeout=timeout)
        failures.append(run_flow(errors, lambda client=client: client.precedents(1)))
        client.close()
    assert sync("iaciac", PrecedentStore(reader=READER), client=make_client("iaciac", settings)).complete
    wrong_oc = LawGoKrClient(LAWGOKR_OC + "x", base_url=law.base_url, retry=FAST)
    failures.append(run_flow(errors, lambda: wrong_oc.list_page("iaciac", 1)))
    law.queue("http500", "http500")
    law_client = LawGoKrClient(settings.get("lawgokr_oc"), base_url=law.base_url, retry=FAST)
    failures.append(run_flow(errors, lambda: law_client.list_page("iaciac", 1)))

    # summaries: Gemini and Gemma, successes and refusals
    gemini.queue(gemini_server.text(json.dumps(gemini_server.precedent_answer(), ensure_ascii=False)))
    assert summarize(RECORDS[0], "gemini").engine == "gemini"
    for reply in (gemini_server.bad_key(), gemini_server.error(403), gemini_server.error(404)):
        gemini.queue(reply)
        failures.append(run_flow(errors, lambda: summarize(RECORDS[1], "gemini", force=True)))
    assert summarize(RECORDS[0], "gemma").engine == "gemma"
    for status in (401, 404):
        llm.script.append(Status(status, {"error": f"denied for {HF_TOKEN}"}))  # a proxy echoing the token
        failures.append(run_flow(errors, lambda: summarize(RECORDS[1], "gemma", force=True)))
    gemini.queue(gemini_server.text(json.dumps(gemini_server.text_answer(), ensure_ascii=False)))
    summarize_text("근로복지공단 불승인 통지서입니다. 2026. 1. 19. 받았습니다.", "gemini")

    # analysis through Gemma and through Gemini, successes and refusals
    model = build_model("gemma", settings, retry=fast_retry(0), cold_start_step=0.01)
    assert analyze(SITUATION, OverlapFinder(RECORDS), model=model, k=2).answer is not None
    llm.script.append(Status(401, "bad token"))
    failures.append(run_flow(errors, lambda: analyze(SITUATION, OverlapFinder(RECORDS), model=model, k=2)))
    by_gemini = build_model("gemini", settings, retry=fast_retry(0))
    gemini.queue(gemini_server.text(json.dumps(GOOD_ANALYSIS, ensure_ascii=False)))
    assert analyze(SITUATION, OverlapFinder(RECORDS), model=by_gemini, k=2).engine == "gemini"
    gemini.queue(gemini_server.bad_key())
    failures.append(run_flow(errors, lambda: analyze(SITUATION, OverlapFinder(RECORDS), model=by_gemini, k=2)))
    by_gemini.close()
    assert all(isinstance(f, SanjaeError) for f in failures), failures

    # cases: export, workspace backup, corpus export
    store = UserStore()
    store.set_setting("summary_engine", "gemini")
    repo = UserFileCaseRepository(store)
    case = repo.create("택배 상하차 허리", situation="6년간 상하차")
    repo.add_analysis(case.id, {"engine": "gemma", "note": "저장"})
    out = tmp_path / "exports"
    out.mkdir()  # exports write into an existing folder only
    export_json(repo.all(), out / "cases.json")
    backup_workspace(repo, out / "backup.json")
    PrecedentStore(reader=READER).export_corpus(out / "corpus.json.gz")

    assert llm.requests and gemini.calls and portal.requests and law.requests  # the flows really ran
    logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    assert "serviceKey=***" in logged and "OC=***" in logged  # httpx logged the URLs, keys hidden
    assert not leaks(logged), leaks(logged)
    assert not leaks("\n".join(errors)), leaks("\n".join(errors))
    texts = file_texts(isolated_data_dir, out)
    assert any(p.endswith("corpus.json.gz") for p in texts) and any("shard-" in p for p in texts)
    found = {path: leaks(text) for path, text in texts.items() if leaks(text)}
    assert not found, found


def test_backup_leaves_out_secrets_even_if_an_older_version_stored_one(tmp_path: Path) -> None:
    store = UserStore(tmp_path / "old-user.json")
    for name, value in (("gemini_key", GEMINI_KEY), ("hf_token", HF_TOKEN), ("portal_key", PORTAL_KEY),
                        ("lawgokr_oc", LAWGOKR_OC), ("my_api_token", HF_TOKEN), ("llm_url", "http://127.0.0.1:1")):
        store.set_setting(name, value)
    repo = UserFileCaseRepository(store)
    repo.create("야간 경비 뇌출혈")
    backup = backup_workspace(repo, tmp_path / "backup.json")
    text = backup.read_text(encoding="utf-8")
    assert not leaks(text), leaks(text)
    assert json.loads(text)["settings"] == {"llm_url": "http://127.0.0.1:1"}


def cli(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k != "HF_HUB_OFFLINE"}
    full.update(env, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=REPO, env=full, input=stdin,
                          capture_output=True, text=True, encoding="utf-8", timeout=180)


@pytest.mark.slow
def test_cli_commands_print_and_write_no_key(servers, tmp_path: Path, isolated_data_dir: Path) -> None:
    env = dict(servers["env"], SANJAE_PASSPHRASE=PASSPHRASE)  # the case file is written encrypted
    out = tmp_path / "cli-out"
    out.mkdir()
    gemini = servers["gemini"]
    gemini.queue(gemini_server.text(json.dumps(gemini_server.precedent_answer(), ensure_ascii=False)),
                 gemini_server.bad_key())
    runs = [
        (["sync", "--source", "portal", "--limit", "150"], 0),
        (["sync", "--source", "portal"], 2, {"SANJAE_PORTAL_KEY": PORTAL_KEY[:-3] + "x=="}),  # code 30
        (["sync", "--source", "lawgokr"], 2, {"SANJAE_LAWGOKR_OC": LAWGOKR_OC + "x"}),  # OC refused
        (["summarize", "sample:001", "--engine", "gemini", "--json"], 0),
        (["summarize", "sample:002", "--engine", "gemini", "--json"], 2),  # bad key
        (["summarize", "sample:001", "--engine", "gemma", "--json"], 0),
        (["analyze", "--engine", "gemma", "--json", "--no-index", "-k", "2", "--yes"], 0,
         {}, "택배 상하차 6년, 허리디스크 추간판탈출증 진단. 불승인 이유: 퇴행성 변화"),
        (["cases", "create", "--alias", "택배 상하차 허리", "--json"], 0),
        (["cases", "export", str(out / "c.md")], 0),
        (["cases", "export", str(out / "c.pdf")], 0),
        (["export", str(out / "corpus.json.gz")], 0),
    ]
    transcript = []
    for args, code, *extra in runs:
        run_env = dict(env, **(extra[0] if extra else {}))
        done = cli(args, run_env, extra[1] if len(extra) > 1 else "")
        assert done.returncode == code, (args, done.stderr[-800:])
        if code == 2:
            assert "오류:" in done.stderr
        transcript.append(done.stdout + done.stderr)
    text = "\n".join(transcript)
    assert not leaks(text), leaks(text)
    assert (isolated_data_dir / "user.json").read_bytes().startswith(b"SJGENC")
    texts = file_texts(isolated_data_dir, out)
    assert {p.name for p in out.iterdir()} == {"c.md", "c.pdf", "corpus.json.gz"}
    found = {path: leaks(t) for path, t in texts.items() if leaks(t)}
    assert not found, found
