"""The one orchestrator: a document on disk -> a complete Review.

document -> pages/words (ingest) -> text, sections (layout) -> candidate clauses ->
labelled clauses, contract type, key facts (analysis). Each stage is timed; progress goes to
a plain callback and a cancel token is checked between stages and pages.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from westfall_legal import paths
from westfall_legal.analysis.clause_model import ClauseModel
from westfall_legal.analysis.clauses import classify, shown
from westfall_legal.analysis.facts import extract_facts
from westfall_legal.analysis.playbook import Playbook, ReviewFacts, apply_playbook, load_playbook
from westfall_legal.analysis.segment import segment
from westfall_legal.analysis.stacked import STACK_FILE, Stack, StackedClauseModel
from westfall_legal.categories import CATEGORIES
from westfall_legal.errors import Cancelled, KnownError, SettingsError
from westfall_legal.feedback.bundle import LabelSchema
from westfall_legal.hashing import sha256_bytes
from westfall_legal.ingest.document import OcrEngine, load_document
from westfall_legal.ingest.formats import Kind, kind_of
from westfall_legal.ingest.plain import read_text_file
from westfall_legal.layout.definitions import find_definitions
from westfall_legal.layout.paragraphs import draft_text
from westfall_legal.layout.sections import build_sections
from westfall_legal.layout.signatures import find_signature_blocks
from westfall_legal.layout.text import build_text, plain_text
from westfall_legal.layout.xrefs import find_references
from westfall_legal.llm.clause_verify import yes_probability
from westfall_legal.llm.default_model import ensure_bundled_model
from westfall_legal.llm.engine import LlmEngine
from westfall_legal.llm.faithfulness import require_paraphrase_gate
from westfall_legal.llm.model import LanguageModel
from westfall_legal.llm.summary import SummaryInput, summarise
from westfall_legal.models import Clause, Document, DocumentText, Review, Summary
from westfall_legal.progress import CancelToken, ProgressCallback, ProgressEvent, no_progress
from westfall_legal.review_json import ModelRecord
from westfall_legal.settings import Settings
from westfall_legal.settings import load as load_settings

log = logging.getLogger(__name__)


@dataclass
class Engines:
    """The outside engines a review uses; tests pass fakes, the app passes real ones."""

    ocr: OcrEngine | None = None
    clause_model: ClauseModel | None = None
    playbook: Playbook | None = None
    llm: LanguageModel | None = None
    llm_error: str | None = None  # why the language model could not be loaded, once known
    stacked: StackedClauseModel | None = None  # the clause model with the encoder
    encoder_note: str | None = None  # why the encoder could not be loaded, once known

    def ocr_engine(self, settings: Settings) -> OcrEngine:
        """The OCR engine: the one passed in, or Tesseract at the settings' dpi and language."""
        if self.ocr is None:
            from westfall_legal.ingest.ocr import TesseractOcr

            try:
                self.ocr = TesseractOcr(
                    dpi=settings.ocr_dpi,
                    language=settings.ocr_language,
                    repair=settings.ocr_repair,
                )
            except ValueError as exc:
                raise SettingsError(f"OCR settings: {exc}.") from exc
        return self.ocr

    def clauses(self, settings: Settings) -> ClauseModel | StackedClauseModel:
        if self.clause_model is None:
            self.clause_model = load_clause_model(settings.clause_model)
        if not settings.clause_encoder or self.encoder_note is not None:
            return self.clause_model
        if self.stacked is None:
            try:
                self.stacked = load_stacked(self.clause_model, settings)
            except KnownError as exc:
                self.encoder_note = f"clause encoder not used: {exc.user_line()}"
                log.warning("review continues with the n-gram model alone: %s", self.encoder_note)
                return self.clause_model
        return self.stacked

    def rules(self, settings: Settings) -> Playbook:
        if self.playbook is None:
            path = Path(settings.playbook) if settings.playbook else DEFAULT_PLAYBOOK
            self.playbook = load_playbook(path)
        return self.playbook

    def language_model(self, settings: Settings) -> LanguageModel | None:
        """The active LLM, loaded once; None (with the reason kept) when it cannot be used."""
        if self.llm is None and self.llm_error is None:
            try:
                ensure_bundled_model()  # the desktop bundle's GGUF, registered on first use
                self.llm = LlmEngine.active(settings)
            except KnownError as exc:
                self.llm_error = exc.user_line()
                log.warning("review continues without the language model: %s", self.llm_error)
        return self.llm


DEFAULT_PLAYBOOK = paths.resource_path("playbook", "default.toml")


def clause_model_dir(name: str) -> Path:
    """The user's own copy of a clause model wins over the shipped one."""
    user = paths.user_models_dir() / name
    return user if (user / "manifest.json").exists() else paths.shipped_models_dir() / name


def load_clause_model(name: str) -> ClauseModel:
    return ClauseModel.load(clause_model_dir(name))


