"""The admin-edited vocabulary: shorthand and synonyms that bridge members' words and the FAQ's.

Members say "patojos", "kids" or "nene"; the FAQ says "hijos". The vocabulary file
(``faq/data/vocabulary.yaml``, format documented in its header) maps every such word or phrase,
in either language, to one *canonical* term, so the matcher compares meanings instead of spellings.

Loading validates the whole file and raises one :class:`~faq.errors.FaqLoadError` listing *every*
problem with file, line, term and field, because an admin fixing the file wants the full list in
one go. YAML line numbers come from the composed node tree (``yaml.compose``), which also lets us
catch duplicate keys that ``yaml.safe_load`` would silently overwrite.

Besides ``abbreviations`` and ``synonyms`` the file has three *tagging* sections, same
``label: [terms]`` format, that do not change how words are compared but what the matcher dares
to do with a match:

* ``institutions``: institutions and programs members name ("imss", "medicaid", "seguro social
  de aquí"). A message naming one that the best entry never mentions (question, alternates or
  answer) is about something else: "cita en el IMSS" is not answered by the consulate's entry.
* ``needs_staff``: phrases that show the message is the member's own case, a complaint or a
  refusal ("rechazaron", "my claim number", "no me pagan", "queja"). Such a message is not
  answered from the FAQ unless the best entry itself talks about it.
* ``countries``: an institution label and the words for its country ("igss": "guatemala",
  "guatemalteco", "huehuetenango"). A message that names no institution but says where the
  member is from or where the family lives ("soy guatemalteco, ¿cuánto cuesta para mi familia?")
  is read as naming that country's institution, when the FAQ names it: an FAQ covering IGSS and
  IMSS must not give a Guatemalan the Mexican programme's prices.

A term may appear once per section (a word can be both a synonym and an institution).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import yaml

from faq.errors import FaqLoadError, FaqProblem, not_utf8_problem
from faq.normalize import clean, expand
from faq.yamlio import split_lines, syntax_problem

SECTIONS = ("abbreviations", "synonyms", "institutions", "needs_staff", "countries")
#: In needs_staff, "..." between two phrases lets other words come between them ("patron ... no
#: pago" finds "el patrón de la finca nunca me pagó" as well as "mi patrón no pagó"; see
#: analysis.Tagger). Normalised terms keep it as GAP.
GAP = " ... "
GAP_RE = re.compile(r"\s*(?:\.\.\.|…)\s*")
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"


def _frozen(d: Mapping) -> Mapping:
    return MappingProxyType(dict(d))


@dataclass(frozen=True)
class Vocabulary:
    """Immutable vocabulary, already normalised.

    ``abbreviations``: shorthand word -> expansion. ``synonyms``: canonical -> its terms (the
    canonical included). ``lookup``: normalised term or phrase -> canonical, the table the matcher
    uses. ``max_phrase`` is the longest term in words, so phrase lookup knows when to stop.
    """

    abbreviations: Mapping[str, str] = field(default_factory=lambda: _frozen({}))
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _frozen({}))
    path: str = ""
    #: institution/program label -> its names ("imss": ("seguro social mexicano", ...)).
    institutions: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _frozen({}))
    #: signal label -> phrases meaning "my own case / a complaint" ("denied": ("rechazaron", ...)).
    needs_staff: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _frozen({}))
    #: institution label -> words of its country ("igss": ("guatemala", "guatemalteco", ...)).
    countries: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _frozen({}))

    def __post_init__(self) -> None:
        object.__setattr__(self, "abbreviations", _frozen(self.abbreviations))
        for name in ("synonyms", "institutions", "needs_staff", "countries"):
            groups = getattr(self, name)
            object.__setattr__(self, name, _frozen({k: tuple(v) for k, v in groups.items()}))
        # Keys are spelt as the matcher reads a message, after the abbreviations: "rayos x" and
        # "dos veces" are looked up as "rayos por" and "2 veces" (written as typed, they never
        # matched; the tagging sections' Tagger already expanded its terms).
        lookup = {}
        for canonical, terms in self.synonyms.items():
            for term in (canonical, *terms):
                lookup.setdefault(term, canonical)  # as written too: "las vegas" (abbreviation "vegas")
                lookup.setdefault(self._expanded(term), canonical)
        object.__setattr__(self, "lookup", _frozen(lookup))
        object.__setattr__(self, "max_phrase", max((len(t.split()) for t in lookup), default=1))

    lookup: Mapping[str, str] = field(init=False, default_factory=lambda: _frozen({}))
    max_phrase: int = field(init=False, default=1)

    @classmethod
    def empty(cls) -> Vocabulary:
        """No abbreviations, no synonyms: the matcher then compares the FAQ's own words only."""
        return cls()

    def canonical(self, term: str) -> str | None:
        """The canonical term for a normalised word or phrase, or ``None``."""
        return self.lookup.get(term) or self.lookup.get(self._expanded(term))

    def _expanded(self, term: str) -> str:
        return " ".join(expand(term.split(), self.abbreviations))


