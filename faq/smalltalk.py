"""Recognise messages that are not questions: greetings, thanks, goodbyes, requests for a person,
a bare "help", "who are you?", and "I don't understand" / "that didn't help".

Two different rules, on purpose:

* greeting / thanks / goodbye / help / who / unclear only when the *whole* message is small talk
  ("hola buenas tardes", "gracias!!", "ok bye", "necesito ayuda", "¿eres un robot?", "gracias pero
  no me sirvió"). "Hola, mi cuñado me mandó un video…" starts with a greeting but is a question,
  and must reach the matcher; so must "necesito ayuda con mi pensión".
* "human" wherever it appears: "hola, quiero hablar con una persona sobre mi pensión" must reach
  staff, whatever else the message says.

Without these, "ayuda" or "no entiendo" went to the matcher, which found some entry sharing a
word and answered it with confidence. A message with no letters or digits at all (punctuation,
blank) is "empty"; one made only of approving emoji (👍 🙏 👌) is thanks.
"""

from __future__ import annotations

import re

from faq.language import STOPWORDS, WEAK_WORDS
from faq.normalize import clean


def _words(text: str) -> list[str]:
    """Word lists are written as text blocks so they stay readable and easy to edit."""
    return text.split()

GREETING: frozenset[str] = frozenset(_words("""
hola holi ola buenas buenos buen dia dias tarde tardes noche noches saludos que tal onda hi hello
hey hiya yo good morning afternoon evening howdy greetings qubo quiubo quihubo
como esta estas están estan how are r u doing going
there everyone everybody folks yall todos
"""))
THANKS: frozenset[str] = frozenset(_words("""
gracias grax grcias graciaz grasias thanks thank thx thnx thnks tnx ty tysm appreciate
agradecido agradecida agradezco bendiga bendiciones
"""))
#: Words that only pad a thanks ("muchas gracias", "thank you so much", "Dios le bendiga").
THANKS_PAD: frozenset[str] = frozenset(_words("mil muchas muchisimas you so much it dios le"))
#: The member's matter is sorted out (after an answer, or staff's): a closing, not a new question
#: for the FAQ or a request to reopen (session 14's review: "ya lo resolví, gracias" reopened the
#: request and promised a person; "listo ya pude" got a list).
_SORTED = (r"(?:(?:listo )?ya (?:lo |la |me |se |todo )?(?:resolvi|resolvimos|solucione|arregle|arreglamos|pude|"
           r"quedo|arreglo|resolvio|soluciono|atendieron|logre|hice)|ya esta(?: listo)?|todo bien ya|"
           r"(?:i )?already (?:fixed|solved|sorted|figured)(?: it)?(?: out)?|i (?:fixed|solved|sorted) it|"
           r"all good(?: now)?|it s (?:fixed|solved|sorted)|got it sorted|i got it)")
#: What members add to a thanks that is no question ("gracias, me sirvió" — the 👍 button's own
#: words —, "gracias por la información", "gracias hermano", "thanks, very helpful"): with a
#: thanks word, or on its own for the first two kinds, the whole message is thanks.
_THANKS_EXTRA_RE = re.compile(
    r"\b(?:(?:ya )?me (?:sirvio|sirve|ayudo|ayudaste|ayudaron|ayudo mucho)|(?:muy|so|very|really|super) helpful|helpful"
    r"|(?:that|it|this) helped|(?:that|it|this) (?:was|is) (?:(?:very|so|really|super) )?helpful"
    r"|(?:por|for) (?:la|su|tu|the|your|all the) (?:informacion|info|information|ayuda|help"
    r"|respuesta|answer|tiempo|time)|por todo|for everything|a lot|ya entendi|eso (?:era|es) todo|es todo|nada mas"
    r"|voy a (?:intentar|llamar|probar|hacerlo|ir|esperar|checar|revisar)|i ll (?:try|call|check)"
    r"|muy clar[ao](?: la (?:respuesta|informacion))?"
    r"|(?:excelente|buena|buenisima|muy buena|great|good) (?:informacion|info|information|respuesta|answer)"
    r"|hermanos?|hermanas?"
    # it is sorted out ("ya lo resolví, gracias", "listo, ya pude", "thanks, I already fixed it")
    r"|" + _SORTED + r")\b")
#: Phrases that are thanks even without a thanks word ("me sirvió", "very helpful", "ya lo resolví").
_THANKS_ALONE_RE = re.compile(r"^(?:(?:ya )?me (?:sirvio|ayudo)|(?:muy|so|very|really|super) helpful|that helped"
                              r"|(?:ok )?(?:that|it|this) (?:was|is) (?:(?:very|so|really|super) )?helpful"
                              r"|(?:ok |listo )?" + _SORTED + r")(?: mucho| a lot)?$")
#: A typed request to delete one's data ("borrar mis datos", "delete my data", "forget me"): the
#: same confirmation as /forget, never a question logged for staff or for the FAQ's gaps.
_FORGET_RE = re.compile(
    r"^(?:(?:por favor|porfa|please|pls) )?(?:(?:quiero|quisiera|i want to|i d like to|can you|pueden|puede) )?"
    r"(?:borr(?:ar|a|en|e)|elimin(?:ar|a|en|e)|delete|erase|remove)"
    r"(?: (?:todos |toda |all |todo )?(?:mis|mi|my|todo|everything))?"
    r"(?: (?:datos|informacion|info|data|information|historial|history|conversacion|mensajes|messages|cuenta|account))?"
    r"(?: (?:por favor|porfa|please|pls))?$"
    r"|^(?:forget me|olvidame|olvideme|no quiero que guarden mis datos|dont keep my data)(?: (?:por favor|please))?$")
