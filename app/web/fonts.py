"""The Korean font pieces the web client loads, cut from NanumGothic with fontTools.

A browser must download a font before it can draw a single Hangul glyph with it, and NanumGothic is 4.7 MB.
So the web client gets it in two WOFF2 pieces (hinting dropped: it is most of the size and Flutter draws
without it):

- ``first``: the 2,350 Hangul syllables of KS X 1001 with its other letters and symbols (no Hanja), ASCII,
  and every character in the app's own source (its screens): about 180 KB, loaded before the first frame;
- ``rest``: every other character of the font (the other 8,822 syllables, the Hanja): about 870 KB, fetched
  only when a page shows a character the first piece lacks.

A third, tiny piece holds just the characters of the loading screen and is written into the page itself.
NanumGothic's licence (SIL OFL 1.1) reserves its name for the original, so the cut pieces are renamed.
Cutting takes seconds; the pieces are kept in the cache folder under a key of the source font and the
character set, and made again only when either changes.
"""
from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from core.paths import REPO_ROOT
from storage.atomic import write_bytes_atomic

log = logging.getLogger(__name__)

FAMILY = "Sanjae Gothic"          # the cut pieces' own name (the original's is reserved)
LICENCE = "This Font Software is licensed under the SIL Open Font License, Version 1.1."
LICENCE_URL = "https://openfontlicense.org"
# The app's screens and messages; their characters all go into the first piece.
SOURCE_DIRS = ("app", "services", "core")
CUT_VERSION = "1"                 # bump when the cutting itself changes
# Parts of NanumGothic fontTools cannot cut (the hinting tool's sources) and the browser never reads.
_DROP_TABLES = ["TSI0", "TSI1", "TSI2", "TSI3", "TSI5"]


def _is_hanja(code: int) -> bool:
    return 0x4E00 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF


def ks_x_1001() -> frozenset[int]:
    """Every character of KS X 1001 (the two-byte part of EUC-KR) but the Hanja."""
    found: set[int] = set()
    for lead in range(0xA1, 0xFF):
        for trail in range(0xA1, 0xFF):
            try:
                text = bytes((lead, trail)).decode("euc_kr")
            except UnicodeDecodeError:
                continue
            if len(text) == 1 and not _is_hanja(ord(text)):
                found.add(ord(text))
    return frozenset(found)


def ks_x_1001_hangul() -> frozenset[int]:
    """The 2,350 precomposed Hangul syllables of KS X 1001."""
    return frozenset(c for c in ks_x_1001() if 0xAC00 <= c <= 0xD7A3)


def source_chars(root: Path = REPO_ROOT, dirs: Iterable[str] = SOURCE_DIRS) -> frozenset[int]:
    """Every non-ASCII character written in the Python sources under ``root/dirs``."""
    found: set[int] = set()
    for name in dirs:
        for path in sorted((root / name).rglob("*.py")):
            found.update(ord(c) for c in path.read_text(encoding="utf-8") if ord(c) > 0x7E)
    return frozenset(found)


def first_piece_chars(extra: Iterable[int] = ()) -> frozenset[int]:
    """What the first piece should hold (before dropping what the font itself lacks)."""
    return frozenset(range(0x20, 0x7F)) | {0xA0} | ks_x_1001() | source_chars() | frozenset(extra)


def cut(source: Path, unicodes: Iterable[int], style: str) -> bytes:
    """A WOFF2 font of ``source`` with only ``unicodes`` (those it has), renamed to ``FAMILY style``."""
    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False
    options.layout_features = ["*"]
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.drop_tables = [*options.drop_tables, *_DROP_TABLES]
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(set(unicodes)))
    subsetter.subset(font)
    _rename(font, style)
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _rename(font: TTFont, style: str) -> None:
    full = f"{FAMILY} {style}"
    postscript = full.replace(" ", "")
    names = font["name"]
    names.names = [n for n in names.names if n.nameID not in (1, 2, 3, 4, 6, 10, 13, 14, 16, 17)]
    for name_id, value in ((1, full), (2, "Regular"), (3, f"{postscript};{CUT_VERSION}"), (4, full),
                           (6, postscript), (10, "A part of NanumGothic, cut for the web."),
                           (13, LICENCE), (14, LICENCE_URL)):
        names.setName(value, name_id, 3, 1, 0x409)


def font_chars(source: Path) -> frozenset[int]:
    return frozenset(TTFont(source, lazy=True).getBestCmap())


@dataclass(frozen=True)
class WebFonts:
    first: Path   # loaded before the first frame
    rest: Path    # every other character of the source font, fetched when one is shown


def _key(source_bytes: bytes, chars: frozenset[int]) -> str:
    digest = hashlib.sha256(source_bytes)
    digest.update(",".join(map(str, sorted(chars))).encode())
    digest.update(CUT_VERSION.encode())
    return digest.hexdigest()[:16]


def first_piece(source: Path, cache: Path) -> Path:
    """The first piece for ``source``, cut now unless the cache already holds it."""
    source_bytes = source.read_bytes()
    chars = first_piece_chars() & font_chars(source)
    path = cache / f"first-{_key(source_bytes, chars)}.woff2"
    if not path.exists():
        log.info("cutting the first Korean font piece into %s", path)
        write_bytes_atomic(path, cut(source, chars, "KS"))
    return path


def rest_piece(source: Path, first: Path, cache: Path) -> Path:
    """The rest of ``source`` (what ``first`` lacks), cut now unless the cache already holds it."""
    chars = font_chars(source) - font_chars(first)
    path = cache / f"rest-{_key(source.read_bytes(), chars)}.woff2"
    if not path.exists():
        log.info("cutting the rest of the Korean font into %s", path)
        write_bytes_atomic(path, cut(source, chars, "Extra"))
    return path
