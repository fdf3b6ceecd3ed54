"""One error hierarchy for solieu; each type has a stable code the edges map."""

from __future__ import annotations


class SolieuError(Exception):
    """Base of every error solieu raises on purpose."""

    code = "solieu_error"


class InputError(SolieuError):
    """The caller sent something malformed; the message says what and where."""

    code = "invalid_input"


class CorpusError(InputError):
    """An annotation file breaks the schema or the spec's invariants."""

    code = "invalid_corpus"

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = "\n".join(problems[:50])
        more = f"\n… and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s):\n{shown}{more}")


class AlignmentError(SolieuError):
    """A span does not fall on token boundaries of the processed text."""

    code = "span_misaligned"


class UnsupportedFileType(InputError):
    code = "unsupported_file_type"


class DocumentTooLarge(InputError):
    code = "document_too_large"


class WorkersBusy(SolieuError):
    """Every inference worker is busy (the service's /ready says so)."""

    code = "workers_busy"


class TimeBudgetExceeded(SolieuError):
    """The work ran past its time budget and was stopped where it could stop."""

    code = "time_budget_exceeded"


class WorkCancelled(SolieuError):
    """The caller went away and the work was stopped."""

    code = "work_cancelled"


class ExtractionFailed(SolieuError):
    """A document could not be extracted (the message names it); others go on."""


class ModelError(SolieuError):
    """A model directory is missing, incomplete or incompatible."""

    code = "model_error"


class ConfigError(SolieuError):
    """A training config is invalid or refers to missing data."""

    code = "config_error"


class MissingDependency(SolieuError):
    """An optional package that this input needs is not installed."""

    code = "missing_dependency"


# Errors of the edges (HTTP, file import); service/errors.py maps every type to a status code.
class EmptyText(InputError):
    code = "empty_text"


class TooManyDocuments(InputError):
    code = "too_many_documents"


class RequestTooLarge(DocumentTooLarge):
    code = "request_too_large"


class UnreadableFile(InputError):
    """A file of a supported type whose content cannot be read (corrupt, no text layer)."""

    code = "unreadable_file"


class EncryptedFile(UnreadableFile):
    code = "encrypted_file"


class UnsupportedMediaType(UnsupportedFileType):
    """The request body is not of the content type the endpoint reads."""

    code = "unsupported_media_type"


class ModelNotReady(ModelError):
    code = "model_not_ready"


class Unauthorized(SolieuError):
    code = "unauthorized"