_FORGET_ANYWHERE_RE = re.compile(
    r"\b(?:borr(?:ar|en|e|a)|elimin(?:ar|en|e|a)) (?:todos |toda )?(?:mis|mi) (?:datos|informacion|info)\b"
    r"|\bno quiero que (?:guarden|tengan|se queden con) (?:mis|mi) (?:datos|informacion)"
    r"|\b(?:delete|erase|remove|forget) (?:all )?"
    r"(?:my (?:personal )?(?:data|information|info)|everything you have about me)\b"
    r"|\bdont (?:keep|store|save) my (?:data|information|info)\b")
#: "how much?", "how long": a question (session 17's review: "how much" got "Hello! What would you
#: like to know?", its words being a greeting's "how" and a filler's "much").
_HOW_MUCH_RE = re.compile(r"\bhow (?:much|many|long|often|old|soon|far)\b")
#: "¿cómo está?", "how are you": "cómo"/"how" in a greeting (alone, "¿y cómo?" got "Hello! What
#: would you like to know?" right under an answer: session 17's review).
_HOW_ARE_YOU_RE = re.compile(r"\b(?:como (?:esta|estas|estan|le va|te va|les va|amaneci\w*)"
                             r"|how (?:are|r|is it|s it|have you been|you doing|ya doing|do you do))\b")
#: "Tengo una pregunta", "¿puedo hacer una pregunta?": the question is still to come.
_OPENER_RE = re.compile(
    r"^(?:(?:hola|buenas|buenos dias|buenas tardes|buenas noches|oiga|disculpe|perdon|hi|hello) )*"
    r"(?:(?:tengo|tenia|traigo|una|otra|un par de|tengo otra|tengo una|i have a|i have another|i got a|quick"
    r"|one more|another) ?)"
    r"(?:pregunta|preguntita|duda|consulta|question|quick question)(?: mas| more| para ustedes| for you)?$"
    r"|^(?:puedo|le puedo|te puedo|se puede|les puedo) (?:hacer|preguntar)(?: una| otra)?"
    r"(?: pregunta| consulta| algo)?$"
    r"|^(?:le|les|te) (?:hago|pregunto) (?:una |otra )?(?:pregunta|consulta|algo)$"
    r"|^can i ask (?:you )?(?:a question|something|another question)$"
    # "quisiera información", "informes", "I need info": no topic yet (session 17's review: "hello i
    # need information" was answered with the consulate entry, "necesito información" got a list)
    r"|^(?:(?:hola|buenas|buenos dias|buenas tardes|buenas noches|oiga|disculpe|perdon|hi|hello|hey) )*"
    r"(?:(?:quisiera|quiero|queria|necesito|ocupo|busco|pido|solicito|me da|me das|me puede dar|me pueden dar"
    r"|i need|i want|i would like|id like|can i get|can i have|looking for|need|want)"
    r"(?: (?:una|un|unos|unas|la|las|los|some|more|mas|de))? )?"
    r"(?:informacion|info|informes|information|mas informacion|more information|more info)"
    r"(?: (?:por favor|porfa|porfavor|please|pls|plz))?$")
#: "No gracias", "eso es todo", "nada más": the member is done.
_DONE_RE = re.compile(r"^(?:no )?(?:eso (?:era|es) todo|es todo|nada mas|thats all|thats it|no thanks|no thank you)"
                      r"(?: (?:gracias|thanks|thank you|por ahora|for now))*$|^no gracias$"
                      # The member drops what they were asking (session 15's review: "nvm" opened a
                      # request for staff). Not "forget me": that asks to delete their data.
                      r"|^(?:(?:ok|okay|oh|ah|actually|bueno|mejor|pues) )*(?:never ?mind|nvm|nm|forget (?:about )?it"
                      r"|no importa|ya no importa|olvidalo|olvidelo|olvidenlo|dejalo|dejelo|dejalo asi|dejelo asi"
                      r"|no se preocupe|no te preocupes|dont worry(?: about it)?)"
                      r"(?: (?:gracias|thanks|then|entonces))*$")
#: "What can you do?", "¿cómo funciona esto?": how to use the bot (the help reply).
_HOW_TO_USE_RE = re.compile(
    r"^(?:what (?:can|do) you do|what can i ask(?: you)?|what do i ask|how (?:does|do) (?:this|it|you) work"
    r"|what is this(?: bot| chat)?|whats this(?: bot| chat)?|que (?:puedes|puede|pueden) hacer|que haces|que hace"
    r"|que es (?:esto|este bot|este chat)"  # (session 17's review: "¿qué es esto?" went to staff)
    r"|para que (?:sirves|sirve|sirve esto|sirve este bot)|como (?:funciona|funcionas)(?: esto| este bot)?"
    r"|que (?:le )?puedo preguntar|que te puedo preguntar)$")
#: A word no one can read ("asdfghjkl", "sdfsdf"): six letters or more without a vowel, or five
#: consonants in a row (not an acronym such as "FQHC", "HSBC").
_MASHED_RE = re.compile(r"^(?:[^aeiouy\d]{6,}|.*[bcdfghjklmnpqrstvwxz]{5,}.*)$")
GOODBYE: frozenset[str] = frozenset(_words("""
adios bye bai byebye chao chau ciao hasta luego pronto manana mañana vemos nos see ya later cuidese
cuidate goodnight night take care
"""))
#: Fillers that acknowledge an answer on their own ("ok", "listo", "perfecto", "jaja"; session 17's
#: review: "oki", "sip", "dale", "amén" and "got it" went to staff as questions).
ACKNOWLEDGE: frozenset[str] = frozenset(_words("""
ok okay oka okey k vale bueno listo perfecto excelente genial entendido sale va simon si yes yeah yep sure
great cool nice awesome perfect alright fine amable bien jaja jajaja jajajaja jeje jejeje haha hahaha lol xd
oki okis okk doki okidoki sip sipi dale andale orale amen igualmente
"""))
#: Acknowledgments of more than one word, read as "ok" ("got it", "ya veo", "sounds good").
_ACK_RE = re.compile(r"\b(?:got it|gotcha|i see|ya veo|sounds good|makes sense|ya entendi|ya entiendo|"
                     r"ahora entiendo|now i understand|i understand now)\b")
