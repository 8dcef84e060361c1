"""Where things live on disk."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import platformdirs

from core.errors import ConfigError, StoreError

APP_NAME = "sanjae-gemma"
REPO_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The folder holding the cache, the user file and the index (env SANJAE_DATA_DIR overrides)."""
    override = os.environ.get("SANJAE_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        # A file in the way, a read-only disk, no permission: every store would fail later with a traceback.
        if override:
            raise ConfigError(f"SANJAE_DATA_DIR 설정({path})에 자료 폴더를 만들 수 없습니다. 그 자리에 파일이 "
                              "있거나 쓸 수 없는 곳입니다. SANJAE_DATA_DIR을 쓸 수 있는 폴더 경로로 바꾸거나 지워 "
                              "주세요.") from exc
        raise StoreError(f"자료 폴더({path})를 만들 수 없습니다. 그 자리에 파일이 있거나 쓸 수 없는 곳입니다. "
                         "SANJAE_DATA_DIR에 쓸 수 있는 폴더 경로를 넣어 주세요.") from exc
    return path


def cache_dir() -> Path:
    """Files the app makes for itself and can always make again (the web client's files compressed, font
    pieces): the user's cache folder, or ``web-cache`` in the data folder when that one can't be written."""
    path = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        path = data_dir() / "web-cache"
        path.mkdir(exist_ok=True)
    return path


def assets_dir() -> Path:
    return REPO_ROOT / "assets"


def sample_corpus_path() -> Path:
    return assets_dir() / "sample_corpus.json"


def korean_font_path(bold: bool = False) -> Path:
    """NanumGothic shipped (OFL) inside the koreanize-matplotlib wheel, installed from requirements.txt.

    We locate the file without importing the package (importing it would pull in matplotlib).
    """
    name = "NanumGothicBold.ttf" if bold else "NanumGothic.ttf"
    bundled = assets_dir() / "fonts" / name
    if bundled.exists():
        return bundled
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec and spec.submodule_search_locations:
        for base in spec.submodule_search_locations:
            for candidate in Path(base).rglob(name):
                return candidate
    raise FileNotFoundError(f"{name} 글꼴을 찾을 수 없습니다. 'pip install -r requirements.txt'를 다시 실행해 주세요.")
