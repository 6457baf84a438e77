"""CONTRACT STUB — to be implemented (see docstrings). Do not change the public names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Decision = Literal["answer", "suggest", "escalate", "smalltalk"]


@dataclass(frozen=True)
class Candidate:
    entry_id: str
    score: float  # 0..100


@dataclass(frozen=True)
class Thresholds:
    answer: float
    suggest: float
    margin: float


@dataclass(frozen=True)
class MatchResult:
    query: str
    decision: Decision
    lang: str  # "es" or "en", detected from the text
    best_id: str | None
    score: float
    candidates: tuple[Candidate, ...]
    # "greeting" | "thanks" | "goodbye" | "human" | None. "human" comes with decision "escalate".
    smalltalk: str | None = None
