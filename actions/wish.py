"""What a resident's message asks for, where the model found no interest: the place in it, and the
wish (the rest of their words), matched to the directory by meaning.

"my old hobby was trains, building a layout in the loft. anybody do that round Greasby" names no
interest the model knows; the directory still has a group whose description fits (directory.meaning).
A message that names a place but nothing to do ("what's on in Deal", "just moved to Hythe") is an
open request: it gets a few welcoming groups of different kinds (actions/suggestions.py).
No Rasa here; the actions that use it are in search_activities.py and validate_search_form.py.
"""
from __future__ import annotations

import re

from actions.database import sessions
from directory import find_activities, locate
from directory.geocoding import misspelt_place, without_places
from directory.interests import ACCOMPANIMENTS, CONDITIONS, concept_words, concepts_in, stems
from directory.meaning import nearest_interest

__all__ = ["wish_in", "words_to_match", "needs_meaning", "for_whom", "somewhere_said", "is_open", "fits", "said_interest", "place_in_text",
           "with_their_dementia", "asks_whats_on",
           "first_known_place", "CONCEPT_WORDS",
           "said_as"]

# Words that say nothing about what a resident would enjoy: greetings, asking, being somewhere, the
# service's own words. A wish of only these is an open request.
_NOTHING_IN_PARTICULAR = frozenset(stems(
    "hi hello hiya morning afternoon evening dear please thanks thank you cheers ta love x xx what whats on going happening "
    "anything something owt stuff any thing things to do do there is are near nearby around round area local me my i im "
    "live living lives moved move just new here town village get out more go out groups group clubs club activities "
    "activity sessions session places place find looking look for can could would you tell know about let see want like "
    "sort kind week weekly day days older people person retired lonely alone myself get meet people know soul anyone "
    "anybody nobody year years old age aged still own rest only one been am if dont don't really bit lot much "
    # a day or a time is a filter (read elsewhere), not a wish; nor is who they are
    "monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays thursdays fridays saturdays sundays "
    "weekend weekends mornings afternoons evenings tonight today tomorrow this next someone somebody who whos who's "
    "over 50s 60s 65s 70s 80s pensioner pensioners oap oaps "
    # how a group should be, not what it does ("a friendly group to play board games": blind15's tune half)
    "friendly welcoming nice lovely "
    # as texts spell them ("wats on in CT9 for over 60s": blind13's tune half)
    "wat wats wot wots wotz watz goin happenin anythin somethin summat sumthin owt", keep_stopwords=True))
# Before a wish: words about the message, not the wish.
_LEAD = re.compile(r"^\W*(hi|hello|hiya|morning|afternoon|evening|dear \w+)\b\W*", re.IGNORECASE)
# What was before the place, left at the end once the place is taken out ("... round Liscard").
_DANGLING = re.compile(r"(\s+(in|near|nr|round|around|at|from|to|the|area|please|pls)\b[\s,.?!]*)+$", re.IGNORECASE)
# How a concept is said back to the resident ("For men's shed near Moreton:").
CONCEPT_WORDS = {"mens_shed": "men's shed", "sight_hearing": "sight or hearing loss", "model_railway": "model railway"}
# A long wish is said back as the interest it means, not in full.
SAID_IN_FULL_WORDS = 4
# A group fits a wish when its interest part (directory.ranking) is at least this.
FITS = 0.5
MAX_WISH_CHARACTERS = 300


