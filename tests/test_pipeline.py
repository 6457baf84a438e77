"""The member pipeline without Telegram: real FAQ, real matcher, real SQLite store."""

from __future__ import annotations

import dataclasses
import html
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from config import BUNDLED_FAQ, BUNDLED_VOCABULARY
from conversation.callbacks import route_callback
from conversation.pipeline import Member, Pipeline
from conversation.replies import CALLBACK_DATA_MAX_BYTES, short_label
from desk.desk import StaffDesk
from desk.hours import OfficeHours
from desk.sender import OutboxSender
from faq.matcher import DEFAULT_THRESHOLDS, MAX_OFFERED
from faq.model import Faq
from faq.service import FaqService
from storage.store import Store
from tests.helpers import rows
from tests.test_desk import STAFF, FakeTransport, drain

ANA = Member(id=101, chat_id=101, first_name="Ana", language_code="es")
JOHN = Member(id=202, chat_id=202, first_name="John", language_code="en-US")


async def test_spanish_question_with_typos_gets_the_spanish_cost_answer(pipeline: Pipeline, store: Store) -> None:
    replies = await pipeline.handle_text(ANA, "cuanto cuesta el seguro pa migrantes")
    assert len(replies) == 1
    entry = pipeline.faqs.snapshot.faq.get("migrant-cost")
    assert entry is not None
    assert entry.answer["es"][:40] in replies[0].text
    # 👍/👎 point at the answer's own log row.
    datas = [b.data for row in replies[0].buttons for b in row]
    assert datas == [f"fb:{replies[0].log_id}:1", f"fb:{replies[0].log_id}:-1"]
    inbound = rows(store, "select * from messages where direction = 'in'")
    assert inbound[0]["text"] == "cuanto cuesta el seguro pa migrantes"
    assert inbound[0]["decision"] == "answer" and inbound[0]["faq_id"] == "migrant-cost"
    assert inbound[0]["lang"] == "es" and inbound[0]["score"] > 0 and inbound[0]["latency_ms"] >= 0
    outbound = rows(store, "select * from messages where direction = 'out'")
    assert outbound[0]["in_reply_to"] == inbound[0]["id"] and outbound[0]["faq_id"] == "migrant-cost"


async def test_english_question_gets_english_answer(pipeline: Pipeline) -> None:
    replies = await pipeline.handle_text(JOHN, "How much does the IGSS migrant program cost?")
    entry = pipeline.faqs.snapshot.faq.get("migrant-cost")
    assert entry is not None and entry.answer["en"][:40] in replies[0].text


async def test_chosen_language_wins_over_detection(pipeline: Pipeline) -> None:
    await pipeline.set_language(ANA, "en")
    replies = await pipeline.handle_text(ANA, "cuanto cuesta el programa de migrantes del igss")
    entry = pipeline.faqs.snapshot.faq.get("migrant-cost")
    assert entry is not None and entry.answer["en"][:40] in replies[0].text


async def test_deep_link_preselects_language(pipeline: Pipeline, store: Store) -> None:
    replies = await pipeline.handle_start(ANA, "en")
    assert "Hi, Ana" in replies[0].text and not replies[0].buttons
    assert rows(store, "select chosen_language from members where id = ?", (ANA.id,))[0]["chosen_language"] == "en"
    plain = await pipeline.handle_start(JOHN)
    assert [b.data for b in plain[0].buttons[0]] == ["lang:es", "lang:en"]


async def test_a_links_language_yields_to_clear_words_but_a_picked_one_does_not(
        pipeline: Pipeline, store: Store) -> None:
    """Third review: after ?start=en (an English poster's code), whole Spanish sentences were
    answered in English until the member typed "no entiendo inglés". A link only preselects: a
    message whose words decide the language wins, and from then on the language is detected.
    A short message that decides nothing keeps the link's language; a language the member picked
    with its button keeps winning over detection, as the brief asks."""
    cost = pipeline.faqs.snapshot.faq.get("migrant-cost")
    assert cost is not None
    await pipeline.handle_start(ANA, "en")
    assert rows(store, "select language_source from members where id = ?", (ANA.id,))[0]["language_source"] == "link"
    [short] = await pipeline.handle_text(ANA, "igss cuota")  # decides nothing: the link's English
    assert short.text.startswith("I'm not sure I understood")
    assert rows(store, "select chosen_language from members where id = ?", (ANA.id,))[0]["chosen_language"] == "en"
    spanish = "buenas, quisiera saber cuanto cuesta el seguro del igss para migrantes"
    [reply] = await pipeline.handle_text(ANA, spanish)
    assert cost.answer["es"][:40] in reply.text
    assert rows(store, "select chosen_language from members where id = ?", (ANA.id,))[0]["chosen_language"] is None
    await pipeline.set_language(JOHN, "en")
    [picked] = await pipeline.handle_text(JOHN, spanish)
    assert cost.answer["en"][:40] in picked.text


async def test_unknown_question_is_escalated_and_logged(pipeline: Pipeline, store: Store) -> None:
    replies = await pipeline.handle_text(ANA, "quien gano el partido de futbol anoche en xela")
    assert "/menu" in replies[0].text  # no staff group configured: noted for the team
    inbound = rows(store, "select decision from messages where direction = 'in'")
    assert inbound[0]["decision"] == "escalate"


async def test_suggestions_then_tap_answers(pipeline: Pipeline, store: Store) -> None:
    result = None
    for q in ("igss migrantes", "pago igss", "cancer igss", "pension igss", "familia igss migrante"):
        result = pipeline.faqs.snapshot.matcher.match(q)
        if result.decision == "suggest":
            break
    assert result is not None and result.decision == "suggest", "expected one vague query to give suggestions"
    replies = await pipeline.handle_text(ANA, result.query)
    buttons = [b for row in replies[0].buttons for b in row]
    assert 2 <= len(buttons) <= MAX_OFFERED + 1  # the questions and "none of these"
    assert buttons[-1].data.startswith("none:")
    assert all(len(b.data.encode()) <= CALLBACK_DATA_MAX_BYTES for b in buttons)
    picked = buttons[0].data
    answer = await route_callback(pipeline, ANA, picked)
    faq_id = picked.split(":", 1)[1]
    entry = pipeline.faqs.snapshot.faq.get(faq_id)
    assert entry is not None and entry.answer["es"][:30] in answer[0].text
    none = await route_callback(pipeline, ANA, buttons[-1].data)
    assert none[0].text  # escalation notice
    decisions = [r["decision"] for r in rows(store, "select decision from messages where direction='in' order by id")]
    assert decisions == ["suggest", "answer", "escalate"]


async def test_feedback_is_stored_once_per_answer(pipeline: Pipeline, store: Store) -> None:
    replies = await pipeline.handle_text(ANA, "cuanto cuesta el programa de migrantes del igss")
    answer_id = replies[0].log_id
    await route_callback(pipeline, ANA, f"fb:{answer_id}:1")
    await route_callback(pipeline, ANA, f"fb:{answer_id}:-1")  # changed their mind
    fb = rows(store, "select * from feedback")
    assert len(fb) == 1 and fb[0]["vote"] == -1 and fb[0]["faq_id"] == "migrant-cost"
    # Another member cannot vote on Ana's answer.
    other = await route_callback(pipeline, JOHN, f"fb:{answer_id}:1")
    assert "no longer available" in other[0].text
    assert len(rows(store, "select * from feedback")) == 1


async def test_smalltalk_and_human_request(pipeline: Pipeline, store: Store) -> None:
    hi = await pipeline.handle_text(ANA, "hola buenas tardes")
    assert "/menu" in hi[0].text and not hi[0].buttons
    thanks = await pipeline.handle_text(JOHN, "thanks!!")
    assert "welcome" in thanks[0].text.lower()
    person = await pipeline.handle_text(ANA, "quiero hablar con una persona")
    decisions = [r["decision"] for r in rows(store, "select decision from messages where direction='in' order by id")]
    assert decisions == ["smalltalk", "smalltalk", "escalate"]
    # Without a staff desk nobody reads the chat: the member is told so and where people can be
    # reached, not that "our team" will add the question.
    assert "no puedo pasarle con una persona" in person[0].text and "/menu" in person[0].text
    human = await pipeline.handle_text(JOHN, "I want to talk to a human")
    assert "can't pass you to a person" in human[0].text
    unknown = await pipeline.handle_text(JOHN, "what's the weather tomorrow in Xela")
    # No promise that the weather will be added to the FAQ, and the way to the institution.
    assert "I don't have an answer to that." in unknown[0].text and "noted" not in unknown[0].text
    assert "contact the institution" in unknown[0].text


@pytest.mark.parametrize(
    "text",
    ["", "   ", "😀😀😀", "\x00\x07\x1b[31m", "<b>hola</b><script>alert(1)</script>", "a" * 4096, "¿?¡!"],
)
async def test_odd_input_gets_a_clear_answer_and_is_logged(pipeline: Pipeline, store: Store, text: str) -> None:
    replies = await pipeline.handle_text(ANA, text)
    assert replies and all(r.text for r in replies)
    assert all(len(r.text) <= 4096 for r in replies)
    assert "<script>" not in "".join(r.text for r in replies)
    logged = rows(store, "select text from messages where direction = 'in'")
    assert logged[0]["text"] == text


async def test_media_gets_polite_reply(pipeline: Pipeline, store: Store) -> None:
    replies = await pipeline.handle_media(JOHN, "sticker", file_id="STK")
    assert "text" in replies[0].text.lower()
    assert rows(store, "select kind from messages where direction = 'in'")[0]["kind"] == "sticker"


async def test_menu_browses_categories(pipeline: Pipeline) -> None:
    menu = await pipeline.handle_menu(JOHN)
    cats = [b for row in menu[0].buttons for b in row]
    assert len(cats) == len(pipeline.faqs.snapshot.faq.category_slugs())
    questions = await route_callback(pipeline, JOHN, cats[0].data)
    datas = [b.data for row in questions[0].buttons for b in row]
    assert datas[-1] == "menu" and all(d.startswith("pick:") for d in datas[:-1])


@pytest.mark.parametrize("data", ["pick:does-not-exist", "cat:999", "fb:999999:1", "none:abc", "zzz", "fb:1:7"])
async def test_stale_or_forged_buttons_are_handled(pipeline: Pipeline, data: str) -> None:
    replies = await route_callback(pipeline, ANA, data)
    assert "no longer available" in replies[0].text.lower() or "ya no está disponible" in replies[0].text


async def test_inbound_is_logged_even_if_matching_crashes(pipeline: Pipeline, store: Store, monkeypatch) -> None:
    def boom(text: str, context: object = None, last: object = None, stated: object = None) -> None:
        raise RuntimeError("matcher exploded")

    monkeypatch.setattr(pipeline.faqs.snapshot.matcher, "match", boom)
    with pytest.raises(RuntimeError):
        await pipeline.handle_text(ANA, "una pregunta importante")
    assert rows(store, "select text from messages")[0]["text"] == "una pregunta importante"


async def test_edited_message_is_answered_and_marked(pipeline: Pipeline, store: Store) -> None:
    await pipeline.handle_text(ANA, "cuanto cuesta el programa de migrantes", telegram_message_id=5, edited=True)
    assert rows(store, "select edited from messages where direction='in'")[0]["edited"] == 1