#: Words that may pad small talk without making it a question ("ok", "muy amable", "señorita").
FILLER: frozenset[str] = frozenset(_words("""
ok okay oka okey k vale bueno listo perfecto excelente genial entendido sale va simon si yes yeah
yep sure great cool nice awesome perfect alright fine amable muy mucho todo bien and y a usted ud
le la lo te the all for very much senor senora senorita seño señor señora señorita señito señita
doña don joven amigo amiga sir maam miss mija mijo mijita mijito
jaja jajaja jajajaja jeje jejeje haha hahaha lol xd mmm mm m hmm eh pues pero but well oh ah ahh ohh
oki okis okk doki okidoki sip sipi dale andale orale amen igualmente
por favor porfa xfa please pls plz disculpe perdon sorry bro compa wey guey man dude
"""))
#: Courtesy inside a question ("que documentos necesito x fa", "hola amigo, ...", "Dios le
#: bendiga", "god bless", "gracias de antemano"): how this audience writes, never what it asks
#: about. Dropped before matching (see without_courtesy): a one-topic question lost half its
#: score or more to one such word the FAQ never uses, and went to staff (session 12's review).
COURTESY_WORDS: frozenset[str] = frozenset(_words("""
porfa porfas porfis porfi porfavor plis pliss plss plz pls please xfa xfis xfavor bendiga bendigan
bendiciones bendicion antemano saludos saludes buddy bro dude disculpe disculpa disculpen disculpeme
oiga oye hey hi hello hola holi buenas gracias grax thanks thank thx
"""))
COURTESY_PHRASES: frozenset[tuple[str, ...]] = frozenset(tuple(p.split()) for p in (
    "por favor", "por fa", "por fis", "buen dia", "buenos dias", "buenas tardes", "buenas noches",
    "good morning", "good afternoon", "good evening", "dios le bendiga", "dios te bendiga",
    "dios los bendiga", "dios la bendiga", "dios lo bendiga", "dios me lo bendiga", "que dios",
    "god bless", "god bless you", "gracias a dios", "si dios quiere", "de antemano", "muchas gracias",
    "mil gracias", "thank you", "thanks in advance", "hola amigo", "hola amiga", "hola compa",
    "hey buddy", "hi buddy", "hey bro", "una pregunta", "tengo una pregunta", "i have a question",
    "quick question", "a question", "disculpe la molestia", "perdon la molestia", "la molestia",
    "sorry to bother", "sorry to bother you",
    # "hermano/hermana/mano" as a form of address (not "mi hermano", a relative)
    "buenas hermano", "buenas hermana", "hola hermano", "hola hermana", "gracias hermano", "gracias hermana",
    "mire hermano", "mire hermana", "oiga hermano", "oiga hermana", "hermano una pregunta", "hermana una pregunta",
    "hola mano", "buenas mano", "gracias mano", "bendiciones hermano", "bendiciones hermana",
    # a thanks before the next question ("me sirvió, ¿y cómo pago desde USA?")
    "me sirvio", "ya me sirvio", "ya entendi", "muy amable"))
_COURTESY_LONGEST = max(len(p) for p in COURTESY_PHRASES)


def without_courtesy(words: list[str]) -> list[str]:
    """``words`` (normalised) without courtesy (COURTESY_WORDS, COURTESY_PHRASES); all of them
    when nothing else is left (a message of courtesy alone is small talk, not this function's)."""
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(_COURTESY_LONGEST, len(words) - i), 1, -1):
            if tuple(words[i:i + n]) in COURTESY_PHRASES:
                i += n
                break
        else:
            if words[i] not in COURTESY_WORDS:
                out.append(words[i])
            i += 1
    return out or words


#: A bare request for help, without saying what with ("necesito ayuda", "can you help me?").
HELP: frozenset[str] = frozenset(_words("ayuda ayudar ayudame ayudeme ayudarme ayudenme help assistance auxilio"))
HELP_PAD: frozenset[str] = frozenset(_words("""
necesito ocupo quiero requiero busco pido puede puedes pueden podria podrias me una un poco alguna
i need want can could you some get me with a
"""))
_WHO_RE = re.compile(
    r"^(?:quien eres|quien es usted|que eres|con quien hablo|quien me contesta|quien me responde"
    r"|(?:eres|es usted|estoy hablando con|hablo con) (?:un |una )?"
    r"(?:robot|bot|maquina|humano|humana|persona(?: real)?|real)"
    r"|who are you|what are you|who is this|who am i talking to"
    r"|(?:are you|is this|am i talking to|am i chatting with) (?:a |an )?(?:bot|robot|machine|human|person|"
    r"real person|real|ai)"
    # "¿es el IGSS?", "is this IMSS?" (session 17's review: a list led by the IGSS cancer entry)
    r"|(?:es|esto es|este es|son|eres|es usted)(?: el| del| de el)? (?:igss|imss)"
    r"|(?:is this|are you|is it)(?: the)? (?:igss|imss))"
    r"(?: (?:o que|or what|verdad|right|o no|or not))?$"
)
_UNCLEAR_RE = re.compile(
    r"\b(?:no (?:le )?(?:entiendo|entendi|comprendo)|no me (?:sirvio|sirve|ayudo|ayuda)|no (?:sirvio|sirve|ayudo)"
    r"|no es eso|eso no es|no era eso|eso no|otra vez|de nuevo"
    r"|i (?:dont|do not|didnt|did not) (?:understand|get it)|(?:didnt|doesnt|did not|does not) help"
    r"|not helpful|(?:thats|that is) not (?:it|what i asked)|not what i asked|no es lo que pregunte)\b"
)
_OPENERS: frozenset[str] = frozenset(_words("""
hola hi hello hey oye ok okay y and but pero buenas buenos dias tardes noches good morning afternoon
evening disculpe sorry perdon pues so
"""))
_UNCLEAR_PAD: frozenset[str] = frozenset(_words("that this it eso esto still todavia aun really la verdad nada"))
_UNCLEAR_ALONE: frozenset[str] = frozenset({"que", "what", "huh", "mande", "como", "no", "q", "k", "eh", "que que",
                                            "no se", "ni idea", "idk", "i dont know", "no lo se"})