# A long message tells a life around the wish: "Retired last year from the post office ... Did the garden, painted the
# fence twice, read everything in the library. Somebody mentioned there's table tennis for older people somewhere? ...
# Would give it a go" (issue 15, blind7's tune half) asks for table tennis, not a reading group. Past RAMBLING_WORDS
# words, the sentences that ask (ASKS) and name an interest (not only _NAMES_NOTHING) are the wish, with any that say how the person is (a
# condition); a long message whose asking sentences name nothing is read whole, as before.
RAMBLING_WORDS = 25
ASKS = re.compile(
    r"\b(would (like|love|enjoy|be up for|be keen|be interested|give)|i'?d (like|love|enjoy|be up for|be keen|be interested|give)|"
    r"give it a (go|try|whirl)|have a go|try|trying|looking for|look for|is there|are there|anything|anywhere|anyone|somewhere|"
    r"something|someone|somebody|fancy|interested in|keen (on|to)|wants? to|wanted to|wanna|miss|missing|love to|like to|join|get (back )?into|"
    r"take up|learn|lmk|let me know|any (ideas|suggestions|groups?|clubs?|classes)|recommend|do you (know|have))\b",
    re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\s*\n\s*")
_HOW_THEY_ARE = CONDITIONS | {"dementia"}
# What the interest map reads into any asking sentence ("for older people", "he could join"): not an interest named.
_NAMES_NOTHING = CONDITIONS | {"social", "mens_shed"}


def the_asking_part(wish: str) -> str:
    """A long wish's sentences that ask for something named (and any saying how the person is); else the whole wish."""
    if len(wish.split()) <= RAMBLING_WORDS:
        return wish
    sentences = [s for s in _SENTENCE.split(wish) if s.strip()]
    asked = [s for s in sentences if ASKS.search(s) and concepts_in(s) - _NAMES_NOTHING]
    if not asked:
        return wish
    return " ".join(s for s in sentences if s in asked or concepts_in(s) & _HOW_THEY_ARE)


# "anything for lonely old folk" asks for company, not folk music (blind26's tune half).
_FOLK_AS_PEOPLE = re.compile(r"\b(old|older|elderly|lonely|retired|local|us|other|nice|friendly|young|for|the)\s+folks?\b|\bfolks\b", re.IGNORECASE)


def wish_in(text: str) -> str:
    """The message without its places and greeting: what they would like, in their own words."""
    text = _FOLK_AS_PEOPLE.sub(lambda m: f"{m.group(1)} people" if m.group(1) else "people", text or "")
    wish = _LEAD.sub("", without_places(text))
    wish = the_asking_part(_DANGLING.sub("", " ".join(wish.split())))
    return wish[:MAX_WISH_CHARACTERS].strip(" ,.?!")


def words_to_match(wish: str) -> str:
    """A long wish's words that could say what they enjoy, for matching by words ("is there somewhere
    people get together to talk about books" -> "talk books"); short ones as written. The whole wish
    is still matched by meaning."""
    if len(wish.split()) <= SAID_IN_FULL_WORDS:
        return wish
    kept = [w for w in re.findall(r"[\w']+", wish) if (stems(w) or [""])[0] not in _NOTHING_IN_PARTICULAR and stems(w)]
    # a phrase whose little words went ("someone could pop round for a cuppa") is still what it meant, where the words left
    # name nothing else to do ("get together" says only that it is company, which the words left say well enough; "in a
    # wheelchair" describes the person, not a wish)
    left = concepts_in(" ".join(kept))
    if left - ACCOMPANIMENTS - CONDITIONS:
        return " ".join(kept)
    lost = sorted(concepts_in(wish) - left - ACCOMPANIMENTS - CONDITIONS)
    return " ".join(kept + [concept_words(concept) for concept in lost])


_RELATIVE = (r"(mum|mam|mom|mother|dad|father|nan|nana|nanna|gran|granny|grandma|grandmother|grandad|grandpa|grandfather|"
             r"husband|hubby|wife|partner|friend|neighbour|aunt|auntie|aunty|uncle|son|daughter|sister|brother|"
             r"father[ -]in[ -]law|mother[ -]in[ -]law)")
_FOR_SOMEONE = re.compile(
    rf"\bfor (?:my|our) {_RELATIVE}\b|\b(?:my|our|me) {_RELATIVE}(?:'?s)? (?:would|wants|needs|loves|likes|enjoys|used to|is|has|"
    rf"was|misses|gets|lives|doesn'?t|does|could|can|might)\b|\b{_RELATIVE}(?:'?s)? in \w+|"
    # a neighbour by where they live ("neighbour across the road in Margate, 80ish")
    rf"\b(neighbour) (?:across|over|down|up) the road\b|\b(neighbour) (?:next door|upstairs|downstairs|opposite)\b|"
    # a home carer's or a warden's own ("one of my ladies ... is very lonely")
    rf"\bone of (?:my|our) (ladies|gents|clients|residents|customers|service users)\b",
    re.IGNORECASE)
# The writer's own loss, not a search for that person ("since my wife passed", "lost my husband").
# A carer asking for themselves ("I care for my husband ... I need a bit of support for me").
_THEIR_LOSS = re.compile(rf"\b(?:lost|since|losing|after) (?:my|our) {_RELATIVE}\b|\b(?:my|our) {_RELATIVE} (?:passed|died|has died|went)\b|"
                         rf"\b(?:care|caring|cares|carer) for (?:my|our) {_RELATIVE}\b|\blook(?:ing)? after (?:my|our) {_RELATIVE}\b",
                         re.IGNORECASE)
_SAID_AS = {"mam": "mum", "mom": "mum", "mother": "mum", "father": "dad", "nana": "nan", "nanna": "nan", "granny": "gran",
            "grandma": "gran", "grandmother": "gran", "grandpa": "grandad", "grandfather": "grandad", "hubby": "husband",
            "aunty": "auntie", "ladies": "client", "gents": "client", "clients": "client", "residents": "resident",
            "customers": "customer", "service users": "client"}


def for_whom(text: str) -> str | None:
    """"your dad" when the message asks for someone else ("my dad would love a shed in Moreton"),
    None when it is for the writer (their own loss of that person included)."""
    found = _FOR_SOMEONE.search(text or "")
    if not found or _THEIR_LOSS.search(text or "") or _asks_for_themself(text):
        return None
    relative = next(g for g in found.groups() if g).lower().replace("-", " ")
    return f"your {_SAID_AS.get(relative, relative)}"


_THEM = re.compile(rf"\b(he|she|him|her|his|they|them|their|hes|shes)\b|\b{_RELATIVE}\b", re.IGNORECASE)
_ME = re.compile(r"\b(i|me|my|im|i'm|i'd|id|myself)\b", re.IGNORECASE)


def _asks_for_themself(text: str) -> bool:
    """A long message that tells of a relative but asks for the writer: "Tuesdays are hospital days for my husband ... I miss
    the girls from work. Is there a ladies group in Pensby?" (blind11's tune half). The sentences that ask name nobody else,
    and one of them is the writer's own."""
    if len(text.split()) <= RAMBLING_WORDS:
        return False
    asking = [s for s in _SENTENCE.split(text) if ASKS.search(s)]
    return bool(asking) and not any(_THEM.search(s) for s in asking) and any(_ME.search(s) for s in asking)


# "just moved to Snodland Parva", "anything going round Little Hamlet way": a place said, though we cannot find it.
_SOMEWHERE = re.compile(r"\b(?:in|near|nr|round|around|moved to|move to|moving to|live in|living in|based in|from|at)\s+([A-Za-z][\w'-]{2,})",
                        re.IGNORECASE)
_NOT_A_PLACE = frozenset(stems(
    "the a an my our your his her their this that these those pain bed touch general particular time case mind charge trouble hospital "
    "january february march april may june july august september october november december morning afternoon evening night "
    "town village city area house home flat bungalow church library centre hall club group person couple fact future past",
    keep_stopwords=True)) | _NOTHING_IN_PARTICULAR


def somewhere_said(text: str) -> bool:
    """The message says where ("in", "near", "moved to" and a name), whether or not we know the place."""
    return any((stems(found.group(1), keep_stopwords=True) or [""])[0] not in _NOT_A_PLACE for found in _SOMEWHERE.finditer(text or ""))


# Offering to help, with where they might ("I'd love to volunteer with older people, maybe at a lunch club or befriending":
# blind13's tune half): volunteering is the wish, the lunch club where it would be.
_WANTS_TO_VOLUNTEER = re.compile(
    r"\b(i|id|i'd|im|i'm|i would|i am)\b.{0,20}\b(like|love|want|wanting|keen|looking|hoping|happy|glad|willing|thinking of|"
    r"thinking about|fancy) (to )?(volunteer|volunteering|give (something|a bit|summat) back|giving (something|a bit) back)\b|"
    # being useful again, said other ways ("could I do a bit of hair somewhere as a volunteer", "I'm lost without people to look
    # after", "company with a purpose ... something useful": blind29's tune half)
    r"\b(could|can|would) i\b.{0,40}\bas a volunteer\b|\b(lost without|miss|missing) (people|someone|others|somebody) to (look after|care for)\b|"
    r"\b(do|doing) (something|summat) useful\b|\bsomething useful\W*$|\bcompany with a purpose\b",
    re.IGNORECASE)


# Someone with dementia who loves a thing ("my husband has dementia ... he always loved singing. is there something we can go to
# together?": blind26's and blind27's tune halves): the thing, and a memory cafe beside it, each its groups.
BESIDE_DEMENTIA = "memory cafe"


def with_their_dementia(interest: str, text: str) -> str:
    """`interest` and a memory cafe, where the text asks for someone else who has dementia and the interest is something else."""
    if not interest or for_whom(text) is None or "dementia" not in concepts_in(text) or "dementia" in concepts_in(interest):
        return interest
    return f"{interest} or {BESIDE_DEMENTIA}"


# Asking what is on, wherever else the text wanders ("can you tell me whats on near the Westwood Cross shopping centre, i live in
# Broadstairs but get the bus there": blind28's tune half, answered "Sorry, I can't help with that").
_WHATS_ON = re.compile(r"\b(what'?s|whats|wots?|wats?) (on|going on|happening)\b|\banything (on|going|happening)\b", re.IGNORECASE)


def asks_whats_on(text: str) -> bool:
    return bool(_WHATS_ON.search(text or ""))


def wants_to_volunteer(wish: str) -> bool:
    """The wish is to volunteer (wherever it names), not to join what it names."""
    return bool(_WANTS_TO_VOLUNTEER.search(wish or ""))


def needs_meaning(interest: str) -> bool:
    """Whether a search should read the interest by meaning too: a long wish, or words the interest map
    does not know. "singing" and "knit and natter" are found by words alone, at a tenth of the cost."""
    return bool(interest.strip()) and (len(interest.split()) > SAID_IN_FULL_WORDS or not concepts_in(interest))


def is_open(wish: str) -> bool:
    """An open request: no word in it says what they would enjoy."""
    return not [s for s in stems(wish) if s not in _NOTHING_IN_PARTICULAR]


def fits(wish: str, place: str) -> bool:
    """Whether the directory has a group near `place` that fits the wish, by words or by meaning."""
    if is_open(wish):
        return False
    with sessions().begin() as session:
        try:
            best = find_activities(session, interest=words_to_match(wish), wish=wish, near=place, limit=1, within_miles=25)
        except ValueError:  # UnknownPlace is a ValueError too
            return False
    parts = dict(best[0].score_parts) if best else {}
    return parts.get("interest", 0.0) >= 0.5 * FITS  # score_parts carry the 0.5 weight


def said_interest(interest: str) -> str:
    """The interest as the reply says it: short ones as written, long ones as the interest they mean."""
    if len(interest.split()) <= SAID_IN_FULL_WORDS:
        return interest
    named = sorted(concepts_in(interest))
    concept = nearest_interest(interest) or (named[0] if len(named) == 1 else None)
    return said_as(concept) if concept else ""


def said_as(concept: str) -> str:
    """A concept as the resident reads it and as the directory is searched for it ("mens_shed" -> "men's shed")."""
    return CONCEPT_WORDS.get(concept, concept.replace("_", " "))


# "... anything sociable in Faversam then?": the words after these are tried as a (misspelt) place.
# Read ahead, not consumed: "something to do near Canterbry" still sees "near Canterbry".
_BEFORE_A_PLACE = re.compile(r"\b(?:in|near|nr|round|around|at|from|to|live|lives)\s+(?=([a-z'-]+(?:\s+[a-z'-]+)?))", re.IGNORECASE)


_LONG_WORD = 7
_EVERYDAY_ENDING = re.compile(r"(ing|ings|ly|ness|tion|ment|ful)$")


def place_in_text(text: str) -> str | None:
    """A town or postcode written anywhere in the message, a misspelt town as its last words, or a
    misspelt town just after "in", "near" or "round". Read as a message, not as an answer to "where?":
    a place named by an everyday word counts only where the message says it as a place ("bridge" is
    the card game, "knitting near Bridge" the village; directory.place_words)."""
    place = locate(None, text, strictly=True)
    if place is None:
        words = text.strip(" .!?").split()
        misspelt = [" ".join(words[-size:]) for size in (2, 1) if len(words) > size]
        # or as its first words ("hern bay i want to learn to play bridge": blind19's tune half)
        misspelt += [" ".join(words[:size]).strip(" ,.?!:;-") for size in (2, 1) if len(words) > size]
        for following in _BEFORE_A_PLACE.findall(text):
            parts = following.split()
            misspelt += [" ".join(parts), parts[0]] if len(parts) > 1 else [parts[0]]
        place = next(filter(None, map(misspelt_place, misspelt)), None)
    if place is None:
        # Last, a long word anywhere that is a town misspelt ("people who remember birkenhed when the ferries...": blind10's
        # tune half got "Sorry, I didn't follow"). Everyday words a letter from a village ("strolling", "sealing") end so.
        candidates = [w for w in re.findall(r"[A-Za-z']+", text) if len(w) >= _LONG_WORD and not _EVERYDAY_ENDING.search(w.lower())]
        place = next(filter(None, map(misspelt_place, candidates)), None)
    return place.label if place is not None else None


def first_known_place(candidates: list[str]) -> str | None:
    with sessions().begin() as session:
        for candidate in candidates:
            place = locate(session, candidate) if candidate.strip() else None
            if place is not None:
                return place.label
    return None
