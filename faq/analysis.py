"""From text to index terms: stems, phone-typo plausibility, vocabulary lookup and tagging.

The matcher (:mod:`faq.matcher`) scores entries on the terms this module produces; keeping the
word-level work here leaves the matcher about scoring and deciding. Pure and stateless apart from
the per-vocabulary tables built in :class:`Analyzer` and :class:`Tagger`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

import snowballstemmer

from faq.language import EN_WORDS, ES_WORDS, STOPWORDS
from faq.normalize import clean, expand
from faq.vocabulary import Vocabulary

_ES = snowballstemmer.stemmer("spanish")
_EN = snowballstemmer.stemmer("english")


#: A Spanish infinitive or gerund with a pronoun ending in "e"/"es" attached ("inscribirme",
#: "pagarle", "pagarles", "jubilarse"): the Spanish stemmer removes it, but the English stemmer,
#: which runs first, cuts the final "e" and hides it. (Other pronouns survive the English stemmer:
#: "asegurarla", "mandarselo". English words of the same shape are listed in _EN_CLITIC_LOOKALIKES.)
_CLITIC_RE = re.compile(r"(?:[aei]r|[aá]ndo|i[eé]ndo)(?:me|se|le|les)$")
_EN_CLITIC_LOOKALIKES = frozenset((
    "universe", "reverse", "converse", "diverse", "adverse", "averse", "obverse", "traverse", "inverse",
    "perverse", "immerse", "submerse", "disperse", "terse", "verse", "sparse", "coarse", "hoarse", "rehearse"))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """English then Spanish Snowball stem: one key for "payments"/"payment" and "pagos"/"pago".

    Running both is crude but language-blind, which is what Spanglish needs; both stemmers leave
    words of the other language mostly intact.
    """
    if word.isdigit() or len(word) < 4:
        return word
    if _CLITIC_RE.search(word) and word not in _EN_CLITIC_LOOKALIKES:  # see _CLITIC_RE
        return _ES.stemWord(word)
    return _ES.stemWord(_EN.stemWord(word))


#: Letters people swap by sound when writing Spanish on a phone ("medisina", "extrangero",
#: "vejes", "nino"): a substitution inside one group is a likely typo, any other is a new word.
_SOUND_ALIKE = ("scz", "sx", "bv", "gj", "yi", "ll", "mnñ", "kcq", "aá")
_CONFUSABLE = frozenset((a, b) for g in _SOUND_ALIKE for a in g for b in g if a != b)

#: Grammar words phone Spanish glues to the next word ("delseguro", "entodo", "pami") or, behind,
#: to the previous one ("cuantoes"); see Matcher._split.
GLUED_HEADS = frozenset(("a", "y", "o", "de", "del", "en", "el", "la", "los", "las", "al", "pa", "para",
                          "por", "con", "sin", "mi", "mis", "su", "sus", "tu", "tus", "se", "me", "te",
                          "le", "les", "lo", "no", "ya", "que"))
GLUED_TAILS = frozenset(("es", "el", "la", "de", "en", "que"))
#: English grammar words are never the other half of a split Spanish word ("meto" is not "me to").
EN_ONLY = EN_WORDS - ES_WORDS

#: Where a long message splits into clauses (see Matcher._ranked): punctuation, and connectors
#: that start a new thought ("pero", "but", "so", "entonces", "porque").


def plausible_typo(word: str, cand: str) -> bool:
    """Whether ``word`` looks like a phone-keyboard slip for the known word ``cand``.

    Accepted: one swap of neighbouring letters; substitutions of sound-alike letters (at most
    one per ~4 letters); one missing/extra letter inside a word of 7+ letters (plus one sound-alike
    substitution from 8 letters); completing a cut-short word of 3 letters or 7+ letters.
    Rejected: anything that changes a letter for an unrelated one, drops a doubled letter in a
    short word or chops the end off ("medicaid" -> "medica"): those make different words.
    """
    lw, lc = len(word), len(cand)
    if lw == lc:
        diff = [i for i in range(lw) if word[i] != cand[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1 and word[diff[0]] == cand[diff[1]] \
                and word[diff[1]] == cand[diff[0]]:
            return True
        return bool(diff) and len(diff) <= max(1, lw // 4) and all(
            (word[i], cand[i]) in _CONFUSABLE for i in diff)
    if cand.startswith(word):  # cut short: "igs" -> "igss", "oncocrea" -> "oncocrean"
        return lw == 3 or (lw >= 7 and lc - lw <= 2)
    if abs(lw - lc) != 1:
        return False
    short, long_ = (word, cand) if lw < lc else (cand, word)
    if len(short) < 6:
        return False
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    if i == 0:
        return False
    rest_s, rest_l = short[i:], long_[i + 1:]
    if rest_s == rest_l:
        return True
    if len(short) < 7 or len(rest_s) != len(rest_l):
        return False
    diff = [j for j in range(len(rest_s)) if rest_s[j] != rest_l[j]]
    pairs = [(rest_s[j], rest_l[j]) if lw < lc else (rest_l[j], rest_s[j]) for j in diff]
    return len(diff) == 1 and pairs[0] in _CONFUSABLE


class Analyzer:
    """Turns text into index terms: canonical vocabulary terms ("=hijo") or word stems."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.abbreviations: Mapping[str, str] = vocabulary.abbreviations
        self.lookup: Mapping[str, str] = vocabulary.lookup
        self.max_phrase = vocabulary.max_phrase
        by_stem: dict[str, str] = {}
        clashes: set[str] = set()
        for term, canonical in vocabulary.lookup.items():
            if " " in term:
                continue
            key = stem(term)
            if by_stem.get(key, canonical) != canonical:
                clashes.add(key)
            by_stem.setdefault(key, canonical)
        # A stem shared by two canonicals is ambiguous: only exact words decide those.
        self.by_stem = {k: v for k, v in by_stem.items() if k not in clashes}

    def words(self, text: str) -> list[str]:
        return expand(clean(text).split(), self.abbreviations)

    def terms(self, words: list[str], lang: str | None = None) -> list[str]:
        """Index terms of ``words``. With ``lang``, that language's grammar words are dropped
        before the vocabulary is consulted: Spanish "son" (they are) is not English "son" (hijo)."""
        grammar = (ES_WORDS if lang == "es" else EN_WORDS if lang == "en" else frozenset()) & STOPWORDS
        out: list[str] = []
        i, n = 0, len(words)
        while i < n:
            for size in range(min(self.max_phrase, n - i), 1, -1):
                canonical = self.lookup.get(" ".join(words[i:i + size]))
                if canonical:
                    out.append("=" + canonical)
                    i += size
                    break
            else:
                w = words[i]
                i += 1
                if w in grammar:
                    continue
                canonical = self.lookup.get(w)
                if canonical:
                    out.append("=" + canonical)
                elif w in STOPWORDS:
                    continue
                else:
                    key = stem(w)
                    canonical = self.by_stem.get(key)
                    out.append("=" + canonical if canonical else key)
        return out


class Tagger:
    """Finds the labels of one tagging section (institutions, needs_staff) named in a word list.

    Terms match as whole normalised words, longest phrase first, without stemming: these are
    names ("medicaid" must not be found in "medico") and fixed phrases ("no me pagan").
    """

    def __init__(self, groups: Mapping[str, tuple[str, ...]], abbreviations: Mapping[str, str]) -> None:
        table: dict[tuple[str, ...], str] = {}
        for label, terms in groups.items():
            for term in (label, *terms):
                key = tuple(expand(term.split(), abbreviations))
                if key:
                    table.setdefault(key, label)
        self.table = table
        self.words = frozenset(w for key in table for w in key)
        self.max_len = max((len(k) for k in table), default=0)

    def __call__(self, words: list[str]) -> frozenset[str]:
        if not self.table:
            return frozenset()
        found: set[str] = set()
        i, n = 0, len(words)
        while i < n:
            if words[i] in self.words:
                for size in range(min(self.max_len, n - i), 0, -1):
                    label = self.table.get(tuple(words[i:i + size]))
                    if label:
                        found.add(label)
                        i += size
                        break
                else:
                    i += 1
            else:
                i += 1
        return frozenset(found)
