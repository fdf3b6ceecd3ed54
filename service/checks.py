"""Checks on what callers send, before any inference; each failure is a
solieu InputError that says what was expected and how to fix it."""

from __future__ import annotations

import re

from solieu.errors import DocumentTooLarge, InputError, TooManyDocuments
from solieu.inputs import check_document_date, require_text
from solieu.readers import CONTROL_CLASS, SURROGATE_CLASS
from solieu.schema import DocumentInput

from .settings import Settings

# The characters that are not text, defined once beside the file reader that replaces them.
_CONTROL = re.compile(f"[{CONTROL_CLASS}]")
_SURROGATE = re.compile(f"[{SURROGATE_CLASS}]")
# The same rules as a JSON Schema pattern, for the OpenAPI document (service/openapi.py): no
# control character, and at least one character that is not whitespace. `\uXXXX` and `\s` read
# the same in Python's `re`, in ECMA-262 (JSON Schema's dialect) and in Rust's regex, which
# schemathesis validates with. Lone surrogates are left out of the pattern: no Unicode regex
# engine but Python's can name them, and no UTF-8 text holds one (only a `\ud800` JSON escape).
_ALLOWED = f"[^{CONTROL_CLASS}]"
TEXT_PATTERN = f"^{_ALLOWED}*[^\\s{CONTROL_CLASS}]{_ALLOWED}*$"


def _check_string(value: str, where: str) -> None:
    bad = _SURROGATE.search(value)
    if bad:
        raise InputError(f"{where}: lone surrogate U+{ord(bad.group()):04X} at offset {bad.start()} is not text")
    bad = _CONTROL.search(value)
    if bad:
        raise InputError(
            f"{where}: control character U+{ord(bad.group()):04X} at offset {bad.start()}; "
            "send plain text (a binary file goes to /v1/extract/file)"
        )


def check_text(text: str, where: str, settings: Settings) -> str:
    if len(text) > settings.max_text_chars:
        raise DocumentTooLarge(
            f"{where}: {len(text)} characters, over the limit of {settings.max_text_chars}; split the document"
        )
    _check_string(text, where)
    return require_text(text, where)


def check_documents(inputs: list[DocumentInput], settings: Settings, *, batch: bool) -> list[DocumentInput]:
    """The documents to extract, ids filled in (`doc` or `doc-N`), text NFC."""
    if len(inputs) > settings.max_documents:
        raise TooManyDocuments(
            f"{len(inputs)} documents in one request, over the limit of {settings.max_documents}; "
            "send them in several requests"
        )
    checked: list[DocumentInput] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(inputs):
        where = f"documents[{index}]" if batch else "body"
        doc_id = item.id if item.id is not None else (f"doc-{index + 1}" if batch else "doc")
        if not doc_id.strip():
            raise InputError(f"{where}.id: an id must not be empty; leave it out to get one")
        if len(doc_id) > settings.max_id_chars:
            raise InputError(f"{where}.id: {len(doc_id)} characters, over the limit of {settings.max_id_chars}")
        _check_string(doc_id, f"{where}.id")
        if doc_id in seen:
            raise InputError(f"{where}.id: {doc_id!r} is already the id of documents[{seen[doc_id]}]; ids must be unique")
        seen[doc_id] = index
        check_document_date(item.document_date, f"{where}.document_date")
        text = check_text(item.text, f"{where}.text", settings)
        checked.append(item.model_copy(update={"id": doc_id, "text": text}))
    return checked
