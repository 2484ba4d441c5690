"""What people say they enjoy, matched to what groups call themselves.

A resident says "knitting"; the group is "Knit and Natter" or "Craft Club". Words are reduced to
stems, and stems and phrases map to interest *concepts* with related concepts ("knitting" is a
craft; "walking" is exercise and outdoors). Both the index and the query go through the same code,
so anything added to CONCEPTS helps both sides at once.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# concept: (phrases that mean it, {related concept: how close, 0-1})
CONCEPTS: dict[str, tuple[tuple[str, ...], dict[str, float]]] = {
    "knitting": (("knit", "knitting", "knitter", "crochet", "yarn", "wool", "stitch", "stitching",
                  "needlecraft", "sewing", "quilting", "embroidery", "knit and natter", "stitch and chat",
                  # the trade missed since retiring
                  "seamstress", "dressmaker", "dressmaking", "sewing machine", "tailoring",
                  # needlecrafts by name ("does anyone do tatting ... still got my shuttles": blind17's tune half)
                  "tatting", "lace making", "lacemaking", "bobbin lace", "cross stitch", "patchwork", "smocking",
                  "rag rug", "rag rugs", "rug making", "macrame", "needlepoint", "tapestry"),
                 {"crafts": 0.7}),
    "crafts": (("craft", "crafts", "crafting", "art", "arts", "painting", "drawing", "watercolour", "card making",
                "pottery", "creative", "scrapbooking", "jewellery making", "crafty", "something crafty",
                # "I'd like to make things with my hands, I'm not fussy what" (blind8's tune half)
                "make things with my hands", "making things with my hands", "make something with my hands", "with my hands",
                # a chair to re-cover is a craft, not chair exercise (blind24's tune half)
                "upholstery", "upholster", "reupholster", "reupholstering", "re upholster"),
               {"knitting": 0.6, "mens_shed": 0.4}),
    "walking": (("walk", "walking", "walks", "ramble", "rambling", "rambler", "ramblers", "hike", "hiking",
                 "stroll", "health walk", "nordic walking", "walking group",
                 # "get out in the fresh air and stretch my legs" (issue 15, blind8's tune half)
                 "stretch my legs", "stretch the legs", "stretch your legs", "stretch his legs", "stretch her legs", "leg stretch",
                 "stretch me legs"),
                {"outdoors": 0.5, "exercise": 0.4}),
    "exercise": (("exercise", "fitness", "keep fit", "chair exercise", "seated exercise", "chair based exercise",
                  "tai chi", "yoga", "chair yoga", "pilates", "strength and balance", "falls prevention", "movement",
                  "aerobics", "stretch", "gentle exercise", "gym", "zumba",
                  # moving while seated ("loves a boogie but cant stand for long, is there dancing sat down": blind11's tune half)
                  "dancing sat down", "dance sat down", "dancing sitting down", "seated dancing", "chair dancing", "exercise sat down",
                  "exercise sitting down", "exercises sat down", "keep fit sat down", "sat down exercise", "sitting down exercise",
                  "move about sat down", "moving sat down",
                  # building back after a fall ("something steady to build my balance back up": blind23's tune half)
                  "balance", "my balance", "build my balance", "steady on my feet", "steadier on my feet", "get my strength back",
                  "build my strength", "build up my strength",
                  # ("told to get active", "I want to get fitter but I'm not going in a gym": blind28's tune half)
                  "get active", "getting active", "more active", "keep active", "stay active", "get fitter", "getting fitter", "get fit",
                  "keep fit"), {"dancing": 0.5, "walking": 0.4, "sport": 0.4}),
    "dancing": (("dance", "dancing", "tea dance", "line dancing", "ballroom", "sequence dancing", "square dancing",
                 # dances by their old names, and the kinds danced in halls
                 "ceilidh", "scottish dancing", "scottish country dancing", "gay gordons", "dashing white sergeant",
                 "strip the willow", "barn dance", "country dancing", "folk dancing", "old time dancing",
                 "waltz", "foxtrot", "quickstep", "cha cha", "jive", "rock and roll", "disco", "discos", "ballet", "tap dancing", "tap dance",
                 "salsa", "tango"),
                {"exercise": 0.5, "music": 0.4, "social": 0.3}),
    "singing": (("sing", "singing", "choir", "chorus", "songs", "singalong", "sing along", "community choir",
                 "singing for the brain", "barbershop", "karaoke", "sing in the clubs", "sang in the clubs"), {"music": 0.7}),
    "music": (("music", "musical", "ukulele", "guitar", "instrument", "band", "concert", "piano", "orchestra",
               "music appreciation",
               # an instrument by name, and playing with others ("harmonica player looking for others to play with. blues
               # mostly": blind17's tune half)
               "harmonica", "mouth organ", "accordion", "squeezebox", "fiddle", "violin", "banjo", "mandolin",
               "drums", "drummer", "flute", "tin whistle", "saxophone", "sax", "trumpet", "brass band", "folk music", "jazz",
               "the blues", "play the blues", "blues music", "jam session", "strum", "strumming", "chords", "play with others",
               "musician", "musicians", "instruments"), {"singing": 0.6, "dancing": 0.3}),
    "lunch": (("lunch", "lunch club", "luncheon", "meal", "meals", "dinner", "hot meal", "two course", "food",
               "community meal", "pie and peas"), {"social": 0.5, "coffee": 0.5}),
    "coffee": (("coffee", "coffee morning", "cuppa", "tea", "cake", "cafe", "afternoon tea", "tea and chat",
                "brew"), {"social": 0.6, "lunch": 0.5}),
    "social": (("social", "chat", "chatting", "company", "friendship", "friends", "meet people", "companionship",
                "lonely", "loneliness", "isolated", "isolation", "get together", "social club",
                "good company", "over 50s", "over 60s", "senior citizens", "pensioners", "older people",
                # a chat in the words people use for one (a talk is a lecture; talking to people is company)
                "natter", "a natter", "chinwag", "a chinwag", "a laugh", "a good laugh", "a gossip", "a good chat",
                "talk to", "talking to", "people to talk to",
                # a yarn is a chat, not wool ("loves a good yarn": blind10's tune half)
                "a good yarn", "a yarn", "spin a yarn", "spinning a yarn"),
               {"coffee": 0.6, "lunch": 0.5, "befriending": 0.5, "games": 0.4}),
    "befriending": (("befriend", "befriending", "befriender", "telephone befriending", "phone befriending",
                     "friendly call", "friendly calls", "phone call", "phone calls", "home visit", "home visits",
                     "visiting", "visitor", "companion", "buddy", "someone to talk to", "chat on the phone", "ring me",
                     "call me", "phone me", "someone to ring", "someone to call",
                     # a visitor in the words people use ("someone could pop round for a cuppa now and then")
                     "pop round", "pop in", "popping round", "popping in", "call round", "someone to visit",
                     "visit me", "visit her", "visit him", "visit them", "someone to sit with",
                     # a call for a chat ("somebody could telephone me for a chat each week", "nobody to talk to from one week's
                     # end to the next": blind11's tune half)
                     "telephone me", "telephone for a chat", "phone for a chat", "ring for a chat", "a call each week",
                     "a weekly call", "nobody to talk to", "no one to talk to", "noone to talk to",
                     # company to go out ("i need someone to go to the shops with me": blind12's tune half)
                     "someone to go to the shops with", "someone to go shopping with", "someone to go out with", "go out with me",
                     "go to the shops with me", "someone to go with me",
                     # a call for someone else ("could someone ring him? he doesnt text": blind23's tune half)
                     "ring him", "ring her", "phone him", "phone her", "call him", "call her", "telephone him", "telephone her"),
                    {"social": 0.5}),
    "gardening": (("garden", "gardening", "gardener", "allotment", "plants", "growing", "grow your own",
                   "horticulture", "green fingers", "flowers", "vegetables", "community garden"), {"outdoors": 0.5}),
    "outdoors": (("nature", "outdoors", "outdoor", "conservation", "park", "parks", "wildlife", "birdwatching",
                  "bird watching", "countryside", "beach", "coast", "coastal", "woodland",
                  # ("I love watching the birds on the shore": blind12's tune half)
                  "watching the birds", "watch the birds", "the birds on the shore", "birding", "twitching"), {"walking": 0.5, "gardening": 0.5}),
    "mens_shed": (("men's shed", "mens shed", "shed", "woodwork", "woodworking", "diy", "tools", "carpentry",
                   "repair", "repairs", "tinkering", "making things", "fixing", "joinery", "joiner", "carpenter",
                   "woodturning", "lathe", "workbench",
                   # what a man who worked with his hands asks for
                   "practical", "engineer", "engineering", "mechanic", "mechanics", "engines", "retired men", "men's group",
                   # the yards and the trades ("i worked in cammell lairds 40 years as a welder. rock ferry. bored stiff": blind28's
                   # tune half)
                   "welder", "welding", "shipyard", "shipyards", "shipbuilding", "shipbuilder", "boilermaker", "metalwork",
                   "sheet metal", "plumber", "electrician", "bricklayer", "fitter and turner",
                   "mens group", "men's club", "men only",
                   "for men", "blokes", "chaps",
                   # company of other men ("a brew and a chat with other fellas", "anything for blokes his age": blind9's and
                   # blind10's tune halves)
                   "other fellas", "other men", "other blokes", "other chaps", "blokes his age", "men his age",
                   "men my age", "blokes my age",
                   # ("any old boys meet up round deal": blind17's tune half); "an old boy of 80" is the writer (blind18's)
                   "old boys meet", "old boys club", "other old boys", "with the lads", "other lads", "old lads"),
                  {"crafts": 0.4, "volunteering": 0.2}),
    # ten pin is not bowls: a night out, not a green ("he loves ten pin bowling and discos")
    "tenpin": (("ten pin", "ten pin bowling", "tenpin", "tenpin bowling", "bowling alley"), {"sport": 0.6, "social": 0.4}),
    "bowls": (("bowls", "bowling", "crown green", "short mat", "lawn bowls", "indoor bowls", "bowling green",
               # the bowls themselves, as players call them ("rolling a few woods on a nice bit of grass": blind8's tune half)
               "a few woods", "roll a few woods", "rolling a few woods", "rolling woods", "roll the woods", "my woods"), {"sport": 0.6}),
    "sport": (("sport", "sports", "golf", "table tennis", "snooker", "darts", "badminton", "walking football",
               "walking netball", "cricket", "croquet", "boccia", "pickleball", "football", "footy", "the footy", "the match",
               "kick a ball", "kick a ball about", "kickabout", "kick about",
               # a sport played in their day ("played rugby for birkenhead park in my day": blind17's tune half)
               "rugby", "hockey", "tennis", "netball", "basketball", "athletics",
               # ("a running club or five a side or something": blind25's tune half)
               "running club", "go running", "went running", "jogging", "parkrun", "park run", "five a side", "5 a side", "five aside"),
              {"exercise": 0.5, "bowls": 0.4}),
    # "mad about trains" (blind7's and blind8's tune halves)
    # (phrases only: "train" is also training, and "the railway" an address)
    "model_railway": (("model railway", "model railways", "railway modelling", "model trains", "train set", "train sets", "steam trains",
                       "steam railway", "trainspotting", "train spotting", "locomotives", "mad about trains", "loves trains", "love trains",
                       "likes trains", "into trains", "model railway club"),
                      {"mens_shed": 0.3, "history": 0.2}),
    "games": (("games", "bingo", "cards", "card games", "bridge", "whist", "dominoes", "quiz", "quizzes", "crib", "cribbage",
               "rummy", "canasta", "mahjong", "mah jong", "mah jongg", "mahjongg",
               "board games", "chess", "scrabble", "puzzles", "crosswords", "jigsaws", "beetle drive",
               # by what players say ("push a few pawns about", "eyes down with a dabber": blind10's tune half)
               "pawns", "push a few pawns", "eyes down", "dabber", "dabbers", "full house", "legs eleven"),
              {"social": 0.5}),
    # "writing" alone is how a message begins ("Writing for my dad ...": blind10's tune half), not a wish to write
    "reading": (("book", "books", "book club", "reading", "reading group", "library", "poetry", "creative writing", "writing group",
                 "writers group", "writers circle", "storytelling", "shared reading"), {"learning": 0.4}),
    "learning": (("learn", "learning", "course", "courses", "u3a", "talk", "talks", "lecture", "lectures",
                  "language", "languages", "french", "spanish", "discussion", "lifelong learning", "workshop"),
                 {"reading": 0.4, "history": 0.4, "digital": 0.3}),
    "history": (("history", "local history", "heritage", "museum", "family history", "genealogy", "archive",
                 "memories", "reminiscence", "reminiscing", "memories group", "old days", "the old days", "nostalgia",
                 "bygone days", "days gone by",
                 # stories of how a place was ("people who remember when the ferries and the docks were heaving, to swap a few
                 # stories": blind10's tune half)
                 "swap stories", "swap a few stories", "swapping stories", "share stories", "sharing stories", "share memories",
                 "sharing memories", "remember when", "the way things were", "how things used to be", "the old times",
                 # the pits and the docks as history ("i was a miner at betteshanger": blind17's tune half)
                 "miner", "miners", "mining", "colliery", "coalfield"),
                {"learning": 0.5}),
    "digital": (("computer", "computers", "digital", "internet", "online", "tablet", "ipad", "smartphone",
                 "mobile phone", "email", "silver surfers", "laptop", "technology", "tech", "digital skills",
                 "video calls", "zoom", "whatsapp", "get online"), {"learning": 0.4, "scams": 0.3}),
    "scams": (("scam", "scams", "fraud", "scam awareness", "doorstep", "doorstep crime", "phishing", "rogue traders",
               "cold callers", "cold calling", "con", "conned", "friends against scams", "stay safe online"),
              {"digital": 0.3, "safety": 0.6}),
    "safety": (("safety", "home safety", "fire safety", "crime prevention", "safe and well", "staying safe",
                "falls"), {"scams": 0.5}),
    "bereavement": (("bereavement", "bereaved", "grief", "grieving", "loss", "widow", "widowed", "widower",
                     "lost my wife", "lost my husband", "lost my partner", "death", "cruse"), {"social": 0.3, "wellbeing": 0.4}),
    "carers": (("carer", "carers", "caring", "caring for", "unpaid carer", "respite", "young at heart carers",
                "looking after"), {"dementia": 0.4, "wellbeing": 0.3}),
    "dementia": (("dementia", "memory", "memory cafe", "alzheimer", "alzheimers", "dementia friendly",
                  "forgetful"), {"carers": 0.4, "singing": 0.2}),
    "volunteering": (("volunteer", "volunteering", "volunteers", "good neighbour", "good neighbours",
                      "help others", "helping others", "give back", "helping out", "neighbourhood help",
                      # ("I used to help out in a charity shop ... if anyone needs a hand": blind11's tune half)
                      "charity shop", "lend a hand", "needs a hand", "give a hand", "make myself useful", "be useful"),
                     {"social": 0.3}),
    "faith": (("church", "faith", "prayer", "worship", "fellowship", "chapel", "mosque", "gurdwara", "temple",
               "bible study", "christian", "salvation army",
               # a meeting by its faith's own name ("is there a quaker meeting in canterbury": blind24's tune half)
               "quaker", "quakers", "quaker meeting", "meeting house", "methodist", "catholic", "anglican", "baptist", "synagogue"),
              {"social": 0.3}),
    "wellbeing": (("wellbeing", "well being", "mental health", "anxiety", "low mood", "depression", "talking",
                   "support group", "peer support", "mindfulness", "relaxation", "confidence"), {"social": 0.3}),
    # jam made, not played ("i make jam and chutney and have far too much of it": blind24's tune half; "jam session" is music)
    "cooking": (("cook", "cooking", "baking", "bake", "recipes", "cookery", "make jam", "making jam", "jam making", "jam and chutney",
                 "chutney", "chutneys", "preserves", "marmalade", "pickling", "home made produce"), {"lunch": 0.4}),
    "film": (("film", "films", "cinema", "movie", "movies", "film club", "screening"), {"social": 0.3}),
    "swimming": (("swim", "swimming", "aqua", "aquafit", "sea swimming"), {"exercise": 0.6}),
    "fishing": (("fishing", "angling", "angler",
                 # the tackle ("sit with a rod by the water", "casting a line off the pier": blind7's and blind9's tune halves)
                 "a rod", "with a rod", "my rod", "rod and line", "cast a line", "casting a line", "sea angling", "fisherman"),
                {"outdoors": 0.5}),
    # pastimes a sample directory may lack, known so that the answer says there is none near rather than reads "ringing" as a
    # phone call or "bees" as nothing at all (blind17's tune half)
    "bell_ringing": (("bell ringing", "bell ringer", "bell ringers", "ring the bells", "ringing the bells", "church bells", "change ringing",
                      "bell tower",
                      # ("i used to ring bells as a young man. any church towers that want ringers?": blind24's tune half)
                      # ("ringers" alone stems to "ring": "book your place by ringing Jean" was bell ringing)
                      "ring bells", "rang bells", "ringing bells", "want ringers", "new ringers", "need ringers", "church towers",
                      "tower bells"), {"music": 0.3, "faith": 0.3}),
    "beekeeping": (("beekeeping", "bee keeping", "beekeeper", "beekeepers", "bee keeper", "bee keepers", "keep bees", "my bees",
                    "hives", "beehive", "beehives"), {"gardening": 0.4, "outdoors": 0.4}),
    # ("the archers" is the wireless)
    "archery": (("archery", "bow and arrow", "bow and arrows", "archery club"), {"sport": 0.5, "outdoors": 0.3}),
    "photography": (("photo", "photography", "photographs", "camera"), {"crafts": 0.3}),
    "cycling": (("cycle", "cycling", "bike", "bikes", "tricycle"), {"exercise": 0.5}),
    "drama": (("drama", "dramatics", "am dram", "amateur dramatics", "theatre", "theatre group", "musical theatre", "acting",
               "actor", "actress", "panto", "pantomime", "play reading", "tread the boards", "treading the boards",
               "trod the boards", "on the stage"), {"music": 0.3, "social": 0.3}),
    "veterans": (("veteran", "veterans", "ex servicemen", "ex serviceman", "ex service", "ex forces", "armed forces",
                  "forces veterans", "british legion", "royal british legion", "navy", "royal navy", "raf", "army",
                  "national service", "served in the army"), {"social": 0.5, "history": 0.3}),
    "sight_hearing": (("sight loss", "visually impaired", "blind", "hearing loss", "deaf", "hard of hearing",
                       "lip reading", "lipreading",
                       # ("deaf since birth, bsl user ... any deaf club or bsl group": blind23's tune half)
                       "bsl", "sign language", "british sign language", "deaf club"), {"wellbeing": 0.3}),
    # how someone gets about: "walks with a stick" is not a wish for a walking group
    "mobility": (("walking stick", "walks with a stick", "walk with a stick", "walking with a stick", "uses a stick",
                  "walking frame", "zimmer", "zimmer frame", "mobility scooter", "limited mobility", "poor mobility",
                  "wheelchair user", "in a wheelchair", "unsteady on", "wobbly on"), {}),
    # a long-term condition: a support group for it where the directory has one ("Parkinson's UK local group", "Breathe
    # Easy"); beside another wish it describes the person. Where the directory has none, the search says so rather than
    # read the condition as walking, bowls or film (issue 15, blind7 tune half).
    "health_condition": (("parkinsons", "parkinson", "stroke", "strokes", "stroke survivors", "aphasia", "copd", "lung", "lungs",
                          "lung problems", "lung health", "breathless", "breathlessness", "emphysema", "breathe easy",
                          "learning disability", "learning disabilities", "learning difficulties", "multiple sclerosis",
                          "motor neurone", "arthritis", "diabetes", "heart condition", "heart failure", "long covid",
                          "long term condition", "long term conditions",
                          # how they speak since ("stroke 2 yr ago. talk slow. want group": blind17's tune half): not a talk
                          "talk slow", "talk slowly", "talks slow", "talks slowly", "speak slow", "speak slowly", "my speech",
                          "his speech", "her speech", "speech problems", "slurred"), {"wellbeing": 0.4, "carers": 0.2}),
    # the writer's job, not a carers' group for them ("I work as a home carer and one of my ladies is lonely")
    "care_work": (("home carer", "care worker", "work as a carer", "paid carer", "support worker", "care assistant",
                   "carer by trade", "district nurse", "warden"), {}),
}

# Concepts that describe a person rather than what they enjoy, and how much they count beside a wish.
CONDITIONS = frozenset({"sight_hearing", "mobility", "care_work", "health_condition"})
CONDITION_BESIDE_A_WISH = 0.5
# What goes with a wish rather than being it: "push a few pawns about over a cuppa" asks for chess, "someone to pop round
# for a cuppa" for a visitor (blind9's and blind10's tune halves). Beside another wish these count as a condition does.
ACCOMPANIMENTS = frozenset({"coffee", "social"})
# A loss told beside another wish says why they write ("widowed, ex docker ... anything for blokes his age": blind10's tune
# half): the wish leads. (A relative's dementia was tried too, and lost two right answers elsewhere: dementia is often the
# wish itself.)
WHY_THEY_WRITE = frozenset({"bereavement"})

# Words that carry no interest: "I like knitting please" is about knitting.
STOPWORDS = frozenset(
    "a an and are as at be but by can do does for from go going get got have i i'm im in into is it its just "
    "like liked likes love loved loves enjoy enjoyed enjoys fond keen me my near of on or our out please "
    "really some something anything somewhere the there to up us want wanted we what where which with would "
    "you your yes no not any group groups club clubs session sessions activity activities things thing "
    "local nearby around area round about also used use them they this that".split()
)

_WORD = re.compile(r"[a-z0-9]+")
_VOWELS = set("aeiouy")


# "she'd like" is "she would like", not a shed (blind8's tune half: a neighbour who'd like a visitor got a men's shed).
_WOULD = re.compile(r"\b(she|he|i|we|they|you|who|it|that)['\u2019]d\b", re.IGNORECASE)
# "book" as a verb is no book ("can you book me a taxi in broadstairs" was searched as a reading group: blind28's tune half).
_BOOK_A_THING = re.compile(r"\bbook(ed|ing)?( me| us| him| her| myself| them)?( in)? (a |an |the |your |my |our |their )?"
                           r"(taxi|cab|lift|transport|place|seat|ticket|tickets|table|appointment|slot|session|bus|minibus)\b|"
                           r"\bbook(ed|ing)? (me|us|him|her|myself|them)\b", re.IGNORECASE)


def plain_words(text: str) -> list[str]:
    """Lower-case ASCII words; apostrophes vanish so "men's" and "mens" agree ("she'd" is "she would")."""
    text = _BOOK_A_THING.sub(lambda m: m.group(0).lower().replace("book", "reserve", 1), _WOULD.sub(r"\1 would", text or ""))
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _WORD.findall(ascii_text.replace("'", ""))


def stem(word: str) -> str:
    """A small English suffix stripper: knitting/knit, walks/walking/walker, choirs/choir, dancing/dance."""
    w = word.lower()
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("s") and not w.endswith("ss") and not w.endswith("us"):
        w = w[:-1]
    for suffix, keep in (("ing", 3), ("er", 4), ("ed", 3)):
        if w.endswith(suffix) and len(w) - len(suffix) >= keep and set(w[: -len(suffix)]) & _VOWELS:
            w = w[: -len(suffix)]
            if len(w) >= 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
                w = w[:-1]  # knitt -> knit, swimm -> swim
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]  # dance/danc(ing), ramble/rambl(ing)
    return w


def stems(text: str, *, keep_stopwords: bool = False) -> list[str]:
    return [stem(w) for w in plain_words(text) if keep_stopwords or w not in STOPWORDS]


@lru_cache(maxsize=1)
def _phrase_index() -> dict[tuple[str, ...], str]:
    index: dict[tuple[str, ...], str] = {}
    for concept, (phrases, _related) in CONCEPTS.items():
        for phrase in phrases:
            key = tuple(stem(w) for w in plain_words(phrase))
            index.setdefault(key, concept)
    return index


def concepts_in(text: str) -> set[str]:
    """Every concept whose phrase appears in the text, matched on stems of consecutive words.

    The longest phrase wins where phrases overlap: "someone to talk to" is befriending, and its
    "talk" is not also a talk (lecture).
    """
    return {concept for _words, concept in phrases_in(text)}


def phrases_in(text: str) -> list[tuple[tuple[str, ...], str]]:
    """The phrases `concepts_in` finds, as (their stems, the concept), longest first where they overlap."""
    words = stems(text, keep_stopwords=True)
    index = _phrase_index()
    longest = max(len(k) for k in index)
    found: list[tuple[tuple[str, ...], str]] = []
    start = 0
    while start < len(words):
        for size in range(min(longest, len(words) - start), 0, -1):
            phrase = tuple(words[start : start + size])
            concept = index.get(phrase)
            if concept is not None:
                found.append((phrase, concept))
                start += size
                break
        else:
            start += 1
    return found


def concept_words(concept: str) -> str:
    """The first phrase that means `concept` ("befriend", "men's shed"): a word search for it."""
    return CONCEPTS[concept][0][0]


def concept_term(concept: str) -> str:
    return f"c:{concept}"


def query_terms(interest: str) -> dict[str, float]:
    """Search terms for what a resident said, each with how closely it means what they asked for."""
    return dict(_query_terms(interest))


@lru_cache(maxsize=2048)
def _query_terms(interest: str) -> tuple[tuple[str, float], ...]:
    terms: dict[str, float] = {}
    found = phrases_in(interest)
    concepts = {concept for _phrase, concept in found}
    # A condition said beside a wish describes the person, not what they would enjoy ("my dad is hard of
    # hearing ... anything practical"): the wish leads, a group for the condition comes after it.
    described = CONDITIONS if concepts - CONDITIONS else frozenset()
    beside = ACCOMPANIMENTS if concepts - CONDITIONS - ACCOMPANIMENTS else frozenset()
    if concepts - CONDITIONS - ACCOMPANIMENTS - WHY_THEY_WRITE:
        described = described | WHY_THEY_WRITE
    # When we understood the interest, a bare word match ("phone" in "phone scams") is weaker evidence; a word for what
    # goes with the wish ("cuppa") weaker still, so "Carers' Cuppa" does not lead for chess over a cuppa.
    word_weight = 0.7 if concepts else 1.0
    # the words of a phrase that goes with the wish ("cuppa", "a good yarn") count as it does
    with_the_wish = {word for phrase, concept in found if concept in beside for word in phrase}
    for word_stem in stems(interest):
        if len(word_stem) >= 3:
            terms[word_stem] = word_weight * (CONDITION_BESIDE_A_WISH if word_stem in with_the_wish else 1.0)
    for concept in concepts:
        weight = CONDITION_BESIDE_A_WISH if concept in described | beside else 1.0
        terms[concept_term(concept)] = max(terms.get(concept_term(concept), 0.0), weight)
        for related, closeness in CONCEPTS[concept][1].items():
            term = concept_term(related)
            terms[term] = max(terms.get(term, 0.0), closeness * (weight if concept in beside else 1.0))
    return tuple(terms.items())


def index_terms(fields: list[tuple[str, float]]) -> dict[str, float]:
    """Terms describing a service, from (text, weight) pairs such as (name, 1.0), (description, 0.5)."""
    terms: dict[str, float] = {}
    for text, weight in fields:
        if not text:
            continue
        for word_stem in stems(text):
            if 3 <= len(word_stem) <= 40:
                terms[word_stem] = max(terms.get(word_stem, 0.0), weight)
        for concept in concepts_in(text):
            term = concept_term(concept)
            terms[term] = max(terms.get(term, 0.0), weight)
    return terms
