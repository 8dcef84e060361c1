"""Where things live on disk."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import platformdirs

APP_NAME = "sanjae-gemma"
REPO_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The folder holding the cache, the user file and the index (env SANJAE_DATA_DIR overrides)."""
    override = os.environ.get("SANJAE_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
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
