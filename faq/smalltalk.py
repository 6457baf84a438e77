"""Recognise messages that are not questions: greetings, thanks, goodbyes, requests for a person.

Two different rules, on purpose:

* greeting / thanks / goodbye only when the *whole* message is small talk ("hola buenas tardes",
  "gracias!!", "ok bye"). "Hola, mi cuñado me mandó un video…" starts with a greeting but is a
  question, and must reach the matcher.
* "human" wherever it appears: "hola, quiero hablar con una persona sobre mi pensión" must reach
  staff, whatever else the message says.

A message with no letters or digits at all (emoji, punctuation, blank) is "empty".
"""

from __future__ import annotations

import re

from faq.normalize import clean


def _words(text: str) -> list[str]:
    """Word lists are written as text blocks so they stay readable and easy to edit."""
    return text.split()

GREETING: frozenset[str] = frozenset(_words("""
hola holi ola buenas buenos buen dia dias tarde tardes noche noches saludos que tal onda hi hello
hey hiya yo good morning afternoon evening howdy greetings qubo quiubo quihubo
"""))
THANKS: frozenset[str] = frozenset(_words("""
gracias grax grcias graciaz grasias mil muchas muchisimas thanks thank thx thnx thnks tnx ty tysm
you so much appreciate it agradecido agradecida agradezco dios le bendiga bendiciones
"""))
GOODBYE: frozenset[str] = frozenset(_words("""
adios bye bai byebye chao chau ciao hasta luego pronto manana mañana vemos nos see ya later cuidese
cuidate goodnight night take care
"""))
#: Words that may pad small talk without making it a question ("ok", "muy amable", "señorita").
FILLER: frozenset[str] = frozenset(_words("""
ok okay oka okey k vale bueno listo perfecto excelente genial entendido sale va simon si yes yeah
yep sure great cool nice awesome perfect alright fine amable muy mucho todo bien and y a usted ud
le la lo te the all for very much senor senora senorita seño joven amigo amiga sir maam miss
"""))

_PERSON = r"(?:una |un |alguna |algun |a |an |some |real |the )?" \
          r"(?:persona|humano|humana|alguien|agente|asesor|asesora|operador|operadora|representante|" \
          r"empleado|empleada|person|human|someone|somebody|agent|" \
          r"representative|operator|staff|real person|live agent)"
_HUMAN_RE = re.compile(
    r"\b(?:"
    rf"(?:hablar|platicar|comunicarme|comunicar|contactar|chatear|conversar|atender|atienda) (?:con |a )?{_PERSON}\b"
    rf"|(?:talk|speak|chat) (?:to|with) {_PERSON}\b"
    r"|(?:persona|humano) real|real (?:person|human)|live (?:agent|person)"
    r"|agente|asesor|asesora|operador|operadora|representante|representative|human agent|human please"
    r")"
)


def classify_smalltalk(text: str) -> str | None:
    """Return "greeting", "thanks", "goodbye", "human", "empty" or ``None`` (a real question)."""
    words = clean(text).split()
    if not words:
        return "empty"
    joined = " ".join(words)
    if _HUMAN_RE.search(joined) or joined in ("humano", "human", "persona", "person"):
        return "human"
    kinds = set()
    for w in words:
        if w in THANKS:
            kinds.add("thanks")
        elif w in GOODBYE:
            kinds.add("goodbye")
        elif w in GREETING:
            kinds.add("greeting")
        elif w not in FILLER:
            return None  # a word that is not small talk: this is a question
    # Thanks beats goodbye beats greeting: "ok gracias adios" is thanks; "hola adios" is goodbye.
    for kind in ("thanks", "goodbye", "greeting"):
        if kind in kinds:
            return kind
    return "thanks"  # only fillers ("ok", "listo", "perfecto"): an acknowledgement
