"""The rules extractor: regular expressions and patterns for the five labels,
with nearest-owner / nearest-date relations.

It is the project's baseline and its pre-annotator. It holds no names taken
from the seed reports: agencies and projects are found by their head words
(`Sở`, `UBND`, `Công ty`, `dự án`, `Chương trình`...) and the shape of what
follows, which is how they are written in every province.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache

from solieu.extraction import Link, Span, build_document, parse_document_date, prepare_sent
from solieu.schema import Document
from solieu.text.sentences import sentence_spans
from solieu.values import NUMBER_PATTERN

NUM = NUMBER_PATTERN
_MULT = r"(?:nghìn|ngàn|triệu|tỷ|tỉ|trăm)"
# `đ` glued to the number (`50.000đ`) is the dong; words first, so `đồng` is not read as `đ`.
_CUR = (r"(?:đồng|VNĐ|VND|USD|[Đđ]ô\s?la(?:\s+Mỹ)?|[Đđ]ôla(?:\s+Mỹ)?|Nhân dân tệ|EUR|[Ee]uro|[Yy]ên Nhật|đ)")
# A number right after `/` is the unit-bearing half of `6,82/362 tỷ đồng` or `12,4/7,8%` (the spec
# keeps only that half), so `/` does not block a match; a digit, letter, `.` or `,` does.
MONEY = re.compile(
    rf"(?<![\w,.]){NUM}(?:\s*{_MULT})*(?:\s+{NUM}\s*{_MULT})*"
    rf"(?:\s*(?:-|–|đến)\s*{NUM}(?:\s*{_MULT})*)?\s*{_CUR}(?![^\W\d_])"
)
PERCENT = re.compile(
    rf"(?<![\w,.]){NUM}(?:\s*%?\s*(?:-|–|đến|tới)\s*{NUM})?\s*(?:%|phần trăm(?!\w))")

_Y = r"(?:19|20)\d\d"
_DM = r"\d{1,2}"
_Q = r"(?:IV|III|II|I|[1-4])(?![\w])"
_YEAR_TAIL = rf"(?:\s*[/.]\s*{_Y}|\s+năm\s+{_Y})"
_POS = r"(?:(?:đầu|cuối|giữa)\s+)?"
# A count of months written as a word (`chín tháng đầu năm`).
_COUNT = r"(?:\d{1,2}|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười(?:\s+(?:một|hai))?)"
_DM_SEP = r"[/.\-]"
# Times of day before a bare day-month (`Sáng 12-7`), which is then a date, not a range.
_TIME_OF_DAY = "".join(f"(?<={w} )|" for w in ("Sáng", "sáng", "Chiều", "chiều", "Tối", "tối", "Trưa", "trưa"))[:-1]
_DATE_ATOMS = [
    rf"(?:ngày\s+)?{_DM}/{_DM}/{_Y}",
    rf"(?:ngày\s+)?{_DM}[.\-]{_DM}[.\-]{_Y}",
    rf"(?:ngày\s+)?{_DM}\s+tháng\s+{_DM}\s+năm\s+{_Y}",
    rf"{_COUNT}\s+tháng\s+(?:đầu|cuối)\s+năm(?:\s+{_Y})?",
    rf"{_COUNT}\s+tháng\s+năm\s+{_Y}",
    rf"{_COUNT}\s+tháng\s+qua",
    rf"{_POS}quý\s+{_Q}{_YEAR_TAIL}?",
    rf"{_POS}tháng\s+{_DM}{_YEAR_TAIL}?",
    rf"(?:giai\s+đoạn|nhiệm\s+kỳ|năm\s+học|thời\s+kỳ|niên\s+độ)\s+{_Y}\s*[-–]\s*{_Y}",
    rf"(?<![\d/.,]){_Y}\s*[-–]\s*{_Y}(?![\d/])",
    rf"{_POS}(?:năm|niên\s+độ)\s+{_Y}",
    rf"ngày\s+{_DM}{_DM_SEP}{_DM}(?![\d/])",
    rf"(?<![\d/.,]){_DM}/{_DM}(?![\d/.,])",
    rf"(?:{_TIME_OF_DAY}){_DM}-{_DM}(?![\d/\-]|[.,]\d)",
    # A bare count of months after the words that make it the year's first months (the spec).
    rf"(?:(?<=trong )|(?<=Trong )|(?<=kế )|(?<=hết )){_COUNT}\s+tháng(?!\s+(?:tuổi|liền|triển|thực|kể|trước|sau|tới|nữa))",
]
_DATE_ATOM = "(?:" + "|".join(_DATE_ATOMS) + ")"
DATE = re.compile(
    rf"(?<!\w)(?:giai\s+đoạn\s+từ\s+)?(?:(?:ngày\s+)?{_DM}\s+(?:đến|-)\s+)?{_DATE_ATOM}"
    rf"(?:\s+(?:đến|tới)\s+{_DATE_ATOM})?(?!\w)",
    re.IGNORECASE,
)
# A slash pair that is a fraction, scale or document number, not a date.
_NOT_DATE_BEFORE = re.compile(r"(?:tỷ lệ|số|tỉ lệ)\s*$", re.IGNORECASE)

_CAP = r"[A-ZÀ-ỸĐ][\wÀ-ỹ]*"
_LOW = r"[a-zà-ỹđ][a-zà-ỹđ]*"
# Lower-case words that end a name: verbs and function words that follow one.
_NAME_STOP = (
    r"(?:thu|chi|được|đã|đang|sẽ|có|là|của|về|với|tại|trong|cho|theo|đạt|ban|triển|phối|tổ|tiếp|thực|"
    r"chủ|chỉ|kiểm|đề|trình|phê|giao|tham|các|những|và|hoặc|để|từ|đến|trên|dưới|năm|tháng|ngày|"
    r"số|bằng|tăng|giảm|nhằm|đối|do|nên|thì|mà|như|cùng)(?![\wÀ-ỹ])"
)
_LOCALITY = rf"(?:\s+(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)(?:\s+{_CAP}(?:\s+{_CAP})*)?)"
_NAME = rf"{_CAP}(?:\s+(?!{_NAME_STOP}){_LOW}){{0,3}}(?:\s+và\s+{_CAP}(?:\s+(?!{_NAME_STOP}){_LOW}){{0,3}})?"
_AGENCY_HEADS = (
    r"Sở|Bộ|Cục|Chi cục|Tổng cục|Vụ|Ban Quản lý|Ban|Trung tâm|Phòng|Văn phòng|Kho bạc Nhà nước|"
    r"Ngân hàng|Quỹ|Bảo hiểm xã hội|Công ty|Tổng công ty|Tập đoàn|Hợp tác xã|Viện|Trường|Bệnh viện|"
    r"Đài|Báo|Hội|Liên đoàn|Đoàn|Ủy ban Mặt trận Tổ quốc|Mặt trận Tổ quốc|Thanh tra|Tòa án nhân dân|"
    r"Viện kiểm sát nhân dân|Công an|Bộ Chỉ huy Quân sự|Ban Chỉ huy Quân sự|Cục Hải quan|Điện lực"
)
AGENCY = re.compile(
    rf"(?<!\w)(?:"
    rf"(?:UBND|HĐND|Ủy ban nhân dân|Uỷ ban nhân dân|Hội đồng nhân dân|Công an|Kho bạc Nhà nước|Bảo hiểm xã hội)"
    rf"{_LOCALITY}"
    rf"|(?:Chính phủ|Quốc hội|Bộ Chính trị|Ban Bí thư|Tỉnh ủy|Tỉnh uỷ|Thành ủy|Thành uỷ|Huyện ủy|Đảng ủy)(?!\w)"
    rf"(?:\s+{_CAP}(?:\s+{_CAP})*)?"
    rf"|Ban Thường vụ\s+(?:Tỉnh ủy|Tỉnh uỷ|Thành ủy|Huyện ủy|Đảng ủy)"
    rf"|(?:Công ty|Tổng công ty|Tập đoàn|Hợp tác xã)(?:\s+(?:TNHH|CP|cổ phần|MTV|một thành viên))*(?:\s+{_CAP})+"
    rf"|(?:{_AGENCY_HEADS})\s+{_NAME}{_LOCALITY}?"
    rf")(?!\w)"
)
_GENERIC_BEFORE = re.compile(r"(?:các|những|mọi|Chủ tịch|Phó Chủ tịch|Giám đốc|Thủ tướng)\s*$")
_PROJECT_STOP = r"(?=\s*(?:[;.:]|,\s+(?:với|đạt|tổng|đã|đang|được)|\s+(?:với|đạt|được|đã|đang|là|có|do|tại|ở|qua|đoạn qua|trên địa bàn|theo|thuộc|tổng|giai đoạn\s+\d)\b|$))"
PROJECT = re.compile(
    rf"(?:(?<=dự án )|(?<=Dự án )|(?<=công trình )|(?<=Công trình )|(?<=tiểu dự án ))(?!các|những|này|đó|trọng|đầu|\d)"
    rf"({_CAP}[^;.:()\n]{{2,120}}?(?:\([^()\n]{{1,80}}\))?){_PROJECT_STOP}"
    rf"|(?<![\w])((?:Chương trình|Đề án)\s+(?!số)(?:{_LOW}|{_CAP})[^;.:()\n]{{2,140}}?){_PROJECT_STOP}"
)
_PROJECT_GENERIC = re.compile(r"^(?:Chương trình|Đề án)\s+(?:này|đó|trên|nói trên|mục tiêu quốc gia)$")


def _spans(pattern: re.Pattern, label: str, text: str) -> Iterable[Span]:
    for m in pattern.finditer(text):
        group = next((i for i in range(1, (pattern.groups or 0) + 1) if m.group(i)), 0)
        start, end = m.span(group)
        surface = text[start:end].rstrip(" ,")
        end = start + len(surface)
        if end > start:
            yield Span(start, end, label)


def find_spans(text: str) -> list[Span]:
    """Rule spans in clean text, overlaps resolved by priority then length."""
    return list(_find_spans_cached(text))


@lru_cache(maxsize=256)  # more than one nlp.pipe batch of segments (64)
def _find_spans_cached(text: str) -> tuple[Span, ...]:
    # Two pipeline components read the rules' spans of the same segment (the token features
    # before the NER, the figure spans after it): the second is a cache hit. Spans are frozen.
    return tuple(_find_spans(text))


def _find_spans(text: str) -> list[Span]:
    candidates: list[tuple[int, Span]] = []
    for priority, (pattern, label) in enumerate(
        [(MONEY, "MONEY"), (PERCENT, "PERCENT"), (DATE, "DATE"), (PROJECT, "PROJECT"), (AGENCY, "AGENCY")]
    ):
        for span in _spans(pattern, label, text):
            before = text[max(0, span.start - 20) : span.start]
            if label == "AGENCY" and _GENERIC_BEFORE.search(before):
                continue
            if label == "DATE" and _NOT_DATE_BEFORE.search(before):
                continue
            if label == "PROJECT" and _PROJECT_GENERIC.match(text[span.start : span.end]):
                continue
            candidates.append((priority, span))
    candidates.sort(key=lambda c: (c[0], -(c[1].end - c[1].start), c[1].start))
    # Chosen spans kept sorted by start (they never overlap), so that each test is two neighbours.
    chosen_starts: list[int] = []
    chosen: list[Span] = []
    for _, span in candidates:
        i = bisect_right(chosen_starts, span.start)
        if i > 0 and chosen[i - 1].end > span.start:
            continue
        if i < len(chosen) and chosen[i].start < span.end:
            continue
        chosen_starts.insert(i, span.start)
        chosen.insert(i, span)
    return chosen


_COMPARISON_BEFORE = re.compile(r"(?:so với|cùng kỳ|bằng)\s*(?:cùng kỳ\s*)?$", re.IGNORECASE)


def _nearest(starts: list[int], indexes: list[int], position: int) -> int | None:
    """Index (into the span list) of the candidate whose start is nearest `position`; ties go left."""
    k = bisect_right(starts, position)
    best = None
    for m in (k - 1, k):
        if 0 <= m < len(starts) and (best is None or abs(starts[m] - position) < abs(starts[best] - position)):
            best = m
    return indexes[best] if best is not None else None


def nearest_links(text: str, spans: list[Span]) -> list[Link]:
    """The heuristic relation baseline: each figure takes the nearest owner and
    the nearest non-comparison date of its sentence."""
    links: list[Link] = []
    sentences = sentence_spans(text)
    sentence_starts = [start for start, _ in sentences]
    by_sentence: dict[int, list[int]] = {}
    for i, span in enumerate(spans):
        k = bisect_right(sentence_starts, span.start) - 1
        if k >= 0 and span.start < sentences[k][1]:
            by_sentence.setdefault(k, []).append(i)
    for k, members in by_sentence.items():
        s_start = sentences[k][0]
        members.sort(key=lambda i: spans[i].start)
        owners = [i for i in members if spans[i].label in ("PROJECT", "AGENCY")]
        dates = [i for i in members if spans[i].label == "DATE"
                 and not _COMPARISON_BEFORE.search(text[max(s_start, spans[i].start - 15) : spans[i].start])]
        tables = [(label, [spans[i].start for i in found], found)
                  for label, found in (("BELONGS_TO", owners), ("AS_OF", dates)) if found]
        for i in members:
            if spans[i].label not in ("MONEY", "PERCENT"):
                continue
            for label, starts, found in tables:
                j = _nearest(starts, found, spans[i].start)
                if j is not None:
                    links.append(Link(i, j, label))
    return links


def extract(text: str, *, doc_id: str = "doc", document_date: str | None = None) -> Document:
    prepared = prepare_sent(text)
    spans = find_spans(prepared.read_text.clean)
    links = nearest_links(prepared.read_text.clean, spans)
    return build_document(doc_id, prepared, spans, links, document_date=parse_document_date(document_date))
