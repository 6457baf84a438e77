"""Vocabulary loading: every problem reported at once, each naming file, line, term and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from faq.errors import FaqLoadError
from faq.vocabulary import Vocabulary, load_vocabulary

BUNDLED = Path(__file__).resolve().parent.parent / "faq" / "data" / "vocabulary.yaml"


def _load(tmp_path: Path, text: str) -> Vocabulary:
    path = tmp_path / "vocab.yaml"
    path.write_text(text, encoding="utf-8")
    return load_vocabulary(path)


def _problems(tmp_path: Path, text: str) -> list:
    with pytest.raises(FaqLoadError) as info:
        _load(tmp_path, text)
    for p in info.value.problems:
        assert p.file.endswith("vocab.yaml")
    return info.value.problems


def test_bundled_vocabulary_loads() -> None:
    vocab = load_vocabulary(BUNDLED)
    assert vocab.canonical("patojos") == "hijo"
    assert vocab.canonical("kids") == "hijo"
    assert vocab.canonical("sign up") == "inscribir"
    assert vocab.abbreviations["q"] == "que"


def test_bundled_vocabulary_phone_words() -> None:
    """Everyday Guatemalan/Mexican phone Spanish and English reach the FAQ's words."""
    vocab = load_vocabulary(BUNDLED)
    for word, canonical in [("chamaca", "hijo"), ("mija", "hijo"), ("escuincla", "hijo"), ("jefita", "padres"),
                            ("carnal", "hermano"), ("abuelitos", "abuelo"), ("hubby", "esposa"),
                            ("lana", "dinero"), ("pisto", "dinero"), ("cuotita", "cuota"), ("envio", "enviar"),
                            ("chambita", "trabajo"), ("patrones", "patrono"), ("me corrieron", "despido"),
                            ("laid off", "despido"), ("sin trabajo", "despido"), ("consultorio", "hospital"),
                            ("sala de emergencias", "emergencia"), ("pildoras", "medicina"), ("encinta", "embarazo"),
                            ("lastimado", "accidente"), ("papeleo", "documento"), ("anotarme", "inscribir"),
                            ("el otro lado", "extranjero"), ("fallecio", "muerte"), ("jubilado", "pension"),
                            ("cuanto sale", "costo"), ("sacar cita", "cita"), ("daycare", "guarderia"),
                            ("el azucar", "diabetes"), ("hemodialisis", "dialisis"), ("presion alta", "hipertension"),
                            ("asthma", "cronico"), ("chuj", "maya"), ("suegra", "familia"),
                            ("brother in law", "familia"), ("part time", "trabajo"),
                            ("urgent care", "hospital"), ("paper", "documento"), ("carnecito", "carne"),
                            ("repongo", "renovar"), ("no tengo mica", "estatus migratorio"),
                            ("expired visa", "estatus migratorio"), ("jersey", "extranjero"),
                            ("por la compu", "internet"), ("hay un link", "internet"), ("azucar", "diabetes")]:
        assert vocab.canonical(word) == canonical, word
    # Meanings the FAQs keep apart stay apart (a chronic-care FAQ has an entry for each condition).
    assert len({vocab.canonical(w) for w in ("diabetes", "presion alta", "kidney disease", "dialisis")}) == 4
    assert vocab.canonical("acta de nacimiento") == "certificado de nacimiento" != vocab.canonical("certificado")
    assert vocab.canonical("tarjeta de debito") == "tarjeta" != vocab.canonical("carnet")
    assert vocab.canonical("despedido") != vocab.canonical("trabajo")
    # In-laws are relatives: not the spouse or the parents whose coverage the FAQ describes.
    assert vocab.canonical("suegra") not in (vocab.canonical("mama"), vocab.canonical("esposa"))
    assert vocab.abbreviations["uds"] == "ustedes"
    # "link" alone is also kinship ("prove a relative's link to the member"): only "hay un link" is a website
    assert vocab.canonical("link") is None
    assert vocab.abbreviations["onde"] == "donde" and vocab.abbreviations["til"] == "until"