async def test_forget_deletes_the_members_data_and_a_cancel_is_logged(pipeline: Pipeline, store: Store) -> None:
    await pipeline.handle_text(ANA, "cuanto cuesta el programa de migrantes del igss")
    await pipeline.handle_text(JOHN, "thanks")
    ask = await pipeline.handle_forget_request(ANA)
    assert [b.data for b in ask[0].buttons[0]] == ["forget:yes", "forget:no"]
    kept = await route_callback(pipeline, ANA, "forget:no")
    # A member who cancels keeps a complete history: the question and the Cancel are logged.
    assert kept[0].text == "No se borró nada."
    logged = rows(store, "select direction, text from messages where member_id = ? order by id", (ANA.id,))
    assert [(r["direction"], r["text"]) for r in logged[2:]] == [
        ("in", "/forget"), ("out", ask[0].text), ("in", "forget:no"), ("out", "No se borró nada.")
    ]
    done = await route_callback(pipeline, ANA, "forget:yes")
    assert done[0].log_id is None
    assert rows(store, "select count(*) n from messages where member_id = ?", (ANA.id,))[0]["n"] == 0
    assert rows(store, "select count(*) n from members where id = ?", (ANA.id,))[0]["n"] == 0
    assert rows(store, "select count(*) n from messages where member_id = ?", (JOHN.id,))[0]["n"] == 2


@pytest.mark.parametrize(
    ("code", "expected"), [("es-MX", "es"), ("en", "en"), ("EN_us", "en"), ("pt-BR", "es"), (None, "es")]
)
def test_language_from_telegram_code(code: str | None, expected: str) -> None:
    from conversation.pipeline import language_from_code

    assert language_from_code(code, "es") == expected
    assert language_from_code("es", "en") == "es"


MARIA = Member(id=303, chat_id=303, first_name="María", language_code="es")  # Spanish phone, writes English


async def test_taps_follow_the_language_of_the_conversation(pipeline: Pipeline) -> None:
    """English question from a Spanish phone: the buttons are English, so what a tap brings is too."""
    suggest = (await pipeline.handle_text(MARIA, "I need a document"))[0]
    pick = suggest.buttons[0][0]
    entry = pipeline.faqs.snapshot.faq.get(pick.data.split(":", 1)[1])
    assert entry is not None and entry.question_in("en")[:30] in pick.label
    answer = (await route_callback(pipeline, MARIA, pick.data))[0]
    assert entry.answer_in("en").split("\n")[0][:40] in answer.text
    thanks = (await route_callback(pipeline, MARIA, answer.buttons[0][0].data))[0]
    assert thanks.text == "Thank you for your feedback!"
    # A command without text (/help) stays in the conversation's language too ...
    assert "How to use Puente" in (await pipeline.handle_help(MARIA))[0].text
    # ... until the member writes in Spanish.
    await pipeline.handle_text(MARIA, "cuanto cuesta el programa de migrantes")
    assert "Cómo usar Puente" in (await pipeline.handle_help(MARIA))[0].text


@pytest.mark.parametrize("payload,chosen", [
    ("es", "es"), ("en", "en"), ("EN", "en"), ("es-consulado", "es"), ("en_poster", "en"),
    ("enlace", None), ("encuesta", None), ("esp", None), ("english-club", None), ("fr", None),
])
async def test_start_payload_picks_only_a_real_language(
        pipeline: Pipeline, store: Store, payload: str, chosen: str | None) -> None:
    replies = await pipeline.handle_start(MARIA, payload)
    member = rows(store, "select chosen_language from members where id = 303")[0]
    assert member["chosen_language"] == chosen
    assert bool(replies[0].buttons) == (chosen is None)  # language buttons only when none was picked


def _reloadable(store: Store, tmp_path: Path, lang: str) -> tuple[Faq, Path, FaqService, Pipeline]:
    """The bundled FAQ copied to ``tmp_path`` (a test rewrites it, then /reloads), its service and
    a pipeline over it."""
    from faq.loader import load_faq
    from faq.yamlio import write_yaml

    faq = load_faq(BUNDLED_FAQ)
    path = tmp_path / "faq.yaml"
    write_yaml(faq, path)
    faqs = FaqService(path, BUNDLED_VOCABULARY, DEFAULT_THRESHOLDS)
    faqs.load()
    return faq, path, faqs, Pipeline(store, faqs, default_language=lang)


async def test_old_menu_buttons_open_their_own_topic_after_a_reload(store: Store, tmp_path: Path) -> None:
    """An admin reorders and retires topics; a member taps a /menu button sent before the /reload."""
    from faq.yamlio import write_yaml

    faq, path, faqs, pipeline = _reloadable(store, tmp_path, "en")
    menu = (await pipeline.handle_menu(JOHN))[0]
    old_buttons = {b.label: b.data for row in menu.buttons for b in row}
    slugs = faq.category_slugs()
    first, last = slugs[0], slugs[-1]
    # Retire the first topic and move the last one to the top.
    kept = [e for e in faq.entries if e.category != first]
    kept.sort(key=lambda e: e.category != last)
    write_yaml(dataclasses.replace(faq, entries=tuple(kept)), path)
    assert faqs.reload().ok
    opened = await route_callback(pipeline, JOHN, old_buttons[short_label(faq.category_label(last, "en"))])
    assert faq.category_label(last, "en") in opened[0].text
    gone = await route_callback(pipeline, JOHN, old_buttons[short_label(faq.category_label(first, "en"))])
    assert "no longer available" in gone[0].text.lower()
    assert all(len(d.encode()) <= 64 for d in old_buttons.values())


async def test_help_who_and_unclear_get_guidance_not_an_faq_answer(pipeline: Pipeline, store: Store) -> None:
    """Opening lines like "necesito ayuda" used to get a confident answer from some entry that
    happened to say "ayuda"; "no entiendo" switched a Spanish speaker to English ("no")."""
    help_es = (await pipeline.handle_text(ANA, "hola necesito ayuda"))[0]
    assert "Cómo usar Puente" in help_es.text
    who_en = (await pipeline.handle_text(JOHN, "are you a bot?"))[0]
    assert who_en.text.startswith("I'm Puente, an automatic assistant")
    await pipeline.handle_text(ANA, "cuanto cuesta el programa de migrantes")
    lost = (await pipeline.handle_text(ANA, "no entiendo"))[0]
    assert lost.text.startswith("Disculpe, intentemos de nuevo")
    decisions = [r["decision"] for r in rows(store, "select decision from messages where direction='in' order by id")]
    assert decisions == ["smalltalk", "smalltalk", "answer", "smalltalk"]


async def test_thumbs_down_without_a_staff_group_does_not_contradict_the_answer(pipeline: Pipeline) -> None:
    answer = (await pipeline.handle_text(JOHN, "how much does the IGSS migrant program cost?"))[0]
    down = (await route_callback(pipeline, JOHN, answer.buttons[0][1].data))[0]
    assert down.text.startswith("Sorry that didn't help. I've noted it so our team can improve that answer.")
    assert "don't have an answer" not in down.text


async def test_a_menu_topic_lists_its_questions_in_full(pipeline: Pipeline) -> None:
    """Buttons are cut to one phone line; the text above them carries the whole questions."""
    menu = (await pipeline.handle_menu(JOHN))[0]
    topic = (await route_callback(pipeline, JOHN, menu.buttons[0][0].data))[0]
    picks = [b for row in topic.buttons for b in row if b.data.startswith("pick:")]
    for n, button in enumerate(picks, start=1):
        entry = pipeline.faqs.snapshot.faq.get(button.data.split(":", 1)[1])
        assert entry is not None and f"{n}. {entry.question_in('en')}" in html.unescape(topic.text)
        assert button.label.startswith(f"{n}. ")


async def test_typing_the_number_of_a_suggestion_answers_it(pipeline: Pipeline, store: Store) -> None:
    """The suggestions are listed "1. …", "2. …": on Telegram a member may type the number."""
    suggest = (await pipeline.handle_text(ANA, "igss migrantes"))[0]
    picks = [b.data.split(":", 1)[1] for row in suggest.buttons for b in row if b.data.startswith("pick:")]
    assert len(picks) >= 2
    second = pipeline.faqs.snapshot.faq.get(picks[1])
    answer = (await pipeline.handle_text(ANA, "2"))[0]
    assert second is not None and second.answer_in("es")[:40] in answer.text
    logged = rows(store, "select decision, faq_id from messages where direction='in' and text = '2'")
    assert logged == [{"decision": "answer", "faq_id": picks[1]}]
    # "la primera" works too, as long as the list is the last thing shown ...
    await pipeline.handle_text(ANA, "igss migrantes")
    first = pipeline.faqs.snapshot.faq.get(picks[0])
    assert first is not None and first.answer_in("es")[:40] in (await pipeline.handle_text(ANA, "la primera"))[0].text
    # ... a new question in between, or a number not on the list, is not a pick.
    await pipeline.handle_text(ANA, "cuanto cuesta el programa de migrantes")
    assert (await pipeline.handle_text(ANA, "1"))[0].text.startswith("Disculpe, intentemos de nuevo")
    await pipeline.handle_text(ANA, "igss migrantes")
    assert (await pipeline.handle_text(ANA, "7"))[0].text.startswith("Escriba un número del 1 al")


async def test_a_typed_number_still_works_after_a_restart(pipeline: Pipeline, store: Store) -> None:
    """A deploy between the list and the member's "2": the new process has no memory of the list,
    so it reads it back from the log (messages.choices) and answers the question the member saw."""
    suggest = (await pipeline.handle_text(ANA, "igss migrantes"))[0]
    picks = [b.data.split(":", 1)[1] for row in suggest.buttons for b in row if b.data.startswith("pick:")]
    assert len(picks) >= 2
    logged = rows(store, "select choices from messages where id = ?", (suggest.log_id,))
    assert logged == [{"choices": json.dumps(picks)}]
    restarted = Pipeline(store, pipeline.faqs, default_language="es")
    second = pipeline.faqs.snapshot.faq.get(picks[1])
    answer = (await restarted.handle_text(ANA, "2"))[0]
    assert second is not None and second.answer_in("es")[:40] in answer.text
    # The answer is now the latest reply: a second "2" is not a pick from the old list any more.
    again = Pipeline(store, pipeline.faqs, default_language="es")
    assert (await again.handle_text(ANA, "2"))[0].text.startswith("Disculpe, intentemos de nuevo")


def _desk_pipeline(store: Store, faqs: FaqService) -> tuple[Pipeline, StaffDesk, OutboxSender, FakeTransport]:
    """A pipeline with a staff desk (a recording transport, real time)."""
    transport = FakeTransport()
    desk = StaffDesk(store, staff_chat_id=STAFF, staff_language="en", clock=lambda: datetime.now(UTC),
                     hours=OfficeHours())
    sender = OutboxSender(store, transport, hooks=desk, limited_chats=frozenset({STAFF}), per_minute=1000,
                          clock=lambda: datetime.now(UTC), tick=desk.tick)
    return Pipeline(store, faqs, default_language="es", desk=desk), desk, sender, transport


