"""The FAQ being served right now, and safe reloads of it.

The served FAQ and its matcher are swapped as one immutable snapshot, so a message being
answered while an admin reloads sees either the old FAQ or the new one, never a mix. A file that
fails validation is refused with every problem listed and the last good snapshot keeps serving.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faq.changes import FaqChanges, compare
from faq.errors import FaqLoadError, FaqProblem
from faq.loader import load_faq
from faq.matcher import Matcher, Thresholds, thresholds_from_settings
from faq.model import Faq
from faq.vocabulary import Vocabulary, load_vocabulary

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class Snapshot:
    """An FAQ, the vocabulary it was indexed with, and the matcher built from both."""

    faq: Faq
    vocabulary: Vocabulary
    matcher: Matcher


@dataclass(frozen=True)
class ReloadOutcome:
    ok: bool
    entries: int  # entries now being served (the old count when the reload was refused)
    problems: tuple[FaqProblem, ...] = ()
    changes: FaqChanges | None = None  # what the new FAQ no longer has (ids, topics): see faq.changes


def build_snapshot(faq_path: str | Path, vocabulary_path: str | Path, thresholds: Thresholds) -> Snapshot:
    """Load and validate both files and index them; raises FaqLoadError listing every problem."""
    problems: list[FaqProblem] = []
    faq = vocabulary = None
    try:
        faq = load_faq(faq_path)
    except FaqLoadError as exc:
        problems.extend(exc.problems)
    try:
        vocabulary = load_vocabulary(vocabulary_path)
    except FaqLoadError as exc:
        problems.extend(exc.problems)
    if problems or faq is None or vocabulary is None:
        raise FaqLoadError(problems)
    matcher = Matcher(faq, vocabulary, thresholds)
    th = matcher.thresholds  # both thresholds may be calibrated to this FAQ: say what is in force
    log.info("FAQ %s: %d entries; answers at %.1f with a %.1f-point lead, suggests at %.1f", faq_path, len(faq),
             th.answer, th.margin, th.suggest)
    return Snapshot(faq, vocabulary, matcher)


class FaqService:
    """Holds the current :class:`Snapshot`; ``reload`` swaps it only when the new files are valid."""

    def __init__(self, faq_path: str | Path, vocabulary_path: str | Path, thresholds: Thresholds) -> None:
        self.faq_path = Path(faq_path)
        self.vocabulary_path = Path(vocabulary_path)
        self.thresholds = thresholds
        self._snapshot: Snapshot | None = None

    @classmethod
    def from_settings(cls, settings: Any, *, faq_path: str | Path | None = None) -> FaqService:
        """The FAQ and vocabulary files and thresholds the operator configured (``config.Settings``)."""
        return cls(
            faq_path or settings.faq_path,
            settings.vocabulary_path,
            thresholds_from_settings(settings.answer_threshold, settings.suggest_threshold, settings.answer_margin),
        )

    def load(self) -> Snapshot:
        """Initial load: without a valid FAQ there is nothing to serve, so errors propagate."""
        self._snapshot = build_snapshot(self.faq_path, self.vocabulary_path, self.thresholds)
        return self._snapshot

    @property
    def snapshot(self) -> Snapshot:
        if self._snapshot is None:
            return self.load()
        return self._snapshot

    def reload(self) -> ReloadOutcome:
        """Re-read both files from disk; on any problem keep serving the last good snapshot."""
        try:
            new = build_snapshot(self.faq_path, self.vocabulary_path, self.thresholds)
        except FaqLoadError as exc:
            current = len(self._snapshot.faq) if self._snapshot else 0
            return ReloadOutcome(ok=False, entries=current, problems=tuple(exc.problems))
        old, self._snapshot = self._snapshot, new
        return ReloadOutcome(ok=True, entries=len(new.faq), changes=compare(old.faq, new.faq) if old else None)
