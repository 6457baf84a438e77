"""The bundled FAQ's YAML format: readable, diff-friendly, with a line number for every problem.

Layout (documented for admins in the header of ``faq/data/faq.yaml``)::

    categories:
      migrants: {es: Migrantes, en: Migrants}
    entries:
      - id: migrant-what-is
        category: migrants
        source: [https://...]          # optional; a string or a list of strings
        es:
          question: "¿...?"
          alternates: ["...", "..."]   # optional list
          answer: >-
            ...
        en: {question: ..., alternates: [...], answer: ...}

Reading goes through ``yaml.compose`` (safe: no Python tags are ever constructed) and walks the
node tree itself, so each problem carries the line of the offending value, duplicate keys are
caught, and text fields keep exactly what the admin typed (``answer: no`` stays ``"no"`` instead
of turning into ``False``). ``write_yaml`` is a small purpose-built emitter so the bundled file is
reproducible and stays readable: long answers become folded block scalars wrapped at
:data:`WIDTH` columns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from faq.errors import FaqLoadError, FaqProblem, not_utf8_problem, prepare_target
from faq.model import LANGS, Faq, FaqEntry
from faq.validate import ParsedFaq, field_name

WIDTH = 88
SOURCE_SEP = " ; "
ENTRY_KEYS = ("id", "category", "source", *LANGS)
LANG_KEYS = ("question", "alternates", "answer")
TOP_KEYS = ("categories", "entries")
_NULL_TAG = "tag:yaml.org,2002:null"

#: Written on top of every YAML file so admins editing it by hand know the rules.
HEADER = """\
# Puente FAQ — the questions and answers the bot knows, in Spanish (es) and English (en).
#
# HOW TO EDIT
#   * `categories:` gives each category slug its menu label in both languages.
#   * `entries:` is a list; each entry starts with "- id:" and looks like this:
#
#       - id: my-new-question          # unique; no spaces or ":" (short: it travels in buttons)
#         category: payments           # one of the slugs under `categories:`
#         source:                      # optional: where the answer comes from
#           - https://www.igssgt.org/...
#         es:
#           question: "¿Cómo pago mi cuota?"
#           alternates:                # optional: other ways members ask the same thing
#             - "¿Dónde pago el IGSS?"
#             - "pagar cuota"
#           answer: >-
#             Write the answer here, indented under "answer: >-". Lines are joined
#             with spaces; leave an empty line to start a new paragraph.
#         en:
#           question: "How do I pay my contribution?"
#           alternates:
#             - "Where do I pay IGSS?"
#           answer: >-
#             Same answer in English.
#
#   * BOTH languages are required: every entry needs es and en, each with a question and
#     an answer. Alternates are optional, one "- ..." line each.
#   * Put questions and alternates in double quotes; inside them write \\" for a quote.
#   * Indent with spaces (never tabs), exactly as the entries below.
#   * No two entries may share a question or alternate (ignoring case, accents and
#     punctuation), and each answer must fit one Telegram message (4096 characters).
#   * Answers are sent as plain text: <, > and & are shown as typed, not as HTML.
#
# THEN CHECK AND RELOAD
#   python bot.py faq check faq/data/faq.yaml    # lists every problem with its line
#   /reload                                      # in Telegram (admins): use the new FAQ
# A file with problems is never loaded: the bot keeps the previous FAQ until it is fixed.
"""


def _line(node: Node) -> int:
    return node.start_mark.line + 1


#: Keys written at the wrong level, and where they belong: an indentation slip, not a typo.
_BELONGS = {
    "an entry": {k: "under 'es:' or 'en:' (line it up with 'question:')" for k in LANG_KEYS},
    "'es'": {k: "to the entry (line it up with 'es:' and 'en:')" for k in ENTRY_KEYS},
    "'en'": {k: "to the entry (line it up with 'es:' and 'en:')" for k in ENTRY_KEYS},
}


class _Reader:
    """Walks the composed node tree of one file, collecting entries and problems."""

    def __init__(self, file: str, lines: list[str] | None = None) -> None:
        self.file = file
        self.lines = lines or []
        self.problems: list[FaqProblem] = []
        self.field_lines: dict[tuple[int, str], int] = {}
        self.bad_fields: set[tuple[int, str]] = set()
        self.item_lines: dict[tuple[int, str, str], int] = {}

    def not_text(self, node: Node, what: str) -> str:
        """Why ``node`` is not the text ``what`` should be, in words an admin can act on.

        ``- Precio: cuanto es`` looks like text but YAML reads a key and a value: the admin must
        be told to quote it, not that "each alternate must be text"."""
        if isinstance(node, MappingNode) and len(node.value) == 1 and all(
                isinstance(n, ScalarNode) and n.style is None for n in node.value[0]):
            line = _line(node)
            return colon_advice(line, _value_text(self.lines[line - 1]) if line <= len(self.lines) else "")
        return f"{what} must be text, not a list or mapping"

    def problem(self, message: str, node: Node | None = None, entry: str | None = None,
                field: str | None = None, line: int | None = None) -> None:
        if line is None and node is not None:
            line = _line(node)
        self.problems.append(FaqProblem(self.file, message, entry or None, field, line))

    def mapping(self, node: MappingNode, allowed: tuple[str, ...], where: str,
                entry: str | None = None, prefix: str = "") -> dict[str, Node]:
        """Keys → value nodes; unknown or repeated keys are problems (typos must not go silent)."""
        out: dict[str, Node] = {}
        for key_node, value in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key is None or key not in allowed:
                shown = key if key is not None else "(complex key)"
                belongs = _BELONGS.get(where, {}).get(str(shown))
                if belongs:
                    self.problem(f"{shown!r} belongs {belongs}: check the indentation of line {_line(key_node)}",
                                 key_node, entry, prefix + str(shown))
                else:
                    self.problem(f"unknown key {shown!r} in {where}; allowed: {', '.join(allowed)}",
                                 key_node, entry, prefix + str(shown))
                continue
            if key in out:
                self.problem(f"key {key!r} appears twice in {where}", key_node, entry, prefix + key)
                continue
            out[key] = value
        return out

    @staticmethod
    def text(node: Node) -> str | None:
        """A scalar's text exactly as written; ``None`` for a null (``~``, ``null``, nothing)."""
        if not isinstance(node, ScalarNode):
            raise TypeError
        if node.tag == _NULL_TAG and node.style is None:
            return None
        return node.value

    # -- the document -----------------------------------------------------------------------

    def document(self, root: Node | None) -> tuple[list[FaqEntry], dict[str, dict[str, str]]]:
        if root is None:
            self.problem("file is empty; expected 'categories:' and 'entries:'")
            return [], {}
        if isinstance(root, SequenceNode):  # a bare list of entries is accepted too
            return self.entries(root), {}
        if not isinstance(root, MappingNode):
            self.problem("the file must be a mapping with 'categories:' and 'entries:'", root)
            return [], {}
        top = self.mapping(root, TOP_KEYS, "the top level")
        categories = self.categories(top["categories"]) if "categories" in top else {}
        if "entries" not in top:
            self.problem("no 'entries:' list in the file", root)
            return [], categories
        return self.entries(top["entries"]), categories

    def categories(self, node: Node) -> dict[str, dict[str, str]]:
        if isinstance(node, ScalarNode) and self.text(node) is None:
            return {}
        if not isinstance(node, MappingNode):
            self.problem("'categories' must be a mapping of slug → {es: label, en: label}", node,
                         field="categories")
            return {}
        out: dict[str, dict[str, str]] = {}
        for key_node, value in node.value:
            slug = key_node.value if isinstance(key_node, ScalarNode) else ""
            fname = f"categories.{slug}"
            if not slug:
                self.problem("category slug must be a non-empty text", key_node, field="categories")
                continue
            if slug in out:
                self.problem(f"category {slug!r} appears twice", key_node, field=fname)
                continue
            if not isinstance(value, MappingNode):
                self.problem(f"category {slug!r} needs labels like {{es: ..., en: ...}}", value,
                             field=fname)
                continue
            labels: dict[str, str] = {}
            for lang, label_node in self.mapping(value, LANGS, f"category {slug!r}",
                                                  prefix=fname + ".").items():
                try:
                    label = self.text(label_node)
                except TypeError:
                    self.problem(self.not_text(label_node, "a category label"), label_node,
                                 field=f"{fname}.{lang}")
                    continue
                if label and label.strip():
                    labels[lang] = label.strip()
            missing = [lang for lang in LANGS if lang not in labels]
            if missing:
                self.problem(f"category {slug!r} has no label in {', '.join(missing)}", value,
                             field=fname)
            out[slug] = labels
        return out

    def entries(self, node: Node) -> list[FaqEntry]:
        if not isinstance(node, SequenceNode):
            self.problem("'entries' must be a list (each entry starts with '- id: ...')", node,
                         field="entries")
            return []
        out: list[FaqEntry] = []
        for item in node.value:
            if not isinstance(item, MappingNode):
                self.problem("each entry must be a mapping with id, category, es and en", item)
                continue
            out.append(self.entry(len(out), item))
        return out

    # -- one entry --------------------------------------------------------------------------

    def scalar_field(self, index: int, node: Node, entry_id: str | None, fname: str) -> str:
        self.field_lines[(index, fname)] = _line(node)
        try:
            value = self.text(node)
        except TypeError:
            self.bad_fields.add((index, fname))
            self.problem(self.not_text(node, fname), node, entry_id, fname)
            return ""
        return (value or "").strip()

    def entry(self, index: int, node: MappingNode) -> FaqEntry:
        # Look the id up first so even problems in keys written before it name the entry.
        first_id = next((v for k, v in node.value if isinstance(k, ScalarNode) and k.value == "id"), None)
        entry_id = (self.scalar_field(index, first_id, None, "id") or None) if first_id else None
        fields = self.mapping(node, ENTRY_KEYS, "an entry", entry_id)
        self.misplaced_lang_keys(index, node)
        category = self.scalar_field(index, fields["category"], entry_id, "category") \
            if "category" in fields else ""
        source = self.source(index, fields["source"], entry_id) if "source" in fields else ""
        question: dict[str, str] = {}
        answer: dict[str, str] = {}
        alternates: dict[str, tuple[str, ...]] = {}
        for lang in LANGS:
            question[lang], answer[lang], alternates[lang] = "", "", ()
            if lang not in fields:
                continue
            block = fields[lang]
            if not isinstance(block, MappingNode):
                self.problem(f"'{lang}' must be a mapping with question, alternates and answer",
                             block, entry_id, lang)
                for kind in ("question", "answer"):
                    self.bad_fields.add((index, field_name("yaml", kind, lang)))
                continue
            parts = self.mapping(block, LANG_KEYS, f"'{lang}'", entry_id, prefix=f"{lang}.")
            for kind, target in (("question", question), ("answer", answer)):
                if kind in parts:
                    target[lang] = self.scalar_field(index, parts[kind], entry_id,
                                                     field_name("yaml", kind, lang))
            if "alternates" in parts:
                alternates[lang] = self.alternates(index, parts["alternates"], entry_id, lang)
        return FaqEntry(
            id=entry_id or "", category=category, question=question, answer=answer,
            alternates=alternates, source=source, line=_line(node),
        )

    def misplaced_lang_keys(self, index: int, node: MappingNode) -> None:
        """An ``answer:`` indented to the entry's level was reported where it is; the language
        block it was cut from is not reported again as missing its answer."""
        lang = None
        for key_node, _value in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key in LANGS:
                lang = key
            elif key in LANG_KEYS and lang is not None:
                self.bad_fields.add((index, field_name("yaml", key, lang)))

    def alternates(self, index: int, node: Node, entry_id: str | None, lang: str) -> tuple[str, ...]:
        fname = field_name("yaml", "alternates", lang)
        self.field_lines[(index, fname)] = _line(node)
        if isinstance(node, ScalarNode) and self.text(node) is None:
            return ()
        if not isinstance(node, SequenceNode):
            self.problem("alternates must be a list: one '- ...' line per phrasing", node,
                         entry_id, fname)
            return ()
        out: list[str] = []
        for item in node.value:
            try:
                text = self.text(item)
            except TypeError:
                self.problem(self.not_text(item, "this alternate"), item, entry_id, fname)
                continue
            if text and text.strip():  # empty alternates are ignored, not an error
                out.append(text.strip())
                self.item_lines.setdefault((index, fname, text.strip()), _line(item))
        return tuple(out)

    def source(self, index: int, node: Node, entry_id: str | None) -> str:
        self.field_lines[(index, "source")] = _line(node)
        if isinstance(node, SequenceNode):
            parts: list[str] = []
            for item in node.value:
                try:
                    text = self.text(item)
                except TypeError:
                    self.problem(self.not_text(item, "this source"), item, entry_id, "source")
                    continue
                if text and text.strip():
                    parts.append(text.strip())
            return SOURCE_SEP.join(parts)
        try:
            return (self.text(node) or "").strip()
        except TypeError:
            self.problem("source must be text or a list of texts", node, entry_id, "source")
            return ""


