"""Turn report text as users have it into clean segments, keeping every offset.

Two kinds of input are common: PDF text dumps (each line followed by a blank
line, sentences broken across lines, page-foot footnote blocks spliced into
the body, markers glued to words: `đồng1.`) and Markdown conversions
(`<sup>n</sup>` markers, `**bold**`, headings, bullets). The reader returns a
clean string in which paragraphs are whole, footnotes are segments of their
own, and markup and markers are gone, plus, for every clean character, the
index of the original character it came from. Nothing in the clean text is
invented except the single spaces and paragraph breaks that join pieces; those
point at the whitespace they replace.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Literal

SegmentKind = Literal["heading", "paragraph", "list_item", "footnote"]

PARAGRAPH_BREAK = "\n\n"

_FOOTNOTE_SEPARATOR = re.compile(r"^[ \t]{10,}$")
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_PDF_FOOTNOTE_START = re.compile(r"^(\d{1,3}) (?=\S)")
_MD_FOOTNOTE_START = re.compile(r"^<sup>(\d{1,3})</sup>\s*")
_SUP = re.compile(r"<sup>(\d{1,3})</sup>")
_LIST_MARKER = re.compile(r"^(?:\d+(?:\.\d+)*\.|[IVXLC]+\.|[a-zđ]\)|\(\d+\)|[-+•–])\s")
_RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,})\s*$")
_HEADING_MD = re.compile(r"^#{1,6}\s+")
_BULLET_MD = re.compile(r"^[-*+]\s+")
_EMPHASIS = re.compile(r"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")
_ESCAPE = re.compile(r"\\(?=[*_#\[\]()\\`-])")
# Units written with a superscript power (`m<sup>3</sup>`), not footnotes.
_UNIT_BEFORE = re.compile(r"(?:^|[^\w])(?:k?m|cm|dm|mm)$")


@dataclass(frozen=True)
class Segment:
    kind: SegmentKind
    start: int
    end: int


@dataclass
class ReadText:
    """Clean text, the original it came from, and the map between them."""

    original: str
    clean: str
    offsets: list[int]
    segments: list[Segment]
    joints: list[bool] = field(default_factory=list, repr=False)
    _inverse: list[int] | None = field(default=None, repr=False)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Clean span [start, end) to the original span covering it."""
        return self.offsets[start], self.offsets[end - 1] + 1

    def _inverse_map(self) -> list[int]:
        if self._inverse is None:
            inverse = [-1] * (len(self.original) + 1)
            for clean_index, original_index in enumerate(self.offsets):
                if self.joints and self.joints[clean_index]:
                    continue
                if inverse[original_index] == -1:
                    inverse[original_index] = clean_index
            self._inverse = inverse
        return self._inverse

    def to_clean(self, start: int, end: int) -> tuple[int, int] | None:
        """Original span to the clean span of the characters it keeps; None if it keeps none."""
        inverse = self._inverse_map()
        first = next((inverse[i] for i in range(start, end) if inverse[i] != -1), None)
        last = next((inverse[i] for i in range(end - 1, start - 1, -1) if inverse[i] != -1), None)
        if first is None or last is None or last < first:
            return None
        return first, last + 1

    def segment_at(self, clean_index: int) -> Segment | None:
        starts = [s.start for s in self.segments]
        i = bisect_left(starts, clean_index + 1) - 1
        if i >= 0 and self.segments[i].start <= clean_index < self.segments[i].end:
            return self.segments[i]
        return None


class _Builder:
    def __init__(self) -> None:
        self.chars: list[str] = []
        self.offsets: list[int] = []
        self.joints: list[bool] = []  # inserted separators, not copies of an original character
        self.segments: list[Segment] = []
        self._open: tuple[SegmentKind, int] | None = None

    def add(self, text: str, start: int) -> None:
        self.chars.extend(text)
        self.offsets.extend(range(start, start + len(text)))
        self.joints.extend([False] * len(text))

    def add_joint(self, text: str, at: int) -> None:
        self.chars.extend(text)
        self.offsets.extend([max(at, 0)] * len(text))
        self.joints.extend([True] * len(text))

    def pop(self) -> None:
        self.chars.pop()
        self.offsets.pop()
        self.joints.pop()

    def open_segment(self, kind: SegmentKind, joint_at: int) -> None:
        self.close_segment()
        if self.chars:
            self.add_joint(PARAGRAPH_BREAK, joint_at)
        self._open = (kind, len(self.chars))

    def close_segment(self) -> None:
        if self._open is not None:
            kind, start = self._open
            # Trailing spaces of a segment are not part of it.
            while len(self.chars) > start and self.chars[-1] == " ":
                self.pop()
            if len(self.chars) > start:
                self.segments.append(Segment(kind, start, len(self.chars)))
            else:
                while self.chars and self.chars[-1] == "\n":
                    self.pop()
            self._open = None

    @property
    def in_segment(self) -> bool:
        return self._open is not None

    def ends_with_space(self) -> bool:
        return bool(self.chars) and self.chars[-1] in " \n"


