"""From text to index terms: stems, phone-typo plausibility, vocabulary lookup and tagging.

The matcher (:mod:`faq.matcher`) scores entries on the terms this module produces; keeping the
word-level work here leaves the matcher about scoring and deciding. Pure and stateless apart from
the per-vocabulary tables built in :class:`Analyzer` and :class:`Tagger`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from functools import lru_cache

import snowballstemmer

from faq.language import EN_WORDS, ES_WORDS, GENERAL_WORDS, QUESTION_WORDS, STOPWORDS, WEAK_WORDS
from faq.normalize import clean, expand, join_spelled
from faq.vocabulary import GAP, Vocabulary

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
#: Keys next to each other on a phone's QWERTY keyboard, in a row: a thumb that lands one key off
#: ("internrt", "pemsion", "cuota" as "cuots") is the commonest slip after a missing letter.
_ROWS = ("qwertyuiop", "asdfghjklñ", "zxcvbnm")
_NEIGHBOURS = frozenset((r[i], r[i + 1]) for r in _ROWS for i in range(len(r) - 1)) | frozenset(
    (r[i + 1], r[i]) for r in _ROWS for i in range(len(r) - 1))

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


NEIGHBOUR_MIN = 5


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
        if len(diff) == 1 and lw >= NEIGHBOUR_MIN and (word[diff[0]], cand[diff[0]]) in _NEIGHBOURS:
            return True
        return bool(diff) and len(diff) <= max(1, lw // 4) and all(
            (word[i], cand[i]) in _CONFUSABLE for i in diff)
    if cand.startswith(word):  # cut short: "igs" -> "igss", "oncocrea" -> "oncocrean"
        return lw == 3 or (lw >= 7 and lc - lw <= 2)
    if abs(lw - lc) != 1:
        return False
    short, long_ = (word, cand) if lw < lc else (cand, word)
    if len(short) < 5:
        return False
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    if i == 0:
        return False
    rest_s, rest_l = short[i:], long_[i + 1:]
    if len(short) == 5:
        # Five letters: only a vowel left out inside the word, as phones type English ("numbr").
        return lw < lc and rest_s == rest_l and i < lc - 1 and long_[i] in "aeiou"
    if rest_s == rest_l:
        return True
    if len(short) < 7 or len(rest_s) != len(rest_l):
        return False
    diff = [j for j in range(len(rest_s)) if rest_s[j] != rest_l[j]]
    pairs = [(rest_s[j], rest_l[j]) if lw < lc else (rest_l[j], rest_s[j]) for j in diff]
    return len(diff) == 1 and pairs[0] in _CONFUSABLE


#: How members give someone's age: after these words ("tengo 19", "mi hijo tiene 8", "she's 9",
#: "turned 18", "mayores de 60"), or as "de 8 años", "9 years old", "a los 60" (see age_positions).
_AGE_LEADS = frozenset(("tengo", "tiene", "tienes", "tienen", "tenia", "tenemos", "cumpli", "cumplio", "cumple",
                        "cumplen", "cumplir", "cumpla", "cumplira", "cumplo", "cumpliendo", "im", "am", "is", "hes",
                        "shes", "turned", "turns", "turning", "turn", "aged", "age", "edad", "mayor", "mayores",
                        "menor", "menores", "over", "under"))
#: The leads that give an age whatever else the message says ("tengo 60", "a los 60", "I'm 62"):
#: not "is", "mayor de", "over" and the like, which also lead amounts ("the fee is 50").
_AGE_OF = (_AGE_LEADS - frozenset(("am", "is", "age", "edad", "mayor", "mayores", "menor", "menores", "over",
                                   "under"))) | {"los"}
_YEAR_UNITS = frozenset(("años", "anos", "año", "ano", "añitos", "anitos", "years", "year", "yrs", "yr", "yo"))
#: Words that make "N años" a span of time rather than an age: before "de N años" ("más de 20
#: años", "después de 10 años"), or right after the number or its unit ("tengo 15 años de vivir
#: aquí", "I'm 15 years in", "tengo 3 meses": a unit that is not years is never an age).
_SPAN_BEFORE = frozenset(("mas", "menos", "despues", "hace", "cerca", "unos", "unas", "casi", "durante", "por",
                          "alrededor", "minimo", "maximo", "than", "for", "after", "about", "ago"))
_SPAN_AFTER = frozenset(("de", "en", "aqui", "aca", "alla", "here", "there", "in", "viviendo", "trabajando",
                         "pagando", "cotizando", "living", "working", "paying", "since", "desde", "que", "ago",
                         "cotizados", "cotizadas", "trabajados", "pagados", "of", "con", "with", "sin", "without"))
#: ... and, after "tengo N años" (not "mi hija de 6 años inscrita…"), how long one has been
#: something: "tengo 5 años asegurado/afiliado", "tengo 10 años laborando", "I'm 2 years late".
_STATE_AFTER = frozenset(("asegurado", "asegurada", "afiliado", "afiliada", "inscrito", "inscrita", "laborando",
                          "chambeando", "cotizado", "pagado", "trabajado", "casado", "casada", "casados",
                          "atrasado", "atrasada", "atrasados", "late", "behind", "insured", "enrolled", "married"))
#: Words that make a number an amount or a rule, not someone's age, within three words before it
#: ("my monthly payment is 50", "el mínimo es de 15 años", "the minimum is 15 years"), unless the
#: number follows a word that gives an age (_AGE_OF: "¿me dan pensión si tengo 60?").
_AMOUNT_BEFORE = frozenset(("payment", "payments", "pago", "pagos", "cuota", "cuotas", "fee", "fees", "cost",
                            "costo", "cuesta", "price", "precio", "monthly", "mensual", "amount", "monto", "total",
                            "minimo", "maximo", "minimum", "maximum", "salario", "salary", "sueldo", "pension"))
#: After "de N años" these describe the person ("mi hijo de 19 años sin seguro", "con
#: discapacidad"); after "tengo N años" they make a span ("tengo 2 años sin pagar", "sin seguro":
#: "tengo 65 años sin pensión" is read as a span too, the rarer meaning lost).
_WITH = frozenset(("sin", "without", "con", "with"))
#: Units that make a number anything but an age ("tiene 10 días", "tengo 5 días de incapacidad").
_OTHER_UNITS = frozenset(("dias", "dia", "días", "día", "semanas", "semana", "meses", "mes", "horas", "hora",
                          "minutos", "days", "day", "weeks", "week", "months", "month", "hours", "hour", "minutes"))


#: Words a number after them does not name (see numbered_names).
_NOT_NAMES = STOPWORDS | WEAK_WORDS | GENERAL_WORDS | QUESTION_WORDS | _AGE_LEADS


def numbered_names(words: list[str]) -> dict[str, set[str]]:
    """The names a number completes in ``words``, by stem: "modalidad 40" -> {"modalid": {"40"}},
    "ley 73", "formulario 9". Only a number right after a topic word counts: a number before a
    noun is a count or an age ("2 hijos", "63 años"), and after everyday words ("cada 3 meses",
    "tengo 63") it is the member's story, not a name."""
    out: dict[str, set[str]] = {}
    for i, (w, n) in enumerate(itertools.pairwise(words)):
        unit = words[i + 2] if i + 2 < len(words) else ""  # "trabajo 60 horas": a count of hours
        if (n.isdigit() and w.isalpha() and len(w) >= 2 and w not in _NOT_NAMES
                and unit not in GENERAL_WORDS and unit not in _YEAR_UNITS):
            out.setdefault(stem(w), set()).add(n)
    return out


