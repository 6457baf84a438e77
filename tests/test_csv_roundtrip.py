"""The spreadsheet format: reading (BOM, whitespace, lines, columns) and lossless round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from faq.csvio import COLUMNS, parse_csv, read_csv, write_csv
from faq.errors import FaqLoadError
from faq.loader import check_faq, load_faq, save_faq
from faq.model import LANGS, Faq, FaqEntry
from faq.yamlio import write_yaml

SAMPLE_CSV = Path(__file__).parent / "data" / "faq-sample.csv"
HEADER = ",".join(COLUMNS)


def content(entry: FaqEntry) -> tuple:
    return (
        entry.id, entry.category, entry.source,
        tuple(entry.question.get(lang, "") for lang in LANGS),
        tuple(entry.answer.get(lang, "") for lang in LANGS),
        tuple(tuple(entry.alternates.get(lang, ())) for lang in LANGS),
    )


def contents(faq: Faq) -> list[tuple]:
    return [content(e) for e in faq]


TRICKY = (
    FaqEntry(
        id="tricky-1", category="payments",
        question={"es": '¿Cuánto cuesta, "más o menos", el seguro?', "en": "How much: 5% & <more>?"},
        answer={
            "es": 'Primer párrafo, con comas, "comillas" y \'apóstrofes\'.\n\n'
                  "Segundo párrafo:\n- viñeta uno\n- viñeta dos # no es comentario\n"
                  "  línea con sangría\ttabulador",
            "en": "yes",
        },
        alternates={"es": ("¿precio, costo?", "pagar: cuota", '"citado"'),
                    "en": ("no", "1543", "a|b", "- dash first", "#hash")},
        source="https://example.org/a?b=1&c=2 ; seed:001.txt",
    ),
    FaqEntry(
        id="tricky_2", category="health-services",
        question={"es": "¿Pregunta dos?", "en": "Question two?"},
        answer={"es": "Una línea muy larga " * 40 + "fin.", "en": "Ends with a backslash \\ and émoji 😀"},
        alternates={"es": (), "en": ("only english alternate",)},
        source="",
    ),
)


def test_sample_reads_60_entries_with_start_lines() -> None:
    faq = read_csv(SAMPLE_CSV)
    assert len(faq) == 60
    assert faq.entries[0].line == 2 and faq.entries[-1].line == 61
    first = faq.entries[0]
    assert first.alternates["es"][2] == "¿Qué es el Acuerdo 1543?"
    assert len(first.alternates["en"]) == 4


def test_write_csv_reproduces_the_sample_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    write_csv(read_csv(SAMPLE_CSV), out)
    assert out.read_bytes() == SAMPLE_CSV.read_bytes()


def test_sample_roundtrip_csv_yaml_csv(tmp_path: Path) -> None:
    original = load_faq(SAMPLE_CSV)
    write_yaml(original, tmp_path / "faq.yaml")
    from_yaml = load_faq(tmp_path / "faq.yaml")
    save_faq(from_yaml, tmp_path / "back.csv")
    back = load_faq(tmp_path / "back.csv")
    assert contents(from_yaml) == contents(original)
    assert contents(back) == contents(original)
    assert (tmp_path / "back.csv").read_bytes() == SAMPLE_CSV.read_bytes()


def test_tricky_text_roundtrips_without_loss(tmp_path: Path) -> None:
    faq = Faq(entries=TRICKY, path="memory")
    write_csv(faq, tmp_path / "in.csv")
    imported = load_faq(tmp_path / "in.csv")
    assert contents(imported) == contents(faq)
    write_yaml(imported, tmp_path / "faq.yaml")
    from_yaml = load_faq(tmp_path / "faq.yaml")
    assert contents(from_yaml) == contents(faq)
    write_csv(from_yaml, tmp_path / "out.csv")
    assert contents(load_faq(tmp_path / "out.csv")) == contents(faq)
    # multi-line quoted cells: the second record starts after the first one's lines
    assert imported.entries[1].line == 2 + TRICKY[0].answer["es"].count("\n") + 1


def test_long_answers_are_folded_to_readable_lines(tmp_path: Path) -> None:
    write_yaml(Faq(entries=TRICKY), tmp_path / "faq.yaml")
    text = (tmp_path / "faq.yaml").read_text(encoding="utf-8")
    assert "answer: >-" in text
    assert max(len(line) for line in text.splitlines() if "Una línea muy larga" in line) <= 88


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + SAMPLE_CSV.read_bytes())
    faq = load_faq(path)
    assert contents(faq) == contents(read_csv(SAMPLE_CSV))
    write_csv(faq, tmp_path / "out.csv", bom=True)
    assert (tmp_path / "out.csv").read_bytes().startswith(b"\xef\xbb\xbfid,")


def test_whitespace_is_stripped_and_blank_rows_skipped(tmp_path: Path) -> None:
    path = tmp_path / "ws.csv"
    path.write_text(
        " ID , Category ,question_es,question_en,alternates_es,alternates_en,answer_es,answer_en\r\n"
        "  a ,  pay , ¿P?  ,Q? , uno |  dos ,,  R  , A \r\n"
        ",,,,,,,\r\n"
        "\r\n"
        "b,pay,¿P2?,Q2?,,,R2,A2\r\n",
        encoding="utf-8",
    )
    faq = load_faq(path)  # also: "source" is optional and header case/spaces are forgiven
    a = faq.get("a")
    assert a is not None and content(a) == ("a", "pay", "", ("¿P?", "Q?"), ("R", "A"), (("uno", "dos"), ()))
    b = faq.get("b")
    assert b is not None and b.line == 5


def test_missing_columns_is_one_clear_problem(tmp_path: Path) -> None:
    path = tmp_path / "cols.csv"
    path.write_text("id,category,question_es,answer_es\r\nx,c,¿P?,R\r\n", encoding="utf-8")
    problems = check_faq(path)
    assert len(problems) == 1
    p = problems[0]
    assert p.file == str(path) and p.line == 1
    for col in ("question_en", "alternates_es", "alternates_en", "answer_en"):
        assert col in p.message
    with pytest.raises(FaqLoadError):
        read_csv(path)  # the matcher's quick reader refuses it too


def test_empty_csv(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    (p,) = check_faq(path)
    assert p.file == str(path) and "empty" in p.message


def test_row_with_extra_cells(tmp_path: Path) -> None:
    path = tmp_path / "extra.csv"
    path.write_text(HEADER + "\r\nx,c,¿P?,Q?,,,R, con coma,A,src,extra\r\n", encoding="utf-8")
    problems = parse_csv(path).problems
    assert len(problems) == 1 and problems[0].line == 2 and problems[0].entry == "x"
    assert "cells" in problems[0].message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes((HEADER + "\r\nx,c,¿P?,Q?,,,R,A,\r\n").encode("latin-1"))
    (p,) = check_faq(path)
    assert p.file == str(path) and "UTF-8" in p.message


@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\x85", "\x0c", "\x0b", "\x1e"])
def test_unicode_line_separators_inside_a_cell_do_not_split_the_row(tmp_path: Path, sep: str) -> None:
    """Text pasted from a web page or Word can carry a Unicode line separator; the CSV writer
    does not quote it, so the reader must not treat it as the end of a row."""
    entry = FaqEntry(id="e1", category="c", question={"es": "¿Pregunta?", "en": "Question?"},
                     answer={"es": f"Horario de 8 a 4.{sep}Sábados cerrado.", "en": "8 to 4."})
    write_csv(Faq(entries=(entry,), path="memory"), tmp_path / "f.csv")
    assert check_faq(tmp_path / "f.csv") == []
    assert contents(load_faq(tmp_path / "f.csv")) == contents(Faq(entries=(entry,)))