_APPROVING = set("👍👌🙏🙂😊😀❤♥👏💯✅🤝") | {"\ufe0f", "\u200d"} | {chr(c) for c in range(0x1F3FB, 0x1F400)}

_PERSON = r"(?:una |un |alguna |algun |a |an |some |real |the )?" \
          r"(?:persona|humano|humana|alguien|agente|asesor|asesora|operador|operadora|representante|" \
          r"empleado|empleada|person|human|someone|somebody|agent|" \
          r"representative|operator|staff|real person|live agent)"
_HUMAN_RE = re.compile(
    r"\b(?:"
    rf"(?:hablar|platicar|comunicarme|comunicar|contactar|chatear|conversar|atender|atienda|pasame|pasenme|"
    rf"paseme|comuniqueme|comuniquenme|conecteme|conectame) (?:con |a )?{_PERSON}\b"
    rf"|(?:talk|speak|chat) (?:to|with) {_PERSON}\b"
    r"|(?:persona|humano) real|real (?:person|human)|live (?:agent|person)|human agent|human please"
    r")"
)
#: A job title alone ("un asesor por favor", "agent") asks for a person; inside a sentence it is
#: a topic ("necesito asesoría para afiliarme", "what is an accredited representative?").
PERSON_NOUNS: frozenset[str] = frozenset(_words("""
persona humano humana alguien agente asesor asesora operador operadora representante empleado
empleada person human someone somebody agent representative operator staff
"""))


#: Asking for the topics in words: the replies keep saying "tap /menu", and on a phone many
#: members type "menu" (or "¿qué temas hay?") instead of tapping.
MENU: frozenset[str] = frozenset(_words("menu menus temas topics opciones options categorias categories"))
MENU_PAD: frozenset[str] = frozenset(_words("""
ver el la los las de del al a mostrar muestrame muestreme muestre ensename enseneme dame deme
manda mandame mandeme quiero que cuales son hay tienen tiene show see the list lista main principal
open abrir back regresar volver go ir i want me give what are is there send
"""))
#: Asking for a language in words ("en español por favor", "english please", "no hablo inglés").
LANGUAGE_NAMES: dict[str, str] = {
    "español": "es", "espanol": "es", "castellano": "es", "spanish": "es", "espanish": "es", "espaniol": "es",
    "espanyol": "es", "ingles": "en", "english": "en", "inglish": "en", "englis": "en"}
LANGUAGE_PAD: frozenset[str] = frozenset(_words("""
en in habla hablas hable hablen hablan hablamos hablame hableme hablo hablar escribe escribeme escribame escribir
escribo escriba escribes leo lee yo we us prefer plis porfis porfavor entender leer nada de un poco any bit
contesta contestame contesteme conteste contestar contestes responde respondeme respondame responda responder
respondas puede puedes podria podrias puedo quiero prefiero solo nomas mejor idioma language cambiar cambia cambie
change switch to a al de la el speak talk write answer reply respond can could you do i want only me the entiendo
entendi se understand know lo like read bien mucho muy very well much ayuda help necesito need atender atienda
atiendame atiendan alguien someone anybody somebody anyone hay que is there who please pls little speaks
speaking writes quien ser be podemos hablemos entiende entienden entiendes sabe saben fine hablarme hablenme
say it that this eso esto explain explica explicame expliqueme explicarme again otra vez nuevo dimelo digamelo dime
digame decir decirme repite repitelo repeat send manda mandame mandeme tell back regresa vuelve
quisiera ocupo responderme contestarme contestas respondes poquito lets let have hables escribas
ablame ableme ablo ablar q ya lo siento stop writing using use quit porque xq pq porq because
my mi good bad poor malo mala mal es bueno buena
"""))
#: Orders to use a language ("háblame en español"): what follows its name is no refusal of it.
_ORDERS: frozenset[str] = frozenset(_words("""
hablame hableme hablenme ablame escribeme escribame escribanme contestame contesteme contestenme respondeme
respondame respondanme speak write answer reply talk respond
"""))
_BECAUSE: frozenset[str] = frozenset(_words("q que k porque xq pq porq because cause cuz since"))
_NEGATION: frozenset[str] = frozenset(_words("no dont not cant cannot nada ni stop quit bad poor malo mala mal"))
#: "¿no hablan español?", "¿no habla inglés?": asking whether the bot speaks it, i.e. asking for it
#: (not "no hablo", "no me hable": the member's own language, or an order not to use it).
_ASKING_VERBS: frozenset[str] = frozenset(_words("""
habla hablan hablas entiende entienden entiendes sabe saben puede pueden puedes podria podrian podrias hay tienen
tiene you
"""))
_POLITE: frozenset[str] = frozenset(_words("porfa porfavor plis porfis xfa please pls plz"))
_POR_FAVOR = re.compile(r"\bpor (?:favor|fa|fis)\b")
#: "inglés está bien" accepts a language; "¿está en inglés?" asks about a document (not a request).
_IS_FINE = re.compile(r"\besta bien\b")
#: "¿necesito hablar inglés?", "do I have to speak English?": a question about a requirement.
_OBLIGATION = re.compile(r"\b(?:necesito|necesita|necesitan|ocupo|ocupa|ocupan|need(?: to)?|needs(?: to)?|hay que|"
                         r"tengo que|tiene que|have to|has to|must|debo|debe)\s+(?:saber\s+)?(?:hablar|speak|saber|"
                         r"know|leer|read|escribir|write|entender|understand)\s+(?:el\s+)?(?:"
                         + "|".join(LANGUAGE_NAMES) + r")\b")
