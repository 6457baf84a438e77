"""Offline, microsecond language detection for short, messy member messages.

A member writing "mi mom puede ser beneficiary del igss" is writing Spanish with English nouns,
and wants the Spanish answer. So detection counts *grammar* (function) words — articles,
prepositions, pronouns, auxiliaries, question words — which carry the sentence's language, and
ignores nouns, which migrants borrow freely. Shorthand counts too ("q", "pa", "xq" are Spanish;
"u", "ur", "pls" are English). Ties fall back to Spanish-only letters (ñ, ¿, ¡, accents), then
to ``default``.

The same word lists are the matcher's stop words (:data:`STOPWORDS`): words that tell you the
language tell you nothing about the topic.
"""

from __future__ import annotations

import re

from faq.normalize import clean


def _words(text: str) -> list[str]:
    """Word lists are written as text blocks so they stay readable and easy to edit."""
    return text.split()

#: Spanish grammar words and common shorthand. Deliberately excludes words that are also common
#: English (e.g. "no", "a", "me" is kept because English "me" is weaker evidence than Spanish).
ES_WORDS: frozenset[str] = frozenset(_words("""
el la los las un una unos unas lo al del de en con por para sin sobre entre hasta desde hacia
y o pero si porque pues que q k xq pq porq pa x d tmb tambien ya muy mas menos
yo tu usted ustedes nosotros ellos ella mi mis su sus nuestro nuestra le les se te nos me
es son esta estan estoy estamos soy somos fue era ser estar hay tengo tiene tienen tenemos
puedo puede pueden podria quiero quiere necesito necesita hago hace hacer debo debe sea
como cuando donde cuanto cuanta cuantos cuantas quien quienes cual cuales porque aqui aca ahi alla
este esta estos estas ese esa esos esas eso esto algo nada todo toda todos todas otro otra
hola gracias buenas buenos dias tardes noches bueno pero tambien ahora aun todavia entonces
"""))

#: English grammar words and common shorthand.
EN_WORDS: frozenset[str] = frozenset(_words("""
the a an of in on at to for from with without by about into over after before
and or but if because so than then
i you he she we they it me him her us them my your his our their its u ur
is are was were be been being am do does did have has had will would can could should must may
what whats when where who whom which why how hows whos wheres
this that these those there here some any all every no not dont doesnt didnt cant cannot wont
im ive id youre theyre isnt arent wasnt please pls plz thanks thx hi hello hey
just also too very really still yet get got my
"""))

_ONLY_ES_CHARS = re.compile(r"[ñ¿¡áéíóúü]", re.IGNORECASE)

#: Function words of both languages: dropped by the matcher because they say nothing about topic.
#: Question words (como/how, cuanto/how much, cuando/when, donde/where) are *not* included: they
#: distinguish "how do I pay" from "how much do I pay".
QUESTION_WORDS: frozenset[str] = frozenset(_words(
    "como cuando donde cuanto cuanta cuantos cuantas quien quienes cual cuales "
    "how when where who which why what whats hows"
))
STOPWORDS: frozenset[str] = (ES_WORDS | EN_WORDS | frozenset(_words(
    "estando siendo sido habia hubo haya tenia tuve tengan pueda puedan podemos quisiera hacerlo "
    "been having getting gotten"
))) - QUESTION_WORDS

#: Words that frame a question without saying what it is about: generic verbs ("get", "sacar",
#: "tardar"), politeness and time fillers. The matcher gives them at most the weight of a very
#: common word, however rare they are in a given FAQ: "¿cuánto tarda el trámite?" must not match
#: the one entry that happens to say "tarda", and "how do I get a green card" is not about the
#: entry that says "get". Keep topic words (pagar, inscribir, pension...) out of this list.
WEAK_WORDS: frozenset[str] = frozenset(_words("""
tarda tardan tardar demora demoran dura duran durar rapido pronto tiempo long take takes took
saber se sabe know knows hacer hago hace hacen haga hice make makes made do doing done
poder puedo podria can could sacar saco saca sacan obtener obtengo conseguir consigo get gets
obtain dar dan da dieron dio give gives given pedir pido piden ask asks asked tener tengo
need needs necesito necesitar want wants quiero querer ir voy vaya go goes going ver veo see
pasar pasa paso happen happens happened usar uso use using llevar llevo bring ayuda ayudar
ayudame help helps favor please porfavor ahora now hoy today ya already still todavia aun
algo something anything alguien someone cosa cosas thing things eso tema info informacion
nuevo nueva new otro otra other another mismo same bien well good bueno malo bad
"""))


def detect_language(text: str, default: str = "es") -> str:
    """Return "es" or "en" for ``text`` by counting each language's grammar words.

    ``default`` (the bot's configured language) wins when there is no evidence either way, e.g.
    for "IGSS" or an emoji.
    """
    if default not in ("es", "en"):
        default = "es"
    words = clean(text).split()
    es = sum(1 for w in words if w in ES_WORDS)
    en = sum(1 for w in words if w in EN_WORDS)
    if es != en:
        return "es" if es > en else "en"
    if _ONLY_ES_CHARS.search(text or ""):
        return "es"
    return default