async def test_forget_takes_the_members_messages_out_of_the_staff_group(pipeline: Pipeline, store: Store) -> None:
    """Third review: /forget told the member their requests to the team were deleted, but the card
    and the copy of a photo captioned "mi DPI" stayed in the staff group, buttons and all. The
    bot's posts there are now blanked and deleted; Telegram refusing one (older than 48 hours)
    is expected: no outage, no note to staff."""
    from desk.sender import MessageGone

    desk_pipeline, _desk, sender, transport = _desk_pipeline(store, pipeline.faqs)
    await desk_pipeline.handle_text(ANA, "mi patron no me pago el igss, trabajo en una finca de Escuintla")
    await desk_pipeline.handle_media(ANA, "photo", caption="mi DPI", file_id="F1", telegram_message_id=77)
    await drain(sender)
    posted = [c for c in transport.to(STAFF)]
    card = next(c for c in posted if c.method == "sendMessage" and "#1" in c.params["text"])
    copy = next(c for c in posted if c.method == "copyMessage")
    # the copy's deletion is refused, as Telegram does after 48 hours
    transport.fail(MessageGone("Bad Request: message can't be deleted"),
                   when=lambda m, p: m == "deleteMessage" and p.get("message_id") == copy.message_id)
    await desk_pipeline.handle_forget(ANA, confirmed=True)
    await drain(sender)
    later = transport.to(STAFF)[len(posted):]
    blanked = [c for c in later if c.method == "editMessageText"]
    assert any(c.params["message_id"] == card.message_id and "Deleted at the member's request" in c.params["text"]
               and "reply_markup" not in c.params for c in blanked)
    assert any(c.method == "editMessageCaption" and c.params["message_id"] == copy.message_id for c in later)
    assert card.message_id in {c.params["message_id"] for c in later if c.method == "deleteMessage"}
    assert not [c for c in later if c.method == "sendMessage"]  # no note about the refused deletion
    assert rows(store, "select count(*) n from outbox where state = 'pending'")[0]["n"] == 0
    assert rows(store, "select count(*) n from tickets")[0]["n"] == 0