#: "¿ocupo inglés?", "¿necesito inglés?": asking whether it is needed (without "?" it asks for it).
_NEED_QUESTION = re.compile(r"\b(?:necesito|ocupo|need)\s+(?:el\s+)?(?:" + "|".join(LANGUAGE_NAMES) + r")\b")
#: "no entiendo en inglés por favor", "I don't understand in Spanish, please": not understanding
#: one language, said in the other, which is the one wanted (group 1: the verb).
_NOT_UNDERSTOOD_PLEASE = re.compile(r"\b(?:no|dont|didnt)\s+(?:le\s+)?(entiendo|entendi|understand)\s+(?:en|in)\s+"
                                    r"(?:" + "|".join(LANGUAGE_NAMES) + r")\s+please\b")
#: "no hablo bien (el) español", "no leo mucho español", "hablo poquito español": Spanish about
#: one's own Spanish (see requested_language).
_SPANISH_NOT_WELL = re.compile(r"\bno\s+(?:\w+\s+){0,2}(?:bien|mucho)\b.*\b(?:español|espanol|castellano)\b"
                               r"|\b(?:poco|poquito|mal)\s+(?:de\s+|el\s+)?(?:español|espanol|castellano)\b")
#: "is it only in Spanish?", "¿está en inglés?": asking about something (a form, the site), not for a language.
_IS_IT = re.compile(r"\b(?:is it|it is|its|esta|es)\b")
#: "cambiar idioma", "change language": the language buttons, as /language gives them.
_LANGUAGE_WORDS: frozenset[str] = frozenset(_words("idioma idiomas language languages lenguaje"))
_CHANGE_WORDS: frozenset[str] = frozenset(_words("""
cambiar cambia cambie cambio change switch elegir escoger choose options opciones settings setting configuracion
ajustes preferences
"""))
#: "otro idioma", "another language": the other one, whichever it is.
_OTHER: frozenset[str] = frozenset(_words("otro otra another other different diferente"))
#: "él no habla inglés", "she doesn't speak Spanish": a statement about someone else.
_SOMEONE_ELSE = re.compile(r"\b(?:él|ella|ellos|ellas|he|she|they|hes|shes)\b|\bel no\b", re.IGNORECASE)
#: Where a clause ends: "no, en español" and "no entiendo, en español" name the language wanted
#: after a negation that belongs to the clause before.
_CLAUSE_END = re.compile(r"[,.;:!?¡¿\n]+")
#: What may surround a language request without making it a question: openers and politeness,
#: not every greeting word ("¿está en inglés?" asks about a document).
_LANGUAGE_AROUND: frozenset[str] = _OPENERS | FILLER | THANKS | THANKS_PAD


def _refused(clause: list[str], at: int, question: bool = False) -> bool:
    """Whether the language named at ``clause[at]`` is one the member does not want: a negation
    before it in its clause ("no hablo inglés", "don't answer in English", "I can't read in
    Spanish", "no sé hablar en inglés"), right after it ("inglés no entiendo", "el inglés no lo
    hablo"), or "poco"/"little" before it ("hablo poco inglés"). Not when the negation asks
    whether the bot speaks it ("¿no hablan español?") or is taken back ("no, mejor en español").
    ("no entiendo en inglés por favor" is read before: _NOT_UNDERSTOOD_PLEASE.)"""
    after = clause[at + 1:]
    # "háblame en inglés q no leo bien español", "en español porfa no entiendo": a reason after
    # "que/porque" or "please" is another clause; so is one after an order to use the language
    # ("escríbeme en español no le entiendo").
    after = after[:next((j for j, w in enumerate(after) if w in _BECAUSE or w == "please"), len(after))]
    # ("I speak English bad" is no order: a subject before the verb.)
    order = max((i for i, w in enumerate(clause[:at])
                 if w in _ORDERS and clause[i - 1:i] not in (["i"], ["yo"], ["we"])), default=None)
    if order is not None and not any(w in _NEGATION or w in LANGUAGE_NAMES for w in clause[order + 1:at]) \
            and not any(w in _NEGATION for w in clause[:order]):
        after = []  # (the order's own language only: "speak english please, my spanish is not good")
    # (A negation followed by another language's name is that one's: "english, not spanish"; one
    # followed by "se puede", "hay" asks for it: "en español no se puede?".)
    if any(w in _NEGATION and not _names_one(after[j + 1:j + 3])
           and not _asking(after[j + 1:]) for j, w in enumerate(after[:3])):
        return True
    before = clause[:at]
    if any(w in ("poco", "poquito", "little") for w in before[-3:]):
        return True  # "hablo poco inglés", "I speak a little English": not the one wanted
    neg = max((i for i, w in enumerate(before) if w in _NEGATION), default=None)
    if neg is None:
        return False
    between = before[neg + 1:]
    if between and between[-1] == "ni":
        return True
    if between[:1] == ["mejor"]:
        return False  # "no, mejor en español"
    lead = before[max(0, neg - 2):neg]  # "you can't…", "you do not…", "there is no…"
    if question and ("there" in lead or ("you" in lead and "thank" not in before[max(0, neg - 3):neg])):
        return False  # "you can't answer in Spanish?", "there is no Spanish?" (not "thank you, don't…")
    return not _asking(between)


