"""The FAQ being served right now, and safe reloads of it.

The served FAQ and its matcher are swapped as one immutable snapshot, so a message being
answered while an admin reloads sees either the old FAQ or the new one, never a mix. A file that
fails validation is refused with every problem listed and the last good snapshot keeps serving.

The last good FAQ is also kept on disk (``last_good_path``, next to the database): after a refused
``/reload`` the broken file stays in place, and a restart (a deploy, a reboot) found only that
file and refused to start at all (session 16's review). Each FAQ loaded without problems is saved
there, and a start whose FAQ file has problems serves that copy instead, saying so loudly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from faq.changes import FaqChanges, compare
from faq.errors import FaqLoadError, FaqProblem
from faq.loader import load_faq
from faq.matcher import Matcher, Thresholds, thresholds_from_settings
from faq.model import Faq
from faq.vocabulary import Vocabulary, load_vocabulary
from faq.yamlio import write_yaml

log = logging.getLogger(__name__)

#: On top of the last good copy, for whoever opens it.
LAST_GOOD_HEADER = """\
# Puente's last good FAQ: a copy saved automatically each time the FAQ file (PUENTE_FAQ) loaded
# without problems. When that file has problems at start, Puente serves this copy instead.
# Do not edit it: fix the FAQ file (python bot.py faq check FILE), then send /reload.
"""

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


@dataclass(frozen=True)
class Fallback:
    """Why the FAQ being served is the last good copy, not the configured file (for admins)."""

    faq_path: Path  # the configured file, which has problems
    problems: tuple[FaqProblem, ...]
    copy: Path
    entries: int
    saved: datetime  # when the copy was written (local time)


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

    def __init__(self, faq_path: str | Path, vocabulary_path: str | Path, thresholds: Thresholds,
                 last_good_path: str | Path | None = None) -> None:
        self.faq_path = Path(faq_path)
        self.vocabulary_path = Path(vocabulary_path)
        self.thresholds = thresholds
        #: Where each FAQ loaded without problems is copied, to start from when the file breaks;
        #: None (tools, tests): no copy is written or read.
        self.last_good_path = Path(last_good_path) if last_good_path is not None else None
        #: Set when the start served the last good copy; cleared by a successful reload.
        self.fallback: Fallback | None = None
        self._snapshot: Snapshot | None = None

    @classmethod
    def from_settings(cls, settings: Any, *, faq_path: str | Path | None = None,
                      last_good_path: str | Path | None = None) -> FaqService:
        """The FAQ and vocabulary files and thresholds the operator configured (``config.Settings``)."""
        return cls(
            faq_path or settings.faq_path,
            settings.vocabulary_path,
            thresholds_from_settings(settings.answer_threshold, settings.suggest_threshold, settings.answer_margin),
            last_good_path,
        )

    def load(self) -> Snapshot:
        """Initial load. An FAQ file with problems is served from the last good copy when there is
        one (see :meth:`_from_last_good`); otherwise there is nothing to serve and errors propagate."""
        try:
            snapshot = build_snapshot(self.faq_path, self.vocabulary_path, self.thresholds)
        except FaqLoadError as exc:
            snapshot = self._from_last_good(exc)
        else:
            self._save_last_good(snapshot.faq)
        self._snapshot = snapshot
        return snapshot

    def _from_last_good(self, error: FaqLoadError) -> Snapshot:
        """The last good copy's snapshot, or ``error`` raised again when there is no usable copy
        (none yet, or the vocabulary is what is broken: the copy does not replace it)."""
        copy = self.last_good_path
        if copy is None or not copy.is_file():
            raise error
        try:
            snapshot = build_snapshot(copy, self.vocabulary_path, self.thresholds)
        except FaqLoadError:
            raise error from None
        saved = datetime.fromtimestamp(copy.stat().st_mtime)
        self.fallback = Fallback(self.faq_path, tuple(error.problems), copy, len(snapshot.faq), saved)
        log.error("the FAQ file %s has %d problem(s), so Puente serves the last good FAQ %s instead (%d entries, "
                  "saved %s) until the file is fixed (then /reload, or restart):\n%s", self.faq_path,
                  len(error.problems), copy, len(snapshot.faq), f"{saved:%Y-%m-%d %H:%M}",
                  "\n".join(str(p) for p in error.problems))
        return snapshot

    def _save_last_good(self, faq: Faq) -> None:
        """Keep ``faq`` on disk as the last good FAQ; a failure is logged, never stops the bot."""
        if self.last_good_path is None:
            return
        try:
            write_yaml(faq, self.last_good_path, header=LAST_GOOD_HEADER)
        except OSError as exc:
            log.warning("could not save the last good FAQ to %s: %s", self.last_good_path, exc)

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
        self.fallback = None
        self._save_last_good(new.faq)
        return ReloadOutcome(ok=True, entries=len(new.faq), changes=compare(old.faq, new.faq) if old else None)
