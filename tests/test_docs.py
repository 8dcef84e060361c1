"""The documentation matches the app: commands parse, environment variables exist, images and labels are real.

- Every ``python -m app.cli …`` line in README.md and the guides is parsed by the real CLI parser
  (``app.cli.build_parser()``), so a renamed command or option, or a wrong choice, fails here.
- ``python -m app …`` lines go through ``app.__main__.parse_args``; ``python -m bench`` options must
  exist in ``bench/__main__.py``.
- Every ``SANJAE_*`` / ``GEMINI_API_KEY`` / ``HF_TOKEN`` named in README.md and the operator guide is read
  somewhere in the code (``services.settings.SPECS`` or a literal in app/, core/, services/, storage/), and every
  setting in ``SPECS`` is documented in the operator guide.
- Every image a document links to exists (and is small); every image in docs/images is used.
- On-screen labels the user guide quotes as 「…」 appear in the app's source.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
README = REPO / "README.md"
USER_GUIDE = DOCS / "user-guide.md"
OPERATOR_GUIDE = DOCS / "operator-guide.md"
COMMAND_DOCS = (README, USER_GUIDE, OPERATOR_GUIDE)
ENV_DOCS = (README, OPERATOR_GUIDE, USER_GUIDE)
MAX_IMAGE_BYTES = 300_000

ENV_NAME = re.compile(r"\b(SANJAE_[A-Z0-9_]+|GEMINI_API_KEY|HF_TOKEN)\b")
IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")
UI_LABEL = re.compile(r"「([^」]+)」")
# A command ends at the end of a code span or line, at a shell operator or at a comment.
COMMAND_END = re.compile(r"`|\s#|\s\|\s|&&|;|\s[<>]\s|\s>>\s|\s2>|$")


def _invocations(text: str, module: str) -> list[str]:
    """The argument strings after each ``python -m <module>`` (``python3`` too) in ``text``."""
    found = []
    pattern = re.compile(rf"python3?\s+-m\s+{re.escape(module)}(?![\w.])")
    for line in text.splitlines():
        for match in pattern.finditer(line):
            rest = line[match.end():]
            cut = COMMAND_END.search(rest)
            args = rest[:cut.start()].strip() if cut else rest.strip()
            found.append(args.replace("%i", "8551"))  # a systemd template's instance (the port)
    return found


def _parse_or_fail(parser: argparse.ArgumentParser, args: list[str], shown: str) -> argparse.Namespace:
    errors = io.StringIO()
    try:
        with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
            return parser.parse_args(args)
    except SystemExit as exc:
        if exc.code == 0:  # --help
            return argparse.Namespace()
        pytest.fail(f"documented command does not parse: {shown!r}\n{errors.getvalue()}")


def _cli_lines() -> list[tuple[Path, str]]:
    return [(doc, args) for doc in COMMAND_DOCS if doc.exists()
            for args in _invocations(doc.read_text(encoding="utf-8"), "app.cli")]


def test_the_guides_exist_and_name_cli_commands():
    assert USER_GUIDE.exists() and OPERATOR_GUIDE.exists()
    operator_commands = _invocations(OPERATOR_GUIDE.read_text(encoding="utf-8"), "app.cli")
    assert len(operator_commands) >= 8, "the operator guide should show the data commands"


@pytest.mark.parametrize("doc,args", _cli_lines(), ids=lambda v: v if isinstance(v, str) else v.name)
def test_documented_cli_command_parses(doc, args):
    from app.cli.program import build_parser

    parsed = _parse_or_fail(build_parser(), shlex.split(args), f"{doc.name}: python -m app.cli {args}")
    if vars(parsed):
        assert callable(getattr(parsed, "func", None)), f"{doc.name}: no handler for {args!r}"


def test_every_cli_command_is_documented_for_operators():
    from app.cli.program import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    named = {shlex.split(args)[0] for _, args in _cli_lines() if args and not args.startswith("-")}
    missing = sorted(set(sub.choices) - named)
    assert not missing, f"commands never shown in README/guides: {missing}"


def test_documented_app_start_commands_parse():
    from app.__main__ import parse_args

    seen = 0
    for doc in COMMAND_DOCS:
        for args in _invocations(doc.read_text(encoding="utf-8"), "app"):
            seen += 1
            errors = io.StringIO()
            try:
                with contextlib.redirect_stderr(errors):
                    parse_args(shlex.split(args))
            except SystemExit:
                pytest.fail(f"{doc.name}: 'python -m app {args}' does not parse\n{errors.getvalue()}")
    assert seen >= 3


def test_documented_bench_options_exist():
    source = (REPO / "bench" / "__main__.py").read_text(encoding="utf-8")
    for doc in COMMAND_DOCS:
        for args in _invocations(doc.read_text(encoding="utf-8"), "bench"):
            for option in re.findall(r"--[a-z][a-z-]*", args):
                assert f'"{option}"' in source, f"{doc.name}: python -m bench has no option {option}"


def _known_env_names() -> set[str]:
    from services.settings import SPECS

    names = {spec.env for spec in SPECS.values()}
    for folder in ("app", "core", "services", "storage"):
        for path in (REPO / folder).rglob("*.py"):
            names.update(re.findall(r"[\"'](SANJAE_[A-Z0-9_]+)[\"']", path.read_text(encoding="utf-8")))
    return names


def test_documented_environment_variables_exist():
    known = _known_env_names()
    for doc in ENV_DOCS:
        named = set(ENV_NAME.findall(doc.read_text(encoding="utf-8")))
        unknown = sorted(named - known)
        assert not unknown, f"{doc.name} names environment variables the app never reads: {unknown}"


def test_every_setting_is_in_the_operator_guide():
    from services.settings import SPECS

    text = OPERATOR_GUIDE.read_text(encoding="utf-8")
    missing = sorted(spec.env for spec in SPECS.values() if spec.env not in text)
    assert not missing, f"settings missing from the operator guide: {missing}"
    for extra in ("SANJAE_DATA_DIR", "SANJAE_PASSPHRASE"):
        assert extra in text


def _markdown_files() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


def test_linked_images_exist_and_are_small():
    linked = 0
    for doc in _markdown_files():
        for target in IMAGE_LINK.findall(doc.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://")):
                continue
            path = (doc.parent / target).resolve()
            assert path.is_file(), f"{doc.name} links a missing image: {target}"
            assert path.stat().st_size <= MAX_IMAGE_BYTES, f"{target} is larger than {MAX_IMAGE_BYTES} bytes"
            linked += 1
    assert linked >= 6


def test_every_image_in_docs_images_is_used():
    used = {(doc.parent / target).resolve() for doc in _markdown_files()
            for target in IMAGE_LINK.findall(doc.read_text(encoding="utf-8"))}
    unused = sorted(p.name for p in (DOCS / "images").glob("*.png") if p.resolve() not in used)
    assert not unused, f"images no document shows: {unused}"


def test_quoted_screen_labels_exist_in_the_app():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "app").rglob("*.py"))
    source += "\n".join(p.read_text(encoding="utf-8") for d in ("core", "services") for p in (REPO / d).rglob("*.py"))
    labels = UI_LABEL.findall(USER_GUIDE.read_text(encoding="utf-8"))
    assert len(labels) >= 20, "the user guide should quote the buttons it talks about"
    missing = []
    for label in set(labels):
        # "…" stands for a part the app fills in (e.g. 「…로 내보내기」): every fixed part must exist.
        parts = [part for part in label.split("…") if part.strip()]
        if not all(part in source for part in parts):
            missing.append(label)
    assert not missing, f"labels quoted in the user guide but not found in the app: {sorted(missing)}"