@dataclass
class _Line:
    text: str
    start: int  # offset of text[0] in the original

    @property
    def stripped(self) -> str:
        return self.text.strip()


def _lines(text: str) -> list[_Line]:
    lines, pos = [], 0
    for raw in text.split("\n"):
        lines.append(_Line(raw.rstrip("\r"), pos))
        pos += len(raw) + 1
    return lines


def _looks_like_pdf_dump(lines: list[_Line]) -> bool:
    """Most text lines followed by a blank line: blank lines are not paragraph breaks."""
    text_lines = [i for i, ln in enumerate(lines) if ln.stripped]
    if len(text_lines) < 4:
        return False
    if any(_SUP.search(ln.text) or ln.text.startswith(("#", "**")) for ln in lines):
        return False  # Markdown markup: a conversion, not a dump
    lengths = sorted(len(lines[i].stripped) for i in text_lines)
    if lengths[len(lengths) // 2] > 150:
        return False  # whole paragraphs on one line: not a page layout
    followed_by_blank = sum(1 for i in text_lines if i + 1 < len(lines) and not lines[i + 1].stripped)
    return followed_by_blank / len(text_lines) > 0.7


def _add_inline(builder: _Builder, line: _Line, *, markdown: bool, footnote_numbers: set[int]) -> None:
    """Append one line's visible characters: markup and footnote markers dropped, spaces collapsed."""
    text, base = line.text, line.start
    dropped: list[tuple[int, int]] = []

    def drop(a: int, b: int) -> None:
        if b > a:
            dropped.append((a, b))

    if markdown:
        for m in _SUP.finditer(text):
            if _UNIT_BEFORE.search(text[: m.start()]):
                drop(m.start(), m.start(1))
                drop(m.end(1), m.end())
            else:
                drop(m.start(), m.end())
        for m in _EMPHASIS.finditer(text):
            drop(m.start(), m.end())
        for m in _ESCAPE.finditer(text):
            drop(m.start(), m.end())
    else:
        for m in re.finditer(r"(?<=[^\W\d_])(\d{1,3})(?=[\s.,;:)]|$)", text):
            word = re.search(r"[^\W\d_]+$", text[: m.start()])
            is_unit = word is not None and word.group(0).lower() in {"m", "km", "cm", "dm", "mm"}
            if int(m.group(1)) in footnote_numbers and not is_unit:
                drop(m.start(), m.end())
    kept_from = 0
    for a, b in [*sorted(dropped), (len(text), len(text))]:
        if a > kept_from:
            _add_visible(builder, text, kept_from, a, base)
        kept_from = max(kept_from, b)


# Runs of spaces and of visible characters: a line is appended run by run, not character by character.
_RUNS = re.compile(r"\s+|\S+")


def _add_visible(builder: _Builder, text: str, start: int, end: int, base: int) -> None:
    """text[start:end] with each run of spaces as one joint space (none at the very start or after a
    space already there)."""
    for m in _RUNS.finditer(text, start, end):
        if m.group().isspace():
            if not builder.ends_with_space() and builder.chars:
                builder.add_joint(" ", base + m.start())
        else:
            builder.add(m.group(), base + m.start())


def _add_block(builder: _Builder, lines: list[_Line], *, skip: int, markdown: bool) -> None:
    """Append a block's lines joined by single spaces, its first line without `skip` characters of markup."""
    first = lines[0]
    _add_inline(builder, _Line(first.text[skip:], first.start + skip), markdown=markdown, footnote_numbers=set())
    for ln in lines[1:]:
        if not builder.ends_with_space():
            builder.add_joint(" ", ln.start - 1)
        _add_inline(builder, ln, markdown=markdown, footnote_numbers=set())


def _is_heading(stripped: str) -> bool:
    letters = [c for c in stripped if c.isalpha()]
    return bool(re.match(r"^[IVXLC]+\.\s", stripped)) or (len(letters) > 3 and all(c.isupper() for c in letters))


def _ends_paragraph(prev: str, nxt: str, full_width: int) -> bool:
    if _is_heading(nxt) or _is_heading(prev):
        return True
    if _LIST_MARKER.match(nxt):
        # A dash after an unfinished line is a range or a hyphen, not a bullet.
        return not (nxt[0] in "-+–" and prev[-1:] not in ".:;!?")
    starts_upper = nxt[:1].isupper() or nxt[:1] in "“\"("
    if starts_upper and len(prev) < 0.7 * full_width:
        return True  # the line stopped short of the margin: its paragraph ended
    if prev.endswith((".", "!", "?", ":")) and starts_upper:
        # `TP.` at a line end is an abbreviation, not a sentence end.
        return not re.search(r"\b(?:TP|TT|Tp|ThS|TS|PGS|GS|BS|Th\.S)\.$", prev)
    return prev.endswith(";") and starts_upper


def _read_pdf_dump(text: str, lines: list[_Line]) -> _Builder:
    builder = _Builder()
    footnote_numbers = {
        int(m.group(1)) for ln in lines if (m := _PDF_FOOTNOTE_START.match(ln.text)) and not ln.text.startswith(" ")
    }
    footnotes: list[list[_Line]] = []
    body: list[_Line] = []
    in_block = False
    for ln in lines:
        if _FOOTNOTE_SEPARATOR.match(ln.text):
            in_block = True
            continue
        if _PAGE_NUMBER.match(ln.text):
            in_block = False  # a page number closes the page, footnotes and all
            continue
        if in_block and ln.text.startswith(" ") and ln.stripped:
            in_block = False  # a page starts with an indented line
        if in_block:
            if not ln.stripped:
                continue
            if _PDF_FOOTNOTE_START.match(ln.text) or not footnotes:
                footnotes.append([ln])
            else:
                footnotes[-1].append(ln)
            continue
        if ln.stripped:
            body.append(ln)

    lengths = sorted(len(ln.stripped) for ln in body)
    full_width = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0
    prev: str | None = None
    for ln in body:
        stripped = ln.stripped
        if prev is None or _ends_paragraph(prev, stripped, full_width):
            kind: SegmentKind = "heading" if _is_heading(stripped) else (
                "list_item" if _LIST_MARKER.match(stripped) else "paragraph")
            builder.open_segment(kind, ln.start)
        elif not builder.ends_with_space():
            builder.add_joint(" ", ln.start - 1)
        _add_inline(builder, ln, markdown=False, footnote_numbers=footnote_numbers)
        prev = stripped
    for note in footnotes:
        first = note[0]
        m = _PDF_FOOTNOTE_START.match(first.text)
        builder.open_segment("footnote", first.start)
        _add_block(builder, note, skip=m.end() if m else 0, markdown=False)
    builder.close_segment()
    return builder


def _markdown_blocks(lines: list[_Line]) -> list[tuple[SegmentKind, list[_Line], int]]:
    """Blank-line separated blocks: (kind, lines, characters of markup to skip on the first line)."""
    blocks: list[tuple[SegmentKind, list[_Line], int]] = []
    current: list[_Line] | None = None
    after_rule = False
    for ln in lines:
        stripped = ln.text.lstrip()
        if not stripped.strip():
            current = None
            continue
        if _RULE.match(stripped):
            current, after_rule = None, True  # a page break in the conversion
            continue
        lead = len(ln.text) - len(stripped)
        line = _Line(stripped, ln.start + lead)
        kind: SegmentKind | None = None
        skip = 0
        if m := _MD_FOOTNOTE_START.match(stripped):
            kind, skip = "footnote", m.end()
        elif m := _HEADING_MD.match(stripped):
            kind, skip = "heading", m.end()
        elif m := _BULLET_MD.match(stripped):
            kind, skip = "list_item", m.end()
        if kind is not None or current is None:
            if kind is None and after_rule and stripped[:1].islower():
                kind = "footnote"  # the rest of a footnote from the page before
            if kind is None:
                kind = "list_item" if _LIST_MARKER.match(stripped) else "paragraph"
            after_rule = False
            current = [line]
            blocks.append((kind, current, skip))
        else:
            current.append(line)
    return blocks


def _continues(block_lines: list[_Line], nxt_lines: list[_Line]) -> bool:
    """A body block cut off mid-sentence whose rest follows a run of footnotes."""
    end = block_lines[-1].text.rstrip()
    head = nxt_lines[0].text.lstrip("*_ ")
    return bool(end) and end[-1] not in ".!?:;" and bool(head) and (head[0].islower() or head[0].isdigit())


def _read_markdown(text: str, lines: list[_Line]) -> _Builder:
    blocks = _markdown_blocks(lines)
    # Rejoin body text that a page's footnotes were spliced into, moving the
    # footnotes after the rejoined paragraph.
    ordered: list[tuple[SegmentKind, list[_Line], int, bool]] = []
    i = 0
    while i < len(blocks):
        kind, block_lines, skip = blocks[i]
        ordered.append((kind, block_lines, skip, False))
        j = i + 1
        while j < len(blocks) and blocks[j][0] == "footnote":
            j += 1
        if kind != "footnote" and j < len(blocks) and blocks[j][0] == "paragraph" \
                and _continues(block_lines, blocks[j][1]):
            ordered.append((blocks[j][0], blocks[j][1], blocks[j][2], True))
            ordered.extend((k, b, s, False) for k, b, s in blocks[i + 1 : j])
            i = j + 1
            continue
        i += 1
    builder = _Builder()
    for kind, block_lines, skip, is_continuation in ordered:
        first = block_lines[0]
        if is_continuation:
            builder.add_joint(" ", first.start - 1)
        else:
            builder.open_segment(kind, first.start)
        _add_block(builder, block_lines, skip=skip, markdown=True)
    builder.close_segment()
    return builder


def read(text: str) -> ReadText:
    """Read report text (already NFC) into clean segments with an offset map."""
    lines = _lines(text)
    builder = _read_pdf_dump(text, lines) if _looks_like_pdf_dump(lines) else _read_markdown(text, lines)
    clean = "".join(builder.chars)
    return ReadText(original=text, clean=clean, offsets=builder.offsets, segments=builder.segments,
                    joints=builder.joints)