def _names_one(words: list[str]) -> bool:
    """Whether ``words`` start with a language's name, after "en"/"in" or not: the negation
    before them is that language's ("english, not spanish", "en español, no en inglés")."""
    if words[:1] in (["en"], ["in"]):
        words = words[1:]
    return bool(words) and words[0] in LANGUAGE_NAMES


def _asking(words: list[str]) -> bool:
    """Whether the words after a negation ask whether the bot does it: "¿no hablan…?", "¿no me
    puede contestar…?", "¿no se puede…?", "¿no hay…?", "can't you…?" (not "no hablo", "no sé
    hablar", "don't answer")."""
    verbs = [w for w in words if w not in ("me", "le", "lo", "la", "nos", "en", "in", "a", "de")]
    if verbs[:2] in (["se", "puede"], ["se", "pueden"], ["se", "podria"]):
        return True
    return bool(verbs) and verbs[0] in _ASKING_VERBS


#: A remark on the member's languages, unpunctuated, before the question ("no hablo bien el inglés
#: cómo me inscribo", "i dont speak spanish how much is it").
_LANGUAGE_REMARK_RE = re.compile(
    r"^(?:no (?:hablo|entiendo|leo|se|escribo)(?: bien| mucho| muy bien| nada de)?(?: el)? (?:ingles|espanol|español)"
    r"|i (?:dont|do not|cant|can not|cannot) (?:speak|read|understand|write)(?: much| well| good)? (?:spanish|english)"
    r"|my (?:spanish|english) is (?:bad|not good|poor|not very good))\b\s*")


def without_language_aside(text: str) -> str:
    """``text`` without what it says about the member's languages ("¿cómo me inscribo? no hablo
    inglés", "I don't speak Spanish, how much is it"): that sets the reply's language (see
    language_asked_aside) and is no part of the question; matched with it, "hablo" and "inglés"
    met the FAQ's entry about information in Mayan languages. A message that is only the remark
    is left whole (a language request, for requested_language), and so is one whose rest is no
    question ("No, English please")."""
    clauses = [c for c in _CLAUSE_END.split(text or "") if c.strip()]
    if len(clauses) >= 2:
        kept = [c for c in clauses if requested_language(c) is None and not _LANGUAGE_REMARK_RE.fullmatch(clean(c))]
        rest = ", ".join(c.strip() for c in kept)
        if kept and len(kept) < len(clauses) and classify_smalltalk(rest) is None:  # ("No, English please")
            return rest
    plain = clean(text or "")
    rest = _LANGUAGE_REMARK_RE.sub("", plain, count=1)
    return rest if rest and rest != plain and classify_smalltalk(rest) is None else text


def language_asked_aside(text: str) -> str | None:
    """"es" or "en" when one clause of a longer message asks for a language ("¿cuánto cuesta el
    programa? no hablo inglés", "how do I sign up, in english please"), and no other clause asks
    for the other; None otherwise (and for a message that is only the request: requested_language).

    A member whose language was preselected by a link or a mistaken tap says so in passing, with
    the question: that is a choice, like the language buttons."""
    clauses = [c for c in _CLAUSE_END.split(text or "") if c.strip()]
    if len(clauses) < 2:
        return None
    asked = {lang for lang in map(requested_language, clauses) if lang}
    return next(iter(asked)) if len(asked) == 1 else None


def requested_language(text: str) -> str | None:
    """"es" or "en" when the whole message asks for a language ("en español por favor", "speak
    english?", "no hablo inglés" → "es", "no inglés, español por favor" → "es"); None otherwise
    ("¿hay información en español?" is a question for the FAQ)."""
    plain = clean(text or "")
    question = "?" in (text or "")
    asked = [clean(part) for part in re.findall(r"[^?.!,;]*\?", text or "")]  # the clauses ending in "?"
    if _SOMEONE_ELSE.search(text or "") or _OBLIGATION.search(plain) \
            or any(_NEED_QUESTION.search(part) or _IS_IT.search(_IS_FINE.sub("fine", part)) for part in asked):
        return None
    # Politeness stays (as "please"): after a language name it tells a request from a statement.
    raw = [["please" if w in _POLITE else w
            for w in _IS_FINE.sub("fine", _POR_FAVOR.sub("please", clean(part))).split()]
           for part in _CLAUSE_END.split(text or "")]
    clauses = [[w for w in c if w not in _LANGUAGE_AROUND or w in LANGUAGE_NAMES or w == "please"
                or w in _ASKING_VERBS] for c in raw]
    words = [w for c in clauses for w in c]
    if any(w not in LANGUAGE_NAMES and w not in LANGUAGE_PAD and w not in _NEGATION and w not in _ASKING_VERBS
           for w in words):
        return None
    for clause in raw:  # in one clause: "no entiendo en inglés por favor"
        understood = _NOT_UNDERSTOOD_PLEASE.search(" ".join(clause))
        if understood:
            return "en" if understood.group(1) == "understand" else "es"
    wanted: set[str] = set()
    refused: set[str] = set()
    for clause, whole in zip(clauses, raw, strict=True):
        # "no hablo bien el español", "hablo poquito español", written in Spanish: often a
        # Mayan-language speaker's, who reads English even less: no request for English, though
        # another clause may still make one ("háblame en inglés q no leo bien español"). Said in
        # English ("I don't speak Spanish well") or of English ("hablo poco inglés") it is one.
        weak = bool(_SPANISH_NOT_WELL.search(" ".join(whole)))
        for i, w in enumerate(clause):
            if w in LANGUAGE_NAMES:
                if weak and LANGUAGE_NAMES[w] == "es":
                    continue
                (refused if _refused(clause, i, question) else wanted).add(LANGUAGE_NAMES[w])
    wanted -= refused
    if len(wanted) == 1:
        return wanted.pop()
    if not wanted and len(refused) == 1:
        return "en" if refused.pop() == "es" else "es"
    return None


