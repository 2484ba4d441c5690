"""How the safety screen reads a text: one canonical spelling for what people type many ways.

Residents text in a hurry, on small keypads, often without punctuation or apostrophes ("cnt get up",
"im", "i m", "I'm", "I am" are one thing). Folding them here keeps the rules in casework/safety/rules.py
short enough to read. Figures of speech that use alarm words ("dying to try the choir", "my hip is
killing me", "the knit group is a lifesaver") are masked with "~" so no rule can fire on them.

Pure functions, no Rasa import, compiled once at import.
"""
from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise", "mask_figures_of_speech", "prepare"]

_APOSTROPHES = re.compile(r"['\u2018\u2019\u201b\u02bc`\u00b4]")
_NOT_A_WORD = re.compile(r"[^a-z0-9£]+")

# One token -> its usual spelling. Only tokens that mean one thing in a resident's text.
_TOKENS = {
    "u": "you", "ya": "you", "ur": "your", "r": "are", "n": "and",
    "cnt": "cant", "carnt": "cant", "cannot": "cant", "cant": "cant", "kant": "cant",
    "dnt": "dont", "didnt": "didnt", "dint": "didnt", "havnt": "havent", "hasn": "hasnt",
    "wanna": "want to", "wana": "want to", "wanto": "want to", "gonna": "going to", "gunna": "going to",
    "gona": "going to", "gotta": "got to", "dunno": "dont know", "iv": "ive",
    "noone": "no one", "no1": "no one", "nobody": "no one", "nobdy": "no one",
    "any1": "anyone", "anybody": "anyone", "some1": "someone", "sum1": "someone", "somebody": "someone",
    "someones": "someone", "somebodys": "someone", "every1": "everyone", "everybody": "everyone",
    "pls": "please", "plz": "please", "plse": "please", "thru": "through", "tho": "though",
    "nite": "night", "tonite": "tonight", "2nite": "tonight", "2day": "today",
    "2moro": "tomorrow", "2morrow": "tomorrow", "tmrw": "tomorrow", "tomoz": "tomorrow",
    "b4": "before", "cos": "because", "coz": "because", "cuz": "because", "becos": "because",
    "ppl": "people", "wiv": "with", "hav": "have", "abt": "about", "wat": "what", "wot": "what",
    "wats": "whats", "wots": "whats", "fone": "phone", "txt": "text", "luv": "love",
    "mam": "mum", "mom": "mum", "mummy": "mum", "mother": "mum", "nana": "nan", "nanna": "nan",
    "hubby": "husband", "missus": "wife", "neighbor": "neighbour", "neighbors": "neighbours",
    "nieghbour": "neighbour", "neighbur": "neighbour", "naybour": "neighbour",
    "myslf": "myself", "meself": "myself", "mesel": "myself", "mysef": "myself",
    "bf": "boyfriend", "gf": "girlfriend", "m8": "mate", "alot": "a lot",
    "breath": "breathe", "breth": "breathe", "tabs": "tablets",
    "lonley": "lonely", "lonly": "lonely", "lonelly": "lonely", "lonliness": "loneliness", "lonleyness": "loneliness",
    "lonelyness": "loneliness", "lonlyness": "loneliness",
    "leccy": "electric", "lecky": "electric", "lekky": "electric", "lecci": "electric", "electricty": "electricity",
    "nowt": "nothing", "owt": "anything", "summat": "something",
    # a shaky hand and Scots (tune_blind_an: "falen on flor cnt get up", "nae milk nae bread nae money")
    "falen": "fallen", "fallan": "fallen", "flor": "floor", "flore": "floor", "nae": "no", "sry": "sorry",
}
# Dropped g's ("thinkin of killin myself"): only words the rules read, so "robin" stays a robin.
_TOKENS.update(
    (word[:-1], word)
    for word in (
        "thinking", "killing", "going", "doing", "feeling", "trying", "getting", "having", "taking", "cutting", "hurting",
        "ending", "planning", "wanting", "coming", "saying", "knocking", "banging", "shouting", "hitting", "stealing",
        "looking", "nothing", "something", "anything", "everything", "living", "eating", "breathing", "bleeding", "falling",
        "talking", "ringing", "calling", "asking", "waiting", "sitting", "lying", "dying", "being", "taking", "struggling",
        "crying", "freezing", "starving", "harming", "hanging", "topping", "saving", "kicking", "punching", "slapping",
        "pushing", "threatening", "frightening", "bullying", "drinking", "shaking", "fitting", "choking", "wandering",
        "answering", "picking", "coping", "hoping", "wishing", "missing", "morning", "evening", "moving", "waking",
        "responding", "swallowing", "jumping", "drowning",
    )
)