def test_terms_are_normalised(tmp_path: Path) -> None:
    vocab = _load(tmp_path, "synonyms:\n  Niño: [BEBÉ, 'Sign-Up']\n")
    assert vocab.canonical("bebe") == "niño"
    assert vocab.canonical("sign up") == "niño"
    assert vocab.canonical("niño") == "niño"


def test_a_synonym_phrase_with_an_abbreviated_word_is_found(tmp_path: Path) -> None:
    """Messages are read after the abbreviations ("x" -> "por", "tres" -> "3"), so a phrase written
    with one ("rayos x", "cada tres meses") was never found: the lookup expands it too."""
    from faq.analysis import Analyzer

    vocab = _load(tmp_path, 'abbreviations:\n  x: por\n  tres: "3"\n  vegas: las vegas\n'
                            "synonyms:\n  chequeo: [rayos x]\n  trimestral: [cada tres meses]\n"
                            "  extranjero: [las vegas]\n")
    an = Analyzer(vocab)
    assert an.terms(an.words("rayos x")) == ["=chequeo"]
    assert an.terms(an.words("cada 3 meses")) == an.terms(an.words("cada tres meses")) == ["=trimestral"]
    assert an.terms(an.words("vivo en vegas")) == an.terms(an.words("vivo en las vegas"))


def test_vocabulary_is_immutable(tmp_path: Path) -> None:
    vocab = _load(tmp_path, "synonyms:\n  hijo: [kid]\n")
    with pytest.raises(TypeError):
        vocab.lookup["x"] = "y"  # type: ignore[index]
    with pytest.raises(AttributeError):
        vocab.path = "other"  # type: ignore[misc]


def test_empty_vocabulary() -> None:
    empty = Vocabulary.empty()
    assert empty.lookup == {} and empty.abbreviations == {}


def test_bad_yaml_reports_line(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path, "synonyms:\n  hijo: [kid, kids\n  esposa: [wife]\n")
    assert "YAML" in problem.message
    assert problem.line is not None


@pytest.mark.parametrize("text,line,words", [
    ("synonyms:\n\thijo: [kid, kids]\n", 2, "indented with a tab"),
    ("synonyms:\n  hijo: [kid, kids]\n   esposa: [wife]\n", 3, "check the indentation of line 3"),
    # Session 16's review: "the '{' opened on line 3 is not closed" for a '[' with an empty item.
    ("synonyms:\n  hijo: [kid]\n  vacuna: [vacunas, , \"\"]\n", 3,
     "line 3 has an empty item in the '[' opened on line 3: two commas with nothing between them"),
    ("synonyms:\n  hijo: [kid]\n  vacuna: {a: [vacunas, otra}\n", 3, "the '[' opened on line 3 is not closed"),
    ("synonyms:\n  vacuna: [vacunas, {a: b]\n", 2, "the '{' opened on line 2 is not closed"),
])
def test_yaml_slips_are_told_in_the_faqs_plain_words(tmp_path: Path, text: str, line: int, words: str) -> None:
    """Session 15's review: the FAQ's YAML slips were told plainly, the vocabulary's in PyYAML's words."""
    (problem,) = _problems(tmp_path, text)
    assert problem.line == line and words in problem.message, problem.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FaqLoadError) as info:
        load_vocabulary(tmp_path / "nope.yaml")
    assert "not found" in info.value.problems[0].message


def test_empty_list_of_terms(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path, "synonyms:\n  hijo: []\n")
    assert (problem.entry, problem.field, problem.line) == ("hijo", "synonyms.hijo", 2)


def test_empty_expansion(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path, "abbreviations:\n  q: ''\n")
    assert (problem.entry, problem.field, problem.line) == ("q", "abbreviations", 2)


def test_missing_terms_value(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path, "synonyms:\n  hijo:\n")
    assert (problem.entry, problem.field) == ("hijo", "synonyms.hijo")


def test_duplicate_term_mapped_to_two_canonicals(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path, "synonyms:\n  hijo: [kid]\n  esposa: [wife, Kid]\n")
    assert (problem.entry, problem.field, problem.line) == ("kid", "synonyms.esposa", 3)
    assert "hijo" in problem.message and "line 2" in problem.message