def asks_to_change_language(text: str) -> bool:
    """"cambiar idioma", "quiero cambiar el idioma", "change language": the /language buttons. So is
    the word alone ("idioma", "otro idioma", "language please"), as a member who read /idioma types
    it (session 17's review: it was answered with the entry on information in Mayan languages)."""
    words = clean(text).split()
    if words and any(w in _LANGUAGE_WORDS for w in words) and all(
            w in _LANGUAGE_WORDS or w in _OTHER or w in _LANGUAGE_AROUND or w in ("el", "the")
            for w in words):
        return True
    return (any(w in _LANGUAGE_WORDS for w in words) and any(w in _CHANGE_WORDS for w in words)
            and all(w in _LANGUAGE_WORDS or w in _CHANGE_WORDS or w in LANGUAGE_PAD or w in _LANGUAGE_AROUND
                    or w in ("como", "how", "do", "puedo", "se", "el", "the", "my", "mi") for w in words))


def menu_language(text: str) -> str | None:
    """The language a typed "menu" asks for ("menu in english", "menú en español"), or None."""
    return requested_language(" ".join(w for w in clean(text).split()
                                       if w not in MENU and (w not in MENU_PAD or w in _ASKING_VERBS)))


def without_person_request(text: str) -> str:
    """``text`` (normalised) without its request for a person: "quiero chatear con alguien, ¿hay
    un número?" keeps "¿hay un número?", so the verb of the request is not read as its topic."""
    return _HUMAN_RE.sub(" ", clean(text))


def classify_smalltalk(text: str) -> str | None:
    """Return "greeting", "thanks", "goodbye", "human", "help", "who", "unclear", "empty", "menu",
    "language" (the choice of languages), "language-es", "language-en", "forget" (delete my data),
    "ask" (a question announced: "tengo una pregunta") or ``None`` (a real question)."""
    words = clean(text).split()
    if not words:
        raw = "".join((text or "").split())
        return "thanks" if raw and set(raw) <= _APPROVING else "empty"
    joined = " ".join(words)
    # Openers and closers around a "who are you?" ("hola, ¿eres un robot o qué?").
    core = list(words)
    while len(core) > 1 and core[0] in _OPENERS:
        core.pop(0)
    while len(core) > 1 and core[-1] in FILLER:
        core.pop()
    if _WHO_RE.match(" ".join(core)):
        return "who"
    if _HOW_TO_USE_RE.match(" ".join(core)):
        return "help"
    if _FORGET_RE.match(joined) or _FORGET_ANYWHERE_RE.search(joined):
        return "forget"
    if _OPENER_RE.match(joined):
        return "ask"
    if _DONE_RE.match(joined):
        return "goodbye"
    if _HUMAN_RE.search(joined):
        return "human"
    small = THANKS | THANKS_PAD | GOODBYE | GREETING | FILLER
    rest = [w for w in words if w not in small and w not in HELP_PAD]
    if len(rest) == 1 and rest[0] in PERSON_NOUNS:
        return "human"
    if joined in _UNCLEAR_ALONE or all(_MASHED_RE.match(w) for w in words):
        return "unclear"
    found = _UNCLEAR_RE.search(joined)
    # "muchas gracias de nuevo" thanks again; "gracias pero no me sirvió" does not.
    again = found is not None and found.group(0) in ("de nuevo", "otra vez") and any(w in THANKS for w in words)
    if found and not again:
        rest = _UNCLEAR_RE.sub(" ", joined).split()
        if all(w in small or w in _UNCLEAR_PAD for w in rest):
            return "unclear"
    if _THANKS_ALONE_RE.match(joined):
        return "thanks"
    if any(w in THANKS for w in words) and _THANKS_EXTRA_RE.search(joined):
        rest = _THANKS_EXTRA_RE.sub(" ", joined).split()
        if all(w in small for w in rest):
            return "thanks"
    if any(w in HELP for w in words) and all(w in HELP or w in HELP_PAD or w in small for w in words):
        return "help"
    if any(w in MENU for w in words) and all(w in MENU or w in MENU_PAD or w in small or w in LANGUAGE_NAMES
                                              or w in _POLITE or w in _NEGATION or w in ("en", "in") for w in words):
        return "menu"  # "menu en español": the pipeline also takes the language (menu_language)
    if any(w in LANGUAGE_NAMES or w in _LANGUAGE_WORDS for w in words):  # (the cheap test first)
        if asks_to_change_language(text):
            return "language"
        lang = requested_language(text)
        if lang is not None:
            return f"language-{lang}"
    if _HOW_MUCH_RE.search(joined):  # "how much?": "how" and "much" are small talk words one by one
        return None
    words = _ACK_RE.sub("ok", joined).split()  # ("got it, thanks": "ok thanks")
    # "¿y cómo?", "how?" ask how, unless they go on to "¿cómo está?", "how are you"
    asking_how = not _HOW_ARE_YOU_RE.search(joined)
    kinds = set()
    for w in words:
        if w in THANKS:
            kinds.add("thanks")
        elif again and w in ("de", "nuevo", "otra", "vez"):
            continue
        elif w in GOODBYE:
            kinds.add("goodbye")
        elif asking_how and w in ("como", "how"):
            kinds.add("how")
        elif w in GREETING:
            kinds.add("greeting")
        elif w not in FILLER and w not in THANKS_PAD:
            return None  # a word that is not small talk: this is a question
    # Thanks beats goodbye beats greeting: "ok gracias adios" is thanks; "hola adios" is goodbye.
    for kind in ("thanks", "goodbye", "greeting"):
        if kind in kinds:
            return kind
    # Only fillers: "ok", "listo", "perfecto" acknowledge an answer; "x", "a" or "aaaa" say nothing,
    # nor does "ok, ¿cómo?" say what about.
    return "thanks" if any(w in ACKNOWLEDGE for w in words) and "how" not in kinds else "unclear"


