"""Loading a trained solieu pipeline and extracting documents with it.

`load_pipeline(path)` opens a model directory (default: the shipped model)
with `spacy.load`, checks that it was made for this spec, and returns a
`SolieuPipeline` whose `extract` turns a user's text into a Document whose
offsets point into that text.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from solieu.budget import Turns, check_budget
from solieu.confidence import Calibrator
from solieu.errors import ModelError
from solieu.extraction import Link, Span, build_document, parse_document_date, prepare, prepare_sent
from solieu.interface import PipelineInterface
from solieu.model_store import model_directory
from solieu.schema import SPEC_VERSION, Document, DocumentInput

# The longest piece of clean text one spaCy doc holds. A segment longer than this (a table or a
# list with no paragraph break) is cut at sentence ends, or at a space, so that the time budget
# is checked often enough and no single doc holds a whole archive.
MAX_PIECE_CHARS = 10_000
# The most characters one `nlp.pipe` batch holds. spaCy runs a whole batch through each component
# before it yields a doc, so the time budget can only stop work between batches, and requests
# sharing the model take turns batch by batch: at about 70 000 chars/s, 6 000 characters is a
# check and a turn every tenth of a second. Throughput is the same with batches of 3 000, 6 000 or
# 20 000 characters (measured on the seeds), and report paragraphs are far shorter, so ordinary
# text still goes through in batches of many pieces.
MAX_BATCH_CHARS = 6_000


def char_batches(pieces: list[tuple[int, int]], *, max_chars: int, max_pieces: int) -> Iterator[list[tuple[int, int]]]:
    """Consecutive pieces in groups of at most `max_pieces` and (beyond a group's first piece) `max_chars`."""
    group: list[tuple[int, int]] = []
    size = 0
    for start, end in pieces:
        if group and (size + end - start > max_chars or len(group) >= max_pieces):
            yield group
            group, size = [], 0
        group.append((start, end))
        size += end - start
    if group:
        yield group


def capped_pieces(clean: str, start: int, end: int, cap: int = MAX_PIECE_CHARS) -> list[tuple[int, int]]:
    """[start, end) cut into pieces of at most `cap` characters, at sentence ends where there are
    some, else at the last space before the cap (a run with no space is cut at the cap)."""
    from solieu.text.sentences import sentence_spans

    if end - start <= cap:
        return [(start, end)] if clean[start:end].strip() else []
    cuts = [start + s for s, _ in sentence_spans(clean[start:end])][1:]
    pieces: list[tuple[int, int]] = []
    piece_start = start
    while end - piece_start > cap:
        limit = piece_start + cap
        last = bisect_right(cuts, limit) - 1  # the last sentence start within the cap
        fitting = last >= 0 and cuts[last] > piece_start
        cut = cuts[last] if fitting else clean.rfind(" ", piece_start + 1, limit) + 1 or limit
        if cut <= piece_start:
            cut = limit
        pieces.append((piece_start, cut))
        piece_start = cut
    pieces.append((piece_start, end))
    return [(a, b) for a, b in pieces if clean[a:b].strip()]


@dataclass
class SolieuPipeline(PipelineInterface):
    nlp: Any
    path: Path
    meta: dict = field(default_factory=dict)
    # Entity scores are the NER's beam probabilities of each span: a second,
    # beam-search pass over the NER, so they cost time and are off unless asked for.
    entity_scores: bool = False
    beam_width: int = 8
    # Calibrated confidence of every entity and relation (solieu.confidence), when the model
    # directory holds a fitted `confidence.json`; it replaces the scores above.
    calibrator: Calibrator | None = None
    # Threads that share this pipeline take turns on the model, one batch of text each (fair, in
    # order of arrival): spaCy's Language is not meant for two threads at once.
    turns: Turns = field(default_factory=Turns, repr=False, compare=False)

    @property
    def name(self) -> str:
        return str(self.meta.get("name", self.path.name))

    def extract_many(self, inputs: Iterable[DocumentInput], *, batch_size: int = 64) -> Iterator[Document]:
        """One Document per input, in order. A document's pieces go through `nlp.pipe` in batches of
        at most `batch_size` pieces and MAX_BATCH_CHARS characters: the time budget is checked
        between batches' pieces, and a batch must end soon after the budget does."""
        from solieu.convert import collect_doc
        from solieu.models.components.extensions import register_extensions

        register_extensions()
        for item in inputs:
            check_budget()
            prepared = prepare_sent(item.text)
            read_text = prepared.read_text
            anchor = parse_document_date(item.document_date)
            pieces = [piece for segment in read_text.segments
                      for piece in capped_pieces(read_text.clean, segment.start, segment.end)]
            spans: list[Span] = []
            links: list[Link] = []
            values_read = "solieu_values" in self.nlp.pipe_names
            for group in char_batches(pieces, max_chars=MAX_BATCH_CHARS, max_pieces=batch_size):
                with self.turns:
                    docs = []
                    for start, end in group:
                        doc = self.nlp.make_doc(read_text.clean[start:end])
                        doc._.document_date = item.document_date
                        docs.append(doc)
                    for (start, _end), doc in zip(group, self.nlp.pipe(docs, batch_size=len(docs)), strict=True):
                        collect_doc(start, doc, spans, links, self._entity_probabilities(doc), values_read=values_read)
                check_budget()
            document = build_document(item.id or "doc", prepared, spans, links, document_date=anchor)
            yield self.calibrator.score(document) if self.calibrator is not None else document


    @property
    def recognises_entities(self) -> bool:
        """False for a relation-only pipeline (one trained by training/relations.cfg)."""
        return any("doc.ents" in self.nlp.get_pipe_meta(name).assigns for name in self.nlp.pipe_names)

    def relate(self, document: Document, *, document_date: str | None = None) -> Document:
        """The document's own entities, with the relations this pipeline finds between them.

        Every component runs except those that set entities, on the reader's
        segments of `document.text`; this is how a relation component is scored
        apart from the recogniser (on gold entities).
        """
        from solieu.convert import collect_doc, gold_segments, segment_to_doc
        from solieu.models.components.extensions import register_extensions

        register_extensions()
        read_text = prepare(document.text)
        keep = [(name, proc) for name, proc in self.nlp.pipeline
                if "doc.ents" not in self.nlp.get_pipe_meta(name).assigns]
        spans: list[Span] = []
        links: list[Link] = []
        for segment, gold in zip(read_text.segments, gold_segments(document), strict=True):
            with self.turns:
                doc = segment_to_doc(self.nlp, gold)
                doc._.relations = None
                doc._.document_date = document_date
                for _name, proc in keep:
                    doc = proc(doc)
            collect_doc(segment.start, doc, spans, links, values_read=any(n == "solieu_values" for n, _ in keep))
        return build_document(document.id, read_text, spans, links,
                              document_date=parse_document_date(document_date))

    def _entity_probabilities(self, doc) -> dict[tuple[int, int, str], float] | None:
        """Beam probabilities of the NER's spans; None for labels the patterns own."""
        if not self.entity_scores or "ner" not in self.nlp.pipe_names or len(doc) == 0:
            return None
        ner = self.nlp.get_pipe("ner")
        preset = doc.ents
        doc.ents = []  # score what the model would say, not the spans already set
        beams = ner.beam_parse([doc], beam_width=self.beam_width)
        doc.ents = preset
        scores = dict(ner.scored_ents(beams)[0])
        if "solieu_figure_rules" in self.nlp.pipe_names:
            owned = self.nlp.get_pipe("solieu_figure_rules").labels
            scores = {key: value for key, value in scores.items() if key[2] not in owned}
        return scores


def load_pipeline(path: str | Path | None = None, *, entity_scores: bool = False,
                  gemm: str | None = None, calibrated: bool = True) -> SolieuPipeline:
    """Open a model directory; a missing or incompatible one raises ModelError.

    With `calibrated` (the default) and a fitted `confidence.json` in the directory, every entity
    and relation carries its calibrated confidence; `entity_scores` asks for the NER's beam
    probabilities instead (a second pass over the NER, kept for comparison).

    The model is built on `gemm`'s matrix products (default SOLIEU_GEMM, else OpenBLAS) and the
    process is held to SOLIEU_BLAS_THREADS BLAS threads (default 1): see `solieu.compute`."""
    import spacy

    from solieu.compute import bind_ops, limit_blas_threads, model_needs_torch, torch_kept_out

    model_path, meta = model_directory(path)
    if torch_kept_out() and model_needs_torch(model_path):
        raise ModelError(f"{model_path}: this model runs on torch, and this process started without it "
                         "(its first model needed none, solieu.compute.keep_torch_out); restart it to serve this model")
    spec = str(meta.get("solieu", {}).get("spec_version", SPEC_VERSION))
    if spec != SPEC_VERSION:
        raise ModelError(f"{model_path}: model was trained for label spec {spec}, this solieu reads spec {SPEC_VERSION}")
    limit_blas_threads()
    try:
        nlp = spacy.load(model_path)
    except (OSError, ValueError, KeyError) as e:
        raise ModelError(f"{model_path}: cannot be loaded: {e}") from e
    bind_ops(nlp, gemm)  # every layer, the ones spaCy builds while loading included
    calibrator = Calibrator.load(model_path) if calibrated and not entity_scores else None
    return SolieuPipeline(nlp=nlp, path=model_path, meta=meta, entity_scores=entity_scores, calibrator=calibrator)
