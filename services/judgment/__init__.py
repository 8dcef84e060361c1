"""The one place that reads court judgments and 재결서: parts, 주문 → result for the worker,
sentence polarity, sentences. ``READER`` is what the precedent store applies to every record."""
from services.judgment.reader import READER, READER_VERSION, JudgmentReader

__all__ = ["READER", "READER_VERSION", "JudgmentReader"]