class _Collector:
    """Gathers problems for one file so every one of them is reported together."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[FaqProblem] = []

    def add(self, node: yaml.Node | None, message: str, entry: str | None = None, fld: str | None = None) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        self.problems.append(FaqProblem(self.file, message, entry=entry, field=fld, line=line))


def _text(node: yaml.Node) -> str | None:
    """The node's text if it is a plain string scalar, else ``None``."""
    if isinstance(node, yaml.ScalarNode) and node.tag == _STR:
        return node.value
    return None


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == _NULL:
        return "empty"
    kind = node.tag.rsplit(":", 1)[-1]
    if kind == "str":  # already text: quoting it would not help ("must be a list", got 'bar')
        return f"the text {node.value!r}"
    return f"{node.value!r} (a {kind}; put it in quotes to make it text)"


def _pairs(node: yaml.MappingNode, out: _Collector, fld: str) -> list[tuple[yaml.Node, str, yaml.Node]]:
    """Key/value pairs with string keys; reports non-text and duplicate keys."""
    seen: dict[str, int] = {}
    pairs = []
    for key_node, value_node in node.value:
        key = _text(key_node)
        if key is None:
            out.add(key_node, f"key must be text, got {_describe(key_node)}", fld=fld)
            continue
        if key in seen:
            out.add(key_node, f"{key!r} appears twice in {fld} (first on line {seen[key]})", entry=key, fld=fld)
            continue
        seen[key] = key_node.start_mark.line + 1
        pairs.append((key_node, key, value_node))
    return pairs


def _abbreviations(node: yaml.Node, out: _Collector) -> dict[str, str]:
    fld = "abbreviations"
    if not isinstance(node, yaml.MappingNode):
        if node.tag != _NULL:
            out.add(node, f"{fld} must be a mapping of shorthand: expansion, got {_describe(node)}", fld=fld)
        return {}
    table: dict[str, str] = {}
    for key_node, key, value_node in _pairs(node, out, fld):
        short = clean(key)
        value = _text(value_node)
        if not short:
            out.add(key_node, "shorthand is empty after removing punctuation", entry=key, fld=fld)
            continue
        if " " in short:
            out.add(key_node, "shorthand must be a single word", entry=key, fld=fld)
        if value is None or not clean(value):
            got = _describe(value_node) if value is None else "empty"
            out.add(value_node, f"expansion must be non-empty text, got {got}", entry=key, fld=fld)
            continue
        table[short] = clean(value)
    return table