def parse_yaml(path: str | Path) -> ParsedFaq:
    """Read ``path`` without the content rules; every structural problem carries its line."""
    file = str(path)
    empty = Faq(entries=(), path=file)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return ParsedFaq(empty, "yaml", [FaqProblem(file, "file not found")])
    except UnicodeDecodeError:
        return ParsedFaq(empty, "yaml", [not_utf8_problem(file, Path(path).read_bytes())])
    except OSError as exc:
        return ParsedFaq(empty, "yaml", [FaqProblem(file, f"cannot read file: {exc.strerror or exc}")])
    lines = split_lines(text)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        return ParsedFaq(empty, "yaml", [syntax_problem(file, lines, exc)])
    reader = _Reader(file, lines)
    entries, categories = reader.document(root)
    faq = Faq(entries=tuple(entries), path=file, categories=categories)
    return ParsedFaq(faq, "yaml", reader.problems, reader.field_lines, reader.bad_fields,
                     item_lines=reader.item_lines)


# -- syntax errors in plain words ------------------------------------------------------------

#: The line breaks PyYAML counts in its marks.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
#: A value that opens with a quote: ``- "…``, ``question: "…``, ``- id: '…``.
_OPENS_QUOTE = re.compile(r"^\s*(?:-\s+(?:[\w.-]+:\s+)?|[\w.-]+:\s+)([\"'])")
_ID_LINE = re.compile(r"^\s*(?:-\s+)?id:\s*(.*?)\s*(?:\s#.*)?$")
#: The first ``key:`` of a line (the colon a key ends with).
_FIRST_KEY = re.compile(r"^\s*(?:-\s+)?[^\s\"'#][^:#]*?:(?=\s|$)")
_INDENTATION = ("it must line up with the lines above it (each '- ' item with the other items of its list, "
                "each key such as 'answer:' with the other keys of its block; spaces only)")


