"""Okapi BM25 over whole FAQ entries: the matcher's second opinion.

The main scorer (:mod:`faq.matcher`) compares a message with each *phrasing* of an entry and
trusts an entry's answer text only a little, on purpose: an answer mentions many things in
passing. BM25 here looks at an entry as one document, its phrasings and (at a lower weight) its
answer, and ranks entries by the classic term-frequency / inverse-document-frequency formula. It
makes different mistakes from the main scorer, which is what a second opinion is for: when both
put the same entry first and BM25 puts it clearly ahead, the match is far more often right than
the main score alone says (see ``Matcher._second_opinion``).

Written here rather than taken from ``rank-bm25``/``bm25s``: those need numpy, take whole tokens
only (a term here counts 0.5 when it comes from an answer) and score every document for every
query. Here an inverted index touches only the entries that share a term with the message, and
:meth:`Bm25.leader` first scores only those sharing an informative one: a term in more than
``common`` of the documents ("igss" in an IGSS FAQ) is added to those, and the rest are scored
only if they could still come first or second (their score is at most the common terms' largest
weights). The answer is the same; a 10,000-entry FAQ is several times faster.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence


class Bm25:
    """BM25 scores of documents given as {term: frequency} (frequencies may be fractional)."""

    def __init__(self, docs: Sequence[Mapping[str, float]], k1: float = 1.2, b: float = 0.75,
                 common: float = 0.25) -> None:
        n = len(docs)
        lengths = [sum(d.values()) for d in docs]
        avg = sum(lengths) / n if n else 1.0
        df: dict[str, int] = {}
        for d in docs:
            for t in d:
                df[t] = df.get(t, 0) + 1
        # The "plus one" IDF (Lucene's): never negative, so a term in most entries adds a little
        # instead of counting against them.
        idf = {t: math.log(1.0 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        postings: dict[str, list[tuple[int, float]]] = {}
        for i, d in enumerate(docs):
            norm = k1 * (1.0 - b + b * lengths[i] / avg) if avg else k1
            for t, f in d.items():
                # Everything but the query side is known now: store each term's finished weight.
                postings.setdefault(t, []).append((i, idf[t] * f * (k1 + 1.0) / (f + norm)))
        self._postings = {t: dict(p) for t, p in postings.items()}  # term -> {document: weight}
        self._top = {t: max(p.values()) for t, p in self._postings.items()}
        self._common = frozenset(t for t, c in df.items() if c > common * n and c > 1)

    def scores(self, terms: Iterable[str]) -> dict[int, float]:
        """{document index: score} for the documents sharing at least one term with ``terms``."""
        out: dict[int, float] = {}
        for t in sorted(set(terms)):  # sorted: the same sums whatever the hash seed
            for i, w in self._postings.get(t, {}).items():
                out[i] = out.get(i, 0.0) + w
        return out

    def leader(self, terms: Iterable[str]) -> tuple[int, float] | None:
        """The best document and its lead over the runner-up, as a share of its own score (1.0
        when no other document scores), or None when no document shares a term."""
        known = {t for t in terms if t in self._postings}
        rare = known - self._common
        scores: dict[int, float] = {}
        if rare:
            for t in sorted(rare):
                for i, w in self._postings[t].items():
                    scores[i] = scores.get(i, 0.0) + w
            for t in sorted(known - rare):
                weights = self._postings[t]
                for i in scores:
                    scores[i] += weights.get(i, 0.0)
            # A document sharing only common terms scores at most their largest weights: if that
            # could reach the first two places, score everything after all.
            bound = sum(self._top[t] for t in known - rare)
            if bound and (len(scores) < 2 or heapq.nlargest(2, scores.values())[1] <= bound):
                scores = self.scores(known)
        else:
            scores = self.scores(known)
        if not scores:
            return None
        best = max(scores, key=lambda i: (scores[i], -i))
        top = scores[best]
        runner_up = max((s for i, s in scores.items() if i != best), default=0.0)
        return best, (top - runner_up) / top if top > 0 else 0.0
