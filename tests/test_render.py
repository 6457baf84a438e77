"""The answer message members receive: exact format and HTML escaping."""

from __future__ import annotations

from faq.model import FaqEntry
from faq.render import MAX_MESSAGE_CHARS, message_length, render_answer


def _entry(q_es: str = "¿Pregunta?", a_es: str = "Respuesta.", q_en: str = "Question?",
           a_en: str = "Answer.") -> FaqEntry:
    return FaqEntry(id="x", category="c", question={"es": q_es, "en": q_en},
                    answer={"es": a_es, "en": a_en})


def test_format_is_bold_question_blank_line_answer() -> None:
    assert render_answer(_entry(), "es") == "<b>¿Pregunta?</b>\n\nRespuesta."
    assert render_answer(_entry(), "en") == "<b>Question?</b>\n\nAnswer."


def test_escapes_lt_gt_amp_in_question_and_answer() -> None:
    entry = _entry(q_es="¿<b>IGSS</b> & IMSS?", a_es="Si edad < 60 & cuotas > 240: <i>no</i>")
    assert render_answer(entry, "es") == (
        "<b>¿&lt;b&gt;IGSS&lt;/b&gt; &amp; IMSS?</b>\n\n"
        "Si edad &lt; 60 &amp; cuotas &gt; 240: &lt;i&gt;no&lt;/i&gt;"
    )


def test_quotes_are_not_escaped() -> None:
    entry = _entry(a_en='It\'s the "Acuerdo 1543".')
    assert render_answer(entry, "en").endswith('It\'s the "Acuerdo 1543".')


def test_newlines_in_answer_are_kept() -> None:
    entry = _entry(a_es="Línea uno.\n\nLínea dos.")
    assert render_answer(entry, "es") == "<b>¿Pregunta?</b>\n\nLínea uno.\n\nLínea dos."


def test_falls_back_to_other_language_when_missing() -> None:
    entry = FaqEntry(id="x", category="c", question={"es": "¿P?", "en": ""}, answer={"es": "R", "en": ""})
    assert render_answer(entry, "en") == "<b>¿P?</b>\n\nR"


def test_limit_and_length_measure() -> None:
    assert MAX_MESSAGE_CHARS == 4096
    assert message_length("abc") == 3
    assert message_length("😀") == 2  # Telegram counts UTF-16 code units
