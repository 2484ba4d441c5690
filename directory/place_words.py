"""Places whose names are everyday words ("Ash", "Bridge", "Deal", "Ford"), and when a message names one.

Residents write "near the bridge", "the river walk", "Ash Wednesday", "can't deal with it", "a ham
sandwich", and sign "George Whitfield". In a message such a name is a place only
- just after "in", "near", "at", "from", "round"... ("bowls in deal", "I live near Ash"), but not
  when it begins a street's or a building's name ("at Bridge Street", "in St Peter's church hall"),
  and a saint's name after "at" is the church ("coffee morning at St Peter's");
- on its own, as the whole message or a sentence of it ("choir? deal", "Ash. anything on mondays"), or with a capital
  before "way" or "area" at a sentence's end ("a photography club Wye way?");
- for the towns that were always known ("Deal", "Sandwich"), written with a capital anywhere.
Some are also what people do or are good at ("interested in bridge", "good at selling", "in the
river"): those need a capital after "in", "near"... ("knitting near Bridge") and are never a place
on their own. An answer to "where are you?" that is only the name is the place
(directory.geocoding.locate); every other place of the gazetteer counts wherever it is written.
"""
from __future__ import annotations

import re
from functools import lru_cache

# Keys as place_key writes them; data/places.csv and data/place_aliases.csv hold the places.
EVERYDAY_WORD_PLACES = frozenset({
    "acol", "ash", "barton", "beechwood", "bridge", "broad oak", "burton", "deal", "ford", "grange", "mill hill", "ness",
    "park farm", "ripple", "river", "saint margarets", "saint michaels", "saint peters", "sandwich", "selling", "singleton",
    "st margarets", "st michaels", "st peters", "staple", "whitfield", "worth", "wye",
})
# Also a pastime or a thing people are "in" or "at": a place only with a capital, after "in", "near"...
NEEDS_A_CAPITAL = frozenset({"bridge", "river", "selling"})
# Towns of the first gazetteer, found wherever they were written "Deal", "Sandwich" (not "DEAL": a text in capitals).
TOWNS_BY_CAPITAL = frozenset({"deal", "sandwich"})

# Words a letter or two from a place's name that people write for other reasons (words, names, places
# elsewhere): never read as the place misspelt (directory.geocoding).
NOT_MISSPELT_PLACES = frozenset({
    "hawking", "walking", "morning", "mornings", "evening", "meeting", "wanting", "waiting", "looking", "nothing",
    "anything", "something", "everything", "margaret", "minister", "prevention", "walker", "shaking",
    "cheerio", "caught", "hospital", "bridge", "estate", "kirkby", "brighton", "tunbridge", "spinal", "spiral", "heroine",
    # churches, not St Margaret's at Cliffe or St Mary's Bay cut short
    "st margarets", "saint margarets", "saint marys",
    # found by reading the sentence encoder's English vocabulary and the texts in data/ against the gazetteer
    "beating", "betting", "buckled", "caring", "carrying", "carving", "carvings", "catering", "changing", "chanting",
    "charging", "charming", "charting", "chasing", "chatting", "cheating", "cheering", "churning", "clearing", "corner",
    "dungeons", "easing", "easter", "eating", "glaring", "gravely", "landing", "limestone", "mansion", "mansions",
    "morally", "northbound", "offspring", "plucked", "polling", "posing", "posting", "pudding", "recover", "rocking",
    "scarred", "selling", "shoulder", "shouldn", "shouldnt", "smelling", "spelling", "starred", "swelling", "trolley",
    "western", "landin",
    # people's names and places elsewhere
    "arlington", "barnett", "bennett", "bloomfield", "brooklyn", "burlington", "burnett", "chesterfield", "conner",
    "darlington", "ellington", "everton", "greenville", "hamilton", "hampson", "hatfield", "hillsborough", "kingston",
    "larson", "layton", "manson", "norwood", "paddington", "springfield", "webster",
})

