"""Sentence boundaries in clean report text.

A sentence ends at a paragraph break, or at `.`, `!`, `?` followed by a space
and a capital, digit, bracket or quote, except after abbreviations (`TP.`,
`TT.`), list numbering at the start of a segment (`1.`, `II.`, `a.`) and inside
numbers (`5.060.889`, which never has a space after the dot).
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    {"tp", "tt", "th", "ths", "ts", "pgs", "gs", "bs", "ks", "ck", "v.v", "tr", "q", "p", "x", "h", "đ", "ng", "st", "s"}
)
_CANDIDATE = re.compile(r"[.!?]+(?=\s+[\"“(\[\dA-ZÀ-ỸĐ])")
_WORD_BEFORE = re.compile(r"(\S+)$")
_LOOK_BACK = 64
_LIST_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*|[IVXLC]+|[a-zđ])$", re.IGNORECASE)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Non-empty (start, end) spans of the sentences of `text`, in order."""
    cuts: list[int] = []
    for paragraph in re.finditer(r"[^\n]+", text):
        p_start = paragraph.start()
        body = paragraph.group(0)
        for m in _CANDIDATE.finditer(body):
            # The word before the stop, from a short look-back: searching `\S+$` in the whole prefix
            # made paragraphs with many sentences quadratic. A word longer than this is neither an
            # abbreviation nor a list number.
            look_back = max(0, m.start() - _LOOK_BACK)
            word = _WORD_BEFORE.search(body, look_back, m.start())
            token = word.group(1) if word else ""
            token_start = m.start() - len(token)
            if token.lower().rstrip(".") in ABBREVIATIONS:
                continue
            if token_start == 0 and _LIST_NUMBER.match(token):
                continue
            cuts.append(p_start + m.end())
        cuts.append(paragraph.end())
    spans, start = [], 0
    for cut in cuts:
        segment = text[start:cut]
        lead = len(segment) - len(segment.lstrip())
        if segment.strip():
            spans.append((start + lead, start + len(segment.rstrip())))
        start = cut
    return spans
