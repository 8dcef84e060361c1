"""``python -m app --web``: Flet's web app behind the app's own file layer, run by uvicorn.

Flet's FastAPI integration (``flet_web.fastapi``) provides the app (the ``/ws`` websocket and the sessions);
in front of it ``WebFiles`` serves the client's files compressed and cached, the Korean page and the Korean
font pieces (see app/web/static.py). At start, threads compress the client's files, cut the rest of the
Korean font and warm up the search and the summaries; the server answers from the first second.
"""
from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import flet_web
import flet_web.fastapi
import uvicorn
from flet.controls.types import RouteUrlStrategy, WebRenderer
from flet.utils import get_bool_env_var, is_linux_server, open_in_browser
from flet_web.version import version as flet_web_version

from app import warmup
from app.context import WEB_MODE_ENV, Services
from app.main import APP_TITLE, main
from app.theme import FONT_FAMILY, WEB_REST_FONT
from app.web import fonts, page
from app.web.compress import CompressedCopies, compressible
from app.web.static import Doc, Site, WebFiles
from core import paths

log = logging.getLogger(__name__)

FIRST_FONT = "fonts/sanjae-gothic-ks.woff2"        # under assets/, as the font manifest names it
# What every visitor's browser loads (the WebAssembly build, or the JavaScript one where WasmGC is missing).
LOADED_BY_ALL = ("main.dart.wasm", "main.dart.mjs", "main.dart.js", "flutter_bootstrap.js", "python.js",
                 "canvaskit/skwasm.wasm", "canvaskit/skwasm.js", "canvaskit/canvaskit.wasm", "canvaskit/canvaskit.js",
                 "canvaskit/chromium/canvaskit.wasm", "canvaskit/chromium/canvaskit.js",
                 "assets/fonts/MaterialIcons-Regular.otf")
SKIPPED = ("pyodide/",)  # Python in the browser: never loaded from this server


def _flet_files(web_dir: Path, *names: str) -> dict[str, str]:
    """Flet's index.html and manifest.json filled in the way Flet fills them in for its own server."""
    with tempfile.TemporaryDirectory() as tmp:
        index, manifest = Path(tmp) / "index.html", Path(tmp) / "manifest.json"
        index.write_bytes((web_dir / "index.html").read_bytes())
        manifest.write_bytes((web_dir / "manifest.json").read_bytes())
        flet_web.patch_index_html(index_path=str(index), base_href="/", websocket_endpoint_path="/ws",
                                  app_name=APP_TITLE, app_description=page.DESCRIPTION,
                                  web_renderer=WebRenderer.AUTO, route_url_strategy=RouteUrlStrategy.PATH,
                                  no_cdn=True)
        flet_web.patch_manifest_json(manifest_path=str(manifest), app_name=APP_TITLE,
                                     app_description=page.DESCRIPTION)
        return {"index": index.read_text(encoding="utf-8"), "manifest": manifest.read_text(encoding="utf-8")}


def client_files(web_dir: Path) -> list[Path]:
    """The files of Flet's web client worth compressing."""
    found = []
    for path in sorted(web_dir.rglob("*")):
        relative = path.relative_to(web_dir).as_posix()
        if path.is_file() and not relative.startswith(SKIPPED) and not relative.endswith(".symbols") \
                and compressible(path, path.stat().st_size):
            found.append(path)
    return found