#: A request for a person spelt by ear ("kiero ablar kon alguien"): the matcher corrects these with
#: the FAQ's words before it reads the request; `faq gaps`, which has no matcher, reads them here.
_PERSON_BY_EAR = {"kiero": "quiero", "qiero": "quiero", "kero": "quiero", "ablar": "hablar", "havlar": "hablar",
                  "hablr": "hablar", "nesesito": "necesito", "nececito": "necesito", "nesecito": "necesito",
                  "kon": "con", "jente": "gente", "perzona": "persona", "umano": "humano", "alguen": "alguien"}


def only_asks_for_a_person(text: str) -> bool:
    """Whether ``text`` asks for a person and nothing else ("quiero hablar con una persona", "talk
    to a human, please", "kiero ablar con alguien"): a request for staff, not a question the FAQ
    failed to answer, so `faq gaps` leaves it out. "…con una persona sobre mi pensión" says what
    about: it stays."""
    text = " ".join(_PERSON_BY_EAR.get(w, w) for w in clean(text).split())
    if classify_smalltalk(text) != "human":
        return False
    return all(w in STOPWORDS or w in WEAK_WORDS or w in _WHO for w in clean(without_person_request(text)).split())


#: Who a member asks for, left over around a request ("necesito un operador", "hablar con una
#: persona real"): still a request for a person and nothing else (session 16's Telegram review).
_WHO = frozenset(_words("""
operador operadora operadores agente agentes asesor asesora representante humano humana persona personas
alguien real reales vivo viva operator agent agents representative rep human person someone somebody live real
"""))


#: "None of these" typed under a list of choices, in either language ("ninguna de esas opciones",
#: "no es ninguna", "none of the above"), compared after normalize.clean (no accents or punctuation).
#: Here, not in the pipeline that acts on it, because `faq gaps` must know it too: it is an answer
#: to a list, never a question the FAQ failed to answer.
_TYPED_NONE = re.compile(
    r"^(?:no(?: es)? )?(?:ninguna|ninguno|ni una|none|neither)(?: (?:de|of) (?:esas|estas|esos|estos|ellas|ellos|"
    r"las anteriores|los anteriores|these|those|them|the above|the options))?(?: (?:opciones|opcion|preguntas|"
    r"pregunta|options|questions))?(?: (?:me sirve|me sirven|sirve|es|son|es lo que busco|is it|fits|works))?$"
    r"|^(?:nada de eso|ninguna opcion|not any of (?:these|those|them)|no one of those|nothing like that)$")


#: ... or starts by saying so and goes on ("ninguna de esas es mi pregunta", "no es ninguna, es sobre
#: el pago", "none of those, I asked about my pension"); not "ninguno de mis hijos…".
_STARTS_NONE = re.compile(
    r"^(?:no(?: es)? )?(?:ninguna|ninguno|none|neither)(?:$| (?:de|of) (?:esas|estas|esos|estos|ellas|ellos|las|los|"
    r"these|those|them|the)\b| (?:me sirve|me ayuda|sirve|es|son|fits|works|is it|helps)\b)")


def typed_none(text: str) -> bool:
    """Whether a message says that none of the listed questions is the member's ("ninguna de
    esas", "none of these"), alone or before more words ("ninguna de esas es mi pregunta"): typed,
    not tapped, it must do what the "None of these" button does."""
    plain = clean(text)
    return bool(_TYPED_NONE.match(plain) or _STARTS_NONE.match(plain))


def bare_none(text: str) -> bool:
    """Whether a message only says that none of the listed questions fit ("ninguna de esas", "none
    of these"), with nothing more for staff to read."""
    return bool(_TYPED_NONE.match(clean(text)))


def no_faq_question(text: str) -> bool:
    """Whether a logged message is no question for the FAQ whatever the matcher made of it: a
    bare request for a person, or "none of these" (typed under a list, or where the list was
    gone). `faq gaps` leaves such messages out, and never credits staff's /faq answer to them."""
    return only_asks_for_a_person(text) or typed_none(text)


#: Someone is hurting the member or their family (matched on the cleaned text): no FAQ answer, but
#: emergency numbers and a person (see Matcher._match, Pipeline.handle_text). Session 14's review:
#: "my husband hits me and im scared… who can i call" was answered with how to register a wife.
_DANGER_RE = re.compile(
    r"\b(?:(?:me|nos|le|les) (?:golpea|golpean|golpeo|golpearon|maltrata|maltratan|quiere matar|va a matar|violo|"
    r"violaron|abusa|amenaza de muerte|amenazan de muerte|amenaza con matar|amenazan con matar)|"
    # ("me pegó la gripe", "me pega en la bolsa": "pegar" is hitting only with the person who does it)
    r"(?:esposo|esposa|marido|mujer|pareja|novio|novia|papa|padrastro|suegro|suegra|ex) (?:me|nos|le|les) "
    r"(?:pega|pegan|pego)|(?:me|nos|le|les) (?:pega|pegan|pego) (?:mi|su) (?:esposo|esposa|marido|mujer|pareja|"
    r"novio|novia|papa|padrastro|suegro|suegra|ex)|violencia (?:domestica|intrafamiliar|familiar)|"
    r"(?:hits|hit|beats|beat|hurts|abuses|raped|chokes|choked) (?:me|us|my kids|my children)|"
    r"threatens to kill|threatened to kill|"
    r"domestic (?:violence|abuse)|abusive (?:husband|wife|partner|boyfriend)|(?:wants|going) to kill (?:me|us)|"
    r"tengo miedo (?:de mi|de que me)|i m scared of (?:my|him|her)|afraid of my (?:husband|partner|boyfriend))\b")


def in_danger(text: str) -> bool:
    """Whether the member says someone is hurting or threatening them or their family."""
    return bool(_DANGER_RE.search(clean(text)))
