"""The parts of the web layer that need no server: encodings asked for, compressed copies, the page rewrite."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import brotli
import flet_web

from app.web import page
from app.web.compress import CompressedCopies, accepted_encodings

WEB = Path(flet_web.get_package_web_dir())


def test_accept_encoding_header_is_read_with_its_weights() -> None:
    assert accepted_encodings("gzip, deflate, br, zstd") == {"gzip", "deflate", "br", "zstd"}
    assert accepted_encodings("gzip;q=1.0, br;q=0") == {"gzip"}
    assert accepted_encodings("br;q=0.5") == {"br"}
    assert {"br", "gzip"} <= accepted_encodings("*")
    assert accepted_encodings("") == set() and accepted_encodings("identity") == {"identity"}


def _wait_idle(copies: CompressedCopies) -> None:
    deadline = time.monotonic() + 60
    while not copies.idle():
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_copies_are_made_once_and_found_again_by_a_new_server(tmp_path: Path) -> None:
    source = tmp_path / "program.js"
    source.write_text("function f() { return 1; }\n" * 5000)
    folder = tmp_path / "copies"
    copies = CompressedCopies(folder)
    assert copies.best(source, source.stat(), {"br", "gzip"}) is None  # not made yet: sent as it is
    copies.start([source], [source])
    _wait_idle(copies)
    best = copies.best(source, source.stat(), {"br", "gzip"})
    assert best is not None and best.encoding == "br" and best.quality == 11
    assert brotli.decompress(best.path.read_bytes()) == source.read_bytes()
    only_gzip = copies.best(source, source.stat(), {"gzip"})
    assert only_gzip is not None and only_gzip.encoding == "gzip"
    assert copies.best(source, source.stat(), {"identity"}) is None
    made = {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.suffix in (".br", ".gz")}
    assert len(made) == 3  # brotli 5, brotli 11, gzip 9
    # After a restart the same file is served from the copies on disk, nothing is compressed again.
    again = CompressedCopies(folder)
    again.start([source], [source])
    _wait_idle(again)
    assert again.best(source, source.stat(), {"br"}) == best
    assert {p.name for p in folder.iterdir() if p.suffix in (".br", ".gz")} == made.keys()
    # A changed file is a new source: its old copies are not sent for it.
    source.write_text("changed\\n" * 4000)
    os.utime(source, ns=(time.time_ns(), time.time_ns()))
    assert again.best(source, source.stat(), {"br"}) is None


def test_small_or_compressed_files_get_no_copies(tmp_path: Path) -> None:
    tiny, picture = tmp_path / "tiny.js", tmp_path / "icon.png"
    tiny.write_text("x")
    picture.write_bytes(os.urandom(5000))
    copies = CompressedCopies(tmp_path / "copies")
    copies.start([tiny, picture], [])
    _wait_idle(copies)
    assert copies.best(tiny, tiny.stat(), {"br"}) is None and copies.best(picture, picture.stat(), {"br"}) is None


def test_flet_page_becomes_the_korean_page() -> None:
    flet_index = (WEB / "index.html").read_text(encoding="utf-8")
    html = page.index_html(flet_index, version_base="/_v/abc/", preloads=["/_v/abc/assets/x.woff2"],
                           loading=page.loading_screen(None))
    assert '<html lang="ko">' in html and f"<title>{page.LOADING_TITLE}</title>" in html
    assert 'src="/_v/abc/flutter_bootstrap.js"' in html and 'flet.entrypointBaseUrl="/_v/abc/"' in html
    assert '<link rel="preload" href="/_v/abc/assets/x.woff2" as="fetch" crossorigin>' in html
    assert 'id="loading"' not in html and html.count(page.LOADING_ID) >= 2
    # A page without Flet's loading block still gets the Korean one.
    bare = page.index_html("<html><head><title>Flet</title></head><body></body></html>", version_base="/_v/a/",
                           preloads=[], loading="<div id='x'>여는 중</div>")
    assert "<body>\n<div id='x'>여는 중</div>" in bare and "Flet" not in bare


def test_font_manifest_keeps_icons_and_adds_the_korean_font() -> None:
    flet_manifest = (WEB / "assets" / "FontManifest.json").read_text(encoding="utf-8")
    families = [f["family"] for f in json.loads(page.font_manifest(flet_manifest, "NanumGothic", "fonts/k.woff2"))]
    assert families == ["MaterialIcons", "Roboto", "NanumGothic"]
    assert "fonts/k.woff2" in page.font_assets(page.font_manifest(flet_manifest, "NanumGothic", "fonts/k.woff2"))
    assert "NanumGothic" not in page.font_manifest(flet_manifest, None, "fonts/k.woff2")
