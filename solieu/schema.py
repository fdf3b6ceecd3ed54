"""The exchange format of ../shared/spec/LABELS.md, defined once.

Every edge of solieu (HTTP, CLI, annotation import/export, training readers,
evaluation) reads and writes these models; nothing else defines them.
This module imports nothing of the project on purpose.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_serializer,
    model_validator,
)

SPEC_VERSION = "1"

EntityLabel = Literal["MONEY", "PERCENT", "DATE", "AGENCY", "PROJECT"]
RelationLabel = Literal["BELONGS_TO", "AS_OF"]

ENTITY_LABELS: tuple[str, ...] = ("MONEY", "PERCENT", "DATE", "AGENCY", "PROJECT")
RELATION_LABELS: tuple[str, ...] = ("BELONGS_TO", "AS_OF")
FIGURE_LABELS: frozenset[str] = frozenset({"MONEY", "PERCENT"})
VALUED_LABELS: frozenset[str] = frozenset({"MONEY", "PERCENT", "DATE"})

# Which (head label, tail label) pairs each relation type admits.
RELATION_SIGNATURES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "BELONGS_TO": (FIGURE_LABELS, frozenset({"PROJECT", "AGENCY"})),
    "AS_OF": (FIGURE_LABELS, frozenset({"DATE"})),
}

LABEL_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "MONEY": {"vi": "số tiền", "description": "An amount of money: number, multiplier and currency word."},
    "PERCENT": {"vi": "tỷ lệ", "description": "A percentage: number(s) and the % sign or 'phần trăm'."},
    "DATE": {"vi": "ngày / thời gian", "description": "An explicit calendar point or period."},
    "AGENCY": {
        "vi": "cơ quan / tổ chức",
        "description": "One specific named organisation: state body, party or mass organisation, "
        "public service unit, bank, enterprise, cooperative.",
    },
    "PROJECT": {
        "vi": "dự án / công trình / chương trình",
        "description": "One specific named investment project, construction work, programme or scheme.",
    },
    "BELONGS_TO": {"vi": "thuộc về", "description": "A figure quantifies something of this project or organisation."},
    "AS_OF": {"vi": "tại thời điểm", "description": "The date or period a figure refers to."},
}

_ISO_OR_UNKNOWN_YEAR = re.compile(r"^(\d{4}|\?{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MoneyValue(_Strict):
    """`amount` for a single figure; `amount_min`/`amount_max` for a range."""

    amount: int | float | None = None
    amount_min: int | float | None = None
    amount_max: int | float | None = None
    currency: str = Field(min_length=3, max_length=3, examples=["VND"])

    @model_validator(mode="after")
    def _single_or_range(self) -> MoneyValue:
        is_range = self.amount_min is not None or self.amount_max is not None
        if is_range == (self.amount is not None):
            raise ValueError("a money value has either 'amount' or both 'amount_min' and 'amount_max'")
        if is_range and (self.amount_min is None or self.amount_max is None):
            raise ValueError("a money range needs both 'amount_min' and 'amount_max'")
        return self


class PercentValue(_Strict):
    """`value` for a single rate; `min`/`max` for a range."""

    value: int | float | None = None
    min: int | float | None = None
    max: int | float | None = None

    @model_validator(mode="after")
    def _single_or_range(self) -> PercentValue:
        is_range = self.min is not None or self.max is not None
        if is_range == (self.value is not None):
            raise ValueError("a percent value has either 'value' or both 'min' and 'max'")
        if is_range and (self.min is None or self.max is None):
            raise ValueError("a percent range needs both 'min' and 'max'")
        return self


class DateValue(_Strict):
    """First and last day of the period, ISO dates; an unknown year is `????`.

    Both are null for a relative period (`6 tháng qua`) given without a
    document date to anchor it.
    """

    start: str | None = None
    end: str | None = None

    @model_serializer(mode="plain")
    def _both_ends(self) -> dict[str, str | None]:
        # One JSON shape at every edge: both keys, null when unknown, even in an
        # `exclude_none` dump (which would otherwise write `"value": {}`).
        return {"start": self.start, "end": self.end}

    @field_validator("start", "end")
    @classmethod
    def _iso(cls, v: str | None) -> str | None:
        if v is not None and not _ISO_OR_UNKNOWN_YEAR.match(v):
            raise ValueError(f"expected YYYY-MM-DD or ????-MM-DD, got {v!r}")
        return v


Value = MoneyValue | PercentValue | DateValue

_VALUE_TYPE: dict[str, type[BaseModel]] = {"MONEY": MoneyValue, "PERCENT": PercentValue, "DATE": DateValue}


def value_of(label: str, data: dict | None) -> Value | None:
    """The value of a `label` entity from its dumped form (None for none, or a label without values)."""
    value_type = _VALUE_TYPE.get(label)
    return value_type.model_validate(data) if value_type is not None and data is not None else None


class Entity(_Strict):
    id: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(gt=0)
    label: EntityLabel
    text: str = Field(min_length=1)
    value: Value | None = None
    score: float | None = Field(default=None, ge=0.0, le=1.0)

    @model_validator(mode="before")
    @classmethod
    def _value_by_label(cls, data: Any) -> Any:
        # Parse the value with the model its label calls for, so that a bad
        # value is reported against the right shape, not a union of three.
        if isinstance(data, dict) and isinstance(data.get("value"), dict):
            value_type = _VALUE_TYPE.get(data.get("label", ""))
            if value_type is not None:
                data = {**data, "value": value_type.model_validate(data["value"])}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Entity:
        if self.end <= self.start:
            raise ValueError(f"entity {self.id}: end {self.end} must be greater than start {self.start}")
        if self.value is not None:
            expected = _VALUE_TYPE.get(self.label)
            if expected is None:
                raise ValueError(f"entity {self.id}: label {self.label} carries no value")
            if not isinstance(self.value, expected):
                raise ValueError(f"entity {self.id}: a {self.label} value must be a {expected.__name__}")
        return self


class Relation(_Strict):
    head: str
    tail: str
    label: RelationLabel
    score: float | None = Field(default=None, ge=0.0, le=1.0)


class Document(_Strict):
    """One report: its text (NFC) and what was found in it."""

    id: str = Field(min_length=1)
    text: str
    entities: list[Entity] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    meta: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _invariants(self) -> Document:
        problems = document_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self


def document_problems(doc: Document) -> list[str]:
    """Every violation of the spec's invariants in `doc`, as readable messages."""
    problems: list[str] = []
    by_id: dict[str, Entity] = {}
    for ent in doc.entities:
        if ent.id in by_id:
            problems.append(f"entity {ent.id}: duplicate id")
        by_id[ent.id] = ent
        if ent.end > len(doc.text):
            problems.append(f"entity {ent.id}: end {ent.end} is past the end of the text ({len(doc.text)} chars)")
        elif doc.text[ent.start : ent.end] != ent.text:
            problems.append(
                f"entity {ent.id}: text {ent.text!r} differs from text[{ent.start}:{ent.end}] "
                f"= {doc.text[ent.start:ent.end]!r}"
            )
        if ent.text != ent.text.strip():
            problems.append(f"entity {ent.id}: span {ent.text!r} starts or ends with whitespace")
    ordered = sorted(doc.entities, key=lambda e: (e.start, e.end))
    for left, right in zip(ordered, ordered[1:], strict=False):
        if right.start < left.end:
            problems.append(
                f"entity {right.id} [{right.start}:{right.end}] overlaps entity {left.id} [{left.start}:{left.end}]"
            )
    seen_kinds: set[tuple[str, str]] = set()
    for rel in doc.relations:
        head, tail = by_id.get(rel.head), by_id.get(rel.tail)
        if head is None or tail is None:
            missing = rel.head if head is None else rel.tail
            problems.append(f"relation {rel.label} {rel.head}->{rel.tail}: no entity with id {missing}")
            continue
        heads, tails = RELATION_SIGNATURES[rel.label]
        if head.label not in heads or tail.label not in tails:
            problems.append(
                f"relation {rel.label} {rel.head}->{rel.tail}: {head.label}->{tail.label} is not allowed "
                f"(head must be {sorted(heads)}, tail {sorted(tails)})"
            )
        if (rel.head, rel.label) in seen_kinds:
            problems.append(f"relation {rel.label} {rel.head}->{rel.tail}: figure {rel.head} already has a {rel.label}")
        seen_kinds.add((rel.head, rel.label))
    return problems


class DocumentInput(_Strict):
    """What a caller sends to be tagged: text, an optional id and document date."""

    id: str | None = None
    text: str
    document_date: str | None = Field(
        default=None,
        description="ISO date of the report, used to give year-less dates a year.",
        examples=["2025-06-04"],
    )

    @field_validator("document_date")
    @classmethod
    def _iso_date(cls, v: str | None) -> str | None:
        return iso_day(v)


# A document date as written (a calendar day besides: `iso_day`); anchored, the OpenAPI pattern.
_ISO_DAY = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
ISO_DAY_PATTERN = f"^{_ISO_DAY}$"


def iso_day(v: str | None) -> str | None:
    """A document date: None, or a calendar day written YYYY-MM-DD (ValueError otherwise)."""
    if v is None:
        return v
    if not re.fullmatch(_ISO_DAY, v):
        raise ValueError(f"document_date must be YYYY-MM-DD, got {v!r}")
    try:
        date.fromisoformat(v)
    except ValueError as e:
        raise ValueError(f"document_date {v!r} is not a calendar day") from e
    return v