def _groups(node: yaml.Node, out: _Collector, fld: str) -> dict[str, tuple[str, ...]]:
    """A ``label: [terms]`` section (synonyms, institutions, needs_staff, countries); a term has one label."""
    label = "canonical" if fld == "synonyms" else "label"
    if not isinstance(node, yaml.MappingNode):
        if node.tag != _NULL:
            out.add(node, f"{fld} must be a mapping of {label}: [terms], got {_describe(node)}", fld=fld)
        return {}
    groups: dict[str, tuple[str, ...]] = {}
    owner: dict[str, tuple[str, int]] = {}  # normalised term -> (canonical, line) that claimed it
    for key_node, key, value_node in _pairs(node, out, fld):
        canonical = clean(key)
        here = f"{fld}.{key}"
        if not canonical:
            out.add(key_node, f"{label} is empty after removing punctuation", entry=key, fld=fld)
            continue
        if not isinstance(value_node, yaml.SequenceNode):
            out.add(value_node, f"must be a list of terms like [a, b], got {_describe(value_node)}",
                    entry=key, fld=here)
            continue
        if not value_node.value and fld == "synonyms":  # a tag may be named by its label alone
            out.add(value_node, "list of terms is empty", entry=key, fld=here)
        terms: list[str] = []
        for term_node, term in [(key_node, key), *((n, _text(n)) for n in value_node.value)]:
            if term is None:
                out.add(term_node, f"term must be text, got {_describe(term_node)}", entry=key, fld=here)
                continue
            gapped = GAP_RE.search(term) is not None
            if gapped and fld != "needs_staff":
                out.add(term_node, f"'...' (other words in between) is only allowed in needs_staff, got {term!r}",
                        entry=key, fld=here)
                continue
            parts = [clean(part) for part in GAP_RE.split(term)] if gapped else [clean(term)]
            if gapped and not all(parts):
                out.add(term_node, f"'...' must stand between two phrases, got {term!r}", entry=key, fld=here)
                continue
            norm = GAP.join(parts)
            if not norm:
                out.add(term_node, "term is empty after removing punctuation", entry=key, fld=here)
                continue
            line = term_node.start_mark.line + 1
            prev = owner.get(norm)
            if prev and prev[0] != canonical:
                # "already mapped to 'menor'" for the term 'menor' read as nonsense (session 16's review).
                role, member = ("canonical term", "a synonym of") if fld == "synonyms" else ("label", "a term of")
                if prev[0] == norm:
                    why = (f"{norm!r} is itself a {role} (line {prev[1]}), so it cannot also be {member} "
                           f"{canonical!r}; remove it from one of the two places")
                elif term_node is key_node:
                    why = (f"{norm!r} is already {member} {prev[0]!r} (line {prev[1]}), so it cannot also be a "
                           f"{role} of its own; remove it from one of the two places")
                else:
                    why = (f"term {norm!r} is already mapped to {prev[0]!r} (line {prev[1]}); a term can mean only "
                           "one thing")
                out.add(term_node, why, entry=norm, fld=here)
                continue
            owner.setdefault(norm, (canonical, line))
            if norm != canonical and norm not in terms:
                terms.append(norm)
        if canonical in groups:  # two keys normalising to the same canonical ("cita" / "Cita")
            out.add(key_node, f"{label} {canonical!r} is defined twice", entry=key, fld=fld)
            continue
        groups[canonical] = tuple(terms)
    return groups


def parse_vocabulary(text: str, file: str = "<vocabulary>") -> Vocabulary:
    """Parse and validate vocabulary YAML text; raise :class:`FaqLoadError` with every problem."""
    out = _Collector(file)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        # The same plain words as the FAQ's (a tab, a bad indentation, an unclosed quote), not
        # PyYAML's (session 15's review).
        raise FaqLoadError([syntax_problem(file, split_lines(text), exc)]) from None
    if root is None:
        raise FaqLoadError([FaqProblem(file, "file is empty; expected sections " + ", ".join(SECTIONS))])
    if not isinstance(root, yaml.MappingNode):
        raise FaqLoadError([FaqProblem(file, f"top level must be a mapping, got {_describe(root)}", line=1)])
    abbreviations: dict[str, str] = {}
    groups: dict[str, dict[str, tuple[str, ...]]] = {}
    countries: yaml.Node | None = None
    for key_node, key, value_node in _pairs(root, out, "top level"):
        if key == "abbreviations":
            abbreviations = _abbreviations(value_node, out)
        elif key in SECTIONS:
            groups[key] = _groups(value_node, out, key)
            countries = value_node if key == "countries" else countries
        else:
            out.add(key_node, f"unknown section {key!r}; expected one of {', '.join(SECTIONS)}", fld=key)
    if isinstance(countries, yaml.MappingNode):  # a country points at an institution the file knows
        for label_node, _value in countries.value:
            label = _text(label_node)
            if label is not None and clean(label) and clean(label) not in groups.get("institutions", {}):
                out.add(label_node, f"{label!r} is not a label of the institutions section; a country "
                                    "must point at an institution", entry=label, fld="countries")
    if out.problems:
        raise FaqLoadError(out.problems)
    return Vocabulary(abbreviations=abbreviations, synonyms=groups.get("synonyms", {}),
                      institutions=groups.get("institutions", {}), needs_staff=groups.get("needs_staff", {}),
                      countries=groups.get("countries", {}), path=file)


def load_vocabulary(path: str | Path) -> Vocabulary:
    """Read and validate the vocabulary file at ``path`` (see :func:`parse_vocabulary`)."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FaqLoadError([FaqProblem(file, "file not found")]) from None
    except UnicodeDecodeError:
        raise FaqLoadError([not_utf8_problem(file, Path(path).read_bytes())]) from None
    except OSError as exc:
        raise FaqLoadError([FaqProblem(file, f"cannot read file: {exc.strerror or exc}")]) from None
    return parse_vocabulary(text, file)