def label_schema(*, contract_types: bool = True) -> LabelSchema:
    """The label schema bundles are written and read with: CUAD's categories, and the
    contract types the active clause model knows (for the quality report). Reading a bundle
    checks the categories only, so importing skips loading the clause model for its types."""
    if not contract_types:
        return LabelSchema(CATEGORIES)
    try:
        types = tuple(load_clause_model(load_settings().clause_model).type_labels)
    except KnownError:
        types = ()
    return LabelSchema(CATEGORIES, types)


def _model_record(model: ClauseModel | StackedClauseModel, engines: Engines) -> ModelRecord:
    """The review's record of the clause model, with why the encoder was not used."""
    record: ModelRecord = {"id": model.version, "sha256": model.sha256}
    note = getattr(model, "failure", None) or engines.encoder_note
    if isinstance(model, StackedClauseModel) and model.failure:
        record["id"] = model.ngram.version  # the scores are the n-gram model's alone
    if note:
        record["note"] = note
    return record


def load_stacked(ngram: ClauseModel, settings: Settings) -> StackedClauseModel:
    """The clause model stacked with the encoder named in the settings (files checked)."""
    from westfall_legal.llm.encoder import ClauseEncoder, checked, read_manifest

    folder = clause_model_dir(settings.clause_encoder)
    encoder = ClauseEncoder(folder, quant=settings.encoder_quant,
                            threads=settings.encoder_threads,
                            gpu_layers=settings.encoder_gpu_layers)  # fmt: skip
    stack_file = checked(folder, read_manifest(folder), STACK_FILE)
    stack = Stack.load(stack_file, len(ngram.categories))
    return StackedClauseModel(ngram, encoder.probabilities, stack, encoder.id)


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = round(time.perf_counter() - start, 4)


def analyse(
    path: Path,
    *,
    settings: Settings | None = None,
    engines: Engines | None = None,
    password: str | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    floor: float | None = None,
    with_llm: bool = True,
) -> Review:
    """Review one document. ``floor`` keeps every clause scoring at least it (evaluation);
    ``with_llm=False`` leaves the model's summary sentences to ``summarise_review``."""
    settings = settings or Settings()
    engines = engines or Engines()
    cancel = cancel or CancelToken()
    timings: dict[str, float] = {}
    engines.clauses(settings)  # fail on a missing model before the slow work
    kind = kind_of(path)
    if kind != "pages":  # a Word draft or a text file: text without pages
        with _timed(timings, "ingest"):
            document, to_text = _read_text_document(path, kind)
        progress(ProgressEvent("ingest", 1, 1, path.name))
        cancel.check()
        return _analyse_document(
            document, to_text, engines, settings, timings, progress, floor, cancel, with_llm
        )
    with _timed(timings, "ingest"):
        document = load_document(
            path,
            password=password,
            ocr=engines.ocr_engine(settings),
            workers=settings.ocr_workers,
            progress=progress,
            cancel=cancel,
        )
    cancel.check()
    return _analyse_document(
        document, build_text, engines, settings, timings, progress, floor, cancel, with_llm
    )


def _read_text_document(
    path: Path, kind: Kind
) -> tuple[Document, Callable[[Document], DocumentText]]:
    """A Word draft or a text file as a Document without pages and the way to its text."""
    if kind == "word":
        from westfall_legal.ingest.docx import read_docx  # python-docx: only for Word files

        draft = read_docx(path)
        document = Document(path=path, sha256=draft.sha256, pages=(), warnings=draft.warnings)
        return document, lambda _doc: draft_text(draft)
    text, sha256 = read_text_file(path)
    return Document(path=path, sha256=sha256, pages=()), lambda _doc: plain_text(text)


def analyse_text(
    text: str,
    *,
    path: Path,
    settings: Settings | None = None,
    engines: Engines | None = None,
    floor: float | None = None,
) -> Review:
    """Review plain text (a .txt contract): the same stages after ingestion, no pages."""
    settings = settings or Settings()
    engines = engines or Engines()
    engines.clauses(settings)
    document = Document(path=path, sha256=sha256_bytes(text.encode("utf-8")), pages=())
    return _analyse_document(
        document,
        lambda _doc: plain_text(text),
        engines,
        settings,
        {},
        no_progress,
        floor,
        CancelToken(),
    )


LATER = "the language model's sentences are written after the review (summarise_review)"
VERIFY_BELOW = 0.9  # a shown clause scoring this or more is clear; below it the adapter is asked


