"""``python -m app --web`` over real HTTP on 127.0.0.1: compressed bodies, caching headers, the Korean page.

Each file the web client loads must come back brotli- or gzip-compressed when the request accepts it, with
``Content-Encoding``, ``Vary: Accept-Encoding`` and a ``Content-Length`` that fit the body, and must decode to
exactly the bytes sent without compression. Compressed copies are made in the background after the start,
so the tests wait (a bounded time) for them to appear.
"""
from __future__ import annotations

import gzip
import http.client
import io
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import brotli
import flet_web
import pytest
from fontTools.ttLib import TTFont

from app.theme import WEB_REST_FONT
from app.web import page
from app.web.server import FIRST_FONT
from tests.cli_process import free_port
from tests.conftest import REPO

WEB = Path(flet_web.get_package_web_dir())
COMPRESSED_WAIT_S = 180


class Answer:
    def __init__(self, response: http.client.HTTPResponse) -> None:
        self.status = response.status
        self.headers = {k.lower(): v for k, v in response.getheaders()}
        self.body = response.read()

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    def decoded(self) -> bytes:
        encoding = self.header("content-encoding")
        if encoding == "br":
            return bytes(brotli.decompress(self.body))
        if encoding == "gzip":
            return gzip.decompress(self.body)
        assert encoding == "", encoding
        return self.body


