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

from collections.abc import Mapping
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from faq.errors import FaqLoadError, FaqProblem, prepare_target
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


class _Reader:
    """Walks the composed node tree of one file, collecting entries and problems."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[FaqProblem] = []
        self.field_lines: dict[tuple[int, str], int] = {}
        self.bad_fields: set[tuple[int, str]] = set()

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
                    self.problem("a category label must be text", label_node, field=f"{fname}.{lang}")
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
            self.problem(f"{fname} must be text, not a list or mapping", node, entry_id, fname)
            return ""
        return (value or "").strip()

    def entry(self, index: int, node: MappingNode) -> FaqEntry:
        # Look the id up first so even problems in keys written before it name the entry.
        first_id = next((v for k, v in node.value if isinstance(k, ScalarNode) and k.value == "id"), None)
        entry_id = (self.scalar_field(index, first_id, None, "id") or None) if first_id else None
        fields = self.mapping(node, ENTRY_KEYS, "an entry", entry_id)
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
                self.problem("each alternate must be text", item, entry_id, fname)
                continue
            if text and text.strip():  # empty alternates are ignored, not an error
                out.append(text.strip())
        return tuple(out)

    def source(self, index: int, node: Node, entry_id: str | None) -> str:
        self.field_lines[(index, "source")] = _line(node)
        if isinstance(node, SequenceNode):
            parts: list[str] = []
            for item in node.value:
                try:
                    text = self.text(item)
                except TypeError:
                    self.problem("each source must be text", item, entry_id, "source")
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
    except UnicodeDecodeError as exc:
        return ParsedFaq(empty, "yaml", [FaqProblem(file, f"not valid UTF-8 (byte {exc.start})")])
    except OSError as exc:
        return ParsedFaq(empty, "yaml", [FaqProblem(file, f"cannot read file: {exc.strerror or exc}")])
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        detail = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        message = f"invalid YAML: {detail}" + (f" ({context})" if context else "")
        return ParsedFaq(empty, "yaml", [FaqProblem(file, message, line=mark.line + 1 if mark else None)])
    reader = _Reader(file)
    entries, categories = reader.document(root)
    faq = Faq(entries=tuple(entries), path=file, categories=categories)
    return ParsedFaq(faq, "yaml", reader.problems, reader.field_lines, reader.bad_fields)


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