# Spelled-out and broken forms -> the contracted form the rules use.
_PHRASES = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\b(don|won|can|isn|wasn|didn|doesn|haven|hasn|couldn|wouldn|shouldn|aren|weren|ain|hadn) t\b", r"\1t"),
        (r"\bi (m|ve|d|ll)\b", r"i\1"),
        (r"\b(he|she|it|that|there|what|who) s\b", r"\1s"),
        (r"\b(they|we|you) (re|ve)\b", r"\1\2"),
        (r"\bi am\b", "im"),
        (r"\bi have\b", "ive"),
        (r"\bi would\b", "id"),
        (r"\bdo not\b", "dont"),
        (r"\bdoes not\b", "doesnt"),
        (r"\bdid not\b", "didnt"),
        (r"\bcan not\b", "cant"),
        (r"\bcould not\b", "couldnt"),
        (r"\bwill not\b", "wont"),
        (r"\bwould not\b", "wouldnt"),
        (r"\bis not\b", "isnt"),
        (r"\bare not\b", "arent"),
        (r"\bwas not\b", "wasnt"),
        (r"\bwere not\b", "werent"),
        (r"\bhave not\b", "havent"),
        (r"\bhas not\b", "hasnt"),
        (r"\bhad not\b", "hadnt"),
        (r"\b(he|she) is\b", r"\1s"),
        (r"\bthey are\b", "theyre"),
        (r"\b(there|what|that) is\b", r"\1s"),
        (r"\bno body\b", "no one"),
        # "no one's been", "nobody's come": the contraction of "has"
        (r"\bno ones (been|come|came|called|rung|rang|visited|seen|heard|got)\b", r"no one has \1"),
        (r"\bsome one\b", "someone"),
        (r"\bany one\b", "anyone"),
        (r"\bmy self\b", "myself"),
        (r"\bany more\b", "anymore"),
        # "me grandson", "me pension": "me" for "my" in many northern and Scouse texts.
        (r"\bme (grandson|granddaughter|son|daughter|husband|wife|fella|partner|mum|dad|nan|brother|sister|nephew|niece|carer|carers|"
         r"neighbour|house|money|pension|card|bank|purse|savings|flat|heating|tablets|meds|kids|family|own|legs?|hip|back|chest|head|door|"
         r"front|window|windows|phone|bag|handbag|kitchen|garden|stuff|things|life|room|bed|keys|car|arm|arms|face|account)\b", r"my \1"),
        (r"\bme self\b", "myself"),
        # "want 2 die", "going 2 end it": 2 means "to" after a verb, a number anywhere else.
        (r"\b(want|going|need|have|trying|tried|ready|like|able|got|used|wish|try|came|come|went|go|about) 2\b", r"\1 to"),
    )
)