class Server:
    def __init__(self, port: int) -> None:
        self.port = port

    def get(self, path: str, method: str = "GET", **headers: str) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, headers={k.replace("_", "-"): v for k, v in headers.items()})
            return Answer(connection.getresponse())
        finally:
            connection.close()

    def versioned(self, name: str) -> str:
        match = re.search(r'src="(/_v/[0-9a-f]+/)flutter_bootstrap\.js"', self.get("/").decoded().decode())
        assert match, "the page names no versioned client files"
        return match.group(1) + name

    def compressed(self, path: str, encoding: str) -> Answer:
        """The answer once the server has a compressed copy (made in the background after its start)."""
        deadline = time.monotonic() + COMPRESSED_WAIT_S
        while True:
            answer = self.get(path, Accept_Encoding=encoding)
            if answer.header("content-encoding") == encoding or time.monotonic() > deadline:
                return answer
            time.sleep(0.5)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("web-data")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SANJAE_", "FLET_"))}
    env.update({"SANJAE_DATA_DIR": str(data), "FLET_FORCE_WEB_SERVER": "true",
                "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"})
    with open(data / "app.log", "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "app", "--web", "--port", str(port)], cwd=REPO, env=env,
                                stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 90
            while True:
                assert proc.poll() is None, (data / "app.log").read_text(errors="replace")
                try:
                    if Server(port).get("/").status == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "the web server did not start"
                time.sleep(0.2)
            yield Server(port)
        finally:
            proc.terminate()
            proc.wait(15)


# The page, the program and its renderer, a manifest, the icon font: what a phone downloads first.
FILES = ["/", "flutter_bootstrap.js", "main.dart.wasm", "main.dart.mjs", "canvaskit/skwasm.wasm",
         "assets/fonts/MaterialIcons-Regular.otf", "main.dart.js"]  # (the font manifest is too small to compress)


def _path(server: Server, name: str) -> str:
    return name if name.startswith("/") else server.versioned(name)


@pytest.mark.parametrize("encoding", ["br", "gzip"])
@pytest.mark.parametrize("name", FILES)
def test_compressed_answer_decodes_to_the_same_bytes(server: Server, name: str, encoding: str) -> None:
    path = _path(server, name)
    plain = server.get(path, Accept_Encoding="identity")
    packed = server.compressed(path, encoding)
    assert plain.status == packed.status == 200
    assert plain.header("content-encoding") == ""
    assert packed.header("content-encoding") == encoding, f"{path} never came back {encoding}-compressed"
    assert "accept-encoding" in packed.header("vary").lower() and "accept-encoding" in plain.header("vary").lower()
    assert int(packed.header("content-length")) == len(packed.body)
    assert int(plain.header("content-length")) == len(plain.body)
    assert packed.decoded() == plain.body
    assert len(packed.body) < 0.8 * len(plain.body)  # the page carries its small font, already compressed
    assert packed.header("content-type") == plain.header("content-type")
    assert packed.header("etag") and packed.header("etag") != plain.header("etag")
    if not name.startswith("/") and name != "assets/FontManifest.json":
        assert plain.body == (WEB / name).read_bytes()  # the file of Flet's web client, unchanged


def test_client_files_are_kept_a_year_the_page_is_asked_again(server: Server) -> None:
    program = server.get(server.versioned("main.dart.wasm"), method="HEAD", Accept_Encoding="br")
    assert program.header("cache-control") == "public, max-age=31536000, immutable"
    assert program.header("content-type") == "application/wasm" and program.body == b""
    assert server.get("/").header("cache-control") == "no-cache"
    # An address of another version still answers, but is not kept under that name.
    stale = server.get("/_v/000000000000/main.dart.mjs")
    assert stale.status == 200 and stale.header("cache-control") == "no-cache"


def test_a_repeated_request_with_the_etag_gets_304(server: Server) -> None:
    for path in ("/", server.versioned("flutter_bootstrap.js"), "/favicon.png"):
        first = server.compressed(path, "br") if path != "/favicon.png" else server.get(path)
        again = server.get(path, Accept_Encoding="br", If_None_Match=first.header("etag"))
        assert again.status == 304 and again.body == b"", path
        assert server.get(path, Accept_Encoding="br", If_None_Match='"other"').status == 200


def test_cross_origin_isolation_headers_as_flet_sends_them(server: Server) -> None:
    for path in ("/", server.versioned("main.dart.wasm"), "/search"):
        answer = server.get(path, method="HEAD")
        assert answer.header("cross-origin-opener-policy") == "same-origin"
        assert answer.header("cross-origin-embedder-policy") == "require-corp"


def test_the_page_is_korean_from_the_first_byte(server: Server) -> None:
    html = server.get("/").decoded().decode()
    assert '<html lang="ko">' in html
    assert f"<title>{page.LOADING_TITLE}</title>" in html
    assert page.LOADING in html and page.FIRST_TIME in html
    assert "Working" not in html and "loading-animation.png" not in html
    assert "@font-face" in html and "data:font/woff2;base64," in html  # Hangul of the loading screen is never a box
    assert f'rel="preload" href="{server.versioned("assets/" + FIRST_FONT)}"' in html
    # An app address gets the same page (Flutter then shows that view).
    routed = server.get("/precedent/sample:001")
    assert routed.status == 200 and routed.decoded().decode() == html


def test_font_manifest_names_the_korean_font_and_drops_unused_ones(server: Server) -> None:
    manifest = server.get(server.versioned("assets/FontManifest.json")).decoded().decode()
    assert '"family": "NanumGothic"' in manifest and FIRST_FONT in manifest
    assert "KaTeX" not in manifest and "CupertinoIcons" not in manifest
    font = server.get(server.versioned("assets/" + FIRST_FONT))
    assert font.status == 200 and font.header("content-type") == "font/woff2"
    assert ord("산") in TTFont(io.BytesIO(font.body)).getBestCmap()


def test_korean_fallback_pieces_get_the_rest_of_the_font(server: Server) -> None:
    slice_path = server.versioned("assets/fonts/notosanskr/v36/PbyxFmXiEBPT4ITbgNA5Cgms3VYcOA.118.woff2")
    moved = server.get(slice_path)
    assert moved.status == 302 and moved.header("location") == WEB_REST_FONT  # the file the page registers
    rest = server.get(moved.header("location"))
    assert rest.status == 200 and rest.header("content-type") == "font/woff2" and rest.header("etag")
    held = TTFont(io.BytesIO(rest.body)).getBestCmap()
    assert ord("똠") in held and ord("漢") in held  # outside KS X 1001's syllables; Hanja


def test_missing_files_and_paths_outside_the_folders_are_not_found(server: Server) -> None:
    missing = server.get("/no-such-file.js")
    assert missing.status == 404 and missing.body.decode() == "찾는 파일이 없습니다."  # not Flet's English page
    for path in ("/../requirements.txt", "/%2e%2e/requirements.txt", "/_v/x/../../app/main.py",
                 "/assets/../requirements.txt"):
        answer = server.get(path)
        assert answer.status in (400, 404), path
        assert b"flet==" not in answer.body and b"import flet" not in answer.body, path