def split_lines(text: str) -> list[str]:
    """``text``'s lines as PyYAML counts them in its marks."""
    return _LINE_BREAK.split(text)


def syntax_problem(file: str, lines: list[str], exc: yaml.YAMLError) -> FaqProblem:
    """PyYAML's complaint about ``lines`` as one problem an admin can act on.

    The parser names the place where it gave up, in its own words ("expected <block end>, but
    found '-'"), often a line or more after the slip and with no entry. The commonest slips are
    recognised and told plainly, at the line to fix (an unclosed quote: where it opens; an
    unquoted ": ": the line that has it; a bad indentation), with the entry that line belongs to.
    Anything else keeps PyYAML's wording.
    """
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    detail = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None) or ""
    at = (problem_mark or context_mark).line + 1 if (problem_mark or context_mark) else None
    line, message = at, f"{detail}" + (f" ({context})" if context else "")
    if at is not None:
        line, message = _explain(lines, at, problem_mark, context_mark, detail, context) or (line, message)
    entry = _entry_at(lines, line) if line is not None else None
    return FaqProblem(file, f"invalid YAML: {message}", entry=entry, line=line)


def _explain(lines: list[str], at: int, problem_mark: yaml.Mark | None, context_mark: yaml.Mark | None,
             detail: str, context: str) -> tuple[int, str] | None:
    """(line, advice) for a parser failure at line ``at`` that is one of the common slips, else None."""
    context_line = context_mark.line + 1 if context_mark else at
    if context == "while scanning a quoted scalar":  # the quote runs to the end of the file
        return context_line, _unclosed(context_line)
    opener = _quote_closing_on(lines, at)
    if opener is not None:
        return opener, _unclosed(opener)
    text = lines[at - 1] if at <= len(lines) else ""
    if context in ("while scanning an alias", "while scanning an anchor") or "undefined alias" in detail:
        return at, f"line {at} starts a text with '*' or '&', which YAML reserves: put the text in double quotes"
    if "cannot start any token" in detail:
        if "'\\t'" in detail:
            return at, f"line {at} is indented with a tab: indent with spaces only"
        return at, f"line {at} has a text that YAML cannot read as it is: put the text in double quotes"
    if detail == "mapping values are not allowed here" and problem_mark is not None:
        first = _FIRST_KEY.match(text)
        if first is not None and problem_mark.column >= first.end():
            return at, colon_advice(at, _value_text(text))
        return at, f"check the indentation of line {at}: {_INDENTATION}"
    if _text_after_quote(text):
        return at, (f"line {at} has text after the closing quote: put the whole text in double quotes, and write "
                    '\\" for each quote inside it')
    if "could not find expected ':'" in detail:
        if re.match(r"^\s*-[^\s-]", lines[context_line - 1] if context_line <= len(lines) else ""):
            return context_line, f"line {context_line} starts a list item: put a space after its '-'"
        return context_line, f"check the indentation of line {context_line}: {_INDENTATION}"
    if detail.startswith("expected <block end>"):
        return at, f"check the indentation of line {at}: {_INDENTATION}"
    if context.startswith("while parsing a flow"):
        # "a flow node" names neither bracket: the one still open where the parser stopped says
        # (a '[' was called a '{': session 16's review).
        bracket, opened = _open_bracket(lines, problem_mark or context_mark) \
            or ("[" if "sequence" in context else "{", context_line)
        if "found ','" in detail:  # "[vacunas, , x]": not a bracket left open
            return at, (f"line {at} has an empty item in the {bracket!r} opened on line {opened}: two commas with "
                        f"nothing between them, or a comma right after the {bracket!r}; remove the extra comma")
        return opened, f"the {bracket!r} opened on line {opened} is not closed, or a text inside it needs double quotes"
    return None