_WHERE = r"(?:in|near|nr|round|around|at|from|live|lives|living)"
_STREET_OR_BUILDING = (r"(?:road|rd|street|st|lane|ln|avenue|ave|drive|close|crescent|way|terrace|grove|gardens|place|square|"
                       r"park|hall|church|chapel|school|college|centre|center|surgery|hospital|hotel|inn|pub|house|court|estate)")
# Words that may follow a place standing on its own ("sandwich area please").
_AFTER_ALONE = r"(?:\s+(?:area|way|estate|please|pls|thanks|ta))*"


def place_key(text: str) -> str:
    """How a place's name is compared: lower case, "&" as "and", apostrophes dropped, anything else
    not a letter or digit a single space ("St Margaret's-at-Cliffe" -> "st margarets at cliffe")."""
    text = re.sub(r"['’]", "", text.lower().replace("&", " and "))
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def name_pattern(key: str) -> str:
    """A regular expression for a key as people write it: spaces, full stops or hyphens between the
    words, and the apostrophe place_key dropped ("st peters" finds "St. Peter's")."""
    return r"[\s.-]+".join(re.escape(w[:-1]) + "['’]?s" if len(w) > 2 and w.endswith("s") else re.escape(w) for w in key.split())


def _names(keys: frozenset[str]) -> str:
    return "|".join(name_pattern(k) for k in sorted(keys, key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    not_a_street = rf"\b(?!\s+{_STREET_OR_BUILDING}\b)"
    after_where = re.compile(rf"\b({_WHERE})\s+({_names(EVERYDAY_WORD_PLACES)}){not_a_street}", re.IGNORECASE)
    # a dash or a slash sets it apart too ("Whitfield - lunch club on a thursday?": blind19's tune half)
    alone = re.compile(rf"(?:^\s*|[.?!,;:/\u2013\u2014-]\s*)({_names(EVERYDAY_WORD_PLACES - NEEDS_A_CAPITAL)}){_AFTER_ALONE}\s*"
                       rf"(?=$|[.?!,;:/\u2013\u2014]|\s+[\u2013\u2014-]\s)", re.IGNORECASE)
    by_capital = re.compile(rf"\b({_names(TOWNS_BY_CAPITAL)}){not_a_street}", re.IGNORECASE)
    # "a photography club Wye way?", "anything Ash area": the name with a capital, then "way", "area" or "direction" and the
    # sentence's end (blind13's tune half), not a street ("Wye Way, Ashford" goes on)
    way_of = re.compile(rf"\b({_names(EVERYDAY_WORD_PLACES)})\s+(?:way|area|direction|side)\s*(?=$|[.?!;])", re.IGNORECASE)
    return after_where, alone, by_capital, way_of


def _capitalised(written: str) -> bool:
    return written[:1].isupper()


def everyday_names_after_where_words(text: str) -> list[tuple[int, int, str]]:
    """Where the message names a place with an everyday word for a name just after "in", "near",
    "at"..., as (start, end, key) in the order written."""
    found = []
    for match in _patterns()[0].finditer(text or ""):
        written, key = match.group(2), place_key(match.group(2))
        if key in NEEDS_A_CAPITAL and not _capitalised(written):
            continue
        if match.group(1).lower() == "at" and key.startswith(("st ", "saint ")):
            continue
        found.append((match.start(2), match.end(2), key))
    return found


def everyday_names_said_as_places(text: str) -> list[tuple[int, int, str]]:
    """Every way a message names such a place (the rules above), as (start, end, key) in the order
    written."""
    found = everyday_names_after_where_words(text)
    _, alone, by_capital, way_of = _patterns()
    found += [(m.start(1), m.end(1), place_key(m.group(1))) for m in alone.finditer(text or "")]
    found += [(m.start(1), m.end(1), place_key(m.group(1))) for m in by_capital.finditer(text or "")
              if _capitalised(m.group(1)) and not m.group(1).isupper()]
    found += [(m.start(1), m.end(1), place_key(m.group(1))) for m in way_of.finditer(text or "") if _capitalised(m.group(1))]
    return sorted(set(found))

