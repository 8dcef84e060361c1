"""The ASGI layer in front of Flet's app that serves every file of the web client itself.

For each GET or HEAD it answers with, in this order: a page or manifest made at start (``Doc``), a file
of the app's assets folder or of Flet's web client, for an address that names no file (``/search``,
``/precedent/…``) the page again, as Flet does, else 404. Everything else (the ``/ws`` websocket, OAuth)
goes on to Flet unchanged.

What it adds to Flet's own file serving:
- ``Content-Encoding: br`` or ``gzip`` from the compressed copies (app/web/compress.py) when the browser
  accepts them, with ``Vary: Accept-Encoding``;
- caching: under ``/_v/<version>/`` (the Flutter program, renderer and assets, named so by the page) a
  year, ``immutable``; the page and everything else ``no-cache`` with an ``ETag`` (a reload asks, a 304
  answers);
- the Noto Sans KR pieces Flutter asks for when a character is missing from its fonts: it gets the rest
  of the Korean font instead (the same one file the page registers after its first view).
The cross-origin isolation headers Flet sets on its responses are set here too (Flutter's renderer runs
multi-threaded only with them).
"""
from __future__ import annotations

import hashlib
import mimetypes
import os
import stat as stat_module
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from app.web.compress import CompressedCopies, accepted_encodings, compress, compressible

VERSION_PREFIX = "/_v/"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
ISOLATION = {"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp",
             "Access-Control-Allow-Origin": "*", "X-Content-Type-Options": "nosniff"}
FALLBACK_KOREAN = "/assets/fonts/notosanskr/"
PASS_THROUGH = frozenset({"/ws", "/oauth_callback", "/upload"})
REST_FONT_WAIT_S = 60.0
NOT_FOUND = "찾는 파일이 없습니다."

for _suffix, _type in ((".wasm", "application/wasm"), (".mjs", "text/javascript"), (".js", "text/javascript"),
                       (".woff2", "font/woff2"), (".otf", "font/otf"), (".ttf", "font/ttf"),
                       (".json", "application/json"), (".frag", "application/octet-stream")):
    mimetypes.add_type(_type, _suffix)


def media_type(path: str) -> str:
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


@dataclass
class Doc:
    """A small file made at start, held in memory with its compressed forms."""
    body: bytes
    media_type: str
    cache_control: str = REVALIDATE
    etag: str = ""
    encoded: dict[str, bytes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.etag = '"' + hashlib.sha256(self.body).hexdigest()[:20] + '"'
        if len(self.body) >= 256:
            self.encoded = {enc: compress(self.body, enc) for enc in ("br", "gzip")}


@dataclass
class Site:
    """What the layer serves."""
    version: str
    index: Doc
    docs: Mapping[str, Doc]            # address -> doc ("/manifest.json", "/assets/FontManifest.json")
    files: Mapping[str, Path]          # address -> a file made at start (the Korean font pieces)
    roots: Sequence[Path]              # then files under these folders, first match wins
    rest_font: str                     # the address of the rest of the Korean font (cut in the background)
    rest_ready: threading.Event = field(default_factory=threading.Event)

    @property
    def version_base(self) -> str:
        return f"{VERSION_PREFIX}{self.version}/"


def _is_route(path: str) -> bool:
    """An app address rather than a file: Flet answers these with the page, Flutter then shows the view."""
    return os.path.splitext(path)[1].lower() in ("", ".html")


class WebFiles:
    def __init__(self, inner: ASGIApp, site: Site, copies: CompressedCopies) -> None:
        self.inner = inner
        self.site = site
        self.copies = copies
        self.roots = [root.resolve() for root in site.roots]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or scope["path"] in PASS_THROUGH:
            await self.inner(scope, receive, send)
            return
        response = await self.respond(scope["path"], Headers(scope=scope))
        await response(scope, receive, send)

    async def respond(self, path: str, headers: Headers) -> Response:
        cache = REVALIDATE
        if path.startswith(VERSION_PREFIX):
            version, _, rest = path[len(VERSION_PREFIX):].partition("/")
            path = "/" + rest
            # An address of an older version still gets the file, but must not be kept as that version.
            cache = IMMUTABLE if version == self.site.version else REVALIDATE
        accepted = accepted_encodings(headers.get("accept-encoding", ""))
        if path in ("/", "/index.html"):
            return self._doc(self.site.index, headers, accepted)
        if path in self.site.docs:
            return self._doc(self.site.docs[path], headers, accepted, cache)
        if path.startswith(FALLBACK_KOREAN):
            return RedirectResponse(self.site.rest_font, 302, headers={"Cache-Control": cache, **ISOLATION})
        if path == self.site.rest_font:
            await run_in_threadpool(self.site.rest_ready.wait, REST_FONT_WAIT_S)  # cut at the first start
        made = self.site.files.get(path)
        found = self._find(path) if made is None else _stat(made)
        if found is not None:
            return self._file(found[0], found[1], headers, accepted, cache)
        if _is_route(path):
            return self._doc(self.site.index, headers, accepted)
        # Not Flet's answer: its file server would send its own English page with the 404.
        return Response(NOT_FOUND, 404, headers=ISOLATION, media_type="text/plain")

    def _find(self, path: str) -> tuple[Path, os.stat_result] | None:
        relative = path.lstrip("/")
        if not relative or "\x00" in relative:
            return None
        for root in self.roots:
            candidate = (root / relative).resolve()
            if candidate.is_relative_to(root):
                found = _stat(candidate)
                if found is not None:
                    return found
        return None

    def _doc(self, doc: Doc, headers: Headers, accepted: set[str], cache: str | None = None) -> Response:
        encoding = next((enc for enc in ("br", "gzip") if enc in accepted and enc in doc.encoded), "")
        etag = doc.etag[:-1] + (f"-{encoding}" if encoding else "") + '"'
        out = {"Cache-Control": cache or doc.cache_control, "ETag": etag, "Vary": "Accept-Encoding", **ISOLATION}
        if _matches(headers, etag):
            return Response(status_code=304, headers=out)
        if encoding:
            out["Content-Encoding"] = encoding
        return Response(doc.encoded[encoding] if encoding else doc.body, headers=out, media_type=doc.media_type)

    def _file(self, path: Path, stat: os.stat_result, headers: Headers, accepted: set[str], cache: str) -> Response:
        out = {"Cache-Control": cache, **ISOLATION}
        tag = f"{stat.st_mtime_ns:x}-{stat.st_size:x}"
        if compressible(path, stat.st_size):
            out["Vary"] = "Accept-Encoding"
            copy = self.copies.best(path, stat, accepted)
            if copy is not None:
                out["ETag"] = f'"{tag}-{copy.tag}"'
                if _matches(headers, out["ETag"]):
                    return Response(status_code=304, headers=out)
                out["Content-Encoding"] = copy.encoding
                return FileResponse(copy.path, headers=out, media_type=media_type(path.name))
        out["ETag"] = f'"{tag}"'
        if _matches(headers, out["ETag"]):
            return Response(status_code=304, headers=out)
        return FileResponse(path, headers=out, media_type=media_type(path.name), stat_result=stat)


def _stat(path: Path) -> tuple[Path, os.stat_result] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return (path, found) if stat_module.S_ISREG(found.st_mode) else None


def _matches(headers: Headers, etag: str) -> bool:
    wanted = headers.get("if-none-match", "")
    return bool(wanted) and (wanted.strip() == "*" or etag in [tag.strip() for tag in wanted.split(",")])