def _open_bracket(lines: list[str], mark: yaml.Mark | None) -> tuple[str, int] | None:
    """The innermost ``[`` or ``{`` still open at ``mark``, and its line, as YAML's own scanner
    reads the text (brackets inside quotes or plain text are no brackets); None when none is."""
    if mark is None:
        return None
    opened: list[tuple[str, int]] = []
    try:
        for token in yaml.scan("\n".join(lines), Loader=yaml.SafeLoader):
            if (token.start_mark.line, token.start_mark.column) >= (mark.line, mark.column):
                break
            if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
                opened.append(("[" if isinstance(token, yaml.FlowSequenceStartToken) else "{",
                               token.start_mark.line + 1))
            elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)) and opened:
                opened.pop()
    except yaml.YAMLError:
        pass  # the scanner stops at the slip too: what it read up to there is enough
    return opened[-1] if opened else None


def colon_advice(line: int, shown: str) -> str:
    """For a text with ': ' in it written without quotes, which YAML reads as a key and its value."""
    return (f"line {line} contains ': ' — put the text in double quotes" + (f" ({quoted(shown)})" if shown else "")
            + ": without them, YAML reads a key and its value, not a text")


def _unclosed(line: int) -> str:
    return (f"a quote opened on line {line} is never closed: close it at the end of the text "
            '(inside double quotes, write \\" for a quote that belongs to the text)')


