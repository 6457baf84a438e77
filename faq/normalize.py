"""Turn what members type on a phone into comparable text.

Members write from phones: no accents, ALL CAPS, "holaaaa", emoji, WhatsApp shorthand ("q", "xq",
"pls"), sometimes text pasted from a web page with HTML tags. Matching, language detection and
small-talk detection all compare *normalised* text so those variations stop mattering.

Abbreviations live in ``faq/data/vocabulary.yaml`` (section ``abbreviations``) so admins can add the
shorthand they see in the logs; :func:`normalize` uses the bundled file's table unless given one.
A small built-in table is the fallback when the bundled file is missing or broken, so normalising
text can never fail because of a data file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from functools import cache, lru_cache
from pathlib import Path

#: Where the bundled abbreviations live (the vocabulary file admins edit).
BUNDLED_VOCABULARY = Path(__file__).resolve().parent / "data" / "vocabulary.yaml"

#: Used only if the bundled vocabulary cannot be read: normalising must never fail.
FALLBACK_ABBREVIATIONS: Mapping[str, str] = {
    "q": "que", "k": "que", "xq": "porque", "pq": "porque", "porq": "porque", "pa": "para",
    "tmb": "tambien", "d": "de", "x": "por", "ntp": "no te preocupes", "info": "informacion",
    "u": "you", "ur": "your", "pls": "please", "plz": "please", "thx": "thanks",
}

#: Longest text we look at. Telegram caps messages at 4096 chars; anything longer is pasted junk
#: and cutting it keeps the matcher's cost bounded.
MAX_CHARS = 4096

_TAG_RE = re.compile(r"<[^<>]{0,200}>")
_ENTITY_RE = re.compile(r"&(?:[a-z]{2,8}|#\d{1,6});", re.IGNORECASE)
# Apostrophes join words ("what's" -> "whats", "don't" -> "dont") instead of splitting them,
# because members type both forms and the joined one is what they type most.
_APOSTROPHE_RE = re.compile(r"['’`´]")
_NON_WORD_RE = re.compile(r"[^a-z0-9ñ]+")
# Three or more of the same letter is emphasis ("holaaaa", "graciasss"); two may be real Spanish
# or English spelling ("llamar", "carro", "free"), so it is kept.
_RUN_RE = re.compile(r"([a-zñ])\1{2,}")


# Capitals that name a place only when written as capitals: "el ER aquí en LA" (or "L.A.") is
# Los Angeles, "en la clínica" is not. Not in a message typed in capitals ("COMO PAGO LA CUOTA"),
# nor next to another word in capitals ("si LA CLÍNICA me atiende", "EN LA clínica"): that is
# emphasis, and "LA" the article. An acronym ("IMSS en LA") or a state code ("LA, CA") is no emphasis.
_CAPITAL_PLACES = {"LA": "Los Angeles"}
_CAPITAL_PLACES_RE = re.compile(r"\b(?:" + "|".join(_CAPITAL_PLACES) + r")\b")
_DOTTED_PLACES_RE = re.compile(r"\bL\.\s?A\.(?=\W|$)")
_WORD_RE = re.compile(r"\w+")
#: Capitals that are names, not emphasis (a message about "IMSS en LA" is not shouted).
_ACRONYMS = frozenset({"IGSS", "IMSS", "ISSSTE", "USA", "EEUU", "DPI", "CURP", "NSS", "ITIN", "SSN", "RFC", "INE"})
#: Short grammar words that, in capitals next to "LA", show emphasis ("EN LA clínica").
_GRAMMAR = frozenset({"a", "al", "de", "del", "el", "en", "la", "las", "los", "lo", "mi", "mis", "tu", "su",
                      "y", "o", "que", "con", "por", "para", "es", "in", "at", "on", "of", "to", "the", "my"})


def _capitals(word: str) -> bool:
    return len(word) >= 2 and word.isalpha() and word.isupper()


def _emphasis(word: str) -> bool:
    """A neighbour in capitals that is emphasis: a longer word, or a grammar word ("EN", "DE")."""
    return _capitals(word) and ((len(word) >= 3 and word not in _ACRONYMS) or word.casefold() in _GRAMMAR)


def _capital_places(text: str) -> str:
    """Spell out the places members name by capitals alone (see ``_CAPITAL_PLACES``)."""
    text = _DOTTED_PLACES_RE.sub("Los Angeles", text)
    if not _CAPITAL_PLACES_RE.search(text):
        return text
    words = [(m.start(), m.group()) for m in _WORD_RE.finditer(text)]
    others = [w for _, w in words if w not in _CAPITAL_PLACES and w.isalpha()]
    shouted = [w for w in others if _capitals(w) and w not in _ACRONYMS]
    if len(shouted) >= 3 and len(shouted) * 3 >= len(others) * 2:  # typed in capitals: they say nothing
        return text
    out, last = [], 0
    for k, (start, word) in enumerate(words):
        if word not in _CAPITAL_PLACES:
            continue
        neighbours = [w for _, w in words[max(k - 1, 0):k] + words[k + 1:k + 2]]
        if any(_emphasis(w) for w in neighbours):
            continue
        out.append(text[last:start] + _CAPITAL_PLACES[word])
        last = start + len(word)
    return "".join(out) + text[last:]


_ENYE = "\ue000"  # private-use placeholder: no member text contains it after control stripping
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\ue000\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def _strip_accents(text: str) -> str:
    """Remove accents but keep ñ: "año" and "ano" are different words, though members type both."""
    text = text.replace("ñ", _ENYE).replace("Ñ", _ENYE)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace(_ENYE, "ñ")


@lru_cache(maxsize=256)
def clean(text: str) -> str:
    """Case-fold, strip accents/HTML/emoji/punctuation/control chars and letter runs; no expansion.

    Used where shorthand must stay visible (language detection treats "q" and "u" as clues).
    Cached: one message is cleaned by each of the small-talk, language and matching steps.
    """
    if not text:
        return ""
    text = text[:MAX_CHARS]
    text = _TAG_RE.sub(" ", text)
    text = _ENTITY_RE.sub(" ", text)
    text = _CONTROL_RE.sub(" ", text)
    text = _strip_accents(_capital_places(text).casefold())
    text = _APOSTROPHE_RE.sub("", text)
    text = text.replace("%", " porciento ")  # "el 100%": a word the vocabulary maps ("percent", "x ciento")
    text = _NON_WORD_RE.sub(" ", text)  # emoji, punctuation and control characters become spaces
    text = _RUN_RE.sub(r"\1", text)
    return " ".join(text.split())


@cache
def bundled_abbreviations() -> Mapping[str, str]:
    """The abbreviations from the bundled vocabulary file (read once), or the built-in fallback."""
    try:
        from faq.vocabulary import load_vocabulary  # local import: vocabulary uses this module

        vocab = load_vocabulary(BUNDLED_VOCABULARY)
    except Exception:  # a broken data file must not take normalisation down
        return FALLBACK_ABBREVIATIONS
    return vocab.abbreviations or FALLBACK_ABBREVIATIONS


def expand(words: list[str], abbreviations: Mapping[str, str]) -> list[str]:
    """Replace whole-word shorthand ("q" -> "que"); an expansion may be several words."""
    out: list[str] = []
    for w in words:
        full = abbreviations.get(w)
        if full:
            out.extend(full.split())
        else:
            out.append(w)
    return out


def join_spelled(words: list[str], known: Callable[[str], bool]) -> list[str]:
    """Letters spelt out one by one joined into the word they spell, when ``known`` knows it:
    phone dictation writes an acronym as its letters ("el i g s s" for IGSS, "i m s s"). Only runs
    of three letters or more that make a known word: "y a q edad" ("y a qué edad") and "9 a m a 2"
    stay as they are. Run before abbreviations are expanded ("d", "q", "x" are words there)."""
    out: list[str] = []
    i, n = 0, len(words)
    while i < n:
        j = i
        while j < n and len(words[j]) == 1 and words[j].isalpha():
            j += 1
        if j - i >= 3 and known("".join(words[i:j])):
            out.append("".join(words[i:j]))
            i = j
        else:
            out.append(words[i])
            i += 1
    return out


def normalize(text: str, abbreviations: Mapping[str, str] | None = None) -> str:
    """Normalised text: :func:`clean` plus abbreviation expansion ("q onda" -> "que onda").

    ``abbreviations`` defaults to the bundled vocabulary's table; the matcher passes the table of
    the vocabulary it was built with so an admin's edits apply.
    """
    table = bundled_abbreviations() if abbreviations is None else abbreviations
    return " ".join(expand(clean(text).split(), table))


def tokens(text: str, abbreviations: Mapping[str, str] | None = None) -> list[str]:
    """The words of :func:`normalize` (``text``), in order."""
    return normalize(text, abbreviations).split()


# -- Spanish phonetic folding -------------------------------------------------------------------
# Members spell Spanish by ear: "sita" (cita), "yevar" (llevar), "resive" (recibe), "kiero"
# (quiero), "ijos" (hijos), "bivo" (vivo), "pastiyas" (pastillas), "ayaa" (allá). Letters that
# sound the same in Latin-American Spanish get one key, so such a word can be recognised as the
# known word it sounds like. Rules, in order: "ch" is kept; "qu"/"k"/"c" before a, o, u or a
# consonant -> k; "c" before e, i / "z" / "s" -> s; "gu" before e, i -> g; "g" before e, i / "j"
# -> j; "ll" and "y" before a vowel -> y, any other "y" -> i; "v" -> b; a silent "h" is dropped;
# "ñ" -> n; doubled letters are collapsed except "rr" ("carro" and "caro" are different words).
_VOWELS = frozenset("aeiou")
_FRONT = frozenset("ei")


@cache
def phonetic_key(word: str) -> str:
    """Sound-alike key of one normalised word (see the rules above): "sita" and "cita" share one."""
    w = word.replace("ñ", "n")
    out: list[str] = []
    i, n = 0, len(w)
    while i < n:
        ch = w[i]
        nxt = w[i + 1] if i + 1 < n else ""
        if ch == "c":
            if nxt == "h":
                out.append("C")  # "ch" is its own sound, and its "h" is not silent
                i += 2
                continue
            out.append("s" if nxt in _FRONT and nxt else "k")
        elif ch == "q":
            out.append("k")
            if nxt == "u":
                i += 1
        elif ch in "zs":
            out.append("s")
        elif ch == "g":
            if nxt == "u" and i + 2 < n and w[i + 2] in _FRONT:
                out.append("g")
                i += 1
            else:
                out.append("j" if nxt in _FRONT and nxt else "g")
        elif ch == "l" and nxt == "l":
            out.append("y")
            i += 1
        elif ch == "y":
            out.append("y" if nxt in _VOWELS and nxt else "i")
        elif ch == "v":
            out.append("b")
        elif ch == "h":
            pass
        else:
            out.append(ch)
        i += 1
    key: list[str] = []
    for ch in out:
        if key and key[-1] == ch and ch != "r":
            continue
        key.append(ch)
    return "".join(key)