def _version(web_dir: Path, *parts: str) -> str:
    digest = hashlib.sha256(flet_web_version.encode())
    for path in client_files(web_dir):
        stat = path.stat()
        digest.update(f"{path.relative_to(web_dir)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    for part in parts:
        digest.update(part.encode())
    return digest.hexdigest()[:12]


def build_site(assets: Path, cache: Path) -> tuple[Site, Path | None]:
    """Everything the file layer serves; also the Korean font it was cut from (None: no font found)."""
    web_dir = Path(flet_web.get_package_web_dir())
    flet = _flet_files(web_dir)
    try:
        source: Path | None = paths.korean_font_path()
    except FileNotFoundError as exc:
        log.warning("%s", exc)
        source = None
    flet_manifest = (web_dir / "assets" / "FontManifest.json").read_text(encoding="utf-8")
    loading_font = None
    files: dict[str, Path] = {}
    if source is not None:
        try:
            files[f"/assets/{FIRST_FONT}"] = fonts.first_piece(source, cache / "fonts")
            loading_font = fonts.cut(source, map(ord, page.loading_texts()), "Loading")
        except Exception:  # a font fontTools can't cut, a full disk: the app still runs, Hangul as boxes
            log.warning("could not cut the Korean font %s", source, exc_info=True)
            files.clear()
            source = None
    manifest = page.font_manifest(flet_manifest, FONT_FAMILY if files else None, FIRST_FONT)
    version = _version(web_dir, manifest, *map(str, files.values()), fonts.CUT_VERSION)
    base = f"/_v/{version}/"
    preloads = [f"{base}assets/{asset}" for asset in page.font_assets(manifest)] + [f"{base}assets/FontManifest.json"]
    index = page.index_html(flet["index"], version_base=base, preloads=preloads,
                            loading=page.loading_screen(loading_font))
    site = Site(version=version, index=Doc(index.encode(), "text/html"),
                docs={"/manifest.json": Doc(flet["manifest"].encode(), "application/json"),
                      "/assets/FontManifest.json": Doc(manifest.encode(), "application/json")},
                files=files, roots=[assets, web_dir], rest_font=WEB_REST_FONT)
    return site, source


def _cut_rest(site: Site, source: Path, cache: Path) -> None:
    try:
        first = site.files[f"/assets/{FIRST_FONT}"]
        site.files = {**site.files, WEB_REST_FONT: fonts.rest_piece(source, first, cache / "fonts")}
    except Exception:  # without it a rare syllable stays a box; everything else works
        log.warning("could not cut the rest of the Korean font", exc_info=True)
    finally:
        site.rest_ready.set()


def _started(site: Site, source: Path | None, copies: CompressedCopies, cache: Path, url: str) -> None:
    web_dir = Path(flet_web.get_package_web_dir())
    copies.start(client_files(web_dir), [web_dir / name for name in LOADED_BY_ALL])
    if source is not None:
        threading.Thread(target=_cut_rest, args=(site, source, cache), name="cut-font", daemon=True).start()
    else:
        site.rest_ready.set()
    warmup.start(Services.shared)
    print(f"웹 서버가 {url} 에서 돌고 있습니다. 끝내려면 Ctrl-C를 누르세요.", flush=True)
    # As ft.run: a desktop computer gets a browser window, a server (or FLET_FORCE_WEB_SERVER) none.
    headless: Callable[[], bool] = is_linux_server  # Flet leaves this helper unannotated
    if not (get_bool_env_var("FLET_FORCE_WEB_SERVER") or headless()):
        open_in_browser(url)


def serve(host: str, port: int, assets: Path) -> int:
    os.environ[WEB_MODE_ENV] = "1"
    cache = paths.cache_dir() / "web"
    site, source = build_site(assets, cache)
    copies = CompressedCopies(cache / "files")
    url = f"http://{host}:{port}/"
    flet_app = flet_web.fastapi.app(main, assets_dir=str(assets), no_cdn=True, app_name=APP_TITLE,
                                    app_description=page.DESCRIPTION)
    root = flet_web.fastapi.FastAPI(on_startup=[lambda: _started(site, source, copies, cache, url)],
                                    docs_url=None, redoc_url=None, openapi_url=None)
    root.mount("/", flet_app)
    config = uvicorn.Config(WebFiles(root, site, copies), host=host, port=port, log_level="warning",
                            access_log=False, ws="websockets-sansio", timeout_graceful_shutdown=5)
    uvicorn.Server(config).run()
    return 0