def _closing(lines: list[str], line: int, start: int, quote: str) -> tuple[int, int] | None:
    """Where (line, column) the quoted text opening at ``lines[line - 1][start]`` ends; None: never.

    Inside double quotes a backslash escapes the next character; inside single quotes ``''`` is a quote.
    """
    n, i = line - 1, start + 1
    while n < len(lines):
        text = lines[n]
        while i < len(text):
            if text.startswith("\\" if quote == '"' else "''", i):  # an escaped character, or '' for '
                i += 2
            elif text[i] == quote:
                return n + 1, i
            else:
                i += 1
        n, i = n + 1, 0
    return None


def _quote_closing_on(lines: list[str], at: int) -> int | None:
    """The line of a quote opened earlier and not closed on its own line whose closing quote is
    on line ``at``: the parser only stumbles there, one or many lines after the slip."""
    for line in range(at - 1, 0, -1):
        found = _OPENS_QUOTE.match(lines[line - 1])
        if found is not None:
            end = _closing(lines, line, found.start(1), found.group(1))
            if end is not None and end[0] == at:
                return line
    return None


def _text_after_quote(text: str) -> bool:
    """``- "¿Cuánto" es en quetzales?"``: a quoted text that goes on after its closing quote."""
    found = _OPENS_QUOTE.match(text)
    end = _closing([text], 1, found.start(1), found.group(1)) if found is not None else None
    rest = text[end[1] + 1:].strip() if end is not None else ""
    return bool(rest) and not rest.startswith(("#", ":"))