def _verified(
    clauses: list[Clause],
    engines: Engines,
    settings: Settings,
    progress: ProgressCallback,
    cancel: CancelToken,
) -> list[Clause]:
    """With a LoRA adapter active (one that passed its comparison, or forced on), each shown
    clause under :data:`VERIFY_BELOW` is put to the adapted model ("is this a CATEGORY
    clause?"); its confidence becomes the mean of the classifier's and the model's P(Yes),
    which is kept as ``verifier``. Without an adapter, or if the model fails, the clauses
    stand as the classifier scored them."""
    llm = engines.language_model(settings) if settings.use_llm else None
    if llm is None or llm.adapter is None:
        return clauses
    asked = [i for i, c in enumerate(clauses) if c.confidence < VERIFY_BELOW]
    out = list(clauses)
    try:
        for n, i in enumerate(asked, 1):
            cancel.check()
            c = clauses[i]
            p_yes = yes_probability(llm, c.text, c.category)
            confidence = round((c.confidence + p_yes) / 2, 4)
            out[i] = dataclasses.replace(c, confidence=confidence, verifier=round(p_yes, 4))
            progress(ProgressEvent("verify", n, len(asked)))
    except Cancelled:
        raise
    except KnownError as exc:
        log.warning("clauses left unverified: %s", exc.user_line())
        return clauses
    return out


def _summary(
    data: SummaryInput,
    settings: Settings,
    engines: Engines,
    progress: ProgressCallback,
    cancel: CancelToken,
) -> Summary:
    """The summary with the model's sentences when it can be used, the rule part otherwise."""
    llm = engines.language_model(settings) if settings.use_llm else None
    note = engines.llm_error if settings.use_llm else "--no-llm: the language model was not used"
    mode: Literal["quote", "paraphrase"] = "quote"
    if settings.summary_mode == "paraphrase" and llm is not None:
        require_paraphrase_gate(llm.entry)  # refused: a model not measured as faithful
        mode = "paraphrase"
    try:
        return summarise(
            data,
            llm,
            limit=settings.summary_sections,
            mode=mode,
            progress=progress,
            cancel=cancel,
            note=note,
        )
    except Cancelled:
        raise
    except KnownError as exc:  # a timeout or a bad answer: the review stands without it
        log.warning("summary left without the language model: %s", exc.user_line())
        return summarise(data, None, note=f"the language model failed: {exc.user_line()}")


def summarise_review(
    review: Review,
    *,
    settings: Settings | None = None,
    engines: Engines | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> Review:
    """The second step of a two-step review: ``review`` with the model's summary sentences.

    The GUI shows a review as soon as ``analyse(..., with_llm=False)`` returns and runs this
    in the background, streaming the sentences in; the CLI does both steps in ``analyse``.
    """
    settings = settings or Settings()
    engines = engines or Engines()
    data = SummaryInput(review.clauses, review.sections, review.facts, review.contract_type,
                        review.findings, review.doc_text.text)  # fmt: skip
    timings = dict(review.timings)
    with _timed(timings, "summary"):
        summary = _summary(data, settings, engines, progress, cancel or CancelToken())
    return dataclasses.replace(review, summary=summary, timings=timings)


def _analyse_document(
    document: Document,
    to_text: Callable[[Document], DocumentText],
    engines: Engines,
    settings: Settings,
    timings: dict[str, float],
    progress: ProgressCallback,
    floor: float | None,
    cancel: CancelToken,
    with_llm: bool = True,
) -> Review:
    model = engines.clauses(settings)
    with _timed(timings, "layout"):
        doc_text = to_text(document)
        sections = build_sections(doc_text)
        definitions = find_definitions(doc_text, sections)
        cross_references, external_references = find_references(doc_text, sections)
        signature_blocks = find_signature_blocks(doc_text)
    progress(ProgressEvent("layout", 1, 1))
    with _timed(timings, "analysis"):
        segments = segment(doc_text, sections)
        clauses = classify(
            doc_text, segments, model, floor=floor, review_below=settings.review_threshold
        )
        contract_type = model.contract_type(doc_text.text)
        limits = dict(zip(model.categories, model.thresholds.tolist(), strict=True))
        # Facts read every clause over its threshold; the review shows the clear ones.
        facts = extract_facts(doc_text, [c for c in clauses if c.confidence >= limits[c.category]])
        if floor is None:
            clauses = _verified(shown(clauses, limits), engines, settings, progress, cancel)
        findings = apply_playbook(
            engines.rules(settings),
            ReviewFacts(
                doc_text,
                clauses,
                facts,
                contract_type,
                cross_references,
                signature_blocks,
                sections,
            ),
        )
    progress(ProgressEvent("analysis", 1, 1))
    summary = None
    if floor is None:
        with _timed(timings, "summary"):
            data = SummaryInput(clauses, sections, facts, contract_type, findings, doc_text.text)
            if with_llm:
                summary = _summary(data, settings, engines, progress, cancel)
            else:  # the caller adds the model's sentences later (summarise_review)
                summary = summarise(data, None, note=LATER)
    log.info(
        "reviewed %d pages: %d sections, %d clauses",
        len(document.pages),
        len(sections),
        len(clauses),
    )
    return Review(
        document=document,
        doc_text=doc_text,
        sections=sections,
        clauses=clauses,
        contract_type=contract_type,
        facts=facts,
        findings=findings,
        summary=summary,
        model=_model_record(model, engines),
        timings=timings,
        definitions=definitions,
        cross_references=cross_references,
        external_references=external_references,
        signature_blocks=signature_blocks,
    )
