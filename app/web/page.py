"""The HTML page and the manifests the web client starts from, rewritten for a Korean first screen.

Flet's own page shows its logo, then Flutter's start screen says "Working..." and the tab says "Flet" until
the app's first view arrives, and it loads every font of Flet's font manifest. Here:

- the page is Korean (``lang``, title, description) and shows its own loading screen at once, drawn by the
  browser with a tiny font written into the page, so no Hangul is ever a box; it stays over Flutter's start
  screen until the app sets its title (the app's first view is drawn then), and says so if that takes long;
- the Flutter files are named under ``/_v/<version>/`` so that browsers keep them without asking again;
- the Korean font (the first piece, see app/web/fonts.py) is in the font manifest, so Flutter has it before
  its first frame, and it is preloaded next to the big files instead of after them; the fonts of Flet's
  manifest that the app never uses (KaTeX for formulas, Cupertino icons) are left out.
"""
from __future__ import annotations

import base64
import html
import json
import re

LOADING_ID = "sanjae-loading"
# (what the screen shows, what goes into its tiny font)
HEADING = "산재 판례 도우미"
LOADING = "산재 판례 도우미를 여는 중입니다…"
FIRST_TIME = "처음 한 번은 화면 프로그램을 받느라 조금 걸립니다. 다음부터는 금방 열립니다."
SLOW = "인터넷이 느려 조금 더 걸리고 있습니다. 그대로 기다려 주세요."
STUCK = "서버와 연결되지 않습니다. 잠시 뒤 새로 고침해 주세요."
RELOAD = "새로 고침"
NO_SCRIPT = "이 앱은 자바스크립트를 켜야 쓸 수 있습니다."
DESCRIPTION = "산재 불승인을 받은 노동자를 위한 판례 검색과 요약"
LOADING_TITLE = f"{HEADING} · 여는 중"
# Flutter's start screen sets this title (and an empty one); the page puts its own back until the app sets its own.
CLIENT_TITLE = "Flet"
SLOW_AFTER_MS = 15_000
STUCK_AFTER_FIRST_FRAME_MS = 30_000
LOADING_FONT_FAMILY = "Sanjae Loading"
# Fonts in Flet's manifest the app never draws with.
UNUSED_FONT_FAMILIES = re.compile(r"^packages/(flutter_math_fork|cupertino_icons)/")


def loading_texts() -> str:
    """Every character the loading screen can show (its font holds exactly these)."""
    return "".join((HEADING, LOADING, FIRST_TIME, SLOW, STUCK, RELOAD, NO_SCRIPT, LOADING_TITLE))


_STYLE = """
#%(id)s { position: fixed; inset: 0; z-index: 10; display: flex; flex-direction: column; align-items: center;
  justify-content: center; gap: 14px; padding: 24px; background: #f4fbf8; color: #171d1b; text-align: center;
  font-family: "%(font)s", "Apple SD Gothic Neo", "Malgun Gothic", "Noto Sans KR", sans-serif; }
#%(id)s h1 { margin: 0; font-size: 24px; font-weight: 700; color: #006a60; }
#%(id)s p { margin: 0; max-width: 26em; font-size: 17px; line-height: 1.6; }
#%(id)s .note { font-size: 15px; color: #3f4946; }
#%(id)s .bar { width: min(240px, 60vw); height: 4px; border-radius: 2px; background: #cde8e1; overflow: hidden; }
#%(id)s .bar::after { content: ""; display: block; width: 40%%; height: 100%%; background: #006a60;
  animation: sanjae-slide 1.4s ease-in-out infinite; }
#%(id)s button { font: inherit; font-size: 17px; min-height: 48px; padding: 0 20px; border-radius: 24px;
  border: 0; background: #006a60; color: #fff; }
#%(id)s [hidden] { display: none; }
@keyframes sanjae-slide { from { transform: translateX(-100%%); } to { transform: translateX(250%%); } }
@media (prefers-reduced-motion: reduce) { #%(id)s .bar::after { animation: none; width: 100%%; } }
"""  # light only, as the app starts light whatever the system's setting

# Waits for the app's own title: Flet sets it from the first view, which is then being drawn. Two animation
# frames later that view is on screen and the loading screen goes.
_SCRIPT = """
(() => {
  const box = document.getElementById(%(id)s);
  const loadingTitle = %(loading_title)s, clientTitle = %(client_title)s;
  let ready = false;
  const done = () => {
    if (ready) return;
    ready = true;
    requestAnimationFrame(() => requestAnimationFrame(() => box.remove()));
  };
  new MutationObserver(() => {
    const title = document.title;
    if (title === clientTitle || title === "") {
      if (!ready) document.title = loadingTitle;
    } else if (title !== loadingTitle) done();
  }).observe(document.head, {subtree: true, childList: true, characterData: true});
  setTimeout(() => { if (!ready) box.querySelector(".slow").hidden = false; }, %(slow_ms)d);
  window.addEventListener("flutter-first-frame", () => {
    setTimeout(() => {
      if (ready) return;
      box.querySelector(".slow").hidden = true;
      box.querySelector(".stuck").hidden = false;
    }, %(stuck_ms)d);
  }, {once: true});
  box.querySelector("button").addEventListener("click", () => location.reload());
})();
"""