def _value_text(text: str) -> str:
    """The text of a line without its indentation, ``- `` and a key of the format (``question: ``):
    what the admin should put in quotes."""
    value = re.sub(r"^\s*(?:-\s+)?", "", text)
    key = re.match(r"([\w.-]+):\s+", value)
    if key is not None and key.group(1) in (*TOP_KEYS, *ENTRY_KEYS, *LANG_KEYS):
        value = value[key.end():]
    return value.split(" #")[0].strip()


def _entry_at(lines: list[str], line: int) -> str | None:
    """The id of the entry whose lines include ``line`` (the nearest ``id:`` above it, not past a
    top-level key such as ``categories:``); None outside the entries."""
    for n in range(min(line, len(lines)), 0, -1):
        text = lines[n - 1]
        found = _ID_LINE.match(text)
        if found is not None:
            return found.group(1).strip().strip("\"'") or None
        if n < line and text[:1].isalpha():
            return None
    return None


def read_yaml(path: str | Path) -> Faq:
    """The FAQ in ``path`` without content rules; :class:`FaqLoadError` if it cannot be read."""
    parsed = parse_yaml(path)
    if parsed.problems:
        raise FaqLoadError(parsed.problems)
    return parsed.faq


# -- writing ---------------------------------------------------------------------------------

