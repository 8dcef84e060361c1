"""Reading text bytes that may come from a Korean Windows PC (a picked .txt file, the CLI's stdin)."""
from __future__ import annotations

# UTF-8 first (with or without the BOM Notepad writes); then the code pages Korean Windows still uses by default.
KOREAN_ENCODINGS = ("utf-8-sig", "cp949", "euc-kr", "utf-16")


def decode_korean_text(data: bytes) -> str | None:
    """The text in the first encoding that fits, with Windows line ends made ``\\n``; None when none fits."""
    for encoding in KOREAN_ENCODINGS:
        try:
            return data.decode(encoding).replace("\r\n", "\n")
        except UnicodeDecodeError:
            continue
    return None