def test_a_canonical_term_listed_as_another_ones_synonym_is_told_as_such(tmp_path: Path) -> None:
    """Session 16's review: "term 'menor' is already mapped to 'menor'" read as nonsense."""
    (problem,) = _problems(tmp_path, "synonyms:\n  menor: [niño]\n  hijo: [menor, patojo]\n")
    assert (problem.entry, problem.field, problem.line) == ("menor", "synonyms.hijo", 3)
    assert problem.message.startswith("'menor' is itself a canonical term (line 2), so it cannot also be a synonym "
                                      "of 'hijo'"), problem.message
    (problem,) = _problems(tmp_path, "synonyms:\n  hijo: [menor, patojo]\n  menor: [niño]\n")
    assert (problem.entry, problem.field, problem.line) == ("menor", "synonyms.menor", 3)
    assert problem.message.startswith("'menor' is already a synonym of 'hijo' (line 2), so it cannot also be a "
                                      "canonical term of its own"), problem.message
    (problem,) = _problems(tmp_path, "institutions:\n  imss: [seguro social]\n  igss: [imss]\n")
    assert problem.message.startswith("'imss' is itself a label (line 2), so it cannot also be a term of 'igss'")


def test_duplicate_key(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path, "synonyms:\n  hijo: [kid]\n  hijo: [kids]\n")
    assert (problem.entry, problem.line) == ("hijo", 3)


def test_wrong_types(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "synonyms:\n  hijo: kid\n  esposa: [wife, 3, {a: b}]\n"
                                   "abbreviations: [q, que]\n")
    where = {(p.entry, p.field, p.line) for p in problems}
    assert ("hijo", "synonyms.hijo", 2) in where
    assert sum(1 for p in problems if p.entry == "esposa" and p.field == "synonyms.esposa") == 2
    assert (None, "abbreviations", 4) in where


def test_unknown_section_and_top_level_type(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path, "synonym:\n  hijo: [kid]\n")
    assert (problem.field, problem.line) == ("synonym", 1)
    (problem,) = _problems(tmp_path, "- a\n- b\n")
    assert "mapping" in problem.message


def test_every_problem_is_listed(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "abbreviations:\n  q: ''\n  two words: x\n"
                                   "synonyms:\n  hijo: []\n  esposa: [wife]\n  mujer: [wife]\n")
    assert len(problems) == 4
    assert [p.line for p in problems] == sorted(p.line for p in problems)
    assert all(p.entry and p.field for p in problems)


# -- tagging sections: institutions and needs_staff --------------------------------------------
def test_bundled_tagging_sections() -> None:
    vocab = load_vocabulary(BUNDLED)
    assert "imss" in vocab.institutions and "igss" in vocab.institutions
    assert "medicaid" in vocab.institutions
    assert "seguro social mexicano" in vocab.institutions["imss"]
    assert vocab.needs_staff and all(vocab.needs_staff.values())


def test_tagging_sections_are_parsed_and_normalised(tmp_path: Path) -> None:
    vocab = _load(tmp_path, "institutions:\n  IMSS: [Seguro Social Mexicano]\n  renap: []\n"
                            "needs_staff:\n  refused: [Rechazaron, 'denied']\n")
    assert vocab.institutions == {"imss": ("seguro social mexicano",), "renap": ()}
    assert vocab.needs_staff == {"refused": ("rechazaron", "denied")}
    assert vocab.lookup == {}  # tags do not change how words are compared


def test_a_term_may_be_a_synonym_and_an_institution(tmp_path: Path) -> None:
    vocab = _load(tmp_path, "synonyms:\n  consulado: [consulate]\ninstitutions:\n  consulado: [consulate]\n")
    assert vocab.canonical("consulate") == "consulado" and vocab.institutions["consulado"] == ("consulate",)


def test_institution_term_with_two_labels(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path, "institutions:\n  imss: [seguro social]\n  igss: [IGSS, Seguro Social]\n")
    assert (problem.entry, problem.field, problem.line) == ("seguro social", "institutions.igss", 3)
    assert "imss" in problem.message and "line 2" in problem.message