# Figures of speech residents use every day. Each is replaced by "~" before any rule runs.
_FIGURES = re.compile(
    "|".join(
        (
            r"\bdying (to|for)\b",
            r"\bto die for\b",
            r"\b(nearly|almost|practically|could have|couldve|i) died (laughing|of (shock|embarrassment|laughter|boredom))\b",
            r"\bdied laughing\b",
            # a friend's mock threat for a small thing ("shes going to strangle me for telling everyone her age": tune_blind_r);
            # "if i tell anyone", "for leaving him" stay threats
            r"\b(going to|gonna|will|ll|wants to) (kill|murder|strangle|throttle|skin) (me|him|her|us)( \w+)? for (telling|forgetting|losing|"
            r"breaking|eating|spending|buying|being late|missing|showing|posting|letting slip|beating)\b",
            # getting on well: "we get on like a house on fire" (tune_blind_q)
            r"\blike a house on fire\b",
            # a joke threat over a song or a match: "if i hear agadoo one more time at the social im jumping off new brighton pier",
            # "shell end it all if liverpool lose the derby" (tune_blind_s); a threat over anything else stays a threat
            r"\bif i (hear|have to hear|have to listen to|have to sit through) (that |the |this |another |\w+ ){0,3}(song|songs|tune|agadoo|"
            r"birdie song|jingle|advert|adverts|carols?|christmas songs?|music|record|karaoke)( \w+){0,5} (one more time|again|once more)"
            r"( \w+){0,4} (im|i am|ill|i will|im going to|im gonna) (jumping|jump|throwing myself|throw myself) (off|out of|in|into) "
            r"(\w+ ){0,3}(pier|bridge|cliff|window|balcony|roof|sea|river|mersey)\b",
            r"\b(end it all|top (myself|herself|himself)|jump off \w+( \w+)?) if (\w+ ){1,3}(lose|loses|lost|dont win|draw|get relegated|go down)"
            r"( (the|this|on|at|in|another))? (derby|match|game|final|cup|semi final|league|tonight|on saturday|on sunday)\b",
            # "thought i was going to die" on a zip wire: over and laughed about (tune_blind_m)
            r"\b((i|we) )?(honestly |really |genuinely )?thought (i|we) (was|were) (going to|gonna) die\b",
            r"\b(the )?death of me\b",
            r"\bdeath cafes?\b",
            r"\b(bored|scared|worried|frozen|tickled|sick|frightened) (to death|stiff)\b",
            r"\b(hip|hips|knee|knees|feet|foot|back|legs?|arms?|shoulders?|neck|head|teeth|tooth|bunions?|arthritis|"
            r"sciatica|heat|cold|weather|stairs|hill|hills|quiz|crossword|walk|wait|waiting|prices?|bills?|it|this|that|"
            r"kids|grandkids|telly|rain|traffic)( \w+){0,2} (is |are |was |were |s |re )?(killing|killed|kills|kill) me\b",
            r"\b(kill|killing|killed) (myself|me|us) laughing\b",
            r"\bkilling (time|it|off)\b",
            r"\b(kill|killing|killed) (himself|herself|themselves|ourselves) laughing\b",
            r"\bstroke of (luck|genius|midnight|the pen|good fortune)\b",
            r"\b(back|breast|swimming|front crawl) ?strokes?\b",
            r"\bkilled it\b",
            r"\bkill (for|two birds)\b",
            r"\b(could|would|id|i could) (kill|murder) (for )?(a|an|some|for)\b",
            r"\bkillers?\b",
            r"\bmurder (mystery|mysteries|a|on the)\b",
            r"\b(it was|its|thats|that was) murder\b",
            r"\b(cant|couldnt) breathe for laughing\b",
            r"\b(gave|give|giving|nearly gave) (me|us|him|her) a heart attack\b",
            r"\blife ?(saver|savers|line|lines)\b",
            r"\bsaved my (life|bacon|sanity)\b",
            r"\bdead (good|nice|easy|funny|chuffed|pleased|handy|friendly|lovely|posh|busy|quiet|on time|excited|keen)\b",
            r"\bhit (the|a) (nail|shops|jackpot|road|hay|sack|spot|town|ground running|hole in one|high notes?)\b",
            r"\bhit a hole in one\b",
            r"\b(beat|beats|thrashed) (me|us|him|her|them) (at|in)\b",
            # a game lost to a friend, laughter, too much of a good thing (tune_blind_ad, _ae: "hes about 85 and beats me every time",
            # "collapsed laughing at the panto", "drowning in jigsaws")
            r"\b(beat|beats|beating|thrashes|thrashed|whips|whipped) (me|us|him|her|them|everyone)( \w+)? (every time|hands down|fair and square|"
            r"every week|easily|at \w+|in \w+)\b",
            r"\b(collapsed|collapsing|collapses|fell about|falling about|fall about) (laughing|with laughter|in (fits|stitches|giggles))\b",
            r"\bdrowning in (\w+ ){0,2}(jigsaws?|paperwork|paper|forms|washing|ironing|work|leaflets|books|wool|yarn|tomatoes|courgettes|"
            r"apples|plums|cards|christmas cards|post|letters|boxes|stuff|clutter|junk|presents|wrapping paper|mince pies|biscuits|chocolate|"
            r"knitting|photos|magazines|dvds|puzzles|toys|bills)\b",
            # a grumble about who rings, a scheme's name, a bill that went up: no scam or caller ("nobody rings these days except the
            # scammers", "a no cold calling zone", "a letter saying my council tax is going up": tune_blind_ad, _ae)
            r"\b(except|apart from|bar|only ever|only|but|other than) (for )?(the )?(scammers|cold callers|scam calls|nuisance calls)\b",
            r"\bno ?cold ?calling (zones?|stickers?|signs?|schemes?|areas?|notices?)\b",
            # a day's usual round of tablets taken, in a carer's update ("took all her morning meds, dosette checked, shes chirpy":
            # tune_blind_ag); the writer's own, at once or with a drink is not
            r"\b(took|taken|had|takes|take|taking) (all )?(her|his|their) (morning|evening|night|nighttime|bedtime|lunchtime|teatime|"
            r"usual|normal|prescribed|daily|regular) (tablets|meds|medication|medicines|pills|dosette)\b(?! (at once|in one go|together|"
            r"all at once|twice|again|two times|2 times|double|as well|too)\b)(?! (and|then) (took|taken|had) (them|it) again)"
            r"(?! with (a |some |the )?(drink|wine|vodka|whisky|gin|beer|cans?))",
            # the writer's own day's tablets, checked by the carer ("yes ive taken all my tablets this morning, the carer checked": tune_blind_aj)
            r"\b(taken|took|had) (all )?my (\w+ )?(tablets|meds|medication|medicines|pills)( this morning| today| tonight| at breakfast)? (the|my) "
            r"(carer|nurse|daughter|son|husband|wife|pharmacist) (checked|watched( me)?|saw( me)?|gave me them|was there|did my dosette)\b",
            # fooled nearly, so nothing taken ("my neighbour nearly got taken in by a romance scam but her son stopped it": tune_blind_ae)
            r"\b(nearly|almost) (got |was |been |being )?taken in\b",
            r"\bcouncil tax (is |has |was |s )?(going up|gone up|went up|rising|risen|increasing|increased|up again)\b",
            r"\bknocked out (of|by)\b",
            r"\bend (of|to) (the |a )?(week|month|term|day|year|session|season|evening|afternoon|morning)\b",
            r"\bend it (there|here|on)\b",
            r"\bfalls? (prevention|class|classes|group|groups|clinic|service|team|alarm|alarms|pendant|awareness|exercise)\b",
            r"\bfall alarm\b",
            r"\b(fell|fallen|falling|fall) (in love|asleep)\b",
            r"\bcracking up\b",
            r"\bhang (out|on|about|around)\b",
            r"\bjump (at|in) the chance\b",
            r"\bdrop dead gorgeous\b",
            r"\bdie (my|her|his|your|their|the) hair\b",  # "dye", misspelt
            r"\bin stitches\b",
            r"\bkeep (it|them) alive\b",
            r"\b(keeps?|kept|keeping) (me|us|him|her) (going|company|busy|sane|young|smiling|on my toes|out of mischief|ticking over)\b",
            # the bingo caller or the referee: "a right scam artist", "robbed by the ref", "robbed of 3 points"
            r"\b(bingo caller|the caller|caller|callers|ref|referee|refs|linesman|umpire|quizmaster|quiz master)( \w+){0,4} "
            r"(is |was |s |are )?((a|an|right|proper|total|real|such) ){0,2}(scam artist|con artist|con man|crook|robber|thief)\b",
            r"\b(been |was |were |got |get )?robbed( \w+){0,3} (by|from) (the|a|that) (ref|referee|caller|bingo caller|linesman|umpire)\b",
            r"\brobbed (of )?(\d+|two|three) points\b|\brobbed( \w+){0,2} by the (caller|ref|referee)\b",
            r"\b(ill|youll|hell|shell|you will|ill end up|youll end up) kill (myself|yourself|himself|herself) "
            r"(lifting|carrying|doing|trying|climbing|running|dancing|digging|laughing)\b",
        )
    )
)


def normalise(text: str) -> str:
    """Lower case, no apostrophes, words only, texting spellings folded (see module docstring)."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = _APOSTROPHES.sub("", text).replace("&", " and ")
    tokens = _NOT_A_WORD.sub(" ", text).split()
    text = " ".join(_TOKENS.get(token, token) for token in tokens)
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    return text


def mask_figures_of_speech(words: str) -> str:
    return _FIGURES.sub(" ~ ", words)


def prepare(text: str) -> str:
    """The form every safety rule reads: normalised, figures of speech masked, one space between words."""
    return " ".join(mask_figures_of_speech(normalise(text)).split())