async def test_a_running_bot_withdraws_the_cards_of_a_member_forgotten_from_the_command_line(
        pipeline: Pipeline, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Session 16's review: `bot.py forget-member` deleted the rows that say where the member's
    card is, and the card (their name and question) stayed in the staff group for good. The
    command now queues the same withdrawal as /forget, which the bot running the desk sends."""
    import bot

    desk_pipeline, _desk, sender, transport = _desk_pipeline(store, pipeline.faqs)
    await desk_pipeline.handle_text(ANA, "mi patron no me pago el igss, trabajo en una finca de Escuintla")
    await drain(sender)
    card = next(c for c in transport.to(STAFF) if c.method == "sendMessage" and "#1" in c.params["text"])
    posted = len(transport.to(STAFF))
    monkeypatch.setenv("PUENTE_DB", store.path)  # the command line beside the running bot
    monkeypatch.setenv("PUENTE_STAFF_LANGUAGE", "es")
    assert bot.main(["forget-member", str(ANA.id)]) == 0
    await drain(sender)
    later = transport.to(STAFF)[posted:]
    [blank] = [c for c in later if c.method == "editMessageText"]
    assert blank.params["message_id"] == card.message_id and blank.params["text"] == "🗑 Borrado a pedido de la persona."
    assert [c.params["message_id"] for c in later if c.method == "deleteMessage"] == [card.message_id]
    assert rows(store, "select count(*) n from outbox where state = 'pending'")[0]["n"] == 0


async def test_a_member_forgotten_from_the_command_line_is_not_answered_with_their_old_context(
        pipeline: Pipeline, store: Store) -> None:
    """The running bot remembered the country the member named before `bot.py forget-member`
    deleted their data, and kept answering with it. A member new to the database starts afresh."""
    question = "cuanto cuesta el seguro para mi familia"
    imss = pipeline.faqs.snapshot.faq.get("imss-ssf-cost")
    assert imss is not None
    await pipeline.handle_text(ANA, "hola, soy de Guatemala y vivo en Los Angeles")
    [steered] = await pipeline.handle_text(ANA, question)
    assert imss.answer["es"][:40] not in steered.text  # the stated country holds
    from storage import conversations as conv

    await store.call(conv.forget_member_and_withdraw, ANA.id, notice="-")  # what `forget-member` does
    [fresh] = await pipeline.handle_text(ANA, question)
    assert imss.answer["es"][:40] in fresh.text, fresh.text[:80]  # as for anyone who named no country


async def test_an_edited_message_reaches_staff_marked_as_an_edit(pipeline: Pipeline, store: Store) -> None:
    """Third review: with a request open, a corrected message reached staff as one more message,
    nothing saying it replaces the one above."""
    desk_pipeline, _desk, _sender, _transport = _desk_pipeline(store, pipeline.faqs)
    await desk_pipeline.handle_text(ANA, "quiero hablar con una persona", telegram_message_id=50)
    await desk_pipeline.handle_text(ANA, "mi patrono no me pago, trabajo en una finca", telegram_message_id=51)
    await desk_pipeline.handle_text(ANA, "mi patrono no me pagó el IGSS, trabajo en una finca",
                                    telegram_message_id=51, edited=True)
    thread = [r["text"] for r in rows(store, "select text from ticket_messages where author = 'member' order by id")]
    assert thread[-2] == "mi patrono no me pago, trabajo en una finca"
    assert thread[-1] == "✏️ mi patrono no me pagó el IGSS, trabajo en una finca"


async def test_a_member_in_danger_gets_emergency_numbers_and_a_person(pipeline: Pipeline, store: Store) -> None:
    """Session 14's review: a member saying her husband hits her got an FAQ answer. She now gets the
    emergency numbers first and the message goes to staff, marked to be answered first."""
    desk_pipeline, _desk, sender, transport = _desk_pipeline(store, pipeline.faqs)
    replies = await desk_pipeline.handle_text(ANA, "mi esposo me pega y tengo miedo, estoy en houston con mis hijos")
    assert "911" in replies[0].text and "110" in replies[0].text and "1-800-799-7233" in replies[0].text
    assert "#1" in replies[1].text
    await drain(sender)
    card = transport.to(STAFF, "sendMessage")[0].params["text"]
    assert "hurting them" in card
    safety, consulate = await pipeline.handle_text(JOHN, "my husband hits me and im scared, who can i call")
    assert "911" in safety.text and "consulate" in consulate.text  # (no staff group: no promise of a person)


@pytest.mark.parametrize("text", ["ya lo resolvi, gracias", "thanks, I already fixed it",
                                  "listo ya pude, muchas gracias", "ya me atendieron gracias"])
async def test_a_closing_thanks_after_a_staff_answer_does_not_reopen_the_request(
        pipeline: Pipeline, store: Store, text: str) -> None:
    """Session 14's review: "ya lo resolví, gracias" after staff's answer reopened the request and
    promised that a person would answer; "listo ya pude" got a list."""
    desk_pipeline, desk, sender, transport = _desk_pipeline(store, pipeline.faqs)
    await desk_pipeline.handle_text(ANA, "quiero hablar con una persona")
    await drain(sender)
    card = transport.to(STAFF, "sendMessage")[0].message_id
    await desk.staff_reply(reply_to_message_id=card, message_id=9500, staff_id=7, staff_name="Luis",
                           text="Ya quedó inscrita su esposa.")
    await drain(sender)
    [reply] = await desk_pipeline.handle_text(ANA, text)
    assert not reply.buttons and "#1" not in reply.text
    assert rows(store, "select state from tickets")[0]["state"] == "answered"


async def _luis_answered(store: Store, pipeline: Pipeline, staff_text: str) -> tuple[
        Pipeline, StaffDesk, OutboxSender, FakeTransport, int]:
    """Ana asks for a person and Luis answers ``staff_text``; returns the desk and Ana's copy's id."""
    desk_pipeline, desk, sender, transport = _desk_pipeline(store, pipeline.faqs)
    await desk_pipeline.handle_text(ANA, "quiero hablar con una persona, mi esposa no aparece como beneficiaria")
    await drain(sender)
    card = transport.to(STAFF, "sendMessage")[0].message_id
    await desk.staff_reply(reply_to_message_id=card, message_id=9600, staff_id=7, staff_name="Luis", text=staff_text)
    await drain(sender)
    return desk_pipeline, desk, sender, transport, transport.to(ANA.chat_id)[-1].message_id


async def test_the_members_answer_to_staffs_question_goes_to_staff(pipeline: Pipeline, store: Store) -> None:
    """Session 14's review (high): staff asked "¿Qué edades tienen su esposa y sus hijos?" and the
    member's "ella tiene 35 años y los niños 3 y 5" got the FAQ's list about children's ages;
    staff never saw it. The first message after a staff question answers it."""
    desk_pipeline, _desk, _sender, _transport, _copy = await _luis_answered(
        store, pipeline, "¿Qué edades tienen su esposa y sus hijos?")
    [reply] = await desk_pipeline.handle_text(ANA, "ella tiene 35 años y los niños 3 y 5 años")
    assert "#1" in reply.text and not reply.buttons
    thread = rows(store, "select author, text from ticket_messages where author = 'member' order by id")
    assert thread[-1]["text"] == "ella tiene 35 años y los niños 3 y 5 años"
    assert rows(store, "select state from tickets")[0]["state"] == "open"
    # answered: the next question is the FAQ's again
    [faq] = await desk_pipeline.handle_text(ANA, "cuanto cuesta el programa de migrantes del igss")
    cost = pipeline.faqs.snapshot.faq.get("migrant-cost")
    assert cost is not None and cost.answer["es"][:40] in faq.text


async def test_a_telegram_reply_to_a_staff_answer_reaches_its_request_even_closed(
        pipeline: Pipeline, store: Store) -> None:
    """Telegram's Reply on staff's answer, after staff closed the request: the member is answering
    that request (it was matched as a new FAQ question)."""
    desk_pipeline, desk, _sender, _transport, copy = await _luis_answered(
        store, pipeline, "Ya la agregué. Revise en una semana.")
    await desk.act("close", 1, staff_id=7, staff_name="Luis")
    [reply] = await desk_pipeline.handle_text(ANA, "mi numero es 123456789 y el dpi de ella 2345 67890 0101",
                                              reply_to=copy)
    assert "#1" in reply.text
    assert rows(store, "select state from tickets")[0]["state"] == "open"
    assert len(rows(store, "select id from tickets")) == 1


async def test_after_a_staff_answer_without_a_question_the_faq_answers_again(pipeline: Pipeline, store: Store) -> None:
    desk_pipeline, _desk, _sender, _transport, _copy = await _luis_answered(
        store, pipeline, "Ya quedó agregada su esposa.")
    [faq] = await desk_pipeline.handle_text(ANA, "cuanto cuesta el programa de migrantes del igss")
    cost = pipeline.faqs.snapshot.faq.get("migrant-cost")
    assert cost is not None and cost.answer["es"][:40] in faq.text


async def test_a_thumbs_down_on_a_picked_answer_shows_staff_the_members_words(pipeline: Pipeline, store: Store) -> None:
    """Session 14's review: 👎 on an answer picked from a list opened a card with the FAQ's question
    (not the member's), offering "/faq 1", the very answer the member had rejected."""
    desk_pipeline, _desk, _sender, _transport = _desk_pipeline(store, pipeline.faqs)
    [listing] = await desk_pipeline.handle_text(ANA, "cuanto cuesta")
    assert "pick:migrant-cost" in {b.data for row in listing.buttons for b in row}
    await route_callback(desk_pipeline, ANA, "pick:migrant-cost")
    answer_id = rows(store, "select id from messages where direction = 'out' and faq_id = 'migrant-cost'")[-1]["id"]
    await desk_pipeline.handle_feedback(ANA, answer_id, -1)
    [ticket] = rows(store, "select question, candidates from tickets")
    assert ticket["question"].startswith("cuanto cuesta\n👎 ¿Cuánto cuesta el programa de migrantes")
    assert "migrant-cost\"" not in ticket["candidates"] and ticket["candidates"] != "[]"


async def _browse_a_topic(pipeline: Pipeline) -> None:
    menu = (await pipeline.handle_menu(ANA))[0]
    topic_key = next(b.data for row in menu.buttons for b in row if b.data.startswith("cat:"))
    await route_callback(pipeline, ANA, topic_key)


async def test_a_number_after_a_message_that_joined_a_request_is_not_a_pick(pipeline: Pipeline, store: Store) -> None:
    """With a request open, Ana browses a topic, then writes something that silently joins her
    request: her next "2" is for staff too, not entry 2 of the list (the list is no longer the
    last thing she saw)."""
    pipeline, _desk, _sender, _transport = _desk_pipeline(store, pipeline.faqs)
    await pipeline.handle_text(ANA, "quien gano el partido de futbol anoche en xela")  # opens a request
    await _browse_a_topic(pipeline)
    assert await pipeline.handle_text(ANA, "mi nombre es Ana Pérez") == []  # joined the request quietly
    assert await pipeline.handle_text(ANA, "2") == []
    last = rows(store, "select text from ticket_messages where author='member' order by id desc limit 1")
    assert last == [{"text": "2"}]


async def test_a_number_typed_after_a_staff_answer_is_not_a_pick(pipeline: Pipeline, store: Store) -> None:
    """Staff answered ("¿1 o 2 hijos?") after Ana browsed a topic: her "2" answers staff, and the
    request goes back to them (a bare number is nothing the bot can answer on its own)."""
    pipeline, desk, sender, transport = _desk_pipeline(store, pipeline.faqs)
    await pipeline.handle_text(ANA, "quien gano el partido de futbol anoche en xela")
    await _browse_a_topic(pipeline)
    await drain(sender)
    await desk.staff_reply(reply_to_message_id=transport.calls[0].message_id, message_id=9000, staff_id=7,
                           staff_name="Luis", text="¿Cuántos hijos quiere inscribir, 1 o 2?")
    await drain(sender)
    replies = await pipeline.handle_text(ANA, "2")
    assert not any(r.text.startswith("<b>") for r in replies)  # not an FAQ answer
    last = rows(store, "select text from ticket_messages where author='member' order by id desc limit 1")
    assert last == [{"text": "2"}]  # it reached the request, for staff
    assert rows(store, "select state from tickets") == [{"state": "open"}]


async def _staff_answered(store: Store, faqs: FaqService, staff_text: str) -> Pipeline:
    """Ana's request, answered by staff with ``staff_text``; the pipeline, for her next message."""
    pipeline, desk, sender, transport = _desk_pipeline(store, faqs)
    await pipeline.handle_text(ANA, "quien gano el partido de futbol anoche en xela")
    await drain(sender)
    await desk.staff_reply(reply_to_message_id=transport.calls[0].message_id, message_id=9000, staff_id=7,
                           staff_name="Luis", text=staff_text)
    await drain(sender)
    return pipeline


@pytest.mark.parametrize("text", ["2", "dos", "la dos", "2️⃣", "la #2", "la segunda"])
async def test_a_number_answering_staff_reopens_the_request(pipeline: Pipeline, store: Store, text: str) -> None:
    """Staff asked "¿1 o 2?": a number in any of the ways members write one goes back to them."""
    pipeline = await _staff_answered(store, pipeline.faqs, "¿Cuántos hijos quiere inscribir, 1 o 2?")
    await pipeline.handle_text(ANA, text)
    assert rows(store, "select state from tickets") == [{"state": "open"}], text


@pytest.mark.parametrize("text", ["ya entendí", "claro que sí", "de acuerdo", "ya veo", "K", "i see", "ok got it"])
async def test_an_acknowledgment_of_a_staff_answer_does_not_reopen_it(pipeline: Pipeline, store: Store,
                                                                     text: str) -> None:
    pipeline = await _staff_answered(store, pipeline.faqs, "Eso no lo vemos aquí; pregunte en el consulado.")
    await pipeline.handle_text(ANA, text)
    assert rows(store, "select state from tickets") == [{"state": "answered"}], text


@pytest.mark.parametrize("text", ["the second one", "second one", "2nd", "the 2nd one", "la segunda opción"])
async def test_an_english_ordinal_picks_from_the_list(pipeline: Pipeline, text: str) -> None:
    """Session 15's review: "the second one" under a list got "I don't have an answer"."""
    suggest = (await pipeline.handle_text(ANA, "igss migrantes"))[0]
    picks = [b.data.split(":", 1)[1] for row in suggest.buttons for b in row if b.data.startswith("pick:")]
    second = pipeline.faqs.snapshot.faq.get(picks[1])
    reply = (await pipeline.handle_text(ANA, text))[0]
    assert second is not None and second.answer_in("es")[:40] in reply.text, text


@pytest.mark.parametrize("text", ["la 2 por favor", "2 porfa", "la numero 2", "el número 2", "quiero la 2",
                                  "es la 2", "nro 2", "#2, gracias", "number 2 please"])
async def test_a_number_said_with_a_few_words_more_picks_from_the_list(pipeline: Pipeline, text: str) -> None:
    """Session 17's review: "la 2 por favor" under a list got "let's try again, write your question in
    other words", and "la numero 2" got a new list."""
    suggest = (await pipeline.handle_text(ANA, "igss migrantes"))[0]
    picks = [b.data.split(":", 1)[1] for row in suggest.buttons for b in row if b.data.startswith("pick:")]
    second = pipeline.faqs.snapshot.faq.get(picks[1])
    reply = (await pipeline.handle_text(ANA, text))[0]
    assert second is not None and second.answer_in("es")[:40] in reply.text, text


async def test_a_live_location_update_does_not_cancel_the_list(pipeline: Pipeline) -> None:
    """A live location "edits" itself every few seconds: those edits are not messages in between."""
    suggest = (await pipeline.handle_text(ANA, "igss migrantes"))[0]
    picks = [b.data.split(":", 1)[1] for row in suggest.buttons for b in row if b.data.startswith("pick:")]
    assert await pipeline.handle_media(ANA, "location", telegram_message_id=50, edited=True) == []
    second = pipeline.faqs.snapshot.faq.get(picks[1])
    reply = (await pipeline.handle_text(ANA, "2"))[0]
    assert second is not None and second.answer_in("es")[:40] in reply.text


async def test_a_logged_list_older_than_half_an_hour_is_not_read_back(pipeline: Pipeline, store: Store) -> None:
    suggest = (await pipeline.handle_text(ANA, "igss migrantes"))[0]
    store.call_sync(lambda db: db.execute("update messages set created_at = '2020-01-01T00:00:00.000+00:00' "
                                          "where id = ?", [suggest.log_id]))
    restarted = Pipeline(store, pipeline.faqs, default_language="es")
    assert (await restarted.handle_text(ANA, "2"))[0].text.startswith("Disculpe, intentemos de nuevo")


async def test_a_menu_topic_list_is_logged_with_its_numbers(pipeline: Pipeline, store: Store) -> None:
    """A /menu topic numbers its questions like suggestions: "3" after a restart opens the third."""
    menu = (await pipeline.handle_menu(ANA))[0]
    topic_key = next(b.data for row in menu.buttons for b in row if b.data.startswith("cat:"))
    topic = (await route_callback(pipeline, ANA, topic_key))[0]
    picks = [b.data.split(":", 1)[1] for row in topic.buttons for b in row if b.data.startswith("pick:")]
    assert len(picks) >= 3
    restarted = Pipeline(store, pipeline.faqs, default_language="es")
    third = pipeline.faqs.snapshot.faq.get(picks[2])
    assert third is not None and third.answer_in("es")[:40] in (await restarted.handle_text(ANA, "3"))[0].text


async def test_a_number_after_cancelling_forget_is_not_a_pick(pipeline: Pipeline) -> None:
    """/forget then Cancel: the list shown before is no longer the member's last message, so a "2"
    typed now is not read against it (before, the exchange was not logged and the "2" picked)."""
    suggest = (await pipeline.handle_text(ANA, "igss migrantes"))[0]
    picks = [b.data.split(":", 1)[1] for row in suggest.buttons for b in row if b.data.startswith("pick:")]
    await pipeline.handle_forget_request(ANA)
    await route_callback(pipeline, ANA, "forget:no")
    second = pipeline.faqs.snapshot.faq.get(picks[1])
    reply = (await pipeline.handle_text(ANA, "2"))[0]
    assert second is not None and second.answer_in("es")[:40] not in reply.text


async def test_a_number_after_none_of_these_is_not_a_pick(pipeline: Pipeline) -> None:
    """After "None of these" (or any tap) the list is gone: a typed "2" is the member talking to
    whoever handles their question, not a pick from the old list."""
    suggest = (await pipeline.handle_text(ANA, "igss migrantes"))[0]
    picks = [b.data.split(":", 1)[1] for row in suggest.buttons for b in row if b.data.startswith("pick:")]
    none = next(b.data for row in suggest.buttons for b in row if b.data.startswith("none:"))
    await route_callback(pipeline, ANA, none)
    second = pipeline.faqs.snapshot.faq.get(picks[1])
    reply = (await pipeline.handle_text(ANA, "2"))[0]
    assert second is not None and second.answer_in("es")[:40] not in reply.text


@pytest.mark.parametrize("text", ["muchas gracias de nuevo", "ya entendí, gracias", "I understand, thanks"])
async def test_thanks_in_other_words_are_thanks(pipeline: Pipeline, text: str) -> None:
    reply = (await pipeline.handle_text(ANA, text))[0]
    assert reply.text.startswith(("¡Con mucho gusto!", "You're welcome!"))


async def test_a_short_follow_up_stays_with_the_institution_just_answered(pipeline: Pipeline) -> None:
    """"¿Y cuánto cuesta?" right after an IMSS answer is about IMSS: a Mexican member must not be
    told the Guatemalan fee in quetzales."""
    faq = pipeline.faqs.snapshot.faq
    first = (await pipeline.handle_text(ANA, "que es el seguro de salud para la familia del imss"))[0]
    assert "IMSS" in first.text
    follow = (await pipeline.handle_text(ANA, "y cuanto cuesta?"))[0]
    assert "Q1,000" not in follow.text and "IMSS" in follow.text
    await pipeline.handle_text(JOHN, "how much does the IGSS migrant program cost?")
    igss = (await pipeline.handle_text(JOHN, "and how much per year?"))[0]
    assert "IMSS" not in igss.text
    assert faq.get("migrant-cost") is not None


async def test_a_follow_up_is_not_answered_with_the_answer_just_given(pipeline: Pipeline, store: Store) -> None:
    """"¿Y cómo pago desde USA?" after the IMSS enrolment answer: the sample FAQ has no IMSS payment
    entry, and the inherited IMSS led straight back to the enrolment answer the member had just
    read. The member is offered what the question matches on its own words instead (the IGSS
    payment entry, as a choice: whether it applies is the member's call), and asking the first
    question again still answers it again."""
    faq = pipeline.faqs.snapshot.faq
    pti = faq.get("imss-pti-abroad")
    assert pti is not None
    first = (await pipeline.handle_text(ANA, "como me afilio al imss desde usa"))[0]
    assert pti.answer["es"][:40] in first.text
    [follow] = await pipeline.handle_text(ANA, "como pago desde usa")
    assert pti.answer["es"][:40] not in follow.text
    picks = [b.data for row in follow.buttons for b in row if b.data.startswith("pick:")]
    assert "pick:migrant-pay-from-us" in picks
    last = rows(store, "select decision, faq_id from messages where direction = 'in' order by id desc limit 1")[0]
    assert last["decision"] == "suggest"
    again = (await pipeline.handle_text(ANA, "como me afilio al imss desde usa"))[0]
    assert pti.answer["es"][:40] in again.text


def test_the_matcher_only_changes_a_follow_up_that_returns_to_the_last_answer(pipeline: Pipeline) -> None:
    """Matcher.match(last=…): the inherited institution leading back to ``last`` is what turns the
    answer into a choice; without ``last``, or with another entry last, the follow-up is answered."""
    sample_matcher = pipeline.faqs.snapshot.matcher
    context = sample_matcher.entry_institutions("imss-pti-abroad")
    plain = sample_matcher.match("como pago desde usa", context)
    assert (plain.decision, plain.best_id) == ("answer", "imss-pti-abroad")
    other = sample_matcher.match("como pago desde usa", context, last="imss-nss")
    assert (other.decision, other.best_id) == ("answer", "imss-pti-abroad")
    fresh = sample_matcher.match("como pago desde usa", context, last="imss-pti-abroad")
    assert fresh.decision == "suggest" and fresh.best_id == "migrant-pay-from-us"
    assert "migrant-pay-from-us" in sample_matcher.suggestions(fresh, context)
    named = sample_matcher.match("como pago el imss desde usa", context, last="imss-pti-abroad")
    assert (named.decision, named.best_id) == ("answer", "imss-pti-abroad")


def test_a_stated_country_alone_does_not_lead_a_follow_up_back_to_the_last_answer(pipeline: Pipeline) -> None:
    """"And from Mexico?" earlier made the member Mexican (IMSS) for the conversation; "¿y si trabajé
    en USA?" right after the IMSS enrolment answer then led back to that answer through the
    stated country and was answered with it a second time. Only the message's own words may
    repeat an answer: the member is offered what they match instead."""
    m = pipeline.faqs.snapshot.matcher
    context = m.entry_institutions("imss-pti-abroad")
    imss = m.stated_countries("and from mexico?")
    assert imss == frozenset({"imss"})
    with_country = m.match("y si trabaje en usa?", context, stated=imss)
    assert (with_country.decision, with_country.best_id) == ("answer", "imss-pti-abroad")  # (no last: as before)
    follow = m.match("y si trabaje en usa?", context, last="imss-pti-abroad", stated=imss)
    assert follow.decision == "suggest" and follow.best_id != "imss-pti-abroad"
    again = m.match("como me afilio al imss desde usa", context, last="imss-pti-abroad", stated=imss)
    assert (again.decision, again.best_id) == ("answer", "imss-pti-abroad")


async def test_a_second_question_is_offered_under_the_answer(pipeline: Pipeline) -> None:
    """"¿Cuánto cuesta y cómo pago?": the cost is answered, the payment question is one tap away."""
    [reply] = await pipeline.handle_text(ANA, "cuanto cuesta el seguro de migrantes y como pago desde usa?")
    cost = pipeline.faqs.snapshot.faq.get("migrant-cost")
    pay = pipeline.faqs.snapshot.faq.get("migrant-pay-from-us")
    assert cost is not None and pay is not None and cost.answer["es"][:40] in reply.text
    assert [b.data for b in reply.buttons[-1]] == ["pick:migrant-pay-from-us"]
    assert reply.buttons[-1][0].label.startswith("➕ ") and "Estados Unidos" in reply.buttons[-1][0].label
    [then] = await pipeline.handle_pick(ANA, "migrant-pay-from-us")
    assert pay.answer["es"][:40] in then.text


@pytest.mark.parametrize("typed", ["ninguna de esas opciones", "Ninguna.", "no es ninguna de esas", "ninguna me sirve",
                                   "none of these", "None of the above"])
async def test_none_of_these_typed_under_the_list_hands_the_question_to_staff(
        pipeline: Pipeline, store: Store, typed: str) -> None:
    """Typed under a list of choices, "ninguna de esas opciones" was matched as a new question
    (the IGSS cancer-screening answer: its alternate says "ningún chequeo") and "ninguna" got
    "let's try again". It now does what the "Ninguna de estas" button does: the listed question
    goes to staff, in the conversation's language (a Spanish speaker typing "none of these" is
    not switched to English)."""
    [listing] = await pipeline.handle_text(ANA, "costo")
    assert listing.buttons[-1][0].data.startswith("none:")
    [reply] = await pipeline.handle_text(ANA, typed)
    assert reply.text.startswith("Entonces todavía no tengo la respuesta"), reply.text
    last_in = rows(store, "select decision from messages where direction = 'in' order by id desc limit 1")[0]
    assert last_in["decision"] == "escalate"


async def test_none_typed_without_a_list_is_not_a_choice(pipeline: Pipeline) -> None:
    """Without a list right before it, "ninguna" is an ordinary (unclear) message, not a hand-over."""
    [reply] = await pipeline.handle_text(ANA, "ninguna")
    assert not reply.text.startswith("Entonces")


async def test_a_big_menu_topic_is_shown_ten_questions_at_a_time(store: Store, tmp_path: Path) -> None:
    """Third review: a one-category sheet of 110 entries gave its topic 111 buttons; Telegram
    refuses more than 100, so the member only got "something went wrong". A topic now lists ten
    questions per message, numbered 1–10 on each page (a typed "2" picks the page's second), with
    "More"/"Previous" buttons."""
    import dataclasses as dc

    from conversation.pipeline import category_key
    from faq.loader import load_faq
    from faq.yamlio import write_yaml

    bundled = load_faq(BUNDLED_FAQ)
    entries = [dc.replace(e, category="migrants") for e in bundled.entries[:25]]
    path = tmp_path / "faq.yaml"
    write_yaml(dc.replace(bundled, entries=tuple(entries)), path)
    faqs = FaqService(path, BUNDLED_VOCABULARY, DEFAULT_THRESHOLDS)
    faqs.load()
    pipeline = Pipeline(store, faqs, default_language="en")
    key = category_key("migrants")
    pages = []
    for page in (1, 2, 3):
        [reply] = await route_callback(pipeline, JOHN, f"cat:{key}:{page}" if page > 1 else f"cat:{key}")
        picks = [b.data for row in reply.buttons for b in row if b.data.startswith("pick:")]
        turns = [b.data for row in reply.buttons for b in row if b.data.startswith("cat:")]
        pages.append(picks)
        assert f"(page {page} of 3)" in reply.text and "1. " in reply.text
        assert turns == [f"cat:{key}:{p}" for p in (page - 1, page + 1) if 1 <= p <= 3]
    assert [len(p) for p in pages] == [10, 10, 5]
    assert [pid for p in pages for pid in p] == [f"pick:{e.id}" for e in entries]
    await route_callback(pipeline, JOHN, f"cat:{key}:2")
    [picked] = await pipeline.handle_text(JOHN, "2")
    assert entries[11].answer["en"][:40] in picked.text
    [past] = await route_callback(pipeline, JOHN, f"cat:{key}:9")  # an old button past the end: the last page
    assert "(page 3 of 3)" in past.text


async def test_none_typed_under_a_menu_topic_hands_nothing_over(pipeline: Pipeline) -> None:
    """A /menu topic's numbered questions answer no question of the member's: "ninguna" there has
    nothing to hand to staff."""
    await pipeline.handle_menu(ANA)
    faq = pipeline.faqs.snapshot.faq
    from conversation.pipeline import category_key
    await pipeline.handle_category(ANA, category_key(faq.category_slugs()[0]))
    [reply] = await pipeline.handle_text(ANA, "ninguna")
    assert not reply.text.startswith("Entonces")


@pytest.mark.parametrize("text", ["gracias, me sirvió", "me sirvio", "gracias hermano", "gracias por la informacion",
                                  "thank you so much, very helpful", "gracias me ayudo mucho",
                                  "excelente informacion gracias"])
async def test_thanks_with_what_helped_is_thanks(pipeline: Pipeline, store: Store, text: str) -> None:
    """"Gracias, me sirvió" (the 👍 button's own words) went to staff as an unanswered question;
    "gracias hermano" got the enrol-your-parents answer (its answer says "hermanos")."""
    await pipeline.handle_text(ANA, "cuanto cuesta el programa de migrantes del igss")
    [reply] = await pipeline.handle_text(ANA, text)
    assert reply.text.startswith(("¡Con mucho gusto!", "You're welcome!")), reply.text
    last = rows(store, "select decision from messages where direction = 'in' order by id desc limit 1")[0]
    assert last["decision"] == "smalltalk"


async def test_thanks_with_a_question_is_still_a_question(pipeline: Pipeline) -> None:
    [reply] = await pipeline.handle_text(ANA, "gracias por la informacion, y como pago desde usa?")
    assert not reply.text.startswith("¡Con mucho gusto!")


@pytest.mark.parametrize("text", ["borrar mis datos", "delete my data", "borren mis datos por favor", "forget me"])
async def test_deleting_ones_data_typed_in_words_asks_for_the_confirmation(
        pipeline: Pipeline, store: Store, text: str) -> None:
    """"Borrar mis datos" typed was logged as a question ("Anoté su pregunta…") and, with a staff
    group, posted to it: a member careful with their data got the opposite. It now gets /forget's
    confirmation, and nothing is escalated."""
    [reply] = await pipeline.handle_text(ANA, text)
    assert [b.data for b in reply.buttons[0]] == ["forget:yes", "forget:no"]
    assert rows(store, "select count(*) as n from messages where decision = 'escalate'")[0]["n"] == 0


async def test_removing_a_relative_is_not_deleting_ones_data(pipeline: Pipeline) -> None:
    [reply] = await pipeline.handle_text(ANA, "quiero eliminar a mi hijo como beneficiario")
    assert not any(b.data == "forget:yes" for row in reply.buttons for b in row)


async def test_a_language_asked_for_beside_the_question_overrides_a_preselected_one(
        pipeline: Pipeline, store: Store) -> None:
    """A link (?start=en) or a mistaken tap chose English; "¿cuánto cuesta…? no hablo inglés" was
    still answered in English, for good. A clause asking for a language is a choice, like the
    buttons: the question is answered in Spanish and the choice kept."""
    await pipeline.handle_start(ANA, "en")
    [reply] = await pipeline.handle_text(ANA, "cuanto cuesta el programa de migrantes del igss? no hablo ingles")
    cost = pipeline.faqs.snapshot.faq.get("migrant-cost")
    assert cost is not None and cost.answer["es"][:40] in reply.text
    assert rows(store, "select chosen_language from members where id = ?", (ANA.id,))[0]["chosen_language"] == "es"
    [then] = await pipeline.handle_text(ANA, "como pago desde usa")
    assert "Estados Unidos" in then.text or "EE. UU." in then.text


async def test_a_relative_who_speaks_no_english_is_not_a_language_choice(pipeline: Pipeline, store: Store) -> None:
    await pipeline.handle_start(JOHN, "en")
    await pipeline.handle_text(JOHN, "my mom doesnt speak english, how does she sign up for igss")
    assert rows(store, "select chosen_language from members where id = ?", (JOHN.id,))[0]["chosen_language"] == "en"


@pytest.mark.parametrize(("member", "first", "follow"), [
    (ANA, "cuanto cuesta el programa de migrantes del igss", "y si tengo 3 hijos?"),
    (JOHN, "how much does the igss migrant program cost", "and if i have 3 kids?"),
])
async def test_an_and_follow_up_that_finds_nothing_alone_is_read_with_the_last_question(
        pipeline: Pipeline, store: Store, member: Member, first: str, follow: str) -> None:
    """"¿Y si tengo 3 hijos?" right after the cost answer got "I can only help with IGSS and IMSS
    topics": on its own it matches nothing. Read with the question just answered, the per-family
    cost entry is offered (as a choice: the reading is a guess) -- or, since session 16 reads "tres"
    and "3" alike ("cada tres meses"), answered when the words settle it."""
    await pipeline.handle_text(member, first)
    [reply] = await pipeline.handle_text(member, follow)
    picks = [b.data for row in reply.buttons for b in row if b.data.startswith("pick:")]
    last = rows(store, "select decision, faq_id from messages where direction = 'in' order by id desc limit 1")[0]
    assert ("pick:migrant-cost-family" in picks and "pick:migrant-cost" not in picks) \
        or (last["decision"], last["faq_id"]) == ("answer", "migrant-cost-family"), (last, picks)


async def test_an_and_follow_up_about_something_else_still_goes_to_staff(pipeline: Pipeline, store: Store) -> None:
    """What the follow-up adds must be a topic of the entries offered: "¿y qué tal el clima?" after
    the cost answer is not offered the family entries the cost question pulls in."""
    await pipeline.handle_text(ANA, "cuanto cuesta el programa de migrantes del igss")
    await pipeline.handle_text(ANA, "y que tal el clima alla?")
    last = rows(store, "select decision from messages where direction = 'in' order by id desc limit 1")[0]
    assert last["decision"] == "escalate"


# ---------------------------------------------------------------- second review round (session 13)
@pytest.mark.parametrize("typed", ["ninguna de esas es mi pregunta", "no es ninguna, es sobre el pago",
                                   "ninguna de las 4", "none of those, I asked about my pension"])
async def test_a_rejection_with_more_words_under_a_list_goes_to_staff_with_them(
        pipeline: Pipeline, store: Store, typed: str) -> None:
    """"Ninguna de esas es mi pregunta" got the cancer-screening answer ("ninguna" met its alternate
    "ningún chequeo"): a message that starts by rejecting the list does what the button does, and
    what the member added reaches staff with the question."""
    await pipeline.handle_text(ANA, "costo")
    [reply] = await pipeline.handle_text(ANA, typed)
    assert reply.text.startswith("Entonces todavía no tengo la respuesta"), reply.text


async def test_ninguno_of_ones_children_is_not_a_rejection(pipeline: Pipeline) -> None:
    await pipeline.handle_text(ANA, "costo")
    [reply] = await pipeline.handle_text(ANA, "ninguno de mis hijos tiene seguro, cuanto cuesta para ellos")
    assert not reply.text.startswith("Entonces")


@pytest.mark.parametrize("typed", ["no me sirvio", "👎 No me sirvió", "esa no era mi pregunta", "that didn't help"])
async def test_the_thumbs_down_typed_under_an_answer_is_the_vote(pipeline: Pipeline, store: Store, typed: str) -> None:
    """Typing the 👎 button's words ("No me sirvió") got "let's try again" and no vote: it is now
    that answer's 👎, recorded, and the question goes to staff as with the button."""
    [answer] = await pipeline.handle_text(ANA, "como saco cita en el igss")
    [reply] = await pipeline.handle_text(ANA, typed)
    assert reply.text.startswith("Lamento que no le haya servido."), reply.text
    votes = rows(store, "select message_id, vote from feedback")
    assert votes == [{"message_id": answer.log_id, "vote": -1}]


@pytest.mark.parametrize("typed", ["ninguna de esas", "ninguna de esas es mi pregunta", "none of these"])
async def test_a_typed_rejection_is_no_gap_of_its_own(pipeline: Pipeline, store: Store, typed: str) -> None:
    """Session 16's review: `faq gaps` listed "ninguna de esas", typed under a list, as a question
    of its own ("2 escalate ninguna de esas"). It answers the list: only the question is a gap."""
    from storage import conversations as conv

    question = "cuanto vale el seguro para los que estamos en el norte"
    [listing] = await pipeline.handle_text(ANA, question)
    assert listing.buttons[-1][0].data.startswith("none:")
    await pipeline.handle_text(ANA, typed)
    gaps = store.call_sync(conv.unanswered_questions)
    assert [(g["text"], g["count"]) for g in gaps] == [(question, 1)]


async def test_a_typed_thumbs_down_is_no_gap_of_its_own(pipeline: Pipeline, store: Store) -> None:
    """"No me sirvió" typed under an answer is that answer's 👎: the question is the gap, voted
    down, not the words of the vote."""
    from storage import conversations as conv

    await pipeline.handle_text(ANA, "como saco cita en el igss")
    await pipeline.handle_text(ANA, "no me sirvio")
    gaps = store.call_sync(conv.unanswered_questions)
    assert [(g["text"], g["decision"]) for g in gaps] == [("como saco cita en el igss", "downvoted")]


@pytest.mark.parametrize("how", ["tap", "type"])
async def test_a_suggestion_the_member_resolved_shows_the_entry_picked(
        pipeline: Pipeline, store: Store, how: str) -> None:
    """Session 16's review: "puedo pagar con tarjeta", resolved by tapping the first suggested
    question, looked like an unresolved gap in `faq gaps`. It carries the entry picked (its
    words belong in that entry's alternates), unless that answer got a 👎 too."""
    from storage import conversations as conv

    [listing] = await pipeline.handle_text(ANA, "puedo pagar con tarjeta")
    first = listing.buttons[0][0].data.removeprefix("pick:")
    [answer] = await (pipeline.handle_pick(ANA, first) if how == "tap" else pipeline.handle_text(ANA, "1"))
    [gap] = store.call_sync(conv.unanswered_questions)
    assert (gap["text"], gap["decision"], gap["picked"]) == ("puedo pagar con tarjeta", "suggest", first)
    await pipeline.handle_feedback(ANA, answer.log_id, -1)
    [gap] = store.call_sync(conv.unanswered_questions)
    assert (gap["decision"], gap["downvoted_faq"], gap["picked"]) == ("downvoted", first, None)


async def test_no_me_sirvio_without_an_answer_before_is_not_a_vote(pipeline: Pipeline, store: Store) -> None:
    await pipeline.handle_text(ANA, "hola")
    await pipeline.handle_text(ANA, "no me sirvio")
    assert rows(store, "select count(*) as n from feedback")[0]["n"] == 0


@pytest.mark.parametrize(("text", "start"), [
    ("tengo una pregunta", "Claro: escriba aquí su pregunta"),
    ("¿puedo hacer una pregunta?", "Claro: escriba aquí su pregunta"),
    ("no gracias", "¡Que le vaya bien!"),
    ("eso era todo, gracias", "¡"),
    ("hablo con una persona?", "Soy Puente"),
])
async def test_openers_and_closings_are_not_questions(pipeline: Pipeline, store: Store, text: str, start: str) -> None:
    """"Tengo una pregunta" got a list with the IMSS mammography; "no gracias" and "¿puedo hacer una
    pregunta?" opened staff tickets; "¿hablo con una persona?" got the Mayan-languages entry."""
    [reply] = await pipeline.handle_text(ANA, text)
    assert reply.text.startswith(start), reply.text
    assert rows(store, "select count(*) as n from messages where decision = 'escalate'")[0]["n"] == 0


@pytest.mark.parametrize("text", ["borren mis datos por favor, no quiero que guarden nada",
                                  "borren mis datos, soy indocumentado y tengo miedo",
                                  "please erase everything you have about me"])
async def test_a_deletion_request_in_a_sentence_gets_the_confirmation(pipeline: Pipeline, store: Store,
                                                                     text: str) -> None:
    """In a sentence, the request went to staff word for word (immigration status included)."""
    [reply] = await pipeline.handle_text(ANA, text)
    assert [b.data for b in reply.buttons[0]] == ["forget:yes", "forget:no"]
    assert rows(store, "select count(*) as n from messages where decision = 'escalate'")[0]["n"] == 0


@pytest.mark.parametrize(("text", "entry"), [("buenas hermano, que documentos necesito", "migrant-documents"),
                                             ("gracias hermano, como pago desde usa", "migrant-pay-from-us"),
                                             ("me sirvio, y como pago desde usa?", "migrant-pay-from-us")])
async def test_address_and_thanks_before_a_question_are_not_its_topic(pipeline: Pipeline, text: str,
                                                                       entry: str) -> None:
    """"Buenas hermano, ¿qué documentos necesito?" got the parents entry (its answer says
    "hermanos"); "me sirvió, ¿y cómo pago?" went to staff."""
    [reply] = await pipeline.handle_text(ANA, text)
    wanted = pipeline.faqs.snapshot.faq.get(entry)
    assert wanted is not None and wanted.answer["es"][:40] in reply.text, reply.text[:120]


@pytest.mark.parametrize(("text", "entry"), [
    ("como me inscribo al programa de migrantes? no hablo bien ingles", "migrant-how-enroll"),
    ("no entiendo ingles, como pago desde usa", "migrant-pay-from-us"),
    ("i dont speak spanish, how much is the migrant program", "migrant-cost"),
])
async def test_a_language_remark_is_not_part_of_the_question(pipeline: Pipeline, text: str, entry: str) -> None:
    """"¿Cómo me inscribo…? no hablo bien inglés" was answered with the Mayan-languages entry
    ("hablo", "inglés"): the remark sets the reply's language and is left out of the matching."""
    [reply] = await pipeline.handle_text(ANA, text)
    wanted = pipeline.faqs.snapshot.faq.get(entry)
    assert wanted is not None
    assert wanted.answer["es"][:40] in reply.text or wanted.answer["en"][:40] in reply.text, reply.text[:100]


async def test_a_country_stated_earlier_steers_the_next_questions(pipeline: Pipeline) -> None:
    """"Hola, soy guatemalteco y vivo en Houston", then "¿puedo asegurar a mis papás?": the second
    message was answered with the IMSS family insurance in pesos (the IGSS answer: parents are not
    covered). The country said earlier now holds for the conversation: no IMSS answer, and the
    IGSS parents entry is offered."""
    await pipeline.handle_text(ANA, "hola soy guatemalteco y vivo en houston")
    [reply] = await pipeline.handle_text(ANA, "puedo asegurar a mis papas?")
    imss = pipeline.faqs.snapshot.faq.get("imss-ssf-cost")
    assert imss is not None and imss.answer["es"][:40] not in reply.text
    picks = [b.data for row in reply.buttons for b in row]
    assert "pick:migrant-parents" in picks, picks


async def test_the_answer_just_given_outweighs_a_country_said_before(pipeline: Pipeline) -> None:
    """Session 15's review: "my dad is mexicano", then an IGSS answer, then "y cuanto cuesta el
    programa" got the IMSS price in pesos, and "how do i pay from usa" the IMSS enrolment: the
    country said first held over the answer just given. A short follow-up stays with the latter."""
    faq = pipeline.faqs.snapshot.faq
    await pipeline.handle_text(ANA, "my dad is mexicano")
    [phone] = await pipeline.handle_text(ANA, "whats the number to call igss")
    assert "2412" in phone.text
    [cost] = await pipeline.handle_text(ANA, "y cuanto cuesta el programa")
    igss_cost, imss_cost = faq.get("migrant-cost"), faq.get("imss-ssf-cost")
    assert igss_cost is not None and imss_cost is not None
    assert igss_cost.answer["es"][:40] in cost.text and imss_cost.answer["es"][:40] not in cost.text
    [pay] = await pipeline.handle_text(ANA, "how do i pay from usa")
    pay_entry = faq.get("migrant-pay-from-us")
    assert pay_entry is not None and pay_entry.answer["en"][:40] in pay.text, pay.text[:80]


async def test_a_restart_remembers_the_stated_country_and_the_last_answer(pipeline: Pipeline, store: Store) -> None:
    """Third review: the country (and the last answer's institution) lived only in memory, so after
    a restart or deploy mid-conversation "¿cuánto cuesta el seguro para mi familia?" from a member
    who had said "soy de Guatemala" got the IMSS price in pesos again. A restarted bot recalls them
    from the log, once per member."""
    question = "cuanto cuesta el seguro para mi familia"
    imss = pipeline.faqs.snapshot.faq.get("imss-ssf-cost")
    assert imss is not None
    [fresh] = await Pipeline(store, pipeline.faqs, default_language="es").handle_text(JOHN, question)
    assert imss.answer["es"][:40] in fresh.text  # (no country said: the closest entry, the IMSS one)
    await pipeline.handle_text(ANA, "hola, soy de Guatemala y vivo en Los Angeles")
    restarted = Pipeline(store, pipeline.faqs, default_language="es")
    [reply] = await restarted.handle_text(ANA, question)
    assert imss.answer["es"][:40] not in reply.text, reply.text[:80]
    # the entry just answered: a follow-up naming no institution keeps it ("¿y cuánto cuesta?")
    await pipeline.handle_text(ANA, "como me afilio al imss desde usa")
    again = Pipeline(store, pipeline.faqs, default_language="es")
    await again._recall(ANA.id, before=10**9)
    assert again._last_answer.get(ANA.id) == "imss-pti-abroad"
    # /forget forgets what was recalled too
    await again.handle_forget(ANA, confirmed=True)
    assert again._last_answer.get(ANA.id) is None and again._stated.get(ANA.id) is None


def test_new_mexico_is_not_mexico(pipeline: Pipeline) -> None:
    matcher = pipeline.faqs.snapshot.matcher
    assert matcher.stated_countries("vivo en nuevo mexico") == frozenset()
    assert matcher.stated_countries("I live in New Mexico") == frozenset()
    assert matcher.stated_countries("soy de mexico") == frozenset({"imss"})


@pytest.mark.parametrize(("typed", "entry"), [
    ("del igss", "contact-igss-phone"), ("el de guatemala", "contact-igss-phone"),
    ("the igss one", "contact-igss-phone"), ("la del imss", "contact-imss-phone"),
])
async def test_naming_the_institution_under_a_list_picks_its_entry(pipeline: Pipeline, typed: str, entry: str) -> None:
    """Under "1. ¿…teléfono del IMSS? 2. ¿…teléfono del IGSS?", "del IGSS" was read as a new
    question (an unrelated list; "the igss one" answered about a lost card). Naming the institution
    of one listed entry picks it, like its number."""
    [listing] = await pipeline.handle_text(ANA, "telefono")
    assert {"pick:contact-igss-phone", "pick:contact-imss-phone"} <= {b.data for row in listing.buttons for b in row}
    [reply] = await pipeline.handle_text(ANA, typed)
    wanted = pipeline.faqs.snapshot.faq.get(entry)
    assert wanted is not None and wanted.answer["es"][:40] in reply.text, reply.text[:100]


@pytest.mark.parametrize(("first", "typed"), [
    ("cuanto cuesta", "el seguro de migrantes"), ("cuanto cuesta", "el de migrantes"),
    ("cuanto cuesta", "para migrantes"), ("how much is it", "the migrant one"),
])
async def test_naming_the_topic_of_one_listed_entry_picks_it(pipeline: Pipeline, first: str, typed: str) -> None:
    """Third review: under "¿cuánto cuesta…? 1. IMSS family insurance 2. IGSS migrant programme…",
    "el de migrantes" started a new list (without the cost entry just listed) and "the migrant one"
    an unrelated one. A topic word only one listed entry has picks it, like its number."""
    [listing] = await pipeline.handle_text(ANA, first)
    assert "pick:migrant-cost" in {b.data for row in listing.buttons for b in row}
    [reply] = await pipeline.handle_text(ANA, typed)
    cost = pipeline.faqs.snapshot.faq.get("migrant-cost")
    assert cost is not None and (cost.answer["es"][:40] in reply.text or cost.answer["en"][:40] in reply.text)


async def test_a_word_several_listed_entries_share_is_a_new_message(pipeline: Pipeline) -> None:
    m = pipeline.faqs.snapshot.matcher
    listed = m.offered(m.match("cuanto cuesta"))
    ids = [c.entry_id for c in listed]
    assert m.narrowed("el de migrantes", ids) == "migrant-cost"
    assert m.narrowed("el del seguro", ids) is None  # (=programa: several of them)
    assert m.narrowed("cuanto cuesta el seguro de migrantes para mi familia", ids) is None  # a question, not a pick


@pytest.mark.parametrize("typed", ["no, el de guatemala", "the IGSS one", "no, del igss"])
async def test_naming_the_other_institution_right_under_an_answer_corrects_it(
        pipeline: Pipeline, typed: str) -> None:
    """Session 14's review: "cuánto cuesta el seguro para mi familia" got the IMSS price in pesos,
    and the member's "no, el de guatemala" got an unrelated list. It corrects the answer: the
    member's question answered for the IGSS, and the country kept for the conversation."""
    faq = pipeline.faqs.snapshot.faq
    imss, igss = faq.get("imss-ssf-cost"), faq.get("migrant-cost")
    assert imss is not None and igss is not None
    [first] = await pipeline.handle_text(ANA, "cuanto cuesta el seguro para mi familia")
    assert imss.answer["es"][:40] in first.text
    [fixed] = await pipeline.handle_text(ANA, typed)
    assert igss.answer["es"][:40] in fixed.text or igss.answer["en"][:40] in fixed.text
    [again] = await pipeline.handle_text(ANA, "cuanto cuesta el seguro para mi familia")
    assert imss.answer["es"][:40] not in again.text


async def test_an_institution_typed_without_a_list_is_an_ordinary_message(pipeline: Pipeline) -> None:
    [reply] = await pipeline.handle_text(ANA, "del igss")
    assert not reply.text.startswith("¿Cuál es el teléfono")


@pytest.mark.parametrize("text,lang", [("can u explain in spanish pls", "es"), ("say it in spanish please", "es")])
async def test_asking_for_the_other_language_after_an_answer_sends_it_again(pipeline: Pipeline, text: str,
                                                                           lang: str) -> None:
    """Session 15's review: "can u explain in spanish pls" right after an English answer got "I don't
    have an answer to that"; "in spanish please" switched, but the member had to ask again."""
    [first] = await pipeline.handle_text(JOHN, "how much does the igss migrant program cost")
    entry = pipeline.faqs.snapshot.faq.get("migrant-cost")
    assert entry is not None and entry.answer["en"][:40] in first.text
    told, again = await pipeline.handle_text(JOHN, text)
    assert "español" in told.text and entry.answer[lang][:40] in again.text
    # back to English: the same answer in English, and no third copy of it later
    _, back = await pipeline.handle_text(JOHN, "ok english again please")
    assert entry.answer["en"][:40] in back.text
    assert len(await pipeline.handle_text(JOHN, "in english please")) == 1  # already English: nothing to resend


async def test_asking_for_a_person_while_waiting_is_always_acknowledged(pipeline: Pipeline, store: Store) -> None:
    """Session 15's review: right after a request was opened, "hi, can I talk to a real person? my
    mom's payment didn't go through" got no reply at all (the "added to your request" notice is
    said at most once in a while)."""
    pipeline, _desk, sender, _transport = _desk_pipeline(store, pipeline.faqs)
    await pipeline.handle_text(JOHN, "who won the football match last night in xela")
    await drain(sender)
    quiet = await pipeline.handle_text(JOHN, "also my mom's IGSS payment from the US didn't go through")
    assert quiet == []  # just told: not repeated for every line
    [told] = await pipeline.handle_text(JOHN, "hi, can I talk to a real person?")
    assert "#1" in told.text


async def test_a_number_past_the_end_of_the_list_says_which_numbers_there_are(pipeline: Pipeline) -> None:
    suggest = (await pipeline.handle_text(ANA, "igss migrantes"))[0]
    count = len([b for row in suggest.buttons for b in row if b.data.startswith("pick:")])
    [reply] = await pipeline.handle_text(ANA, "7")
    assert f"del 1 al {count}" in reply.text
    # the list still holds: a number in range picks from it
    [answer] = await pipeline.handle_text(ANA, "1")
    assert answer.buttons  # an answer, with its 👍/👎


async def test_none_of_these_after_a_number_past_the_list_hands_over_the_question(pipeline: Pipeline,
                                                                                  store: Store) -> None:
    """"7" under a list of four gets the range of numbers, and the list holds for the question it was
    for: "ninguna de esas" then hands "costo" to staff, not "7"."""
    pipeline, _desk, _sender, _transport = _desk_pipeline(store, pipeline.faqs)
    await pipeline.handle_text(ANA, "costo")
    [hint] = await pipeline.handle_text(ANA, "7")
    assert hint.text.startswith("Escriba un número del 1 al")
    await pipeline.handle_text(ANA, "ninguna de esas")
    assert rows(store, "select question from tickets") == [{"question": "costo"}]


@pytest.mark.parametrize("caption", ["mi recibo de pago", "esta es mi constancia de trabajo"])
async def test_a_captioned_photo_reaches_staff_even_when_its_caption_is_answered(pipeline: Pipeline, store: Store,
                                                                                 caption: str) -> None:
    """Session 15's review: a photo captioned "mi recibo de pago" got a list of FAQ questions and
    never reached staff, not even after a 👎, while the rest of its album opened a request."""
    desk_pipeline, _desk, sender, transport = _desk_pipeline(store, pipeline.faqs)
    replies = await desk_pipeline.handle_media(ANA, "photo", caption=caption, file_id="P1", telegram_message_id=70)
    assert any("#1" in r.text for r in replies), [r.text[:60] for r in replies]
    await desk_pipeline.handle_media(ANA, "photo", file_id="P2", telegram_message_id=71)  # the album's next photo
    await drain(sender)
    copies = [c for c in transport.to(STAFF) if c.method == "copyMessage"]
    assert sorted(c.params["message_id"] for c in copies) == [70, 71]
    assert rows(store, "select count(*) n from tickets")[0]["n"] == 1


async def test_a_photo_with_thanks_does_not_open_a_request(pipeline: Pipeline, store: Store) -> None:
    desk_pipeline, _desk, _sender, _transport = _desk_pipeline(store, pipeline.faqs)
    await desk_pipeline.handle_media(ANA, "photo", caption="muchas gracias!", file_id="P1", telegram_message_id=70)
    assert rows(store, "select count(*) n from tickets")[0]["n"] == 0


async def test_a_suggestion_tapped_twice_is_answered_once(pipeline: Pipeline, store: Store) -> None:
    """Session 15's review: a double tap on a suggestion sent the same answer twice."""
    suggest = (await pipeline.handle_text(ANA, "igss migrantes"))[0]
    pick = next(b.data.split(":", 1)[1] for row in suggest.buttons for b in row if b.data.startswith("pick:"))
    assert len(await pipeline.handle_pick(ANA, pick)) == 1
    assert await pipeline.handle_pick(ANA, pick) == []
    # a while later, the same question tapped again is answered again
    store.call_sync(lambda db: db.execute("update messages set created_at = '2020-01-01T00:00:00.000+00:00' "
                                          "where kind = 'callback'"))
    assert len(await pipeline.handle_pick(ANA, pick)) == 1


async def test_typing_the_number_of_an_entry_removed_since_the_list(store: Store, tmp_path: Path) -> None:
    """Session 15's review: after /reload removed an entry, tapping its old button said "no longer
    available", but typing its number got "let's try again" (and reached a later staff card)."""
    from faq.yamlio import write_yaml

    faq, path, faqs, pipeline = _reloadable(store, tmp_path, "es")
    suggest = (await pipeline.handle_text(ANA, "igss migrantes"))[0]
    picks = [b.data.split(":", 1)[1] for row in suggest.buttons for b in row if b.data.startswith("pick:")]
    write_yaml(dataclasses.replace(faq, entries=tuple(e for e in faq.entries if e.id != picks[1])), path)
    assert faqs.reload().ok
    [reply] = await pipeline.handle_text(ANA, "2")
    assert "ya no está disponible" in reply.text


async def test_a_spanish_question_that_asks_for_spanish_keeps_spanish(pipeline: Pipeline, store: Store) -> None:
    """Session 15's review: "¿cuánto cuesta el programa? no hablo inglés" kept Spanish only over a
    link that preselected English; without one, the next English-worded message got English."""
    await pipeline.handle_text(JOHN, "¿cuánto cuesta el programa? no hablo inglés")
    [reply] = await pipeline.handle_text(JOHN, "how much is it for my family")
    assert rows(store, "select chosen_language from members where id = 202") == [{"chosen_language": "es"}]
    assert "Cuánto" in reply.text or "cuota" in reply.text, reply.text[:80]


async def test_a_language_button_after_an_answer_sends_it_again(pipeline: Pipeline) -> None:
    """Session 15's review: after "cambiar idioma" the buttons said "Write your question" where a
    typed "english please" sent the last answer again in English."""
    await pipeline.handle_text(ANA, "cuanto cuesta el seguro pa migrantes")
    told, again = await pipeline.set_language(ANA, "en")
    entry = pipeline.faqs.snapshot.faq.get("migrant-cost")
    assert entry is not None and "last answer" in told.text and entry.answer["en"][:40] in again.text
    assert len(await pipeline.set_language(ANA, "en")) == 1  # already English: nothing to send again


async def test_a_vote_is_only_counted_on_the_answer_whose_buttons_were_tapped(pipeline: Pipeline, store: Store) -> None:
    """Session 16's Telegram review: after a forget, SQLite gave a deleted answer's number to a newer
    answer, and the old 👎 (naming that number) voted the newer one down and opened a request."""
    [answer] = await pipeline.handle_text(ANA, "cuanto cuesta el programa de migrantes del igss")
    assert answer.log_id is not None
    await pipeline.delivered(answer, 555)
    [stale] = await pipeline.handle_feedback(ANA, answer.log_id, -1, on_message=777)  # another message's buttons
    assert rows(store, "select count(*) as n from feedback")[0]["n"] == 0, stale.text
    replies = await pipeline.handle_feedback(ANA, answer.log_id, -1, on_message=555)
    assert rows(store, "select count(*) as n from feedback")[0]["n"] == 1, [r.text for r in replies]


async def test_without_a_staff_group_forget_does_not_speak_of_the_teams_chat(pipeline: Pipeline) -> None:
    """Session 16's review: with no staff group the /borrar confirmation spoke of requests to "our
    team" and of removing what went to the team's chat, where nothing ever went."""
    [ask] = await pipeline.handle_forget_request(ANA)
    assert "equipo" not in ask.text and "sus mensajes y votos" in ask.text, ask.text


async def test_without_a_staff_group_the_help_does_not_offer_a_person(pipeline: Pipeline) -> None:
    """Review 12: with no staff group, /help, "¿eres un robot?" and a keyboard mash told the member
    to write "quiero hablar con una persona", which only gets "nobody from our team answers in
    this chat": they point to the institution's contact channels instead."""
    [help_reply] = await pipeline.handle_help(ANA)
    [who] = await pipeline.handle_text(ANA, "¿eres un robot?")
    [unclear] = await pipeline.handle_text(ANA, "asdfghjkl")
    for reply in (help_reply, who, unclear):
        assert "quiero hablar con una persona" not in reply.text, reply.text
    assert "canales oficiales de contacto" in help_reply.text and "canales oficiales de contacto" in who.text
    assert unclear.text.startswith("Disculpe, intentemos de nuevo.")


async def test_a_none_of_these_from_before_a_forget_hands_nothing_to_staff(pipeline: Pipeline, store: Store) -> None:
    """Session 17's review: after a forget, SQLite gave the deleted question's number to the tap
    itself, and the old "None of these" sent "none:1" to staff as the member's question. A button
    must be under the list of the question it names (on Telegram, on that very message)."""
    suggest = (await pipeline.handle_text(ANA, "igss migrantes"))[0]
    none = next(b.data for row in suggest.buttons for b in row if b.data.startswith("none:"))
    assert suggest.log_id is not None
    await pipeline.delivered(suggest, 555)
    [stale] = await route_callback(pipeline, ANA, none, on_message=777)  # another message's buttons
    assert "ya no está disponible" in stale.text
    await route_callback(pipeline, ANA, "forget:yes")
    [stale] = await route_callback(pipeline, ANA, none, on_message=555)
    assert "ya no está disponible" in stale.text
    escalated = "select count(*) as n from messages where direction = 'in' and decision = 'escalate'"
    assert rows(store, escalated)[0]["n"] == 0
    again = (await pipeline.handle_text(ANA, "igss migrantes"))[0]
    await pipeline.delivered(again, 556)
    none = next(b.data for row in again.buttons for b in row if b.data.startswith("none:"))
    [sent] = await route_callback(pipeline, ANA, none, on_message=556)
    assert "ya no está disponible" not in sent.text
    assert rows(store, escalated)[0]["n"] == 1


@pytest.mark.parametrize(("member", "typed", "lang"), [(ANA, "cambiar idioma", "en"), (ANA, "idioma", "en"),
                                                        (JOHN, "change language", "es")])
async def test_a_language_button_after_typing_for_the_buttons_sends_the_answer_again(
        pipeline: Pipeline, member: Member, typed: str, lang: str) -> None:
    """Session 17's review: "cambiar idioma" typed right under an answer showed the buttons, and the
    one tapped said "Write your question": the typed words counted as a message written since the
    answer (README: asked or picked right after an answer, that answer comes again)."""
    await pipeline.handle_text(member, "how much does the igss migrant program cost" if member is JOHN
                               else "cuanto cuesta el seguro pa migrantes")
    [menu] = await pipeline.handle_text(member, typed)
    assert [b.data for b in menu.buttons[0]] == ["lang:es", "lang:en"]
    told, again = await pipeline.set_language(member, lang)
    entry = pipeline.faqs.snapshot.faq.get("migrant-cost")
    assert entry is not None and entry.answer[lang][:40] in again.text, told.text


async def test_a_number_replied_to_an_older_list_picks_from_it(pipeline: Pipeline, store: Store) -> None:
    """Session 17's review: "2" sent with Telegram's Reply on a list, after another question, got
    "let's try again": only the list right before counted."""
    suggest = (await pipeline.handle_text(ANA, "igss migrantes"))[0]
    await pipeline.delivered(suggest, 555)
    picks = [b.data.split(":", 1)[1] for row in suggest.buttons for b in row if b.data.startswith("pick:")]
    await pipeline.handle_text(ANA, "cuanto cuesta el seguro pa migrantes")
    [reply] = await pipeline.handle_text(ANA, "2", reply_to=555)
    second = pipeline.faqs.snapshot.faq.get(picks[1])
    assert second is not None and second.answer_in("es")[:40] in reply.text
    picked = rows(store, "select in_reply_to from messages where direction = 'in' and text = '2' order by id")
    assert picked[0]["in_reply_to"] == suggest.log_id  # `faq gaps` sees the listed question resolved
    [other] = await pipeline.handle_text(ANA, "2", reply_to=999)  # a reply to no list: as before
    assert second.answer_in("es")[:40] not in other.text


async def test_without_a_staff_group_a_captioned_photo_is_said_to_be_unseen(pipeline: Pipeline) -> None:
    """Session 17's review: a receipt photographed with "mi recibo de pago" under it got a list of
    questions, as if the receipt had been read; nobody sees the file without a staff group."""
    replies = await pipeline.handle_media(ANA, "photo", caption="cuanto cuesta el seguro pa migrantes",
                                          file_id="F1", telegram_message_id=40)
    assert replies[0].text.startswith("No puedo ver fotos") and "Q1,000" in replies[1].text
    replies = await pipeline.handle_media(ANA, "photo", caption="igss migrantes", file_id="F2", telegram_message_id=41)
    assert replies[0].text.startswith("No puedo ver fotos") and replies[-1].buttons[-1][0].data.startswith("none:")
    picks = [b.data.split(":", 1)[1] for row in replies[-1].buttons for b in row if b.data.startswith("pick:")]
    second = pipeline.faqs.snapshot.faq.get(picks[1])
    [picked] = await pipeline.handle_text(ANA, "2")  # the list is still the last message
    assert second is not None and second.answer_in("es")[:40] in picked.text
    [thanks] = await pipeline.handle_media(ANA, "photo", caption="gracias", file_id="F3", telegram_message_id=42)
    assert "No puedo ver" not in thanks.text