def age_positions(words: list[str]) -> set[int]:
    """Indices of the numbers in ``words`` (normalised) that give someone's age.

    Age rules are what many questions turn on ("tengo 19 años, ¿ya me puedo inscribir?", "mi
    patojo va a cumplir 8, ¿todavía lo atienden?", "I'm 62, am I too old to join?"), and the
    entries that answer them speak of "edad"/"age" or "mayores de 60 años"; without this the
    number was just a number and "años" read as years of contributions. Spans of time ("llevo 15
    años aquí", "más de 20 años", "tengo 3 meses", "tengo 2 hijos") are not ages. Measured on
    every evaluation set together: answered right +0.4 points on the sample sheet and on the
    other FAQs, wrong answers unchanged.
    """
    found: set[int] = set()
    n = len(words)
    for i, w in enumerate(words):
        if not w.isdigit() or not 0 < int(w) <= 110:
            continue
        before = words[i - 1] if i else ""
        if before not in _AGE_OF and _AMOUNT_BEFORE.intersection(words[max(0, i - 3):i]):
            continue
        nxt = words[i + 1] if i + 1 < n else ""
        after = words[i + 2] if i + 2 < n else ""
        unit = nxt in _YEAR_UNITS
        if unit and after == "y" and words[i + 3:i + 4] == ["medio"] and words[i + 4:i + 5] \
                and words[i + 4] in _SPAN_AFTER:
            continue  # "tengo 10 años y medio aquí" (not "tiene 2 años y medio")
        if unit and (after == "old" or (after == "de" and i + 3 < n and words[i + 3] == "edad")):
            found.add(i)  # "9 years old", "60 años de edad"
            continue
        # The number ends the message or a clause ("tiene 8 y…"), or is followed by years and no
        # word of a span ("tengo 19 años y vivo en Houston").
        ends = not nxt or (unit and after not in _SPAN_AFTER) or (
            not unit and nxt in STOPWORDS and nxt not in _SPAN_AFTER and nxt not in _OTHER_UNITS)
        if before in _AGE_LEADS and ends and not (unit and after in _STATE_AFTER):
            found.add(i)
        elif before == "de" and unit and i >= 2 and words[i - 2] not in _SPAN_BEFORE \
                and (after not in _SPAN_AFTER or after in _WITH):
            found.add(i)  # "mi hijo de 19 años", "… de 18 años sin estudiar"
        elif before == "los" and i >= 2 and words[i - 2] in ("a", "hasta") and (unit or ends):
            found.add(i)  # "a los 60", "hasta los 7 años"
    return found


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
        #: The term a mentioned age adds (see age_positions): "edad" as the vocabulary maps it.
        self.age_term = "=" + self.lookup["edad"] if "edad" in self.lookup else stem("edad")

    def words(self, text: str, known: Callable[[str], bool] | None = None) -> list[str]:
        """The cleaned words of ``text``, shorthand expanded; with ``known``, letters spelt out one
        by one that make a word it knows are joined first (normalize.join_spelled)."""
        raw = clean(text).split()
        return expand(join_spelled(raw, known) if known else raw, self.abbreviations)

    def terms(self, words: list[str], lang: str | None = None) -> list[str]:
        """Index terms of ``words``. With ``lang``, that language's grammar words are dropped
        before the vocabulary is consulted: Spanish "son" (they are) is not English "son" (hijo)."""
        grammar = (ES_WORDS if lang == "es" else EN_WORDS if lang == "en" else frozenset()) & STOPWORDS
        out: list[str] = []
        i, n = 0, len(words)
        ages = age_positions(words)
        while i < n:
            if i in ages:
                # An age: the number and the vocabulary's term for "edad" (its unit is not "years").
                out.extend((self.age_term, words[i]))
                i += 2 if i + 1 < n and words[i + 1] in _YEAR_UNITS else 1
                continue
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
    names ("medicaid" must not be found in "medico") and fixed phrases ("no me pagan"). A term
    with ``...`` between phrases (needs_staff, see vocabulary.GAP) matches them in that order
    with at most :data:`MAX_GAP` other words between each: "employer ... never paid" finds "my
    employer in guatemala never paid", which no list of fixed phrases covers.
    """

    def __init__(self, groups: Mapping[str, tuple[str, ...]], abbreviations: Mapping[str, str]) -> None:
        table: dict[tuple[str, ...], str] = {}
        gapped: list[tuple[tuple[tuple[str, ...], ...], str]] = []
        for label, terms in groups.items():
            for term in (label, *terms):
                if GAP in term:
                    parts = tuple(tuple(expand(p.split(), abbreviations)) for p in term.split(GAP))
                    if all(parts):
                        gapped.append((parts, label))
                    continue
                key = tuple(expand(term.split(), abbreviations))
                if key:
                    table.setdefault(key, label)
        self.table = table
        self.gapped = tuple(gapped)
        self.words = frozenset(w for key in table for w in key)
        self.max_len = max((len(k) for k in table), default=0)
        self._first = frozenset(parts[0][0] for parts, _ in self.gapped)

    def __call__(self, words: list[str]) -> frozenset[str]:
        if not self.table and not self.gapped:
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
        if self.gapped and self._first.intersection(words):
            for parts, label in self.gapped:
                if label not in found and _in_order(words, parts):
                    found.add(label)
        return frozenset(found)


#: At most this many words between the phrases of a needs_staff term with "..." (see Tagger).
MAX_GAP = 4
#: ... and none of them starts another clause, whose subject may be someone else: "si dejo de
#: trabajar con mi patrón y no pago" is the member not paying (a question about the rules), not
#: the employer.
CLAUSE_WORDS = frozenset({"y", "e", "o", "u", "pero", "si", "aunque", "porque", "cuando", "and", "or", "but", "if",
                          "because", "when", "although"})


def _in_order(words: list[str], parts: tuple[tuple[str, ...], ...]) -> bool:
    """Whether the phrases ``parts`` occur in ``words`` in order, each at most MAX_GAP words after
    the end of the one before (the first anywhere), with no CLAUSE_WORDS between them."""
    starts = [i for i in range(len(words) - len(parts[0]) + 1) if tuple(words[i:i + len(parts[0])]) == parts[0]]
    for start in starts:
        end = start + len(parts[0])
        for part in parts[1:]:
            size = len(part)
            nxt = None
            for j in range(end, min(end + MAX_GAP, len(words) - size) + 1):
                if tuple(words[j:j + size]) == part:
                    nxt = j
                    break
                if words[j] in CLAUSE_WORDS:
                    break
            if nxt is None:
                break
            end = nxt + size
        else:
            return True
    return False
