"""The Korean font pieces of the web client: the first one holds KS X 1001 and every syllable the app's screens use.

The pieces are really cut here (fontTools, from the NanumGothic the app ships) and read back: no Hangul the
app shows may be missing from the first piece, and the two pieces together must hold the whole font.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from app.web import fonts, page
from core.paths import korean_font_path
from tests.conftest import REPO

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def cmap(path_or_bytes: Path | bytes) -> set[int]:
    source = path_or_bytes if isinstance(path_or_bytes, Path) else io.BytesIO(path_or_bytes)
    return set(TTFont(source).getBestCmap())


@pytest.fixture(scope="module")
def pieces(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    source = korean_font_path()
    cache = tmp_path_factory.mktemp("fonts")
    first = fonts.first_piece(source, cache)
    return source, first, fonts.rest_piece(source, first, cache)


def test_ks_x_1001_has_its_2350_syllables() -> None:
    syllables = fonts.ks_x_1001_hangul()
    assert len(syllables) == 2350
    assert {ord(c) for c in "가힝각하는산재판례"} <= syllables
    assert not {ord(c) for c in "똠쀍햏"} & syllables  # outside KS X 1001: for the rest piece


def test_first_piece_holds_ks_x_1001_ascii_and_every_syllable_of_the_app(pieces) -> None:
    source, first, _ = pieces
    held = cmap(first)
    assert fonts.ks_x_1001_hangul() <= held
    assert set(range(0x20, 0x7F)) <= held
    # Scanned here on its own: every Hangul syllable written anywhere in the app's code (its screens).
    used = {ord(c) for path in (REPO / "app").rglob("*.py") for c in HANGUL.findall(path.read_text("utf-8"))}
    assert used and not used - held, "".join(sorted(map(chr, used - held)))
    # The KS X 1001 letters and symbols the font has (jamo, punctuation, arrows, circled numbers).
    assert (fonts.ks_x_1001() & cmap(source)) <= held
    assert first.stat().st_size < 300_000  # the whole font is 4.7 MB


def test_the_two_pieces_hold_the_whole_font_once(pieces) -> None:
    source, first, rest = pieces
    assert cmap(first) | cmap(rest) == cmap(source)
    assert not (cmap(first) & cmap(rest)) - set(range(0x20, 0x7F)) - {0xA0}
    assert ord("똠") in cmap(rest)


def test_cut_pieces_do_not_carry_the_reserved_name(pieces) -> None:
    _, first, rest = pieces
    for path in (first, rest):
        names = {record.toUnicode() for record in TTFont(path)["name"].names if record.nameID in (1, 4, 6, 16)}
        assert names and not any("Nanum" in n or "나눔" in n for n in names), names


def test_a_cut_is_made_once_and_then_read_from_the_cache(pieces, tmp_path: Path) -> None:
    source, first, _ = pieces
    again = fonts.first_piece(source, first.parent)
    assert again == first and again.stat().st_mtime_ns == first.stat().st_mtime_ns


def test_loading_screen_font_holds_every_character_it_shows() -> None:
    woff2 = fonts.cut(korean_font_path(), map(ord, page.loading_texts()), "Loading")
    wanted = {ord(c) for c in page.loading_texts() if not c.isspace()}
    assert wanted <= cmap(woff2)
    assert len(woff2) < 12_000  # written into every page