def test_tagging_section_problems_name_file_line_term_and_field(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "institutions:\n  imss: seguro social\n  afore: [afores, 3]\n"
                                   "needs_staff: [queja]\n")
    where = {(p.entry, p.field, p.line) for p in problems}
    assert ("imss", "institutions.imss", 2) in where
    assert ("afore", "institutions.afore", 3) in where
    assert (None, "needs_staff", 4) in where
    assert len(problems) == 3


def test_needs_staff_duplicate_label(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path, "needs_staff:\n  complaint: [queja]\n  Complaint: [complain]\n")
    assert (problem.entry, problem.field, problem.line) == ("Complaint", "needs_staff", 3)


def test_a_synonym_written_as_text_is_not_told_to_quote_it(tmp_path: Path) -> None:
    """Session 12's review: "zzz: bar" was told "(a str; put it in quotes to make it text)"."""
    path = tmp_path / "v.yaml"
    path.write_text("synonyms:\n  zzz: bar\n  yyy: 14\n", encoding="utf-8")
    with pytest.raises(FaqLoadError) as err:
        load_vocabulary(path)
    text = [p.message for p in err.value.problems]
    assert any("got the text 'bar'" in m and "quotes" not in m for m in text), text
    assert any("'14' (a int; put it in quotes" in m for m in text), text


def test_countries_point_at_institutions(tmp_path: Path) -> None:
    """The countries section maps an institution label to its country's words, normalised."""
    vocab = _load(tmp_path, "institutions:\n  igss: []\ncountries:\n  igss: [Guatemala, Chapín]\n")
    assert vocab.countries["igss"] == ("guatemala", "chapin")


def test_a_country_of_an_unknown_institution_is_named_with_its_line(tmp_path: Path) -> None:
    """A typo in the label would silently do nothing: it must name a label of institutions."""
    problems = _problems(tmp_path, "institutions:\n  igss: []\ncountries:\n  igss: [guatemala]\n  imms: [mexico]\n")
    assert [(p.line, p.entry, p.field) for p in problems] == [(5, "imms", "countries")]
    assert "institutions" in problems[0].message


def test_bundled_countries() -> None:
    vocab = load_vocabulary(BUNDLED)
    assert {"guatemala", "chapin", "huehuetenango"} <= set(vocab.countries["igss"])
    assert {"mexicano", "oaxaca", "jalisco"} <= set(vocab.countries["imss"])


def test_needs_staff_terms_may_let_words_come_between_phrases(tmp_path: Path) -> None:
    """Session 14's review: "my employer did not pay my igss", "my employer in guatemala never
    paid" were answered with the voluntary-contributions entry (pay it yourself): no list of fixed
    phrases holds every way to put words between the employer and the payment."""
    from faq.analysis import Tagger

    vocab = _load(tmp_path, "needs_staff:\n  not paid: [employer … never paid, patron ... no pago]\n")
    assert vocab.needs_staff["not paid"] == ("employer ... never paid", "patron ... no pago")
    tagger = Tagger(vocab.needs_staff, {})

    def tag(text: str) -> frozenset[str]:
        return tagger(text.split(" "))

    assert tag("my employer in guatemala never paid my igss") == {"not paid"}
    assert tag("el patron de la finca no pago") == {"not paid"}
    assert tag("my employer a b c d e never paid") == frozenset()  # more than four words between
    assert tag("never paid my employer") == frozenset()  # in that order only
    # Another clause may have another subject: the member not paying is a question about the rules.
    assert tag("si dejo de trabajar con mi patron y no pago pierdo el igss") == frozenset()


def test_words_between_are_only_for_needs_staff_and_need_two_phrases(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "synonyms:\n  cita: [sacar ... cita]\nneeds_staff:\n  x: [patron ...]\n")
    found = {(p.field, p.line): p.message for p in problems}
    assert "only allowed in needs_staff" in found[("synonyms.cita", 2)]
    assert "between two phrases" in found[("needs_staff.x", 4)]
    assert len(problems) == 2
