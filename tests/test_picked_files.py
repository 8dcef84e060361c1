"""Reading what the user picked: bytes only from a web visitor, regular files only and capped on the desktop."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from services.picked_files import NO_CONTENT, NOT_A_FILE, PickedFileError, picked_bytes, read_local_file


@dataclass
class Answer:  # the fields of flet.FilePickerFile that matter here
    name: str
    size: int
    path: str | None = None
    bytes: bytes | None = None


def test_uploaded_bytes_are_used_and_the_name_loses_any_folder() -> None:
    picked = picked_bytes(Answer("../../etc/통지서.txt", 6, bytes=b"hello!"), trust_path=False, max_bytes=100)
    assert (picked.name, picked.data) == ("통지서.txt", b"hello!")


def test_a_path_is_ignored_unless_the_picker_runs_on_this_computer(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("server only", encoding="utf-8")
    with pytest.raises(PickedFileError) as refused:
        picked_bytes(Answer("secret.txt", 11, path=str(secret)), trust_path=False, max_bytes=100)
    assert refused.value.message == NO_CONTENT
    assert picked_bytes(Answer("secret.txt", 11, path=str(secret)), trust_path=True, max_bytes=100).data == \
        b"server only"


@pytest.mark.parametrize("claimed_size", [0, 10, 10_000])
def test_too_big_is_refused_whatever_size_the_answer_claims(claimed_size: int) -> None:
    with pytest.raises(PickedFileError, match="너무 큽니다"):
        picked_bytes(Answer("a.txt", claimed_size, bytes=b"x" * 2000), trust_path=False, max_bytes=1000)


def test_a_local_file_is_read_only_up_to_the_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b"{" * 5000)
    with pytest.raises(PickedFileError, match="너무 큽니다"):
        read_local_file(big, 1000)
    assert read_local_file(big, 5000) == b"{" * 5000


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs a device node")
def test_a_device_node_is_not_read() -> None:
    with pytest.raises(PickedFileError) as refused:
        read_local_file("/dev/zero", 1000)
    assert refused.value.message == NOT_A_FILE


def test_a_folder_or_missing_file_gets_a_korean_message(tmp_path: Path) -> None:
    for path in (tmp_path, tmp_path / "none.txt"):
        with pytest.raises(PickedFileError) as refused:
            read_local_file(path, 1000)
        assert "파일" in refused.value.message