def loading_screen(font_woff2: bytes | None) -> str:
    """The loading screen's markup, style and script (Flet's logo screen is replaced by this)."""
    font = ""
    if font_woff2:
        data = base64.b64encode(font_woff2).decode("ascii")
        font = (f'@font-face {{ font-family: "{LOADING_FONT_FAMILY}"; font-display: block; '
                f'src: url(data:font/woff2;base64,{data}) format("woff2"); }}')
    style = _STYLE % {"id": LOADING_ID, "font": LOADING_FONT_FAMILY}
    script = _SCRIPT % {"id": json.dumps(LOADING_ID), "loading_title": json.dumps(LOADING_TITLE),
                        "client_title": json.dumps(CLIENT_TITLE),
                        "slow_ms": SLOW_AFTER_MS, "stuck_ms": STUCK_AFTER_FIRST_FRAME_MS}
    e = html.escape
    return (f'<div id="{LOADING_ID}" role="status" aria-live="polite">\n'
            f"<style>{font}{style}</style>\n"
            f"<h1>{e(HEADING)}</h1>\n<div class=\"bar\" aria-hidden=\"true\"></div>\n"
            f"<p>{e(LOADING)}</p>\n<p class=\"note\">{e(FIRST_TIME)}</p>\n"
            f'<p class="note slow" hidden>{e(SLOW)}</p>\n'
            f'<div class="stuck" hidden><p>{e(STUCK)}</p><p><button type="button">{e(RELOAD)}</button></p></div>\n'
            f"<noscript><p>{e(NO_SCRIPT)}</p></noscript>\n"
            f"</div>\n<script>{script}</script>")


def index_html(flet_index: str, *, version_base: str, preloads: list[str], loading: str) -> str:
    """Flet's index.html (already filled in by Flet for this server) with the changes listed above.

    ``version_base`` is ``/_v/<version>/``; ``preloads`` are URLs fetched by Flutter itself early on.
    """
    page = re.sub(r"<html(\s[^>]*)?>", '<html lang="ko">', flet_index, count=1)
    page = re.sub(r"<title>[^<]*</title>", f"<title>{html.escape(LOADING_TITLE)}</title>", page, count=1)
    # Where Flutter loads its program, renderer, assets and fallback fonts from (after Flet's own settings).
    overrides = (f'flet.entrypointBaseUrl="{version_base}"; flet.assetBase="{version_base}"; '
                 f'flet.canvasKitBaseUrl="{version_base}canvaskit/"; '
                 f'flet.fontFallbackBaseUrl="{version_base}assets/fonts/";')
    links = "".join(f'<link rel="preload" href="{html.escape(url)}" as="fetch" crossorigin>\n' for url in preloads)
    page = page.replace("</head>", f"<script>{overrides}</script>\n{links}</head>", 1)
    for script in ("flutter_bootstrap.js", "python.js"):
        page = page.replace(f'src="{script}"', f'src="{version_base}{script}"')
    page, replaced = re.subn(r'<div id="loading".*?</div>\s*', lambda _: loading + "\n", page, count=1,
                             flags=re.DOTALL)
    if not replaced:
        page = page.replace("<body>", f"<body>\n{loading}", 1)
    return page


def font_manifest(flet_manifest: str, family: str | None, asset: str | None) -> str:
    """Flet's FontManifest.json without the unused fonts, with Roboto (as Flet adds it) and the Korean font."""
    fonts = [f for f in json.loads(flet_manifest) if not UNUSED_FONT_FAMILIES.match(f.get("family", ""))]
    if not any(f.get("family") == "Roboto" for f in fonts):
        fonts.append({"family": "Roboto", "fonts": [{"asset": "fonts/roboto.woff2"}]})
    if family and asset:
        fonts.append({"family": family, "fonts": [{"asset": asset}]})
    return json.dumps(fonts, ensure_ascii=False)


def font_assets(manifest: str) -> list[str]:
    """The asset paths a font manifest makes Flutter fetch before its first frame."""
    return [font["asset"] for entry in json.loads(manifest) for font in entry.get("fonts", [])]
