"""Label Studio's offsets into a task's text are JavaScript string indices
(UTF-16 code units); solieu's are code points. They differ only for
characters outside the Basic Multilingual Plane (emoji, some CJK), which
report text rarely holds, but a silent shift there would corrupt spans."""

from __future__ import annotations


def _has_astral(text: str) -> bool:
    return any(ord(ch) > 0xFFFF for ch in text)


def to_utf16(text: str, index: int) -> int:
    """Code-point index to a UTF-16 index."""
    if not _has_astral(text):
        return index
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)


def from_utf16(text: str, index: int) -> int | None:
    """UTF-16 index to a code-point index; None if it falls inside a surrogate pair or past the end."""
    if not _has_astral(text):
        return index if 0 <= index <= len(text) else None
    units = 0
    for position, ch in enumerate(text):
        if units == index:
            return position
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > index:
            return None
    return len(text) if units == index else None