def _needs_escape(ch: str) -> bool:
    """Characters a YAML double-quoted scalar must escape (or PyYAML would reject/fold them)."""
    code = ord(ch)
    return (
        code < 0x20 or 0x7F <= code <= 0x9F or ch in "\"\\\u2028\u2029\ufeff"
        or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF)
    )


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar; always exact, whatever the content."""
    out = []
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif _needs_escape(ch):
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _plain_or_quoted(text: str) -> str:
    """Slugs, labels and URLs stay plain when YAML reads them back as the very same string."""
    if text and text == text.strip() and "\n" not in text and not _needs_escape_any(text):
        try:
            if yaml.safe_load(f"k: {text}") == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return quoted(text)


def _wrap(line: str, width: int) -> list[str]:
    """Split one line at single spaces so each piece fits ``width`` (long words stay whole).

    Folding turns each break back into exactly one space, so only a space with non-space on both
    sides is a safe break point.
    """
    pieces: list[str] = []
    start = 0
    while len(line) - start > width:
        cut = -1
        for i in range(min(start + width, len(line) - 1), start, -1):
            if line[i] == " " and line[i - 1] != " " and line[i + 1] != " ":
                cut = i
                break
        if cut == -1:
            for i in range(start + width + 1, len(line) - 1):
                if line[i] == " " and line[i - 1] != " " and line[i + 1] != " ":
                    cut = i
                    break
        if cut == -1:
            break
        pieces.append(line[start:cut])
        start = cut + 1
    pieces.append(line[start:])
    return pieces


def block(text: str, indent: int) -> str:
    """``text`` as a block scalar, or double-quoted when no block style can hold it exactly.

    Folded style (``>-``, wrapped at :data:`WIDTH`) keeps long answers readable and their diffs
    small; multi-line text whose lines already fit uses literal style (``|-``) so lists read as
    lists. The result is checked
    by parsing it back; anything folding cannot represent exactly falls back to double quotes.
    """
    pad = " " * indent
    width = max(WIDTH - indent, 40)
    lines = text.split("\n")
    if text and text == text.strip() and not any(
        ln != ln.rstrip() or "\t" in ln or _needs_escape_any(ln) for ln in lines
    ):
        if len(lines) > 1 and all(len(ln) <= width for ln in lines):
            # Short lines with real line breaks (lists, addresses): literal style shows them as is.
            candidate = "|-\n" + "\n".join(pad + ln if ln else "" for ln in lines)
            try:
                if yaml.safe_load("k: " + candidate + "\n") == {"k": text}:
                    return candidate
            except yaml.YAMLError:
                pass
        out: list[str] = []
        for i, ln in enumerate(lines):
            if i:
                out.append("")  # one empty line in folded style = one newline
            out.extend(pad + piece if piece else "" for piece in (_wrap(ln, width) if ln else [""]))
        candidate = ">-\n" + "\n".join(out)
        try:
            if yaml.safe_load("k: " + candidate + "\n") == {"k": text}:
                return candidate
        except yaml.YAMLError:
            pass
    return quoted(text)


def _needs_escape_any(text: str) -> bool:
    return any(_needs_escape(c) and c not in '"\\' for c in text)


def _categories_for(faq: Faq) -> list[tuple[str, Mapping[str, str]]]:
    """Labelled categories in the FAQ's own order; slugs without labels are left out (the bot
    falls back to the readable slug, and an empty label block would not load back)."""
    slugs = list(faq.categories) + [s for s in faq.category_slugs() if s not in faq.categories]
    return [(s, faq.categories[s]) for s in slugs if any(faq.categories.get(s, {}).values())]


def dump_yaml(faq: Faq, header: str = HEADER) -> str:
    """The YAML text for ``faq``; ``header`` (comment lines) goes on top, verbatim."""
    out: list[str] = []
    if header:
        out.append(header.rstrip("\n"))
        out.append("")
    cats = _categories_for(faq)
    if cats:
        out.append("categories:")
        for slug, labels in cats:
            out.append(f"  {_plain_or_quoted(slug)}:")
            for lang in LANGS:
                if labels.get(lang):
                    out.append(f"    {lang}: {_plain_or_quoted(labels[lang])}")
        out.append("")
    out.append("entries:")
    for n, e in enumerate(faq.entries):
        if n:
            out.append("")
        out.append(f"  - id: {_plain_or_quoted(e.id)}")
        out.append(f"    category: {_plain_or_quoted(e.category)}")
        if e.source:
            parts = e.source.split(SOURCE_SEP)
            if len(parts) > 1 and all(p and p == p.strip() for p in parts):
                out.append("    source:")
                out.extend(f"      - {_plain_or_quoted(p)}" for p in parts)
            else:
                out.append(f"    source: {_plain_or_quoted(e.source)}")
        for lang in LANGS:
            out.append(f"    {lang}:")
            out.append(f"      question: {quoted(e.question.get(lang, ''))}")
            alts = e.alternates.get(lang, ())
            if alts:
                out.append("      alternates:")
                out.extend(f"        - {quoted(a)}" for a in alts)
            out.append(f"      answer: {block(e.answer.get(lang, ''), 8)}")
    return "\n".join(out) + "\n"


def write_yaml(faq: Faq, path: str | Path, header: str = HEADER) -> None:
    """Write ``faq`` to ``path`` in the layout above (atomically: temp file, then rename)."""
    target = prepare_target(path)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(dump_yaml(faq, header), encoding="utf-8")
    tmp.replace(target)
