"""Small talk only when the whole message is small talk; a request for a person anywhere."""

from __future__ import annotations

import pytest

from faq.smalltalk import classify_smalltalk


@pytest.mark.parametrize("text,kind", [
    ("hola buenas tardes", "greeting"),
    ("Holaaaa!!", "greeting"),
    ("good morning", "greeting"),
    ("gracias!!", "thanks"),
    ("muchas gracias, muy amable", "thanks"),
    ("ok thanks", "thanks"),
    ("ok bye", "goodbye"),
    ("adios, hasta luego", "goodbye"),
    ("👍", "empty"),
    ("?!...", "empty"),
    ("   ", "empty"),
    ("", "empty"),
])
def test_whole_message_small_talk(text: str, kind: str) -> None:
    assert classify_smalltalk(text) == kind


@pytest.mark.parametrize("text", [
    "quiero hablar con una persona",
    "talk to a human",
    "agente",
    "necesito hablar con alguien",
    "hola, quiero hablar con un asesor sobre mi pension",
    "can I speak with a real person please",
])
def test_human_request_anywhere(text: str) -> None:
    assert classify_smalltalk(text) == "human"


@pytest.mark.parametrize("text", [
    "Hola, mi cuñado me mandó un video del IGSS, ¿qué es?",
    "gracias, y cuanto cuesta el seguro?",
    "hello how do i pay",
    "igss",
])
def test_questions_are_not_small_talk(text: str) -> None:
    assert classify_smalltalk(text) is None
