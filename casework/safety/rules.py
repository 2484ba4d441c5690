"""The safety screen's rules: what each category looks for, as named regular expressions (data only).

casework/safety/rules_layer.py decides with them; this module only holds them. Each category lists (rule name,
pattern); a rule's full name is "category.name" (e.g. "danger.fall_cant_get_up"), is stable, and is what
a case shows as its reason, so rename a rule only with the cases that quote it in mind.

Patterns read the prepared text (casework/safety/text.py): lower case, no apostrophes ("cant", "im",
"wont"), "nobody" spelled "no one", texting spellings folded, figures of speech masked with "~".
<NAME> in a pattern is one of MACROS, replaced before compiling.

Adding or widening a rule: first add the texts it is for, and ordinary texts it must not catch, to
data/safety_corpus/tune.tsv; never tune on the holdout files (see that folder's README).
Prefer a family of phrasings to one sentence, and run bench/safety_screen.py before and after.
"""
from __future__ import annotations

import re

__all__ = ["MACROS", "RULES", "expand"]

# --- the words the rules are made of -------------------------------------------------------------
MACROS = {
    # somewhere the writer goes, not their home ("no heating in the village hall", "the boiler broke in the scout hut": tune_blind_aa)
    "AWAY_FROM_HOME": r"(?:(at|in) the( village| church| community| parish| scout| day| sports| social)? (hall|church|centre|club|library|chapel|hut))",
    "CANT": r"(?:cant|couldnt|unable to|not able to|cant seem to|can no longer|cyaan|caan)",
    # a pet's new home sorted, as people put their affairs in order
    "PET_REHOMED": r"(?:(sorted|sorting|arranged|arranging|decided|found|finding)( out)? (who (has|gets|will have|is having|takes|will take)|"
                   r"a (new )?home for|someone (to have|for)) (the|my|our) (cat|cats|dog|dogs|budgie|bird|birds|pets?|rabbit|parrot)\b|"
                   r"(given|gave|giving) (the|my|our) (cat|cats|dog|dogs|budgie|bird|birds|pets?|rabbit|parrot) (away )?to\b)",
    "PILLS": r"(?:tablets?|pills?|meds|medication|medicine|paracetamol|painkillers|co codamol|cocodamol|antidepressants|insulin|sleeping tablets|"
             # the week's tablets as the chemist packs them ("i swallowed my whole dosette box": --show-misses, stop 25)
             r"dosette( box)?|blister packs?|pill (box|organiser|organizer)|nomad (tray|box)|webster pack|"
             # as they come out when eyes or hands fail ("took all my tabelts": --show-misses, stop 25)
             r"tabelts|tablts|tabets|tabltes|tablet s|tabs|pils|pillz|medz|"
             # the medicines older people are most often prescribed, by name
             r"tramadol|codeine|morphine|oxycodone|diazepam|temazepam|zopiclone|sertraline|citalopram|fluoxetine|amitriptyline|"
             r"mirtazapine|gabapentin|pregabalin|warfarin|lithium|propranolol|ibuprofen|aspirin|sleepers|heart pills|water tablets|"
             # pain relief, sleep and long-term conditions' medicines by name (tune_blind_ag)
             r"(?:fentanyl |butec |butrans |buprenorphine |morphine |pain )?patch(?:es)|fentanyl|buprenorphine|butec|butrans|oramorph|"
             r"oxynorm|zomorph|quetiapine|olanzapine|promethazine|nytol|metformin|gliclazide|digoxin|bisoprolol|levetiracetam|keppra|"
             r"epilim|valproate)",
    # someone the resident knows who may harm, control or neglect them
    "KNOWN": r"(?:son|sons|daughter|daughters|grandson|grandsons|granddaughter|grandaughter|grand daughter|nephew|niece|"
    r"husband|wife|partner|boyfriend|girlfriend|ex|carer|carers|care worker|brother|sister|son in law|"
    r"daughter in law|family|lodger|children|kids|grandkids|grandchildren|relatives?|stepson|stepdaughter|in laws|"
    r"staff|cousin|uncle|aunt|he|she|hes|shes|they|theyre|him|her|them|man who|woman who|people looking after me)",
    # someone who is there with the resident in an emergency
    "PERSON": r"(?:he|she|hes|shes|husband|wife|partner|mum|dad|nan|gran|grandad|neighbour|man|woman|lady|son|daughter|"
    r"friend|brother|sister|him|her|they|someone|baby|child|brother in law|sister in law|mate)",
    # a third party a neighbour, a shop worker or a relative may worry about
    "OTHER": r"(?:neighbou?rs?|next door|(?:old|elderly|older) (?:man|lady|woman|gent|gentleman|chap|fella|feller|boy|girl|"
    r"couple|dear|bloke|folk|person|resident|neighbour|widow|widower|ladies|men|gents|women|folks|boys|girls|dears|people)|(?:man|woman|lady|chap|fella|"
    r"bloke|gent|couple|"
    r"lad|guy|gentleman) (?:across the road|over the road|opposite|upstairs|downstairs|next door|at (?:number|no) \d+|"
    r"in flat \d+|at \d+|across from (?:me|us)|on (?:our|my|the) (?:road|street|landing|floor|corridor|estate|block|round)|"
    r"in (?:our|my|the) (?:road|street|close|block|flats|building|avenue|court|terrace)|on the (?:corner|bench|green|estate|park|bus stop))|"
    r"my (?:friend|mate)s? (?:husband|wife|mum|dad|son|daughter|partner)|(?:number|no|flat) \d+|"
    r"my (?:mum|dad|father|nan|gran|granny|grandma|grandmother|grandad|granddad|grandpa|aunt|auntie|aunty|uncle|"
    r"cousin|father in law|mum in law|mother in law|godmother|sister|brother)s?|my (?:friend|mate)|old (?!friends|mates|pals|school|times|days|age|people|"
    r"ones|stuff|house|bus|photos|films|songs)[a-z]+ (?=from|at|in|on|down|up|next|who|hasnt|isnt)|"
    r"(?:a|(?:one|some|a few|a couple|lots|many|most|several) of (?:our|my|the)) "
    r"(?:customers?|regulars?|residents?|clients?|members?|tenants?|patients?|passengers?|old ladies|old men|old folk|gentlemen|gentleman|"
    r"ladies)|mrs \w+|mr \w+|"
    r"(?:a|an|the|this|that) (?:gentleman|gent|chap|fella|bloke|lady|woman|man|lad|girl|person|customer|regular|resident|client|pensioner)"
    # what follows is looked at, not taken, so "a man who isnt opening the door" still has its "isnt" for the rule
    r"(?= (?:who (?:lives|comes|used|isnt|hasnt|doesnt|wont|i|we|is)|that lives|at number|across the|next door|down the road|up the road|"
    r"in flat|from (?:the )?(?:flats|church|club|shop|number|estate|bungalows)|i (?:know|see|deliver|visit|look after)|we (?:know|see))\b))",
    # where a doorstep caller is
    "DOOR": r"(?:(?:at|to|on|knocked(?: on| at)?|knocking(?: on| at)?|banging(?: on)?|came to|come to|coming to|comes to|turned up at|round to|outside) "
    r"(?:my|the) (?:door|doorstep|front door|back door|house|home|step)|came round|come round|called round|turned up|knocked|knocking|"
    r"a knock|on my doorstep|at the door|outside(?= (saying|says|wants|wanting|offering|asking)))",
    # what a doorstep trader offers or claims to be
    "TRADE": r"(?:roof|roofing|tiles|chimney|gutters?|guttering|drive|driveway|tarmac|patio|fence|hedge|trees?|paving|windows|"
    r"double glazing|boiler|meter|electrics|water board|gas board|water company|selling|sell|salesm[ae]n|builders?|traders?|"
    r"workm[ae]n|survey|loft|insulation|damp|dusters|mattress|solar panels|gardening|tree surgeon|gardener|repairs?|odd jobs)",
    # what one "overdoses" on in jest ("overdosed on the christmas chocolates lol", "an overdose of pudding"): food,
    # sweets and the telly, after an occasion or a container; never a medicine or a drink, which can really poison.
    "TREAT": r"(?:(?:the|my|our|his|her|their|all the|all|too much|too many|a bit of|a load of|loads of|some) )?"
    r"(?:(?:christmas|xmas|easter|birthday|festive|new year|boxing day|holiday|leftover|left over|homemade|home made|kids|grandkids|"
    r"wifes|husbands|mums|nans|whole|family|sunday) ){0,2}(?:(?:box|boxes|tin|tins|tub|bag|packet|plate|bowl|slab|bar|selection|tray) of )?"
    r"(?:chocolates?|choc|chocs|sweets|cake|cakes|pudding|puddings|mince pies|turkey|sprouts|biscuits|crisps|ice cream|cheese|trifle|"
    r"sugar|carbs|food|roast|roast potatoes|pies|chips|custard|cream|quality street|celebrations|roses|toffees?|fudge|easter eggs?|"
    r"eggs|pizza|curry|doughnuts|donuts|scones|cream teas?|strawberries|telly|tv|box ?sets?|soaps|sunshine|sun|bingo|crosswords?|"
    r"jigsaws?|knitting|gardening|football|cricket|snooker|christmas films|carols)\b",
    # a smell of gas already seen to: "that smell of gas on our street was the gas board digging up the road, theyve been and
    # gone now" (tune_blind_t)
    "GASSEEN": r"(?!.{0,60}\b(was (just )?the gas (board|man|men|engineers?|company)|been and gone|(fixed|sorted|capped) (now|it)|all sorted)\b)",
    "WEEKDAY": r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)",
    # the tap's water, not the sea's ("got into trouble in the water off hoylake": tune_blind_q)
    "TAPWATER": r"(?:(?<!in the )(?<!into the )(?<!on the )water)",
    "DAYS": r"(?:(?:a|an|a few|a couple of|two|three|four|five|six|several|\d+) )?(?:days?|weeks?|months?|fortnight|ages|a while|a bit|monday|tuesday|"
    r"wednesday|thursday|friday|"
    r"saturday|sunday|mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays|yesterday|last (?:week|night|month)|"
    r"the weekend|christmas|new year|easter)",
}

_MACRO = re.compile(r"<([A-Z][A-Z_]*)>")  # a name no macro has raises KeyError, never left as text

# A means of suicide named in a text, read only by the learned layer: named together with the model
# leaning towards suicide at all, it is enough to ask directly (casework.safety.model, "means"). Tablets
# count only with a quantity or finality ("all my tablets", "60 altogether", "took the lot"): the
# everyday "picked my pills up from boots" must not; places and things count as named (a level crossing,
# the bannister, the kitchen knives), since the model's lean, not the word, says whether it is meant.
MEANS_NAMED = (
    r"\b((all|every|whole|\d+|box|boxes|packets?|bottles?|lot|stash|saved|saving|hoarded|stockpiled)\b.{0,25}\b(<PILLS>|tabs)|"
    r"(<PILLS>|tabs)\b.{0,30}\b(altogether|all of them|the lot|tonight|done|gone|taken|swallowed)|"
    r"knife|knives|blade|razor|rope|cord|noose|belt|ligature|railway|level crossing|train tracks?|tracks|the line|bridge|"
    r"river|mersey|the sea|canal|cliffs?|edge|pier|tree|beam|bannister|banister|loft|hatch|exhaust|hosepipe|bleach|"
    r"weedkiller|antifreeze|gas|vodka|whisky|overdose|od|jump|hang|drown|hold (me|my) weight|go in|walk in|walk into|"
    r"in front of|train|ledge|multi storey|car park|roof|balcony|gun)\b"
)



def expand(pattern: str) -> str:
    return _MACRO.sub(lambda m: MACROS[m.group(1)], pattern)


# --- rules, by category, most urgent first ------------------------------------------------------------
RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "danger": (
        # someone in the sea, a river or a dock and in trouble, as a passer-by sees it ("a lady in the water off the harbour
        # arm waving her arms": tune); swimming for pleasure says no trouble
        ("in_the_water",
         r"\b<PERSON>\b[^.?!~]{0,30}\b(in the (water|sea|river|canal|dock|docks|marina|harbour|estuary)|(fallen|fell|gone|went|slipped|jumped) "
         r"(in|into|off) (the )?(water|sea|river|canal|dock|docks|harbour|pier|quay|jetty|harbour arm|prom|promenade))\b[^.?!~]{0,60}"
         r"\b(waving|struggling|shouting|screaming|going under|cant swim|drowning|swept|out of (his|her|their) depth|not moving|face down|"
         r"floating|help|cant get out)\b|"
         r"\b(struggling|drowning|going under|face down|floating|swept out) (in|into|off) the (water|sea|river|canal|dock|docks|harbour)\b|"
         r"\b<PERSON> (is |s )?drowning\b"),
        ("fall_cant_get_up",
         r"\b(fallen|fell|fall|slipped|tripped|collapsed|gone down|went down|keeled over|on the floor|on the ground|"
         r"down here|on the bathroom floor|on the kitchen floor)\b.{0,60}\b<CANT>( \w+){0,2} (get|getting|stand|move|reach|lift|"
         r"pick|sit|roll|crawl|breathe)\b"),
        # not a football ground or a yoga mat ("cant get to the ground now", "i cant get down on the floor": blind13's tune half)
        ("cant_get_up_after_fall",
         r"\b<CANT> (get|getting|stand|move)(?! (to|down on|down to|onto|on) (the )?(ground|floor)\b)( \w+){0,3}\b.{0,40}\b(fallen|fell|fall|"
         r"slipped|tripped|floor|ground)\b"),
        ("on_the_floor",
         r"\b(on|off) the (bathroom |kitchen |bedroom |lounge |hall |landing )?(floor|ground)\b.{0,30}"
         r"\b(since|all night|all day|for hours|hours|overnight|cant|still)\b"),
        # "ive fallen again and im on the floor": the fall and where they are now, without "can't get up".
        ("fallen_and_on_the_floor",
         r"\b(fallen|fell|had a fall|slipped|tripped|collapsed)\b.{0,40}\b(im|i am|hes|he is|shes|she is|theyre|lying|laid|"
         r"stuck|still)( \w+){0,2} on the (bathroom |kitchen |bedroom |lounge |hall |landing |\w+ )?(floor|ground)\b|"
         r"\b(im|i am|lying|stuck) on the (\w+ )?(floor|ground)\b.{0,30}\b(after|since) (a fall|i fell|falling|i slipped|i tripped)\b"),
        ("fall_and_hurt",
         r"\b(fallen|fell|had a fall|took a fall|slipped|tripped|collapsed)\b.{0,60}\b(lying|not answering|not responding|wont respond|"
         r"unconscious|wont wake|not moving|cant move|hit (his|her|my) head|bleeding|cant speak|not talking)\b|"
         r"\blying (at the (bottom|foot) of the stairs|on the (floor|ground|pavement|path|road|bathroom floor|kitchen floor))\b"),
        ("still_down_after_fall", r"\b(fallen|fell|fall|slipped|tripped)\b.{0,50}\b(still|been) (down|on the floor|lying|stuck)\b"),
        ("stuck_cant_get_out", r"\bstuck (in|on) (the |my )?(bath|floor|toilet|chair|bed|stairs)\b.{0,40}\b<CANT>\b"),
        ("cant_get_off_floor", r"\b<CANT> (get|getting) (up )?(off|up off|up from) the (floor|ground)\b"),
        ("breathing", r"\b(<CANT>|struggling to|struggle to|hard to|trouble|difficulty|can hardly|cant hardly) (breathe|catch (my|his|her) breathe|get (my|"
         r"his|her) breathe)\b"),
        ("not_breathing", r"\b(not|isnt|wasnt|werent|arent|aint|stopped|hasnt|no longer) breathing\b|"
         # a doubt and a colour ("mums gone a funny colour and i dont think shes breathing": tune_blind_x)
         r"\b(dont|do not) think (s?hes|s?he is|s?he s|theyre|they are|its) (still )?breathing\b|"
         r"\b(cant|can not|cannot) (tell|see|hear|work out) if (s?hes|s?he is|s?he s|theyre|they are|s?he|they)( still)? breathing\b|"
         r"\b(gone|turned|going|went) (a )?(funny|strange|odd|horrible|awful|bad|blueish|bluey|greyish|purple) colou?r\b|"
         r"\b(lips|face|fingers) (have |has |are |is )?(gone|turned|going) (blue|grey)\b|"
         # someone by name ("jims gone blue": tune_blind_al); not the sky, a screen or fingers in the cold
         r"\b(?!(its|skys|screens|seas|waters|hands|fingers|toes|feet|nails|walls|doors|lights|paints|cheeses|bruises|things|hers|his)\b)\w+s "
         r"(gone|turned|going) blue\b(?! (with|from|in) the cold)|"
         r"\bgone grey\b"),
        ("chest_pain", r"\bchest (pains?|is (so |really |very )?(tight|hurting|sore)|hurts|feels (tight|heavy|crushed))\b|\bpains? in (my|his|her) chest\b|"
         r"\bchest\b.{0,25}\b(crushing|tight|hurts|pain)\b"),
        ("heart_attack_or_stroke",
         r"\b(having|just had|think (im|hes|shes|its|she is|he is|i am) having|it could be|might be having|could be having|is having|"
         r"s having) a (heart attack|stroke)\b|"
         r"\b(heart attack|stroke)\b.{0,10}\b(i think|now|help|please)\b|"
         r"\bface (has |is )?(gone )?(dropped|drooping|droopy|gone funny|feels funny|gone numb|looks funny)\b|"
         r"\b<CANT> (lift|raise|move) (his|her|my) (arm|left arm|right arm)\b|\bslurr(ed|ing)\b|"
         r"\bwords (are |keep )?(coming out|all) (wrong|jumbled|muddled)\b|\b(arm|left arm)\b.{0,20}\b(numb|dead|tingling)\b.{0,40}\bchest\b|"
         r"\bchest\b.{0,40}\b(arm|left arm)\b.{0,20}\b(numb|tingling)\b"),
        ("unresponsive",
         # not coming round after a faint ("my aunt fainted in the queue and isnt coming round": --show-misses, stop 25); coming
         # round alone is a visit
         r"\b(fainted|collapsed|passed out|blacked out|keeled over|went down|knocked out|fell)\b.{0,40}\b(isnt|is not|not|wont|hasnt|still not|"
         r"cant get (him|her) to) (coming|come|came) (round|to)\b|"
         r"\b<PERSON>\b.{0,80}\b(unconscious|unresponsive|collapsed|passed out|blacked out|wont wake( up)?|not waking( up)?|"
         # a fit, not a fitting ("a hearing aid fitting", "her dress fitting": tune_blind_g)
         r"cant wake (him|her)|wont respond|not responding|isnt responding|not moving|isnt moving|not answering me|"
         r"(?<!aid )(?<!a )(?<!dress )(?<!kitchen )(?<!carpet )(?<!bra )(?<!chain )(?<!alarm )(?<!rail )(?<!safe )(?<!lock )(?<!free )fitting"
         # fitting something ("hes fitting them next week" of grab rails: tune_blind_ac)
         r"(?! (them|it|the|a|an|new|some|my|her|his|our|rails|grab|handrails|locks?|carpets?|in|out)\b)|"
         # a door chain or a smoke alarm fitted, not a fit ("do they still do the free door chain fitting": tune_blind_y)
         r"having a fit)\b|"
         r"\b(unconscious|unresponsive)\b"),
        ("bleeding", r"\b(bleeding|blood)\b.{0,30}\b(wont stop|everywhere|badly|heavily|a lot|loads|pouring|wont stop)\b|"
         r"\b(badly|heavily) bleeding\b|\b(wont|will not|cant get it to|cant make it|doesnt|not|hasnt) stop(ped)? bleeding\b|\bcut (my|his|her) \w+ (badly|"
         r"deep|deeply|open|to the bone)\b|\bbleeding (from|out of) (my|his|her|the) (head|mouth|ears?|eyes?)\b|\b(bleeding|"
         r"blood)\b.{0,30}\b(after (falling|a fall|i fell)|fell|fall)\b|\bcoughing (up )?blood\b|\b(hit|banged|cracked) (his|her|my) head\b"),
        ("overdose_taken",
         # the whole message, in answer to nothing or to the service's question ("took them all": tune_blind_al)
         r"^\W*(i |ive |i have |just |i just )?(taken|took|swallowed|necked|downed) (them all|the lot|all of them|the whole lot|every one of them)\W*$|"
         r"\b(taken|took|swallowed|had|have taken|ive taken|just took)( \w+){0,2} (all|too many|a whole|whole|the whole|a box|"
         r"a packet|a bottle|loads of|lots of|a lot of|double|a handful|handfuls|all of)( \w+){0,3} <PILLS>\b|"
         # an overdose "on the christmas chocolates" or "of pudding" is a joke (tune_blind_c, _o), unless a medicine follows
         # ("on the chocolates and my sleeping pills"); on anything else it is not
         r"\boverdosed\b(?! (on|of) <TREAT>(?!.{0,60}\b<PILLS>))|"
         r"\b(taken|took|had|have taken) an overdose\b(?! (on|of) <TREAT>(?!.{0,60}\b<PILLS>))|\boverdosed? on\b(?! <TREAT>(?!.{0,60}\b<PILLS>))|"
         # what was left, washed down with drink: "last night i had the rest of my tramadol with a couple of cans" (tune_blind_t)
         r"\b(had|took|taken|swallowed|necked|downed)( \w+){0,2} (the rest of|rest of|what was left of|whats left of)( \w+){0,2} <PILLS>\b"
         r".{0,40}\b(with|and|on top of)( a| some| half a| a couple of| two| three| a few| a load of)? (cans?|drinks?|wine|bottles?|vodka|"
         r"whisky|whiskey|beer|gin|lager|brandy|cider)\b"),
        ("collapsed",
         r"\b(i|ive|i have|just|ive just) (collapsed|passed out|blacked out|fainted|keeled over)\b|"
         r"\b<CANT> feel (my|his|her) (left |right )?(legs|leg|arm|arms|face|side|feet|hands?)\b"),
        ("stuck_on_the_floor",
         r"\bstuck (on|in) (the|my) (\w+ )?(floor|bath|toilet|stairs|ground|landing)\b|"
         r"\b(went|gone|going) over on (my|his|her) (ankle|foot|knee|leg)\b.{0,60}\b(cant|stuck|floor)\b"),
        ("collapsed",
         r"(?<!tent )(?<!roof )(?<!ceiling )(?<!chair )(?<!table )(?<!shelf )(?<!wall )(?<!bridge )(?<!deal )(?<!marquee )"
         r"\bcollapsed\b(?! (laughing|in a heap laughing|with laughter|into giggles)\b)|"
         r"\b(isnt|not|stopped) making (any )?sense\b.{0,30}\b(suddenly|collapsed|fell|face|arm|speech)\b|"
         r"\b(suddenly|collapsed|fell|face|arm)\b.{0,40}\b(isnt|not|stopped) making (any )?sense\b"),
        ("door_being_forced",
         r"\b(kick|kicking|kicked|smash|smashing|bash|bashing|bang|banging|force|forcing|break|breaking|ram|ramming|boot|booting)( \w+)? "
         r"(my|the) (\w+ )?(door|window|windows|gate)( \w+)? (in|down|open|through)\b"),
        ("overdose_all_of_them",
         r"\b(taken|took|swallowed|necked|downed|had)( \w+){0,2} <PILLS>\b.{0,30}\b(all of them|the lot|every one|every last one|"
         r"the whole (box|packet|bottle|lot))\b"),
        ("lying_not_moving",
         r"\b(lying|laid|slumped|sprawled|on the floor|on the ground)\b.{0,40}\b(not moving|isnt moving|motionless|not responding|"
         r"isnt responding|wont move|not answering me)\b"),
        # the whole packet with a drink, or and now floaty ("had the whole packet with a glass of wine, feeling a bit floaty now":
        # --show-misses, stop 25)
        ("overdose_whole_packet",
         r"\b(had|took|taken|swallowed|downed|necked|finished)( off)? (the|a|my|me) (whole|entire|full) (packet|box|bottle|strip|tub|lot)\b"
         r"(?!( of)? (biscuits|crisps|sweets|chocolates?|custard creams|digestives|maltesers|cereal|jaffa cakes|wine|beer))"
         r".{0,60}\b(with (a |some )?(glass|drink|bottle|wine|whisky|whiskey|vodka|gin|beer|brandy|rum)|floaty|drowsy|sleepy|woozy|"
         r"spaced|out of it|cant keep my eyes open|heavy)\b"),
        # "emptied her pill box and mine down my neck" (training --show-misses, stop 26)
        ("overdose_down_the_neck",
         r"\b(emptied|tipped|poured|put|shoved|threw|chucked|necked)\b.{0,40}\b<PILLS>\b.{0,30}\bdown (my|me|his|her) (neck|throat|gob)\b"),
        ("overdose_a_load",
         r"\b(swallowed|taken|took|downed|necked|overdosed on)\b.{0,30}\b(load|loads|lots|all|too many|a lot|whole|handful|handfuls|box|boxes|"
         r"packet|packets|bottle|strip|strips|the lot|bunch|pile|every one|double|extra|husbands|wifes|mums|dads|someone elses)\b.{0,25}\b<PILLS>\b"),
        ("chest_pressure",
         r"\bchest\b(?! (infection|cold|x ray|xray|clinic|physio|cough)\b).{0,30}\b(feels like|heavy|pressure|elephant|weight on|tight|tightness|"
         r"crush\w*|squeez\w*|pains?|agony|burning|hurts|hurting)\b(?!.{0,40}\b(all clear|fine now|better now|checked|gone now)\b)"),
        ("violence_raging",
         r"\b(punching|smashing|kicking|throwing|thumping|banging) (the )?(walls?|doors?|things|stuff|furniture|plates|windows|cupboards)"
         r"( about| around| at me)?\b|\bim next\b"),
        ("fire_caught", r"\b(caught|catches|catching) fire\b|\bfull of (smoke|fumes)\b|\bfilling (up )?with smoke\b"),
        ("cant_wake",
         # "we couldnt wake him for ages" tells of one who woke in the end (tune_blind_aa)
         r"\b<CANT> (wake|rouse|get a response from|get any response from|get an answer from) (him|her|them|my \w+|our \w+)( \w+)?( up)?\b"
         r"(?<! for)(?!( up)? for (ages|a while|a bit|a few minutes|a minute))|"
         r"\b<PERSON>( \w+)? (wont|isnt|is not|not) (waking|wake) up\b|\b(gone|went|is|s) (limp|floppy|lifeless)\b"),
        ("funny_turn",
         r"\b(funny turn|dizzy spell|came over all (funny|faint|dizzy)|(legs|leg) (have |has )?(gone|went|gave way|buckled|given way)|"
         r"(gone|went) from under me)\b"
         # over and well since ("a funny turn last week but shes home from hospital and right as rain now": tune_blind_x)
         r"(?!.{0,80}\b(right as rain|fine now|ok now|okay now|better now|back to normal|all clear|back on (her|his|my) feet|all good|"
         r"sent (me|her|him) home)\b)"),
        ("hazard_at_home",
         r"\bsparks?\b.{0,20}\b(from|coming|out of|flying)\b|\b(electrical|electric) fire\b|"
         r"\bwater\b.{0,30}\b(pouring|gushing|flooding|coming)\b.{0,30}\b(ceiling|light|lights|electrics|socket|sockets|fuse box)\b"),
        ("overdose_number",
         r"\b(taken|took|swallowed|necked|downed|had)( \w+){0,2} (\d+|ten|twelve|fifteen|twenty|thirty|forty|fifty|a dozen|dozens)( of)?"
         r"( my| the| his| her)?( \w+)? <PILLS>\b|\boverdone (it on |on )?(my|the|his|her) <PILLS>\b|\btoo (many|much) of (my|the|his|her) <PILLS>\b"),
        ("attack_or_reaction",
         r"\b(asthma|allergic|anaphylactic|diabetic|hypo)( attack| reaction| shock)?\b.{0,40}\b(bad|really bad|wont stop|not working|isnt working|cant|"
         r"getting worse|swelling)\b|\binhaler (isnt|not|wont|doesnt) (working|helping|work|help)\b|"
         r"\b(anaphylaxis|anaphylactic shock|having a seizure|having a hypo|going hypo|having a fit|throat (is )?(swelling|closing))\b"),
        ("back_at_the_door",
         r"\b(hes|shes|theyre|he is|she is|they are|my ex is|ex is)( \w+)? back\b.{0,40}\b(banging|knocking|hammering|outside|at the door|shouting|"
         r"trying)\b|\b(banging|hammering|pounding|kicking) (on|at) (my|the) (\w+ )?(door|window)\b.{0,40}\b(scared|frightened|drunk|shouting|"
         r"threat\w*|wont (go|stop|leave)|angry|terrified)\b"),
        ("alarm_pressed",
         r"\b(pressed|pushed|pulled|pressing) (my|the) (pendant|alarm|button|cord|lifeline|careline|red button)\b|"
         r"\b(gone|went|come) down (in|on) the (bathroom|kitchen|hall|hallway|garden|bedroom|lounge|stairs|landing|street|path)\b|"
         r"\b(been )?lying (here|there|on the \w+)( \w+)? (since|for|all)\b|\blost my footing\b"),
        ("intruder_maybe_here",
         r"\b(someone|they|somebody|people|a man)( has| had|s|ve)? been in (my |the )?(house|flat|home|bungalow)?\b.{0,60}"
         r"\b(might|may|could|think they are|think theyre) (still )?be (here|in the house|inside|upstairs|downstairs)\b|"
         r"\b(someone|they|somebody|a man|people)\b.{0,30}\bstill (in the house|inside|upstairs|downstairs|in here)\b"),
        ("bleed_wont_stop",
         r"\b(nosebleed|nose bleed|bleed|bleeding)\b.{0,30}\b(wont stop|not stopping|for (an hour|hours|ages))\b|"
         r"\bblood thinners\b.{0,40}\b(bleed|bleeding|blood)\b|\b(bleed|bleeding)\b.{0,40}\bblood thinners\b"),
        ("injured_alone",
         r"\b(think|pretty sure|sure)( my| i)? (hip|leg|arm|wrist|ankle|shoulder|back|neck)( is| has| s)? (broken|broke|snapped|gone)\b|"
         # already seen to ("broke his arm playing football saturday, hes in a pot": tune_blind_r)
         r"\b(broken|broke|snapped) (my|his|her) (hip|leg|arm|wrist|ankle|neck|back)\b(?!.{0,40}\b(last|ago|fine now|better now|healed|playing|"
         r"in a (pot|cast|plaster|sling|boot)|in plaster|plastered|fracture clinic|in hospital|at the hospital|(on )?<WEEKDAY>|"
         # "hes fine though, showing everyone his cast" (tune_blind_t)
         r"fine (though|tho)|(his|her|a|the) (cast|pot|plaster|sling))\b)"),
        ("followed_or_watched",
         r"\b(followed|following|stalking|stalked) me\b|\b(watching|watched) (my|the) (house|flat|home|door|windows?)\b|"
         # not the writer waiting for a lift ("ill be waiting at my front door, dont bother knocking": tune_blind_ab)
         r"(?<!\bill be )(?<!\bi will be )(?<!\bim )(?<!\bi am )(?<!\bill )\b(standing|waiting|lurking|hanging about|sat|sitting) (outside|at|by) (my|the) "
         r"(gate|house|door|window|flat|front door)\b"
         # the writer at a train's window ("sat by the window and watched the sea go by": tune_blind_ak)
         r"(?! (and )?(watched|watching|looked out|looking out|enjoyed|read|reading|had|with)\b| (on|of|in) the (bus|train|coach|ferry|boat|tram|"
         r"cafe|restaurant|pub|library)\b)"),
        ("cries_for_help",
         r"\b(screaming|shouting|crying|yelling|calling) (for help|out for help|help)\b|\b(hiding|hid|locked myself) (in|from)\b|"
         r"\bsmash(ing|ed)? (the house|the place|everything|the flat|the home) up\b"),
        ("symptoms",
         r"\b(feel|feeling|felt|going|am|im)( really| very| so)? (faint|fainty|like fainting|like im going to faint|like passing out)\b|"
         r"\bheart (is |s )?(racing|pounding|going like|beating (really |so )?fast|all over the place|jumping)\b|\bpalpitations\b|"
         r"\b(took|taken|had) (my |the )?<PILLS> twice\b|\b(double dose|doubled up on|double dosed)\b"),
        ("breathing_trouble",
         r"\b(trouble|difficulty|problems|struggling|struggle|labouring)( with)? (breathing|to breathe|getting (his|her|my) breathe)\b|"
         r"\b(lips|face|fingers|skin)( \w+)? (look|looks|are|is|have gone|has gone|gone|turned|going|looking) (blue|grey|purple)\b|"
         r"\b(trying|tried|tries) to (open|get into|get in through|force) (my|the) (front |back )?(door|window|windows|lock)\b"),
        ("looks_very_ill",
         r"\bclutching (his|her|my|at (his|her|my)) (chest|arm|throat|head)\b|"
         r"\b(pale|grey|white) and (sweaty|clammy|cold|shaking)\b|\b(sweaty|clammy) and (pale|grey|white)\b|"
         r"\b<PILLS>\b.{0,20}\b((twice|three times|3 times|four times)(?! (a|per|each|every) (day|night|week|morning|evening))|again by mistake|"
         r"by mistake|by accident)\b|"
         r"\b(fell|fallen|come|came) off (the|a) (ladder|roof|chair|stool|steps|bed|bike|wall|step ladder)\b|"
         r"\b(fell|fallen|fall)\b.{0,50}\b(not|isnt|wont|cant) (getting|get) up\b|"
         r"\b(flames?|smoke) (coming|pouring|shooting|everywhere|from|out of)\b|\bgas (smell|leak|escaping)\b<GASSEEN>|\bsmell of gas\b<GASSEEN>|"
         r"\b(keep|keeps|kept|been|im|i am|just|keep on) (passing out|fainting|blacking out|collapsing)\b"),
        ("ambulance", r"\b(call|ring|get|need|send|phone|calling|ringing|want)( me| us| him| her)? (an |the )?(ambulance|paramedics?)\b"),
        ("intruder_inside",
         # people who need help in a kitchen are no intruders ("places that do dinners for older people and need help in the
         # kitchen": blind7's tune half)
         r"\b(someone|a man|a woman|a lad|a bloke|people|a stranger|strangers|men|lads|some lads|some men|a guy|intruders?|burglars?)\b"
         r"(?:(?!\b(need|needs|want|wants|help|helping|work|works|working|volunteer\w*|cook|cooking)\b).){0,20}"
         r"\b(is |are |s |re )?(in|inside|downstairs in|upstairs in|in the back of) (my|the) (house|home|flat|bungalow|"
         r"garden|back garden|front garden|kitchen|bedroom|hall|loft|shed|living room|lounge|room|yard|back yard|front yard|porch|garage|"
         r"landing|stairs|hallway|hall way|front room|back room|dining room|conservatory|bathroom|attic|cellar)\b"),
        ("got_in",
         r"\b(someone|a man|a woman|a lad|a bloke|people|a stranger|strangers|men|lads|they|theyve|a guy|burglars?)\b.{0,15}"
         r"\b(has |have |s |ve )?(got|gotten|come|came|climbed|broke|broken) (in (through|via|by|the back|the front|from|downstairs|upstairs)|"
         r"into (my|the|our) (house|home|flat|garden|kitchen|back|bedroom|property|place|bungalow|shed|loft|hall))\b"),
        ("break_in",
         r"\b(trying to|tried to|try to|going to|attempting to|want to|wanting to|tries to)( \w+)? (break|get|climb|force (their|his|her|a) way|force) (in|"
         r"into)\b"
         # the writer getting into water, a class or a car ("i just want to get in the water": blind25's tune half)
         r"(?<!i just want to get in)(?<!i want to get in)(?<!i just want to get into)(?<!i want to get into)"
         r"(?! (the|a) (water|pool|sea|bath|car|taxi|bus|queue|group|class|choir|club|swim))|"
         # a thing broken somewhere ("the heatings broke in the church hall", "it broke in half": tune_blind_aa) is no intruder
         r"(?<!heating )(?<!heatings )(?<!boiler )(?<!boilers )(?<!it )(?<!its )(?<!car )(?<!cars )(?<!lift )(?<!van )(?<!bus )"
         r"(?<!telly )(?<!tv )(?<!kettle )(?<!machine )(?<!pipe )(?<!pipes )(?<!radiator )"
         r"\b(breaking|broken|broke|forced|forcing|climbing|climbed|smashed (their|his|her) way) (in|into)\b"
         r"(?! (tears|a sweat|song|laughter|a smile|half|two|pieces|bits)\b)|"
         r"\bbreak in\s*$|\bbreak in (now|tonight|progress)\b|\b(been|theres been|had) a break in\b|"
         # a burglary somewhere else on the street is no intruder here ("we had a burglary on our street in the summer": tune_blind_x)
         r"\bburglar(s|y)?\b(?<!\bburglary)|"
         # nor a talk on one ("a pcso is talking about distraction burglary": tune_blind_z)
         r"(?<!about )(?<!on )(?<!about distraction )(?<!on distraction )"
         # a neighbour's, over ("the police came round about next doors burglary, just asking if id seen anything": tune_blind_ae)
         r"(?<!next doors )(?<!next door )(?<!neighbours )"
         r"\bburglary\b(?! (on|in|round|around|down|up) (our|my|the) (street|road|estate|close|avenue|area|village|lane))(?! next door\b)|"
         r"\bburgled\b|\bintruders?\b|"
         r"\b(smashed|smashing|kicked|kicking|broke|breaking) (in )?(my |the )?(front |back |kitchen )?(window|door|windows|glass)\b"),
        ("someone_in_the_house",
         r"\b(hear|heard|hearing) (someone|noises|footsteps|voices|people|a noise|movement|banging)\b.{0,40}"
         r"\b(downstairs|upstairs|in the house|inside|in the garden|in the kitchen|outside|at the back|in my)\b|"
         r"\b(someone|a man|a woman|people|them|him|her|they|theyre|strangers?)\b.{0,25}\b(going through|rummaging|tried the|trying the|tries the|"
         r"walking about|moving about|creeping)\b|"
         r"\b(someone|a man|a woman|people|a stranger|strangers|men|intruders?|burglars?)( is| s| are|re)? (downstairs|upstairs|in here|in the (house|"
         r"kitchen|hall|loft|living room|lounge|bedroom))\b|"
         r"\b(tried|trying|tries|rattling|rattled) (the|my) (front |back )?(door handle|door|handle|window|windows|lock|shed|garage|gate|back door)\b|"
         r"\b(torch|a man|someone|people|men|strangers?)\b.{0,10}\b(in|outside|round) (the|my) (back |front )?(garden|bedroom window|window)\b|"
         r"\b(someone|a man|men|people|a stranger)\b.{0,15}\b(outside|at) my (bedroom )?(window|windows)\b"),
        ("caller_wont_leave",
         r"\b(he|she|they|man|men|bloke|lad|lads|woman|lady|caller|someone|salesman|trader|builder|builders|guy|fella|chap|"
         r"person|stranger)\b.{0,80}\b(wont|refuses to|refusing to|refused to|not going to) (leave|go( away)?|budge|get out|"
         # not going out alone ("he loves a pint and a quiz but wont go on his own": blind11's tune half)
         r"move|go home)\b(?! (me|us) alone\b)(?! (anywhere|out|to|there|near|without|on (his|her|their|my) own|alone|by (him|her)self)\b)"),
        ("violence_now",
         r"(?<!keeps )(?<!keep )(?<!always )(?<!often )\b(hitting|attacking|beating|strangling|choking|punching|kicking|stabbing|strangle|choke|stab) me\b|"
         r"\b(going to|threatening to|threatened to|says hell|said hed|hes going to|shes going to|says hes going to|will) "
         r"(kill|stab|murder|strangle|shoot|batter|beat|smash|hurt) (me|us)\b|"
         # a knack, not a weapon held ("reckons id be a natural with a gun lol" of clay pigeon shooting: tune_blind_y)
         r"(?<!natural )(?<!good )(?<!handy )(?<!useless )(?<!rubbish )(?<!great )(?<!decent )(?<!dab hand )"
         r"\b(got|has|holding|with|waving|pulled|picked up|grabbed) (a|the|his|her|my|our) (\w+ )?(knife|gun|weapon|hammer|bat|machete|blade)\b|"
         r"\bthreatening me with\b|\bbeing (attacked|assaulted|beaten|strangled|threatened)\b|"
         r"\b(punched|attacked|mugged|assaulted|stabbed|beaten up|robbed)( me)?\b.{0,30}\b(just now|now|just|today|tonight)\b|"
         r"\b(just|been) (punched|attacked|mugged|assaulted|stabbed|beaten up|robbed)\b"),
        ("fire_or_gas",
         r"\b(theres|there is|is|on) (a )?fire (in|upstairs|downstairs)\b|\b(house|kitchen|flat|room|home|chip pan|pan|bedroom|"
         r"building|bungalow|curtains|cooker)( is| s)? (on fire|burning|alight)\b|\bsmoke (coming|everywhere|pouring|in the|"
         r"filling|under)\b|\b(smell|smells|smelling|reeks) (of )?gas\b<GASSEEN>|\bgas leak\b<GASSEEN>|\bfire (in|upstairs|downstairs)\b"),
        ("emergency_now", r"\b(help|please help)\b.{0,20}\b(emergency|quick|urgent|dying)\b|\bits an emergency\b|\bthis is an emergency\b"),
        # Blind batch b (2026-11-30): heart symptoms in other words, a carbon monoxide alarm.
        ("chest_symptoms",
         r"\b(crushing|squeezing|heavy|tight|tightness|pressure|weight)( \w+)? (in|on|across) (my|his|her) chest\b|"
         r"\bchest\b.{0,40}\b(sweating|sweaty|clammy|cold sweat|pain (down|in) (my|his|her) (arm|jaw|neck))\b"),
        ("carbon_monoxide",
         # The alarm must be doing something, or someone feel it: "the carbon monoxide alarm talk at the fire station" names a
         # device as a talk's topic (tune_blind_n, _o), "carbon monoxide alarm going off" is an emergency.
         r"\b(carbon monoxide|co alarm|co alarms|co detector|co monitor)\b.{0,40}\b(going off|gone off|went off|goes off|keeps going|"
         r"beeping|bleeping|sounding|screeching|screaming|ringing|flashing|wont stop|leak\w*|headaches?|dizzy|sick|drowsy|poison\w*)\b|"
         r"\b(alarm|detector)\b.{0,20}\b(going off|gone off|went off|goes off|beeping|bleeping|sounding|screeching|wont stop)\b.{0,40}"
         r"\bcarbon monoxide\b"),
    ),
    "suicidal": (
        ("kill_myself",
         r"\b(kill|killing|killed|top|topping|topped|hang|hanging|drown|drowning|poison|poisoning|gas|gassing|shoot|shooting|"
         r"stab|stabbing|throw|throwing|do away with|off|offing|end|ending) myself\b"),
        ("suicide", r"\bsu[iy]?[cs]{1,2}[iy]?d(e|es|al|ial|le|el)?\b(?! (prevention|awareness|training|bereavement|support|talk|course|charity|"
         r"helpline|first aid|squad|loss)\b)|\bsuicidal\b"),
        ("wants_to_die",
         r"\b(want|wanted|wanting|wants|going|ready|about|decided|plan|planning|prepared|intend|intending|thinking of|"
         r"thinking about|thought about|thoughts of|thoughts about|think about|considering|tempted|tempted to|time to|like to) "
         # an idiom of dying ("they all looked about to die of old age": tune_blind_y) is no wish
         r"(to )?(die(?! of (old age|boredom|embarrassment|laughing|shame|shock|curiosity)\b)|be dead|"
         r"(end|ending) it( all)?(?! (with|off with) (the|my|our) (gym|club|group|class|membership|contract|provider|phone company|"
         r"broadband|bank|landlord|job|lodger|council|allotment|choir|team|subscription)\b)|"
         r"end (things|everything|this|my life|my own life)|ending (things|everything|my life)|"
         # a thing done well or together ("we'd like to set up a group and want to do it properly": tune_blind_y) is no wish
         r"take my (own )?life|taking my (own )?life|kill myself|killing myself|not be alive|"
         r"do it(?! (properly|right|correctly|justice|together|again|well|better|for (them|us|her|him|the|our|you)|"
         r"with (other|friends|others|them|us|you|a (group|friend|mate|pal|partner|volunteer)|the (group|club|class|others)))\b))\b"),
        ("end_my_life", r"\b(want|going|gonna|wanting|planning|ready|about) to (end|take) mine( too| as well)?\b|"
         r"\bend(ing)? (it all|my life|my own life)\b|\btak(e|ing) my (own )?life\b|\bend things\b"),
        ("how_to_end_it", r"\bhow (i|to|id) (would |could |can |might |will )?(end it|do it|kill myself|end my life|end things|go about it)\b"),
        ("method",
         r"\b(jump|jumping|throw myself|throwing myself) (off|from|in front of|under)\b|"
         r"\b(walk|walking|walked|going|went|wade|wading|waded) (out )?into the (sea|river|water|canal|mersey)\b|"
         # the car in the garage with the engine running; medicine kept back and how much it would take (tune_blind_x)
         r"\b(car|van)\b.{0,40}\bgarage\b.{0,40}\bengine (running|on|going)\b|\bgarage\b.{0,40}\b(car|van)\b.{0,40}\bengine (running|on|going)\b|"
         r"\b(kept|keeping|keep|held|holding|hold|put|putting) (back|by|aside) (all |some of |some )?(my |her |his )?<PILLS>\b|"
         r"\b<PILLS>\b.{0,80}\b(i|and i) know (exactly )?how (much|many)( of (them|it))? (it (would|will|d) take|would do it|(id|i would|i d) need)\b|"
         r"\b(under|in front of) a (train|bus|lorry|car)\b|"
         r"\b(got|have|bought|ready|tied|found) (the |a )?rope\b(?! (swing|ladder|lights?|bridge|course|for the (swing|washing|grandkids|kids)))|"
         # "my letters for everyone ... next to the rope i got from b and q" (tune_blind_al)
         r"\b(letters?|notes?|will)\b.{0,80}\bthe rope (i|ive|that i|what i) (got|bought|have|picked up)\b|"
         # stepping off thought of, pockets weighted ("think about stepping off with my coat pockets full of stones": tune_blind_al)
         r"\b(think|thinking|thought|dream|dreaming) (about|of) (stepping|walking|jumping|going|throwing myself|slipping) (off|over|in|under)\b"
         r"(?! (the|a) (bus|train|boat|ferry|kerb|step))|\b(pockets?|coat) (full of|filled with|weighed down with) (stones|rocks|bricks)\b|"
         r"\btak(e|ing) an overdose\b|"
         r"\b(going to|want to|will|gonna|planning to|plan to|about to) (swallow|take|down) (all|every|the lot of) (my |the )?<PILLS>\b|"
         r"\b<PILLS> (all )?(ready|lined up|counted out|laid out) to (take|swallow)\b|\bready to (take|swallow) (them all|the lot|all of them|"
         r"all my <PILLS>)\b|"
         # a prescription not collected is no stash ("hasnt collected his blister pack for two weeks": tune_blind_e)
         r"(?<!hasnt )(?<!havent )(?<!not )(?<!never )(?<!didnt )(?<!not been )"
         r"\b(saving|saved|stockpil\w*|hoard\w*|collecting|collected|storing|stored|keeping)( up)? (all )?(my |up my |up |her |his |up her |up his )?"
         r"(sleeping |heart |pain |blood pressure |water )?<PILLS>\b"
         # kept out of harm's way ("a leaflet on storing medication safely? the grandkids visit": tune_blind_ak)
         r"(?! (safely|safe|out of (reach|the way)|locked (up|away)|in a (locked|safe)|away from (the )?(kids|children|grandkids|grandchildren)))|"
         # the means held and thought of ("getting the shotgun out in the evenings ... thinking about using it", "stopping on the railway
         # bridge and thinking how easy it would be to go over": tune_blind_w)
         r"\b(gun|shotgun|rifle|pistol|rope|noose)\b.{0,100}\b(thinking|thought|think) (about|of) using (it|them)\b(?! (on|for|to|in|at|with) )|"
         r"\b(how easy|easy) it (would|d) be to (just )?(go over|jump|step off|walk off|fall|let go|end it|just go)\b|"
         # gas let run unlit ("looking at the gas fire and thinking i could just turn it on without lighting it and lie down": tune_blind_z)
         r"\b(gas|gas fire|gas oven|oven|hob|cooker)\b.{0,60}\b(on|running) without (lighting|igniting) (it|them|the \w+)\b|"
         # drink and tablets both had ("ive had the bottle of whisky and the paracetamol. sorry": tune_blind_w)
         r"\b(had|taken|took|swallowed|drunk|drank|downed|necked) (the|a|half a|a whole) (bottle|lot) of \w+ and (the|my|all the|all my|some) <PILLS>\b|"
         # tablets put by for a day they may choose: "the doctor gave me a month of the sleeping tablets and ive kept them all in
         # the drawer, just in case i decide" (tune_blind_s)
         r"\b<PILLS>\b.{0,80}\b(kept|keeping|saved|saving|stored|storing|hidden|hiding|hid|hoarded|hoarding|stashed|squirrelled|put) "
         r"(them|em|the lot|those|these|it)\b.{0,60}\bin case (i|it) (decide|ever decide|want to|need to go|get too|gets too|all gets|cant|"
         r"have had enough|change my mind|go through)"),
        # tablets set out and counted, a cord bought "and i know what its for", the lot taken and sick with it (tune_blind_v)
        ("means_made_ready",
         r"\b<PILLS>\b( \w+){0,3} (in (little |neat |tidy |two |three )?(rows?|lines|piles)|counted out|all counted)\b|"
         r"\b(rope|cord|washing line|clothes line|flex|cable|belt|hosepipe|tablets|pills)\b.{0,80}\b(i|and i|i just) know (exactly )?"
         r"(what (its|it is|they are|theyre|they re|thats) for|what (im|i am|i m) (going to|gonna) do with (it|them))\b|"
         r"\b(took|taken|swallowed|had|necked|downed) (the|all the|the whole) (lot|box|packet|bottle|strip|whole lot)( of (them|em|it))?\b"
         r"( (about|around|maybe|roughly|like))? ((an|half an|a couple of|\d+|two|three) (hours?|hrs?|mins?|minutes) ago|"
         r"(feel|feeling|felt) (a bit |really |very )?(sick|funny|woozy|drowsy|sleepy|strange|odd|weird|dizzy))\b"),
        # asking whether what they have would do it: "could the dogs tablets kill a person if you took enough of them",
        # "the insulin pen, if i did the whole thing in one go would it work" (tune_blind_t)
        ("would_it_kill",
         r"\b(<PILLS>|insulin|pen|dose|doses|packet|box|bottle)\b.{0,40}\b(kill|be fatal (to|for)|finish off) (a person|someone|somebody|a human|me|"
         r"you|an adult|a grown (man|woman))\b.{0,40}\bif (you|i|someone|somebody|a person) (took|take|had|did|injected|swallowed|used)\b|"
         r"\b(insulin|<PILLS>|pen)\b.{0,60}\bif i (did|took|had|injected|used|swallowed|necked) (the whole|all|the lot|every|the entire)"
         r"( \w+){0,3}\b.{0,30}\b(would|will|could) (it|that|they)( \w+)? (work|do it|kill|be enough|be fatal|finish)\b"),
        ("death_wish",
         r"\bwish (i|id) (was|were|could be|had) (dead|died|gone|never been born)\b|\bwish (i could|id|i would) die\b|"
         r"\bwish (i|id)( had)? never (been born|woken up)\b|\b(dont|never|no longer) want to (wake up|live|be alive|go on living|exist|be here|be around|"
         r"carry on living)\b"
         # "i dont want to wake up tomorrow, its the dentist" (tune_blind_aj)
         r"(?! tomorrow( morning)? (its|it is|cos|because|as|ive got|i have) (the |my )?(dentist|dentists|hygienist|bin day|early start|smear|"
         r"injection|jab|flu jab|blood test|colonoscopy|op))|"
         r"\b(go|going|gone) to sleep and (not|never) wake( up)?\b|\b(die|dying) in my sleep\b|\bbetter off dead\b|"
         r"\bnot worth living\b|\b(life|living|my life)( is| isnt| s| aint)?( not)? worth (it|living)( anymore)?\b(?<!is worth it)(?<!is worth living)|"
         r"\bno (reason|point) (to|in) (stay|staying|be|being|keep|keeping) (alive|living)\b|"
         r"\b(want|ready|wish i could) to go (too|as well|with (him|her))\b|\bhope i (dont|never) wake( up)?\b|"
         r"\bdont want to be (alive|here|around)( anymore)?\b"),
        ("finish_it",
         r"\b(going to|gonna|will|want to|ready to|about to|decided to) (finish|end) (it|it all|things|everything|myself)( all)? ?"
         r"(tonight|now|for good|once and for all|today|this time)\b|\bfinish myself off\b|"
         r"\bif i (just )?(ended|end|finished|finish) (it|it all|things|my life|everything|myself)\b"),
        ("wants_to_jump",
         r"\b(want|going|ready|about|tempted|planning) to jump\s*$|\b(going|heading|walking|driving)\b( \w+){0,6} to jump\s*$|"
         r"\bjump (off|from) (the|a) (bridge|building|roof|cliff|car park|flats|balcony|tower|pier|multi storey)\b|"
         # a high place gone up to, then the jump ("going up to the old quarry on bidston hill tomorrow and jumping": tune_blind_am);
         # never into water for a swim ("up the pier and jumping in")
         r"\b(going|go|goin|gonna|heading|walking|driving|getting a bus|get a taxi) (up )?(to )?(the |that )?(old )?(\w+ )?(quarry|bridge|cliffs?|"
         r"car park|multi storey|flats|roof|tower|viaduct|top floor|balcony)\b[^.?!~]{0,50}\b(and|to) (jump|jumping)\b(?! (in|into|about))"),
        ("not_on_this_earth",
         r"\b(dont|no longer|never) want to be (on this earth|in this world|on this planet|anywhere|on earth|in this life)( anymore)?\b"),
        # the tablets said to be working, with a goodbye ("mums just texted the pills are working now, love you all": tune_blind_am);
        # a suicidal rule, since "working now" says a boiler was mended to the danger rules
        ("tablets_and_goodbye",
         r"\b<PILLS> (are|r|is|have started|started) (working|kicking in|taking effect|taking hold)\b.{0,40}\b(love you all|love you both|"
         r"goodbye|bye all|bye everyone|forgive me)\b"),
        ("goodbyes", r"\b(said|saying|say) (my )?goodbyes?\b|\b(written|wrote|writing|left|leaving) (my |a |the )?(letters?|notes?|note)\b.{0,40}\b(goodbye|"
         r"kids|family|children|sorry|when im gone)\b|\bbe gone by (the )?(morning|tomorrow)\b|\bwont be here (tomorrow|in the morning|by)\b|"
         # "sry for the bother. u wont hear from me again", the whole message "last day x" (tune_blind_an)
         r"\b(you|youll|you will) (wont|will not|will never|never|not) (hear from|see|be hearing from) me (again|anymore|any more)\b"
         r"(?! (till|until|for|after|before|this|next|if|unless))|^\W*(my |its my |it is my )?last day( x+)?\W*$|"
         r"\bdont (reply|ring|call|come|try|bother|answer)\b.{0,20}\b(i |ive )?(took|taken|swallowed|had) (them|the lot|them all|it all)\W*$|"
         # the letters written and who has the cat sorted ("i wont be at the group next week. ive written my letters and sorted out
         # who has the cat": tune_blind_w)
         r"\b(written|wrote|finished|done) (all )?(my|the) letters\b.{0,100}\b<PET_REHOMED>|<PET_REHOMED>.{0,100}\b(written|wrote|finished|done) "
         r"(all )?(my|the) letters\b|"
         # the cat given away and the will sorted, the group not needed after this week; things given away, not needed (tune_blind_x)
         r"\b<PET_REHOMED>.{0,100}\b(sorted|done|made|written|updated|finished)( out)? (my |the )?(will|affairs)\b|"
         r"\b(sorted|done|made|written|updated|finished)( out)? (my |the )?(will|affairs)( out)?\b.{0,100}<PET_REHOMED>|"
         r"\b(giving|given|gave|give) (all |most of |most )?(my|his|her|their) (\w+ ){0,2}away\b.{0,60}\b(wont|will not|not going to) "
         r"(be needing|need|want) (them|it|any of (it|them))\b(?! (now|since|as|because|anymore|any more) )"),
        ("sleep_forever",
         r"\b(go to sleep|sleep|fall asleep|drift off) (forever|for ever|and never wake|for good|and not wake|permanently)\b|"
         r"\b(drive|driving|crash|crashing|steer|swerve)( my car| the car)? (into|off) (a|the) (wall|tree|river|cliff|lorry|bridge|sea|canal)\b"),
        ("plan_to_go",
         r"\b(decided|made up my mind|planned|planning|sorted it so)\b.{0,30}\b(not going to|wont|will not|not gonna) be (here|around|alive)\b|"
         r"\b(thinking about|thought about|tempted to|want to|going to|gonna|could|might|keep thinking about) (take|taking|swallow|swallowing) "
         r"(them all|the lot|all of them|all my <PILLS>|the whole (box|packet|bottle))\b|\bi (just )?want out\s*$|"
         r"\bwant out of (this life|life|here|this world|it all)\b"),
        ("cutting_again",
         r"\b(started|start|been|keep|kept|back to|gone back to|went back to) cutting( myself)?( again)?\b(?! (the|my|his|her) "
         r"(hedge|grass|lawn|hair|roses|back|down|up|coupons)\b)|\bcutting again\b"),
        ("means_kept_aside",
         r"\b(putting|put|setting|set|squirrel\w*|stash\w*)( my| the| all my| his| her)? <PILLS> (aside|away|by|to one side)\b|"
         r"\b<PILLS>\b.{0,60}\b(take|taking|swallow|swallowing|down|downing) (them all|all of them|the lot|the whole lot)\b|"
         r"\bhose(pipe)?\b.{0,40}\b(exhaust|car window|engine)\b|\b(exhaust|engine)\b.{0,40}\bhose(pipe)?\b|"
         r"\bhow long (does it|it takes|would it take|will it take|to) (take )?(to )?drown\b|\bdrown myself\b|"
         r"\b(wont|will not|shant|shall not) (need|be needing) (a|the|my) return( ticket)?\b|"
         r"\b(walk|walking|go|going|swim|swimming|head|heading)\b( \w+){0,6} and (not|never) (come|coming) back\b"
         r"(?! (till|until|til|for|before|after|home|here|in|on|at|to|with|by|again|later|tonight|today)\b)"),
        # the dead seen soon, with things sorted (tune_blind_aj: "my minds made up. our sandra can have the house. ill see mam and dad
        # soon", "ive sorted everything out and im going to see my wife soon. god bless")
        ("affairs_and_the_dead",
         r"\b(minds made up|mind is made up|sorted everything( out)?|got everything sorted|put my affairs in order|take me off your (list|books)|"
         r"can have (the|my) (house|flat|bungalow|things|car)|god bless)\b.{0,120}\b(see|be with|join|meet)( my| our)? (mam|mum|dad|mam and dad|"
         r"mum and dad|parents|late (wife|husband)|wife|husband|son|daughter|him|her)( again)? (soon|shortly|before long)\b|"
         r"\b(ill|i will|im going to|going to|gonna|i shall)( soon)? (see|be with|join|meet)( my| our)? (mam|mum|dad|mam and dad|mum and dad|parents|"
         r"late (wife|husband)|wife|husband|son|daughter)( again)? (soon|shortly|before long)\b.{0,60}\b(god bless|goodbye|bye for now|"
         r"take care of yourself|thank you for everything|sorted everything)\b"),
        # a date picked and kept from family, an end of one's own doing ("didnt tell him id picked the date", "only a few weeks now
        # ... itll be my own doing": tune_blind_aj)
        ("date_picked",
         r"\b(didnt|not|havent|wont|never|did not) tell(ing)? (him|her|them|anyone|anybody|nobody|my \w+)( that)? (id|i had|ive|i have|i d) "
         r"(picked|chosen|set|fixed) (the|a|my) (date|day)\b|"
         r"\b(itll|it will|it ll|itd|it would) be (my own doing|by my own hand|on my own terms)\b"),
        ("means_and_intent",
         # the means and "a plan" ("ive got the butec patches, the zopiclone and a plan": tune_blind_ag)
         r"\b<PILLS>\b.{0,40}\band a plan\b|"
         # a condition left to do it ("stopped my keppra on purpose so a big fit finishes me off": tune_blind_ag)
         r"\b(so|hoping|hope|till|until|and let) (a|the|another|one) (big |bad |last )?(fit|hypo|stroke|bleed|heart attack|clot|infection|"
         r"seizure)( \w+)? (finishes|will finish|finish|takes|will take|kills|will kill|carries) me (off|out|away)\b|"
         r"\b(bought|buying|got|getting|saved|collected|have|ive)\b.{0,30}\b(<PILLS>|rope|razor blades?|blades|a knife|charcoal|hosepipe)\b.{0,30}"
         r"\bto (end it|end (my life|things|everything)|do it|kill myself|finish it|take them all)\b|"
         r"\b(razor blades?|blades|a knife|knives)\b.{0,40}\b(on myself|my wrists|my arms|cut myself|hurt myself)\b|\buse (it|them) on myself\b|"
         r"\b(no|only) way out (but|is) (to die|death|suicide|to end it)\b"),
        # Anchored: a lookahead pair tried at every position costs far more than once at the start.
        ("plans_made",
         r"^(?=.*\b(wont|not going to|will not|not gonna) be (around|here|alive)\b)(?=.*\b(made|sorted|got|make|making) (my|all my|the) "
         r"(plans|arrangements|preparations)\b)"),
        ("ways_to_die",
         r"\b(ways|how|methods|best way|easiest way) to (die|kill myself|end it|end my life|top myself|commit)\b|"
         r"\b(telling|tells|told|telling me|voices)\b.{0,15}\bme to (end it|kill myself|die|hurt myself|do it|end my life)\b|"
         r"\b(im|i am) done\b.{0,20}\bgoodbye\b|\bgoodbye (everyone|all|world|forever|for ever|cruel world)\b|\bthis is goodbye\b|"
         # which way is quickest or painless, asked ("hanging is quickest isnt it", "is it painless by gas": tune_blind_an)
         r"\b(hanging|drowning|gassing|jumping|an overdose|overdosing|pills|tablets|the gas|gas|the car|exhaust|rope)\b (is|would be|be|s) "
         r"(the )?(quickest|easiest|least painful|painless|surest|best way)\b|"
         r"\b(painless|quick|quickest|quicker|easiest|least painful)\b (by|with|from|using) (the )?(gas|hanging|a rope|rope|pills|tablets|"
         r"drowning|an overdose|exhaust|the car|jumping)\b"),
        ("pills_lined_up",
         r"\b<PILLS> (all )?(lined up|counted out|laid out|set out)\b|"
         r"\bhow (many|much) (<PILLS>|paracetamol)( it)? (would|will|does|to) (take|kill|be enough)\b|\blooking up (how|ways) to\b|"
         # "rather die than go to a day centre" is a preference said strongly (tune_blind_q): "than" is despair's (the
         # writer's own, below), never suicide's by itself.
         r"\b(rather|sooner|prefer to) (be )?(dead|die|not be here|not exist|not wake up)\b(?! than)|"
         r"\b(dont|cant|cannot) see (any|a|one) reason to (stay|be|keep|go on|carry on) (alive|living)\b|"
         r"\b(written|wrote|writing|left|leaving) (my |a |the )?(letters?|notes?|will)\b.{0,40}\b(goodbye|sorry|when im gone|the end|for (my|the) "
         r"(daughter|son|kids|children|family|husband|wife|grandchildren))\b"),
        ("self_harm",
         r"\bself ?harm\w*\b|\bcutting (my|myself)\b|\bcut(ting)? (my )?(wrists|arms|legs|thighs)\b|\bcut myself\b(?! (shaving|cooking|chopping|on (the|a|"
         r"some)|with the)\b)|"
         r"\bburn(ing|t|ed)? myself\b(?! (cooking|on (the|a))\b)|\b(hurt|hurting|harm|harming|punish|punishing) myself\b"
         r"(?! (when|falling|gardening|lifting|on the|at the|in the|doing|carrying|moving|trying)\b)"),
        # Blind batch b: in front of a bus or train, joining the dead, harm "on purpose", welcoming death,
        # thinking of jumping.
        ("in_front_of",
         r"\b(step|stepping|stepped|walk|walking|throw|throwing|jump|jumping|run|running)( out)? in front of (a |the )?(bus|train|car|lorry|"
         r"traffic|van)\b|"
         r"\b(bus|buses|train|trains|lorry|lorries|traffic)\b.{0,60}\b(step|stepping|walk|walking|throw|throwing|jump|jumping)( out)? "
         r"in front of (it|one|them)\b"),
        ("join_the_dead",
         r"\bwish(ed|ing)? (i|id|i had|i would have) (died|gone) (with|instead of|before)\b|"
         r"\b(think|thinking|thought)( \w+)? (about|of) (joining|going to join) (him|her|them|my \w+)\b"),
        ("harm_on_purpose",
         r"\b(burnt|burned|burn|burning|cut|cutting|scratch\w*|scald\w*|hurt|hurting|hit|hitting|bang\w*|starv\w*)\b.{0,30}"
         r"\b(on purpose|deliberately)\b"),
        ("welcome_death",
         r"\b(welcome|welcomed|glad of|pray for|praying for|long for|longing for) (going|death|dying|the end|being taken)\b|"
         r"\bdont want to (see|reach|make|get to) (\d+|another (birthday|christmas|year|spring|summer))\b"),
        # a place looked at and how quick it would be, nobody there to stop them ("been looking at the bridge a lot lately, it would be
        # quick", "if i walked into the sea nobody would stop me": tune_blind_x)
        ("place_looked_at",
         r"\b(bridge|cliffs?|cliff edge|tracks|railway|railway line|sea|river|mersey|pier|edge|viaduct|multi storey|car park roof)\b.{0,80}"
         r"\b(it (would|will|d) (be|all be) (quick|quicker|easy|over (quick|fast|soon))|(nobody|no one|noone) (would|will|could|d) (stop|see|find) me)\b"),
        ("thinking_of_jumping",
         r"\b(think|thinking|thought) (of|about) (jumping|throwing myself|chucking myself)\b|"
         r"\b(sat|sitting|stood|standing) (up )?(on|at) (the )?(cliffs?|cliff edge|bridge|edge|top of the car park)\b"),
        # What the layers missed when each training batch was held out from the learned layer's fit (training --show-misses,
        # stop 24): a person at the railings of a height, a tree that would hold them, the river "next time", walking out as
        # the tide comes in, a poison and "i'm ready".
        ("means_at_hand",
         r"\b(viaduct|bridge|footbridge|flyover|cliffs?|multi storey|car park)\b.{0,80}\b(stood|standing|sat|sitting|climbed|climbing|leaning) "
         r"(at|on|over|by) the (railings|parapet|ledge|barrier)\b|"
         r"\b(sat|sitting|stood|standing) (on|at) (the )?(footbridge|flyover|viaduct|motorway bridge|railway bridge|parapet)\b|"
         r"\b(tree|oak|beam|banister|bannister|loft hatch|hook|branch|rafters?)\b.{0,40}\b(would|will|could|should|d) (hold|take|bear|support) "
         r"(me|my|me own|my own)( weight)?\b|"
         # "the mersey looks calm tonight ... think ill go in" (--show-misses, stop 25); not a swim or a dip
         r"\b(mersey|river|canal|dock|docks|estuary)\b.{0,80}\b(think|thinking)( ill| i will| i might| id| i shall| of)? (go|going|walk|walking|"
         r"jump|jumping|step|stepping) in\b(?! for\b| with\b| tomorrow morning\b)|"
         r"\b(mersey|river|sea|canal|water|dock|docks|estuary)\b.{0,80}\b(next time|this time|tonight|one of these days)( im| i am| ill| i will| i)? "
         r"(going in|go in|walking in|walk in|jumping in|jump in|not coming back)\b|"
         r"\b(walk|wade|swim|go|going) out\b.{0,40}\bwhen the tide (comes|is coming|turns|is in)( in)?\b|"
         # a cliff or a bridge gone to, and next time no coming back ("walked up to the cliffs at dover again today ... next time i
         # wont come back": --show-misses, stop 25)
         r"\b(cliffs?|cliff edge|cliff top|clifftop|edge|bridge|viaduct|pier|headland|white cliffs)\b.{0,100}\b(next time|one of these days|one day soon|"
         r"this time|tomorrow)( i| ill| im| i will)? (wont|will not|not going to|aint|am not going to|shant) (come back|be coming back|come home|"
         r"walk back|turn back|be back)\b|"
         # a hosepipe and the car, and thinking about it ("the garage has a hosepipe and the car. been sitting out there most nights
         # thinking about it": tune_blind_ac)
         r"\b(hosepipe|hose pipe|hose)\b.{0,60}\b(car|exhaust|garage)\b.{0,100}\b(thinking about it|thought about it|sitting out there|"
         r"sat out there|ready|engine running|tonight)\b|"
         r"\b(car|exhaust|garage)\b.{0,60}\b(hosepipe|hose pipe)\b.{0,100}\b(thinking about it|thought about it|sitting out there|"
         r"sat out there|ready|engine running|tonight)\b|"
         r"\b(walk|wade|walking|wading) (out )?into the (sea|tide|waves)\b|"
         # a height stood on night after night and "it would be so easy"; a swim with no swimming back (tune_blind_aj)
         r"\b(viaduct|bridge|footbridge|flyover|cliffs?|cliff edge|multi storey|car park|platform|railway|tracks|ledge|balcony|roof)\b.{0,100}"
         r"\b(it|itd|it would|that|thatd)( would)? be (so |too |very )?easy\b|"
         r"\b(not|no|wont|will not|never) (planning|planning on|intending|going|plan) (on |to )?(swimming|swim|walking|walk|coming|come) back\b|"
         r"\bwont be (swimming|walking|coming) back\b|"
         r"\b(rat poison|weedkiller|bleach|antifreeze|poison)\b.{0,60}\b(and|an) (mi|i|im|i am)( just)? (ready|going to (drink|take) it|"
         r"gonna (drink|take) it)\b|"
         # a cliff known for it, gone to "to have a look" ("hed been up to beachy head to have a look. i laughed it off":
         # tune_blind_ab); a walk, a trip or the lighthouse is a day out
         # a railway walked to now, with a goodbye or thanks ("walking to the level crossing now. wanted to say ta for the chats":
         # --show-misses, stop 25)
         r"\b(walking|going|heading|on my way|off|gone|went) (down |up |over )?to the (level crossing|railway line|train tracks|tracks|"
         r"railway bridge)( now| tonight)\b(?=.{0,120}\b(wanted to say|thank|thanks|ta for|goodbye|bye|take care|sorry|love you|"
         r"look after)\b)|"
         r"\b(been|gone|went|going|go|drove|driven|took himself|took herself) (up |down |over )?to beachy head\b"
         r"(?!.{0,60}\b(walk|walking|walks|ramble|trip|coach|outing|day out|lighthouse|picnic|holiday|views?|with the (group|club))\b)"),
    ),
    "abuse": (
        ("harmed_by_someone",
         r"\b<KNOWN>\b.{0,60}\b(hits|hit|hitting|beats|beat|beating|punches|punched|slaps|slapped|slapping|kicks|kicked|kicking|"
         r"pushes|pushed|pushing|shoves|shoved|pinches|pinched|grabs|grabbed|chokes|choked|strangles|bites|hurts|hurt|hurting|"
         r"smacks|smacked|thumps|thumped|shakes|shook|shaking|pinching|grabbing|biting|scratching|poking|prodding|dragging|mocking|"
         r"humiliating|humiliates|laughing at|laughs at|attacks|attacked|batters|battered|bullies|bullied|bullying|threatens|"
         r"threatened|threatening|abuses|abused|abusing|harasses|harassing|intimidates|intimidating|controls|controlling|scares|"
         r"frightens|terrifies|swears at|swearing at|shouts at|shouting at|screams at|screaming at|yells at|yelling at|"
         r"spits at|throws things at|rough with|nasty to|cruel to|horrible to|vile to) (me|us)\b"),
        ("harmed_passive",
         r"\b(im|ive been|i get|i got|i keep getting|i keep being|being|been|i am being) (being )?(hit|beaten|abused|bullied|"
         r"threatened|pushed|slapped|kicked|attacked|controlled|assaulted|mistreated|neglected|hurt by|knocked about|"
         r"pushed about|pushed around|shouted at|sworn at|kept in|locked in)\b(?! by (a|the) (ball|car|bus|door|bike|van|branch)\b)"),
        # people who moved in and cannot be got out ("the lads from the pub moved in, cant get them out": tune_blind_an)
        ("moved_in_wont_go",
         r"\b(moved in|moved themselves in|taken over my (flat|house|home|place)|staying at mine|dossing at mine)\b.{0,40}\b(<CANT>|wont) "
         r"(get|make|tell) (them|him|her|em) (to )?(out|leave|go)\b"),
        ("calls_me_names", r"\b<KNOWN>\b.{0,40}\b(calls|calling|called) me (names|stupid|useless|a waste)\b"),
        # things of the writer's sold by someone who moved in, and fear of saying so ("my nephew moved in ... hes sold my late
        # husbands tools and the car and im scared to say anything": training --show-misses, stop 26)
        ("sold_and_scared",
         r"\b<KNOWN>\b.{0,60}\b(sold|pawned|got rid of|flogged)( all)? (my|our|me)\b.{0,60}\b(scared|afraid|frightened|too scared|daren?t) "
         r"(to )?(say|tell|ask|speak)\b"),
        ("money_taken",
         r"\b<KNOWN>\b.{0,60}\b(take|takes|took|taken|taking|steal|steals|stole|stolen|stealing|pinches|pinched|keeps|kept|keeping|has|had|"
         r"got|uses|used|using|spends|spent|empties|emptied|emptying|controls|control|controlling|cleared|clears|drains|drained|"
         r"borrows|borrowed|helps (himself|herself|themselves) to|helped (himself|herself|themselves) to|helping (himself|herself|themselves) to|cashes|"
         r"cashed|holds on to|hangs on to|"
         r"won't give me|wont give me|not given me|withdrew|withdraws) "
         r"(all |half )?(my|me|the|all my|most of my|half my|all the) ?(own )?(money|pension|savings|benefits|card|bank card|"
         r"debit card|credit card|cash|purse|wallet|pin|account|bank|allowance|attendance allowance|food|medication|"
         r"<PILLS>|phone|keys|house|post|pension book|bank book|giro|jewellery|jewelry|rings?|things|belongings|stuff|valuables|"
         r"possessions|medals)\b(?!.{0,40}\bfor me\b)"),
        ("money_from_me", r"\b<KNOWN>\b.{0,40}\b(stealing|steals|stole|stolen|taking|takes|took|nicking|nicked|pinching) (money |cash |things )?(from|off|"
         r"out of) (me|my (purse|account|bank|wallet|handbag|bag|house|room|drawer))\b|"
         r"\b(money|cash)\b.{0,20}\b(from|out of) my (purse|account|bank|wallet|handbag|bag)\b.{0,40}\b(carer|son|daughter|grandson|family|lodger|nephew|he|"
         r"she|they)\b"),
        ("controls_money", r"\b(controls?|in control of|controlling|has control of) (all )?(the|my) (money|finances|bank|account|pension|cash)\b"),
        ("wont_let_me",
         # not a body that will not ("my hands wont let me use it anymore": tune_blind_aj)
         r"(?<!hands )(?<!hand )(?<!knees )(?<!knee )(?<!legs )(?<!back )(?<!eyes )(?<!arthritis )(?<!body )(?<!hips )(?<!fingers )"
         r"(?<!feet )(?<!health )(?<!chest )(?<!breathing )(?<!balance )(?<!memory )(?<!eyesight )"
         r"\b(wont|doesnt|dont|never|wouldnt) let me (have|see|use|go|out|leave|ring|phone|call|talk|speak|visit|keep|eat|get|"
         r"touch|open|answer|near|contact|meet|spend|access)\b|"
         r"\b(im|i am|i m)( just)? not allowed (out|to go|to see|to have|to use|to talk|to ring|to leave|my own|to speak|to phone|to call|any)\b"),
        # what a relative sees a carer do: "the carer slaps my mums hand when shes slow eating" (tune_blind_t)
        ("carer_harms_them",
         r"\b(carer|carers|care worker|care workers|staff|home help)\b.{0,30}\b(slaps?|slapped|slapping|hits?|hitting|pinche[sd]|pinching|grabs|"
         r"grabbed|grabbing|rough with|shouts at|shouting at|swears at|swearing at|bullies|bullying|hurts|hurting|smacks?|smacked|drags|"
         r"dragged|mocks|mocking|threatens|threatened) (my )?(mum|mums|dad|dads|mother|father|nan|nans|gran|grans|grandad|husband|wife|her|him|"
         r"them|the residents?)\b"),
        # control: "if my husband lets me, he doesnt like me going out and he checks my phone" (tune_blind_u)
        ("checks_on_me",
         r"\b<KNOWN>\b.{0,20}\b(checks|goes through|went through|monitors|tracks|takes away|took away|hides|hid) my (phone|texts|messages|mobile)\b"
         r"(?! (for|to|with) )|\bif (my )?(husband|partner|boyfriend|he|son|daughter) (lets|allows) me\b"),
        ("not_safe_at_home",
         r"\b(dont|do not|never|no longer) feel safe (at home|in my (own )?(home|house|flat|bed))\b|\bnot safe (at home|in my (own )?(home|house|flat))\b"),
        ("kept_in", r"\b(locks|locked|locking|keeps|kept|keeping|shuts|shut|shutting) me (in|up|inside|out|in my room|in the house|indoors|away)\b|"
         r"\bkeeps? me (locked|trapped|prisoner)\b|\b(like a|im a) prisoner in my own (home|house)\b"),
        ("scared_of_them",
         r"\b(scared|frightened|afraid|terrified|petrified|fear) (of|to be around|to be near) (my|him|her|them|<KNOWN>)\b(?! (own shadow|heights)\b)|"
         r"\b(scared|frightened|afraid|terrified|unsafe|not safe) in my own (home|house|flat)\b|"
         r"\b(scared|frightened|afraid|terrified) to (say no|tell (anyone|him|her|them|someone)|go home|ask (him|her|them)|refuse|speak up)\b"),
        ("coerced",
         r"\b(made|make|makes|making|forced|force|forces|forcing|pressured|pressuring|pressures|bullied|talked|pushing|pushed) me (to |into )?"
         r"(sign|signing|give|giving|hand over|change my will|changing my will|transfer|pay|lend|withdraw|sell|put the house)\b|"
         r"\b(threat\w*|says (hell|shell|they will|theyll)|said (hed|shed|theyd)) (to )?(put me in a home|put me in a care home|throw me out|kick me out|"
         # "threatening to take up the bagpipes" is a hobby (tune_blind_ah); "threatening to take my pension" is not
         r"hurt|take(?! up\b)|leave me|stop me|put me away|have me put away|tell|stop my)\b|"
         # not "i cant remember if i told you" (tune_blind_af)
         r"(?<!remember )(?<!sure )(?<!know )(?<!forget )(?<!forgot )\bif i (tell|told) (anyone|anybody|someone|you|the police)\b|"
         r"\b(no one|nobody) (would|will|d) (ever )?believe me\b|"
         r"\bif i (dont|wont|refuse to|say no|didnt) (give|lend|hand|pay|sign)\b|\bsmash(es|ed|ing)? (things|the place|stuff|my things|up)\b|"
         r"\b(put|signed|transferred|changed|moved) (my )?(house|home|flat|will|bungalow|savings|money|account) (in|into|over|to) (her|his|their) names?\b|"
         r"\b(gets?|getting|got) (angry|nasty|violent|aggressive|funny|shirty) (if|when) i (say|ask|dont|wont|refuse|try|tell)\b|"
         # a temper when they see friends ("hubby gets in a temper when i talk to my friends so ive stopped coming": tune_blind_y)
         r"\b(gets?|getting|got|goes|flies|kicks) (in a temper|into a temper|in a rage|into a rage|angry|nasty|violent|aggressive|shirty|jealous|"
         r"off) (if|when|whenever) i (talk|speak|see|go out|meet|phone|ring|call|visit|chat|go to)\b"),
        ("neglected",
         r"\b<KNOWN>\b.{0,60}\b(leave|leaves|left|leaving) me (in (bed|my chair|the chair|dirty|wet|soiled|pads|the dark|my own mess)|"
         r"without (food|a drink|water|washing|my <PILLS>|help|a meal)|alone for (days|hours)|all day|for hours|lying|sitting in|soaking|hungry|"
         r"wet|soaked|soiled|dirty|cold|thirsty)\b|"
         r"\b(wont|doesnt|dont|never|wouldnt|refuses to) (feed|wash|change|help|clean|dress|toilet) me\b|"
         # a care home, not "shes home now ... so i wont make the walk" (tune_blind_r)
         r"\b(carer|carers|care worker|staff|(the|care|nursing|residential|her|his|my) home)\b.{0,50}\b(doesnt|dont|wont|never|didnt|refuses to) "
         r"(help|wash|feed|change|give|bring|make|clean)\b"),
        ("took_over_money",
         r"\b<KNOWN>\b.{0,60}\b(taken|took|takes|taking|got|gets) (over|control of|charge of|hold of) (my|all my) "
         r"(bank|money|account|accounts|pension|finances|cards?|savings|affairs)\b|\b(dont|never|not) (get|see|have) a penny\b"),
        ("kept_short",
         r"\bkeeps? me (short|without)( of)? (money|cash|food|anything)\b|"
         r"\b<KNOWN>\b.{0,30}\b(reads|goes through|went through|listens to|listens in on|checks) my (messages|texts|post|letters|calls|emails)\b"),
        ("locked_in",
         r"\b(lock|locks|locked|locking)( \w+)? (the|my|me|front|back) (door|doors|room|in|out)\b.{0,40}\b(cant|so i|wont let|not allowed)\b|"
         r"\b(take|takes|took|hide|hides|hid|keep|keeps) (the|my) (keys?|front door key|door key)\b.{0,30}\b(cant|so i|wont let|not allowed)\b"),
        ("put_down",
         r"\b<KNOWN>\b.{0,30}\b(tells|told|calls|called|says|keeps saying) (me|im|i am)( im)? (a |an )?(nuisance|burden|useless|stupid|waste|"
         r"idiot|pathetic|worthless|thick|senile|mad|crazy)\b|\b(by the throat|strangled me|choked me|round my throat|round my neck)\b"),
        ("ignored_and_unfed",
         r"\b<KNOWN>\b.{0,60}\b(dont|doesnt|wont|never|didnt|refuse to|refuses to) (give|make|get|bring|let me have) me (meals|food|anything to eat|"
         r"a meal|my dinner|my tea|a drink|my <PILLS>|enough)\b|"
         r"\b(forces|forced|forcing|makes|made|making) me (to )?do (things|stuff|what he|what she)\b|"
         r"\bthreat(en|ens|ened|ening)? to (push|hit|hurt|kill|throw|kick|beat|put|leave|starve|lock|stop|take|batter|smash) (me|my)\b"),
        ("threatens_if_i_go",
         # "if i go to the coffee morning again hell throw my tablets in the bin" (tune_blind_z): going out punished
         r"\b<KNOWN>\b.{0,40}\bif i (go|went|see|leave|ring|phone|talk to|speak to|tell)\b.{0,50}\b(hell|shell|theyll|he will|she will|"
         r"they will|hes going to|shes going to|theyre going to) (throw|hit|hurt|take|lock|bin|smash|burn|stop|kick|put me)\b"),
        ("stops_me",
         # "keeps me going" sustains; "keeps me from going" stops
         r"\b<KNOWN>\b.{0,40}\b((stops|stopped|stopping|prevents|prevented) me (from )?|keeps me from )(seeing|going|visiting|talking|speaking|"
         r"phoning|ringing|leaving|having|getting|contacting|meeting)\b"),
        ("violent_at_home",
         r"\b<KNOWN>\b.{0,40}\b(is|are|gets|get|can be|has been|been)( \w+)? (violent|aggressive|abusive|cruel|rough|nasty|vile)\b"
         # a hard time, not a person ("three deaths in the family, its been a rough one": tune_blind_x)
         r"(?! (one|time|patch|year|few|week|month|ride|couple|old))|"
         r"\b(violent|aggressive|abusive|cruel|rough|nasty) (son|daughter|husband|wife|partner|grandson|carer|carers|family|nephew|lodger)\b|"
         r"\b(domestic abuse|domestic violence|being abused)\b"),
        # Blind batch b: left in a chair all day without a drink or the toilet.
        ("left_all_day",
         r"\b(get|gets|am|im|being|been) left (in|on) (my |the )?(chair|bed|commode|wheelchair)\b|"
         r"\b(leave|leaves|left|leaving) me (in|on) (my |the )?(chair|bed|commode)\b.{0,60}\b(all day|till|until|hours|no (drink|food|toilet))\b"),
    ),
    "basic_needs": (
        ("no_food",
         r"\b(no|not got any|got no|havent got any|havent any|nothing to eat|run out of|ran out of|out of|without) (food|money for food|"
         r"anything to eat|bread|groceries)\b(?! (at|for|in) the (group|club|lunch|coffee|hall|church|centre|meeting|morning|session|cafe|library)\b)|"
         r"\b(nothing|not a thing|nowt|nothing at all|hardly anything|not much) (to eat|in the (house|fridge|cupboards?|freezer)|left to eat|in to eat)\b|"
         r"\b(havent|not|hasnt|didnt|not had|havent had|no) (eaten|ate|had (anything|a thing|owt|any food|a meal|a proper meal|"
         r"a hot meal|food|a bite|breakfast|dinner|lunch|a drink)|anything to eat)\b.{0,30}\b(days?|since|today|weeks?|yesterday|all day|properly|in|for)\b|"
         r"\b(fridge|cupboards?|cupboard|freezer|larder|pantry)( is| are| s)? (empty|bare)\b|"
         r"\b(had|eaten|eating|living on|lived on|surviving on) nothing but\b|\b(living|surviving|existing) on (toast|tea|bread|biscuits|cereal|nothing|"
         r"crisps|cups of tea)\b|"
         r"\b(food|bread|milk|money|gas|electric|electricity|credit|meter|shopping)( has| have|s|ve)? (run|ran|running|gone) out\b|"
         r"\b(im|so|really) (starving|hungry)\b.{0,40}\b(nothing|no food|no money|havent|not eaten|since|days)\b|\bhungry and\b.{0,30}\bnothing\b"),
        ("food_bank",
         r"\b(need|needing|get|getting|referral to|referral for|voucher for|vouchers for|sent to|go to|rely on) (a |the |some )?(food ?bank|food parcel|"
         r"emergency food)\b(?!.{0,20}\b(volunteer|volunteering|help out|donate)\b)|"
         r"\bnothing in\s*$|\bnothing in (the house|to eat|at all)\b"),
        ("cant_afford",
         r"\b<CANT> afford (to eat|food|to heat|heating|the heating|gas|electric|electricity|the gas|the electric|to put the heating on|"
         r"to top up|my (gas|electric|meter|bills|shopping|food)|shopping|the bills|to keep warm|to turn the heating on|anything to eat)\b|"
         r"\bno money (for|to buy|to get|to put on|to top up) (food|the meter|gas|electric|electricity|heating|the key|the card|"
         r"my <PILLS>|shopping|bread|milk|anything|the gas|the electric|a meal|groceries)\b|"
         r"\bno money (til|till|until|left|at all) ?(\w+day|pension|payday|my pension|next week|the end|monday)?\b|"
         r"\b(choose|choosing|chose) between (food|eating|heating|heat|gas|electric)\b|\b(eat|eating) or (heat|heating)\b|\bheat or eat\b|"
         # a few pounds to last till a day ("havent got the bus fare, ive £2.40 to last me to thursday": tune_blind_ap)
         r"(?<!\w)(£ ?\d( \d\d)?|\b\d+p|a few (quid|pounds|pence)|pennies|coppers) (left )?to last (me|us)( till| until| to| til)\b"),
        ("no_heat_or_power",
         r"\b(no|not got|got no|havent got|havent any|without|not had|no more) (heating|heat|gas|electric|electricity|power|hot water|water|oil|fuel|lights?)\b"
         r"(?! <AWAY_FROM_HOME>\b)|"
         # the sea's water is not the tap's ("got into trouble in the water off hoylake": tune_blind_q)
         r"\b(heating|boiler|gas|electric|electricity|power|meter|radiators?|fire|storage heaters?|<TAPWATER>)"
         r"( has| is|s| have| are)? "
         r"(broken|broke|packed up|packed in|gone off|gone|off|not working|stopped working|died|run out|ran out|cut off|empty|bust|"
         r"given up|conked out|been cut off|been turned off|on the blink|out)\b"
         r"(?!.{0,30}\b<AWAY_FROM_HOME>\b)(?!.{0,20}\b(now|again) (fixed|working|fine|sorted)\b)"
         # mended since ("boiler packed in last week but the man came and fixed it so alls well": tune_blind_x)
         r"(?!.{0,60}\b((fixed|mended|repaired|sorted) it|(its|it is|its been|all|now) (fixed|mended|repaired|sorted|working again)|alls well)\b)|"
         r"\b<CANT> (put|have|turn|keep|switch) (the |my )?(heating|fire|gas|electric|heater|lights?) on\b|"
         r"\b(sitting|sat|sleeping|slept|stay|staying|living|stayed|lying) (in|with|under) (my|a|the|two|three) (coats?|blankets?|hat|duvet)\b|"
         r"\b(sat|sitting|living|been|lying) in the (dark|cold)\b|\b<CANT> (get|keep) warm\b|"
         r"\b(in bed|coat|coats|blankets?) to keep warm\b|\b(so|really|very|freezing) cold in (here|the house|my (house|flat|home|room|bungalow))\b|"
         r"\b(house|flat|home|place|bungalow|room) is (freezing|so cold|like ice|like a fridge|ice cold)\b|"
         r"\b(freezing|frozen|so cold)\b.{0,30}\b(no heating|cant afford|no gas|no electric|heating (is )?(off|broken))\b"),
        ("carer_not_come",
         r"\b(carer|carers|care worker|care workers|home help|district nurse|nurse|agency|the care|care|meals on wheels|meals|dinners|"
         r"food delivery|shopping delivery)\b.{0,30}\b(not|never|havent|hasnt|didnt|not yet|"
         r"dont|wont) "
         r"(been|come|came|turned up|turn up|shown up|show up|showed up|arrived|visited|been in|been round|coming|bothered)\b|"
         r"\bno (carer|carers|care worker|care|care visit|care visits)( \w+)? (today|this morning|this week|since|yet|for|tonight|last night|again)\b|"
         r"\b(cancelled|stopped|cut|ended|withdrawn|lost) (my |all my |me )?(care|carers|care visits|visits|care package|package of care|home care)\b|"
         r"\b(no one|nobody)( has| s| have)? (been|come|came|turned up) (to|and) (get me|wash me|dress me|help me|do my|give me|feed me|"
         r"put me|see to me|change me|check on me|bring)\b|\b<CANT> get (up|out of bed|dressed|washed) without (the |my )?(carer|carers|help)\b"),
        # stuck where they are until someone comes, the means of moving gone: "wheelchair battery's died and im stuck in the
        # kitchen, carer not due till tomorrow morning" (tune_blind_s)
        ("stuck_till_help_comes",
         r"\b(wheelchair|chair|scooter|stairlift|stair lift|hoist|walker|frame)( \w+)? (battery )?(has |is |s )?(died|dead|flat|broken|broke|packed up|"
         r"stopped working|given up|gone)\b.{0,60}\b(stuck|trapped|cant (get|move))\b|"
         r"\bstuck (upstairs|downstairs|in bed|in (the|my) (bedroom|chair|flat|house|room|bed))\b.{0,40}\b(since|because|as|cos|when) (the|my) "
         r"(stairlift|stair lift|lift|wheelchair|scooter|hoist)\b|"
         r"\b(stuck|trapped|cant move|cant get (up|out|off|down))\b.{0,60}\b(carer|carers|nurse|son|daughter|anyone|someone|no one|help)( \w+)? "
         r"(not due|isnt due|not coming|wont be (here|back|round)|not back|not here)( \w+)? (till|until|before)\b"),
        # "district nurse was meant to come for my dressings yesterday, nobody came" (tune_blind_t)
        ("due_and_not_come",
         r"\b(carer|carers|care worker|nurse|district nurse|home help|meals on wheels|agency)\b.{0,20}\b(was|were|is|are) (meant|supposed|due) to "
         r"(come|call|visit|be here|come round|pop in)\b.{0,60}\b(nobody|no one|never|didnt|hasnt|havent|not) (came|come|turned up|showed|arrived|been)\b"),
        ("no_one_sent",
         r"\b(carer|carers|care company|care agency|agency|council|care|they)\b.{0,30}\b(not|havent|hasnt|didnt|never) (sent|send) "
         r"(anyone|anybody|someone|a carer|a nurse)\b|"
         r"\b(wearing|wear|wore|in) (my|a|two|three) (coat|coats|hat|gloves|scarf|jumpers)( \w+)? (indoors|inside|in the house|in bed|all day|"
         r"in the flat)\b|\b(so|that|too|really|bitterly) cold (indoors|inside|in here|in the house|in the flat)\b|\bits that cold\b"),
        ("running_out",
         r"\bemergency credit\b|\b(about to|going to|nearly|almost|soon) run out\b.{0,30}\b(gas|electric|electricity|meter|credit|food|tablets|oil)\b|"
         r"\b(gas|electric|electricity|meter|credit|oil)\b.{0,30}\b(about to|going to|nearly|almost) run out\b|"
         r"\b(no one|nobody) to help me (wash|eat|get up|get dressed|dress|with the toilet|get to bed|with my <PILLS>|shop|get my shopping)\b|"
         r"\b(carer|carers|care|care worker|agency)( has| have|s)? (cancelled|cancelled on me|let me down|stopped coming)\b|"
         r"\b<CANT> afford (my )?(medication|prescription|prescriptions|<PILLS>|medicine|insulin|rent|food shopping|to eat properly)\b"),
        ("no_medicine",
         r"\b(run|ran|running|out) (out )?of (my |the )?(\w+ )?(<PILLS>|medicine|inhaler|oxygen|prescription|insulin|pads)\b|"
         r"\b(no|none of my|none) (<PILLS>|inhaler|insulin|oxygen) left\b|\bgot none left\b|"
         r"\b<CANT> get (my |to my )?(prescription|<PILLS>|inhaler|insulin)\b"),
        ("nobody_to_fetch",
         r"\b(no one|nobody)( \w+)? to (do|get|fetch|bring|pick up|collect) (my |me |any |the )?(shopping|food|anything|prescription|<PILLS>|bits|milk|"
         r"groceries)\b|"
         r"\b<CANT> get (to|out to|down to|out for) the (shops?|chemist|pharmacy|supermarket)\b.{0,40}\b(no one|nobody|no food|nothing)\b|"
         r"\b(too ill|too poorly|too weak|too unwell)\b.{0,30}\b(shop|shops|shopping|cook|eat|chemist)\b"),
        ("broken_for_days",
         r"\b(heating|boiler|gas|electric|electricity|power|radiators?|storage heaters?|fire|water|cooker)( has| is|s| have| are)? "
         r"(been|still|now) (broken|off|out|not working|cut off|gone)\b(?!.{0,30}\b(at|in) the (hall|church|centre|club|library)\b)"),
        ("going_without",
         r"\b(had|eaten) no (food|hot meal|proper meal|meals?|hot food)\b|"
         r"\b(no|not had a|havent had a|not had any|havent had any) (hot|proper|decent|warm) (meal|meals|dinner|food)\b.{0,20}\b(since|for|in) \w+|"
         r"\b(only|just) (got |have |ive got )?(a tin|one tin|a bit of bread|some bread|a packet|half a loaf|a slice|a few biscuits|an egg|"
         r"a bit of food|some cereal)( of \w+)? left\b|\b(left|nothing in)\b.{0,20}\band no (money|cash|pension|credit)\b|"
         r"\b(going|gone|go|went|do) without (meals|food|eating|heating|heat|my <PILLS>|my medication|dinner|breakfast|lunch|my tea)\b|"
         r"\bskip(ping)? meals\b"),
        ("no_water", r"\b<TAPWATER>( has| s|s)? (been )?(cut off|off|turned off|stopped)\b|"
         r"\bno (running |drinking )?water\b"),
        # Blind batch b: medicines that have run out, a sitter or carer who cancelled and nobody to help.
        ("medicine_run_out",
         r"\b(inhalers?|tablets|pills|meds|medication|medicines?|prescription|insulin|oxygen|pads)\b( \w+){0,3} "
         r"(have |has |s )?(run out|ran out|all gone|finished|running out)\b"),
        ("nobody_to_help_me",
         r"\b(sitter|carers?|care worker|night nurse|nurse)\b.{0,20}\b(cancelled|not coming|isnt coming|didnt come|hasnt come|never came)\b"
         r".{0,60}\b(nobody|no one|noone)\b|\b(nobody|no one|noone) (to|who can|that can) (help|give|get|take) me\b"),
    ),
    "despair": (
        # hope given up ("i gave up hoping things would get better about two winters ago": tune_blind_ap)
        ("hope_given_up",
         r"\b(gave|given|give|giving) up (hoping|hope|on hope|on things)( that)? (things|it|life|anything) (would|will|might|could|ll) "
         r"(ever )?(get|be) (any )?better\b"),
        # "id rather be dead than go in a home": the writer's own, said strongly; the direct question, not a crisis.
        ("rather_dead_than",
         r"\b(id|i would|i d|honestly id) (much |sooner |far )?(rather|sooner) (be dead|die|not be here|not wake up) than\b"
         # a joke about an activity ("id rather die than do line dancing lol": tune_blind_x)
         r"(?!.{0,50}\b(lol|haha|hahaha|ha ha|lmao|jk|only joking)\b)"),
        ("whats_the_point",
         # the point of the service's texts is a question about them ("whats the point in these texts? im fine! haha": tune_blind_ac)
         r"\b(whats|what is|wheres) the (point|use)\b(?! (of|in) (these|your|the|them|those) (texts|messages|calls|forms))"
         # "whats the point in texting you if nobody answers" (tune_blind_aj)
         r"(?! (of|in) (texting|ringing|calling|phoning|contacting|emailing|messaging|writing to|asking) (you|this|them|the \w+|your))"
         r"(( (of|in|to))? (me|my|it all|anything|everything|life|living|going on|carrying on|trying|"
         r"being|getting up|bothering|it|this|any of it|keeping going|me being|of anything|waking|waking up|getting out of bed|going on living)\b| (anymore|"
         r"now|really|honestly|eh|though)\b|\s*$|"
         r"(?= ~| because| i| im| no one| nobody))"),
        ("no_point",
         # a practical reason ("no point me coming to the computer class, i havent got a computer": tune_blind_aj)
         r"\b(theres |there is |see |see any |is )?no point( in| to| of)?"
         r"(?! me (coming|going|joining|booking|signing up)( to| on| for)? (the|a|that|your) (\w+ ){0,2}(class|group|club|course|session|walk|"
         r"lunch|trip)( \w+){0,3} (i|as i|cos i|because i|if i|since i) (havent|dont have|have no|cant|dont|am not|im not|wont|work))"
         r" (anything|any of it|it all|living|going on|carrying on|trying|getting up|me|"
         r"my life|me living|my existence|existing|"
         r"anymore|bothering|being here|being alive|keeping going|life|existing|going on living)\b|\bno point\s*$|"
         r"\b(dont|cant|do not) see (the|any) point( in| of| to)?( (anything|it|it all|carrying on|going on|living|anymore|me|life|bothering|trying|"
         r"getting up|keeping going))?\s*$|"
         r"\b(dont|cant) see (the|any) point (in|of) (anything|it all|carrying on|going on|living|me|life|bothering|trying|getting up|keeping going)\b|"
         r"\b(life|everything|it all|its all|living|my life|existence)( is| feels| seems| s)? (so )?(pointless|meaningless|hopeless)\b|"
         # a reply of a few words ("same as ever. pointless": tune_blind_aj)
         r"^((same as ever|same old|as usual|much the same|same|meh|honestly|tbh|not great|not good|bad|no) )?(its |all |just |everything )?pointless$"),
        ("burden",
         r"\b(?<!theyre )(?<!they are )(?<!its )(?<!it is )(?<!thats )(?<!hes )(?<!shes )(?<!he is )(?<!she is )(?<!they re )"
         r"(im|i am|feel like|feel|just|being|im just|im only|only|such|nothing but|no more than) (a |such a |nothing but a |just a |only a |an |a real )?"
         r"(burden|nuisance|drain|spare part|waste of space|waste of (time|money|oxygen|air|skin)|encumbrance|inconvenience|bother to)\b|"
         r"\bburden (to|on|for) (everyone|everybody|my|them|the|people|anyone)\b|\b(im|i am|just)( just)? in (the|everyones|their) way\b"),
        ("better_off_without_me", r"\b(better|happier|easier|better off) (off )?without me\b|\b(everyone|everybody|they|the family|my family|the kids|"
         r"my kids)( would|d) be better off\b"),
        ("no_one_would_notice",
         # "i could lie here a fortnight and no one would notice", "im past helping", "nothings ever going to get better", "i dont
         # see the point in much of anything" (tune_blind_x)
         r"\b(lie|lay|lying|be|die|rot) (here|dead|in (my|this) (bed|chair|flat|house))( \w+){0,6} and (no one|nobody|noone) (would|will|d)( even)? "
         r"(notice|know|miss me|come|find me)\b|\b(im|i am) (past|beyond) (help|helping|saving)\b|"
         r"\bnothing(s| is)? (ever )?(going to|gonna|will|is ever going to) (get|be) (any )?better\b|"
         r"\b(dont|cant|do not|cannot) see the point (in|of) (much of )?(anything|much|life|living|going on|carrying on|it all|getting up)\b|"
         r"\b(no one|anyone|they|none of them|would anyone|who)( would| wouldnt| will| wont|d)?( even| ever)? (notice|care|miss me|bother|know|mind|realise)\b"
         # missing from a group is a place in the choir ("if i went missing from the choir, im the worst alto": tune_blind_z)
         r".{0,30}\b(if i|when i|id gone|i was gone|im gone|gone|died|dead|not here|wasnt here|werent here|disappeared)\b"
         r"(?! (went|was|were|am|go|goes) missing from (the|my|our|this) )|"
         r"\b(no one|nobody)( would| will|d)?( even| ever)? (miss|notice) me\b|"
         r"\bif i (just )?(wasnt|werent|was not|were not) (here|around|alive|in the world)( anymore)?\b|"
         r"\bif i (was|were|just) (gone|dead|to die|to go|disappeared)\b|\b(easier|better) (for everyone )?if i (just )?(wasnt|werent|was gone|died|went)\b"),
        ("tired_of_life",
         # "tired of everything being online" is a complaint (tune_blind_z)
         r"\b(tired|sick|fed up|weary|had enough|done|finished|worn out) (of|with) (living|life|it all|"
         r"everything(?! (being|costing|changing|going up|going online|closing)\b)|being alive|being here|existing|"
         r"this life|my life|the world|the lot)\b|\bive had enough\s*$|\bi (have )?had enough now\s*$"),
        ("cant_cope",
         r"\b<CANT> (cope|go on|carry on|keep going|keep on|face (it|anything|another day|tomorrow|life|the day)|see a way|"
         r"stand (it|this)|bear (it|this|life|anymore|another day)|handle (it|this|life)|take (it|this|anymore|much more|any of it|no more)|do (this|it|"
         r"life) anymore|"
         r"do this any longer|manage anymore|keep doing this|be bothered anymore|live like this)\b"
         r"(?! (the|a|an|my|that|this|holiday|trips?|buses|bus|stairs|walks?|with (the )?(stairs|steps|hills?|walking|crowds|noise|heat|cold|long)|"
         r"on (tuesday|monday|wednesday|thursday|friday|saturday|sunday))\b)|"
         r"\b(dont|not sure|dont really) know how (much longer )?(i can|to|i will|ill|im going to) (keep going|go on|carry on|cope|keep on|do this|"
         r"keep this up|manage)\b|"
         r"\b<CANT> (go on|carry on|cope)( like this)?\s*$"),
        ("giving_up",
         r"\b(giving|give|given|gave) up on (everything|life|it all|myself|living|me|the world|people)\b|\bi (just )?(give|gave|have given|ve given) up\s*$|"
         r"\bfeel like giving up\s*$|\bgiving up\s*$"),
        ("nothing_to_live_for",
         r"\bnothing (left )?(to live for|to get up for|to look forward to|left for me|left to live for|to stay for|to keep going for|worth living for|"
         # "stopped the antidepressants ... nothing to get better for" (tune_blind_aj)
         r"to get better for|to get well for)\b|"
         r"\b(what|who|whats|whos) (is there|there|have i got|do i have|ive got|is left|left) (to live for|to get up for)\b|"
         r"\bno reason to (live|get up|carry on|go on|be here|keep going|stay|wake up)\b|"
         r"\b(cant see|dont see|dont have|havent got|no longer have|cant find|cant think of)( any| a| one)? reason to (live|go on|carry on|keep going|get up|"
         r"be here|stay|wake up)\b|"
         r"\b(life|my life|living|everything|anything)( has| holds| s)? (no|lost (its|all)) (meaning|purpose|point)\b|\bno (meaning|purpose) (in|to) (life|"
         r"my life|anything|living)\b|"
         r"\b(dont|do not|no longer) care (what happens to me|if i live|if i die|whether i live|if i wake up|about anything|about myself|anymore)\b|"
         r"\bwhat am i (even |still |actually )?(here|alive|living) for\b|\bwhy (am i|am i even|am i still|do i) (here|alive|bother|wake up)\b|"
         r"\bwhats the use (in|of) me\b|\bnothing (to|for me to) (live|get up|wake up) for\b|\bnothing left\s*$"),
        ("worthless",
         # "im hopeless at patterns", "useless with phones": a skill, not a life (tune_blind_g, _m)
         r"\b(feel|feeling|im|i am|so|totally|completely|utterly)( so| really| very| totally| utterly| just)? (hopeless|worthless|useless)\b"
         r"(?! (at|with|when it comes to) (?!(everything|anything|life|living|people)\b))|"
         r"\bworthless\b|\b(no|not any|not much) use to (anyone|nobody|everyone|man or beast)\b|\buseless to (everyone|anyone|everybody)\b|"
         r"\b(i|really|just) hate (myself|my life|being alive|being me)\b|\bhate my (life|self)\b|"
         r"\bnothing (will ever|ever|is ever going to|will) (get|gets|going to get) better\b|\bnever (going to|gonna) get better\b|"
         r"\b(no one|nobody) (needs|wants|loves|cares about) me( anymore)?\b"),
        ("waiting_to_die",
         # "everyone i knew is gone now. im just waiting my turn" (tune_blind_z); a queue's turn is at, for or to something
         r"\bjust waiting (for )?my turn\b(?! (at|in|for|with|on|now at)\b| to (?!be honest\b))|"
         r"\b(waiting for god|waiting to die|waiting for the end|waiting for my time|ready for the end|done with life|done with it all|"
         r"just want it (all )?over|want it (all )?to (stop|end|be over)|wish it (was|were) (all )?over|wish it would (all )?(stop|end))\b|"
         r"\bwant (it|it all|everything|this|this life|the pain) to (stop|end|be over)\s*$|\bjust want (it|it all|everything) to (stop|end)\b"),
        ("disappear", r"\b(want|wish|like|wanting) (i could |to )?(just )?(disappear|vanish|not exist|not be here|fade away|not wake up|cease to exist)\b"
         # a holiday ("wish i could disappear to spain for the winter": tune_blind_aj)
         r"(?! (off )?(to|for) (\w+ ){0,2}(spain|abroad|the sun|the winter|a week|a fortnight|a few days|a bit|holiday|somewhere warm|the caravan|"
         r"benidorm|tenerife|portugal|florida|cornwall|wales|scotland))"),
        ("be_with_the_dead",
         r"\b(want|wish|long|longing|ready|waiting|need)( \w+)? to (go and )?(join|be with) (my |our )?(late )?(husband|wife|him|her|mum|dad|son|daughter|"
         r"partner|"
         # joining things again is a return to groups ("im ready to join things again": tune_blind_ab)
         r"mother|father|other half|(?!(things|groups?|clubs?|activities|something|everything|everyone|in|people|folk|others)\b)\w+) "
         r"(again|up there|in heaven|soon|now)\b|"
         r"\b(want|wish|long|longing|ready) to go and (join|be with) (my |our )?\w+\b|"
         r"\b(want|wish|long|longing|ready) to (join|be with) (my |our )?(late )?(husband|wife|him|her|partner|other half)\b"
         r"(?=.{0,80}\b(passed|died|gone|lost|since|funeral|late|without (him|her)|miss (him|her))\b)|"
         # the death told first: "my son took his own life last year and i want to join him" (tune_blind_v)
         r"\b(passed|died|gone|lost|funeral)\b.{0,80}\b(want|wish|long|longing|ready|going|gonna|need)( is)? to (go and )?(join|be with) (him|her|them)\b|"
         # a date after the loss, by which they will be with them ("sunday is the anniversary of my wife going and ill be with her by
         # then": tune_blind_z)
         r"\b(passed|died|gone|going|lost|funeral|anniversary)\b.{0,80}\b(ill|i will|i shall|i ll)( soon)? be with (him|her|them)"
         r" (by|before|on|soon|again by)\b"),
        ("god_take_me",
         r"\b(wish|pray|praying|hope|hoping|asked|asking)( that)? (god|the lord|jesus|the good lord)( would| will| to)?( just| please)? "
         r"(take|takes|come for|call) me\b|\b(pray|praying) (i|that i) (dont|never) wake\b"),
        ("useless_self",
         r"\b(im|i am|feel|feeling|just)( \w+){0,3} (useless|hopeless|worthless|pathetic|a failure|a waste)\b"
         r"(?! (at|with|when it comes to|cook|cooks|cooking|speller|at spelling|on computers|on the phone|with phones)\b)|"
         r"\btaking up (space|room|air|oxygen)\b"),
        ("life_is_misery",
         r"\b(life|everything|it all|each day|every day|my life|living|existence)( is| s| feels| has become| become)( just| so| such)? (\w+ ){0,3}"
         r"(misery|miserable|hell|torture|agony|unbearable|a struggle|too hard|too much|pointless|meaningless|empty|a nightmare|grim)\b"
         r"(?! (with|because of|since) (my|the|this) (hip|knee|knees|back|legs?|weather|rain|cold|neighbours?|building work|roadworks|op)\b)"),
        ("no_better",
         r"\b(cant|dont|never|cannot) see (things|it|anything|life|my life)( \w+)? (getting|going to get|get|ever getting|ever get) better\b|"
         r"\b(things|it|life)( will| is)? never (going to )?get better\b"),
        ("cant_keep_going",
         r"\b(dont think|not sure|doubt|wonder if) i (can|could|will|ll) (keep going|go on|carry on|cope|do this|take (it|this|much more)|last)"
         # going on one's own is going alone ("not sure i could go on my own": blind3's tune half)
         r"( much)?( longer)?\b(?! (my|his|her|their) own\b| alone\b| by myself\b| (a|the) (trip|coach|bus|holiday|course|outing)\b)"),
        ("no_one_cares", r"\b(no one|nobody) (cares|would care|gives a damn|gives a toss)\b"),
        ("why_bother",
         r"\b(dont know|no idea|cant think|not sure) why i (bother|keep going|get up|carry on|wake up|am here|am still here|even try)\b|"
         r"\bwhy (do i|should i|would i) (bother|keep going|get up|carry on|even try)\b|"
         r"\bno (good|use) to (anyone|anybody|nobody|no one|man nor beast|man or beast|anyone anymore)\b"),
        ("lowest_point",
         r"\b(pray|praying|hope|hoping|wish|wishing) (not to|to not|i dont|i wont|i never|i didnt) wake( up)?\b|"
         r"\b(at my lowest|lowest ive ever|lowest point|lowest ever|nothing helps\s*$|nothing helps anymore|nothing is helping anymore)\b|"
         r"\b(no one|nobody)( would| will|d)?( even| ever)? (come to|turn up to|turn up at|go to|be at) my funeral\b|"
         r"\b(dont|no longer) (feel like i |think i |feel i )?belong (here|anywhere|in this world|on this earth)\b|\bno way out\b"),
        ("why_still_here",
         r"\bwhat am i (still |even )?doing here\b(?!.{0,20}\b(again|at the|in the|on the)\b)|\bwhy (im|am i|i am) (still )?(alive|here|breathing)\b|"
         r"\b(ready|want|going|about) to give up\b(?! (smoking|drinking|the|my|on the|sugar|chocolate|driving|work|meat|booze|fags|cigarettes|"
         r"alcohol|biscuits|cake|crisps|my allotment)\b)|\b(life|lifes|living)( is| s)? not worth (much|anything|a thing|living)( anymore)?\b|"
         r"\b(so |just |sick and )?tired of (fighting|struggling|the struggle|being alive|being ill|being in pain|trying)\s*$|"
         r"\bno (visitor|visitors)\b.{0,10}\bsince\b"),
        ("no_future",
         r"\b(cant|dont|cannot|can no longer) see (a|any) (future|way ahead|way forward)\b|"
         r"\b(feel|feeling|im|been)( so| really| very| incredibly| terribly)? (low|down|flat|awful|terrible|dreadful|wretched)\b"
         r"(?! about\b).{0,40}\b(cant|can hardly|hardly|no point|cant be bothered|every day|all the time|for weeks|get out of bed)\b|"
         r"\b(feel|feeling|im)( so| really| very| incredibly| terribly) (low|down|wretched)\s*$"),
        ("who_would_miss_me",
         r"\b(who|whod)( would| will)?( even| ever)? (miss|notice|care about|want|need) me\b|\bthis is the end\b(?! of (the|my|our) (\w+ )?"
         r"(road|street|list|term|season|week|month|walk|queue|line|session|film|show|book|trip)\b)"),
        ("end_of_tether",
         r"\b(end of my tether|breaking point|rock bottom|end of the road for me|cant see (a|any) way (out|forward|through)|no way forward|"
         r"no light at the end|nothing matters( anymore)?|just existing|existing not living|whats the use of living)\b"),
        # Words of distress that rarely appear in an ordinary text: the possible tier asks the direct question.
        ("distress_words",
         r"\b(despair|despairing|in a (dark|bad|black) place|dark thoughts|bad thoughts|black thoughts|horrible thoughts|scary thoughts|"
         r"dont trust myself|scared of myself|frightened of myself|not safe (with|around|by) myself|falling apart|breaking down|"
         r"cant stop crying|crying all the time|cry all day|crying all day|lost all hope|given up hope|no hope left|theres no hope|"
         r"empty inside|numb inside|dead inside|wish i wasnt here|wish i wasnt born|want it to end|want it over|sick of it all|"
         r"at the end of my rope|hit rock bottom|my life is over|life is over|no future|whats left for me)\b|"
         # "not desperate or anything, just would like a chat" (tune_blind_p) says the opposite
         r"(?<!not )(?<!never )(?<!nt )\b(desperate|desperately)\b(?! (for|to|need|want|wanting|keen)\b)|"
         r"\b(so|really|very|severely|badly|deeply|clinically|been|feeling|feel|im|getting) depressed\b(?! about\b)|"
         r"\b(im|i am|i feel|feeling|i get)( really| so| very)? (scared|frightened|terrified)( and alone| on my own)?\s*$"),
        ("suicidal_negated", r"\b(used to|years ago|in the past|once|before) .{0,20}\b(self harm|cut myself|tried to kill myself|suicidal)\b"),
        # Blind batch b: not a soul would ask, fading away, no hope, life's over.
        ("wouldnt_be_missed",
         r"\bnot a (single )?(soul|person)\b.{0,30}\b(ask after|notice|miss|care|bother|come)\b|\bhow little i matter\b|\bi dont matter\b"),
        ("fading_no_hope",
         r"\b(im|i am|feel like im|feel like i am) fading( away)?\b|\bno hope( of| for| left)?\b|\bmy lifes (over|finished|done)\b|"
         r"\bmy life is (over|finished|done)\b"),
    ),
    "doorstep": (
        ("distraction_theft",
         r"\b(kept me talking|distracted me|while (i|he|she|they|one of them) (was|were) (in the|out the|upstairs|talking|looking|showing)|"
         r"after (he|she|they|the man|the woman|the lad) (left|went|had gone|had been))\b.{0,80}\b(gone|missing|disappeared|taken|stolen|took|"
         # "now my handbags not on the chair" (tune_blind_z)
         r"(purse|handbag|bag|wallet|cards?|jewellery|rings?|watch|tin)s? (is |was |s )?(not|isnt|wasnt|no longer) (on|in|where|there))\b"),
        ("caller_persists",
         # told no, and at the door still ("i said no and hes been knocking on and off for an hour": tune_blind_z)
         r"\b(said no|told (him|her|them|em) no|told (him|her|them|em) to go|wouldnt let (him|her|them) in|didnt let (him|her|them) in)\b.{0,60}"
         r"\b(knocking|banging|ringing the bell|shouting through|came back|keeps coming back|come back again)\b"),
        ("rogue_trader",
         r"\b(rogue|cowboy|bogus|dodgy|fake|crooked|conman|con man|con men|pushy)( \w+)? (traders?|builders?|callers?|workm[ae]n|roofers?|"
         r"salesm[ae]n|sellers?|officials?|gardeners?|tradesm[ae]n|man|men|bloke|blokes)\b|\bcold ?call(er|ers|ing|ed|s)?\b|"
         r"\bdoor ?to ?door (sales\w*|sellers?|traders?|callers?)\b|\bdoorstep (sellers?|selling|traders?|callers?|salesm[ae]n)\b|"
         r"\bdoorstep crime\b(?!.{0,30}\b(talk|session|awareness|group|event|meeting|class)\b)"),
        ("claims_to_be_from",
         r"\b(knock|knocked|knocking|came|come|comes|turned up|called round|at (my|the) door|on my doorstep|rang the bell|"
         r"came round|come round|at the door|outside)\b.{0,50}\b(saying|said|says|claiming|claims|claimed|reckons|telling me)\b.{0,15}"
         r"\b(they|he|she|theyre|hes|shes|theyve|hed|shed)?( was| were| are| is| had| have| been)? ?(from|sent by|with|working for|sent)\b"),
        ("trader_at_the_door",
         r"\b<DOOR>\b.{0,80}\b<TRADE>\b|\b<TRADE>\b.{0,60}\b<DOOR>\b|"
         r"\b<DOOR>\b.{0,60}\b(asking for|asked for|asks for|wants|wanted|demanding|demanded|after) (money|cash|payment|paying|\d+)\b"),
        ("work_then_money",
         r"\b(roof|roofer|roofers|tiles|chimney|gutters?|guttering|drive|driveway|tarmac|patio|fence|hedge|trees?|paving|garden|"
         r"windows|boiler|loft|damp|repairs?|builders?|traders?|workm[ae]n|gardeners?|tree surgeons?|the work|the job)\b.{0,80}"
         r"\b(charged|charge|charging|want|wants|wanted|demanding|demanded|asking|asked|said it was|owe|owed|took|taken|quoted|now)\b.{0,50}"
         r"\b(£?\d{2,}|cash|money|more|quid|pounds|ten times|double|thousand\w*|hundred\w*|grand|\d+k|deposit|up front|upfront)\b|"
         r"\b(charged|charge|charging|want|wants|wanted|demanding|demanded|owe|took|taken)( me)?\b.{0,30}"
         r"\b(£?\d{2,}|cash|money|more|quid|pounds|ten times|double|thousand\w*|hundred\w*|grand|\d+k|deposit|up front|upfront)\b.{0,40}"
         r"\b(roof|tiles|chimney|gutters?|guttering|drive|driveway|tarmac|patio|fence|hedge|trees?|paving|garden|windows|boiler|loft|damp|repairs?|the work|"
         r"the job)\b"),
        ("wants_to_come_in",
         r"\b(claiming|claimed|saying|said|says|pretending|pretended|made out)( (he|she|they) (was|were|is|are))?( to be)? from\b.{0,60}"
         r"\b(come in|come into|get in|look round|let (him|her|them) in|inside|in my (home|house|flat)|into my (home|house|flat)|into the house)\b"),
        ("pushy_or_no_id",
         r"\b(door|doorstep|knocked|knocking|came round|turned up|at the door|outside)\b.{0,80}\b(wont take no|no id|no badge|no identification|"
         r"very pushy|really pushy|so pushy|pushy|keeps coming back|came back|coming back|talked me into|got me to sign|made me sign|"
         r"wants? to come in|needs? to come in|wanted to look round|let (him|her|them) in|unannounced)\b|"
         r"\b(needs?|wants?|wanted|has|have) to (check|read|look at|inspect|test) (my|the) (meter|electrics|water|gas|boiler|pipes|roof|house)\b"
         r".{0,40}\b(outside|at the door|door|now|here|knocked)\b|"
         r"\b(came|come|keeps coming|coming) back( again)?\b.{0,40}\b(owe|money|pay|work|cash)\b"),
        ("door_to_door",
         # not one known to be genuine ("selling fish door to door, apparently hes genuine, been coming for years": tune_blind_s)
         r"\b(selling|sell|sells|knocking|going)\b.{0,20}\bdoor to door\b(?!.{0,80}\b(genuine|legit|legitimate|above board|been coming for years)\b)|"
         r"\b(door|doorstep|knocking|selling)\b.{0,60}\b(wont leave me alone|"
         r"keeps? pestering|pestering me|harassing me|keep coming round)\b"),
        ("strangers_offering",
         r"\b(two|some|a couple of|2|3|three|these|the|a gang of) (blokes|men|lads|fellas|guys|workmen|builders|chaps|travellers)\b.{0,40}"
         r"\b(offered|offering|said|saying|knocked|turned up|came round)\b|"
         r"\b(gave|paid|handed)\b.{0,30}\b(they|he|she)( have| has)? (never|didnt|not|havent|hasnt) (came|come|coming) back\b|"
         r"\b<TRADE>\b( \w+)? (is|are|s|re|was|were)? ?(dangerous|unsafe|loose|falling|rotten|leaking|slipping|cracked|crumbling)\b.{0,60}"
         r"\b(cash|money|pay|today|£?\d{2,}|quid)\b"),
        ("bogus_official",
         # "a woman said she was from the council to check my smoke alarms and now my purse is gone" (tune_blind_x)
         r"\b(said|says|claimed|claiming|made out|reckoned)( that)? (s?he|they)( was| were| is| are|s|re) (from|with) (the )?\w+\b.{0,100}"
         r"\b(purse|money|handbag|bag|jewellery|jewelry|cash|wallet|rings?|watch|cards?|pension|tin)\b( \w+){0,2} (is |was |has |s |have |are |had )?"
         r"(gone|missing|disappeared|taken|vanished)\b|"
         r"\b(pretending|pretended|claiming|claimed|said they were|posing as|made out they were)( to be)? (from|the|a)\b.{0,60}"
         r"\b(came in|come in|got in|let (them|him|her) in|knocked|at the door|door|took|taken|look round)\b|"
         r"\b(came in|got in|let (them|him|her) in)\b.{0,30}\b(took|taken|stole|stolen|nicked)( my)? (purse|money|handbag|bag|jewellery|cash|wallet|rings?)\b"),
        ("work_without_asking",
         r"\b(turned up|came round|showed up|arrived)\b.{0,40}\b(started|did|done|began)( the| on)? (work|job|working|my \w+)\b|"
         r"\b(started|did|began) (the )?(work|job)\b.{0,20}\b(without (asking|being asked|permission)|uninvited|unannounced)\b|"
         r"\bsaid (he|she|they) (was|were) (checking|reading|testing|here to|from)\b.{0,60}\b(came in|come in|got in|inside|let (him|her|them) in)\b|"
         r"\b(came in|got in|let (him|her|them) in)\b.{0,40}\b(missing|gone|taken|stolen|disappeared)\b"),
        ("van_offering",
         r"\b(van|lorry|truck)\b.{0,50}\b(tarmac|drive|driveway|roof|gutters?|tiles|paving|offering|knocking)\b|\bleftover (tarmac|materials?|paving)\b"),
        # Blind batch b: callers who keep coming back to say something needs doing now.
        ("keep_calling_round",
         r"\b(calling|knocking|came|come|turned up|call round|calls round|keep coming)\b.{0,40}\b(saying|said|says|telling me|told me)\b"
         r".{0,50}\b(dangerous|needs? (doing|fixing|replacing|work)|about to (come down|collapse|fall)|urgent|unsafe|loose)\b"),
    ),
    "scam": (
        # "now theres two payments i dont recognise" (tune_blind_x): money gone from the account
        ("payments_not_mine",
         r"\b(payments?|transactions?|withdrawals?|charges?|direct debits?|transfers?)\b.{0,25}\b(i )?(dont|didnt|do not|did not|cant|never) "
         r"(recognise|recognize|make|made|authorise|authorize|know about|set up)\b"),
        ("new_number_asking",
         r"\b(on|from) (a|his|her|their) new (number|phone|mobile)\b.{0,80}\b(asking for|asked for|needs|needed|wants|wanted|sent|send|paid|pay|"
         r"transfer\w*)\b.{0,30}(£|\b\d{2,}\b|\b(money|cash|pounds|quid|rent|bill)\b)|"
         r"\b(asking for|asked for|needs|needed|wants|wanted) (£|\d{2,}|money|cash).{0,60}\b(on|from) (a|his|her|their) new (number|phone|mobile)\b"),
        ("scam_words",
         r"\bscam\w*\b|\bconned\b|\b(con|cons) (man|men|artist|artists|merchant)\b|\bfraud\w*\b|\bdefraud\w*\b|\bswindl\w*\b|"
         r"\bripped off\b|\bbeen had\b|\bbeen done\b(?! (up|out|over lovely|lovely|nicely|beautifully|well)\b)|\bdone over\b|"
         r"\bdiddled\b|\bfleeced\b|\bduped\b"),
        ("gave_details",
         # not "dont want to give my details to anyone dodgy" (tune_blind_s)
         r"(?<!dont want to )(?<!not want to )(?<!dont )(?<!wont )(?<!never )(?<!wouldnt )(?<!would never )"
         r"\b(gave|given|give|told|read out|read|typed|put|entered|shared|confirmed|sent|keyed in|handed over|let them have|let him have)"
         r"( them| him| her| the man| the woman| the caller| a man| a woman| someone| the lady| it)? (all )?(my )?(bank|card|credit card|debit card|"
         r"account|security|pin|passcode|password|passwords|sort code|long number|card number|details|code|codes|one time code|the code|"
         r"the numbers|personal details|log ?in|online banking|security number|cvv|the number on the back)\b"
         r"(?!.{0,20}\b(to join|to register|to sign up|for the group|to the group|to book)\b)"
         # "i gave my bank details to the lunch club for the direct debit" (tune_blind_ai)
         r"(?!( details)? (to|for) (the|our|my) (\w+ ){0,2}(group|club|class|choir|organiser|treasurer|secretary)\b)"
         r"(?!.{0,40}\bfor the (direct debit|standing order|membership|subs|subscription)\b)"),
        ("confirm_details",
         r"\b(confirm|confirmed|confirming|verify|verified|update|updated|check) (my |your )?(bank |card |account |personal |security |login )?(details|"
         r"identity|account|password|card)\b"),
        ("asked_for_details",
         r"\b(asking|asked|asks|wanted|wants|want|demanding|requested)( me)?( for)? (my )?(bank|card|pin|password|passwords|account|security|sort code|"
         r"card number|long number|one time code|code off my phone|passcode|online banking)( details| number| numbers)?\b"),
        ("impersonation",
         r"\b(rang|called|phoned|ringing|calling|call|calls|phone call|text|texted|texts|email|emailed|message|messaged|letter|whatsapp|"
         r"voicemail|on the phone)\b.{0,50}\b(saying|said|says|claiming|claimed|pretending|telling me)\b.{0,25}\b(from|was|were|is|are)?"
         r" ?(the |my )?(bank|hmrc|police|microsoft|amazon|bt|apple|tv licen[cs]e|dvla|council|paypal|royal mail|courier|fraud team|"
         r"broadband|virgin|sky|tax office|inland revenue|government|dwp|nhs|energy company|water company|ofgem|post office|"
         r"national insurance|my grandson|my granddaughter|my son|my daughter|your bank|the tax)\b|"
         r"\b(hmrc|tax office|inland revenue)\b.{0,60}\b(owe|arrest\w*|police|fine|warrant|court|prison|jail|refund|rebate)\b|"
         r"\b(saying|said|says|claiming)( they| he| she)?( was| were| are| is|s|re)? (from )?(microsoft|amazon|apple|bt|hmrc|paypal|"
         r"the fraud team|my bank|the bank|the police)\b"),
        ("account_compromised",
         r"\b(account|card|computer|laptop|pc|tablet|phone|email|broadband|router|identity)\b.{0,30}\b(compromised|hacked|frozen|"
         r"suspended|blocked|locked|infected|virus|viruses|cloned|been used|breached)\b|"
         # a bug that is going round is an illness ("doctor says its a virus going round": tune_blind_ac)
         r"\b(virus|viruses)\b(?! (going|doing) (round|around|the rounds))(?<!tummy virus)(?<!stomach virus)(?<!sickness virus)"
         # an illness a doctor named ("had to ring 111 for my chest, they said it was a virus": tune_blind_ad); a device's virus is
         # the alternative above
         r"(?<!was a virus)(?<!its a virus)(?<!is a virus)(?<!just a virus)(?<!only a virus)(?<!chest virus)(?<!flu virus)(?<!cold virus)|\b(hacked|cloned)\b|"
         r"\b(national insurance|ni number)\b.{0,30}\b(suspended|compromised|cancelled|blocked|used)\b|"
         r"\blet (them|him|her|someone) (on|into|onto|in to|access|control|take over) my (computer|laptop|pc|phone|tablet|screen)\b|"
         # remote access, never the telly's remote ("no one to fight over the remote": tune_blind_q)
         r"\bremote (access|desktop|control of|connection|session|support|software|app)\b|\b(let|get|got) (them|him|her) in remotely\b|"
         r"\b(computer|laptop|pc|phone|tablet|screen|account|it) remotely\b|\b(anydesk|teamviewer|download an app)\b|"
         # "microsoft man is on my computer now" (tune_blind_an)
         r"\b(microsoft|windows|bt|talktalk|virgin|sky|amazon|apple|tech support|computer|internet) (man|men|bloke|fella|chap|lady|woman|"
         r"person|people|guy|engineer)\b.{0,20}\b(is |are |s |has |have )?(on|in|into|got into|controlling|moving) my (computer|laptop|pc|"
         r"screen|mouse|tablet)\b"),
        ("got_into_account",
         r"\b(got|get|getting|broke|broken|hacked|been) into my (bank|account|online banking|email|computer|card|paypal|accounts)\b"),
        ("safe_account", r"\bsafe account\b|\b(move|moved|moving|transfer|transferred|transferring)( all)? (my |the )?(money|savings|cash|pension|"
         r"funds)\b.{0,30}\b(safe|new account|protect)\b"),
        ("told_to_move_money",
         r"\b(told|telling|tells|asked|asking|asks|wants|wanted|said|says|instructed|get me|got me)( me)? to (move|transfer|withdraw|send|take out|draw out|"
         r"pay|buy|give|lend|wire|post|hand over)\b.{0,30}\b(money|savings|cash|pension|isa|funds|card|\d+|vouchers|gift cards?)\b|"
         r"\b(withdraw|draw out|take out|took out|withdrew)( all| the| my| some)? (cash|money|savings|\d+)\b.{0,60}\b(police|bank|courier|collect|said|told|"
         r"caller|asked)\b|"
         r"\b(police|bank|courier|caller|detective|officer)\b.{0,60}\b(withdraw|draw out|take out)( all| the| my| some)? (cash|money|savings)\b"),
        ("pay_in_vouchers",
         r"\b(pay|paid|paying|payment|buy|bought|buying|read out|reading out|numbers? (on|off) (the back of)?)\b.{0,40}\b(vouchers|gift ?cards?|itunes|"
         r"google play|steam cards?|bitcoin|crypto\w*|amazon (cards?|vouchers)|western union|moneygram)\b"
         # a present ("bought my grandson 50 of steam vouchers for his birthday", "amazon vouchers for the grandkids christmas": tune_blind_ak)
         r"(?!.{0,30}\bfor (his|her|their|my|the|our) (\w+ ){0,2}(birthday|christmas|xmas|present|presents|gift|gifts|stocking)s?\b)|"
         r"\b(gift ?cards?|itunes|google play|steam) (cards?|vouchers)\b.{0,30}\b(pay|tax|owe|bill|fine|numbers)\b"),
        ("money_gone",
         # paid in is not gone ("has the winter fuel money gone in yet": tune_blind_aa)
         r"\b(money|cash|savings|pension|funds|£\d+|\d+ ?(pounds|quid|k|grand))\b.{0,30}\b(gone(?! in\b| into\b)|missing|taken|disappeared|vanished|"
         r"stolen|been taken|been stolen)\b|"
         r"\b(someone|they|theyve|theyd|a man|a woman|the man|the woman|somebody|strangers?|people)\b.{0,30}\b(took|taken|taking|stole|stolen|used|using|spent|"
         r"withdrew|withdrawn|emptied|cleared|drained)\b.{0,20}\b(money|cash|card|account|details|savings|bank)\b"),
        ("money_lost_to_someone",
         # not a present sent ("sent my grandsons birthday money by bank transfer and he rang to say ta": tune_blind_ak)
         r"\b(taken|took|lost|gave|paid|sent|transferred|handed over|given)\b(?!( \w+){0,3} (birthday|christmas|xmas|wedding) "
         r"(money|present|presents|gift|gifts|cheque))"
         r".{0,50}\b(over the phone|on the phone|online|on the internet|"
         r"on facebook|on the computer|through a link|by bank transfer)\b|"
         r"\b(paid|sent money|bought|ordered|paid for)\b.{0,50}\b(never (came|arrived|turned up|got it|received|heard)|doesnt exist|didnt exist|"
         r"not real|fake|vanished|disappeared|no sign of it|never got)\b|"
         r"\b(lost|lose|losing|been cheated out of|cheated out of)( all| most of| half)? (my |all my |our )?(savings|money|pension|life savings|"
         r"\d+|£\d+)\b(?! (purse|wallet|bag)\b)(?=.{0,60}\b(to|on|over|through|by|from|online|phone|man|woman|caller|investment|website)\b)"),
        ("sent_money_to_stranger",
         r"\b(sent|send|sending|transferred|wired|lent|lend|given|gave|paid)( him| her| them| a man| a woman| someone| this)? (\w+ )?(money|cash|"
         r"£?\d+( pounds| quid)?|a lot)\b.{0,60}\b(online|met|never met|new number|said (he|she) was|facebook|dating|"
         r"boyfriend|girlfriend|investment|bitcoin|crypto|romance|whatsapp|instagram|website|abroad|stranger|lad who|man who|woman who)\b|"
         r"\b(online|facebook|internet|dating|whatsapp|instagram|met on)\b.{0,60}\b(boyfriend|girlfriend|man|woman|lady|friend|he|she|chap|fella|soldier|"
         # "a gentleman i met online, hes on an oil rig, i sent him my savings for his customs fee" (tune_blind_al)
         r"gentleman|gent|hes|shes|him)\b"
         r".{0,60}\b(needs|wants|asking|asked|keeps asking|send|sent|lend|lent|borrow|paid|gave)\b.{0,40}\b(money|cash|\d+|ticket|fees?|savings|pension)\b|"
         r"\bnew number\b.{0,80}\b(money|pay|send|bank|bill|cash|transfer)\b|\bhi (mum|dad|nan|gran|grandma|grandad)\b.{0,60}\b(new number|lost my phone|"
         r"money)\b"),
        ("prize_or_refund",
         r"\b(won|win|winning|winner|prize|lottery|sweepstake|inheritance|refund|rebate|compensation|claim)\b.{0,60}\b(pay|fee|fees|postage|release|"
         r"send|details|tax|admin|handling|accident i never|bank details|to claim)\b|"
         r"\bcompensation\b.{0,40}\b(accident|claim|ppi|mis sold)\b"),
        ("fee_or_link",
         r"\b(parcel|delivery|package|royal mail|courier|evri|hermes|dpd|toll|tv licen[cs]e|licen[cs]e|refund|tax rebate|penalty|fine|"
         r"energy rebate|council tax)\b.{0,50}\b(fee|pay|paid|link|clicked|click|details|owe|expired|redeliver\w*)\b|"
         r"\b(clicked|click|pressed|tapped) (on )?(a |the )?(link|button)\b|\b(pressed|press) (1|one)\b"),
        ("threat_to_pay",
         # not the police bringing news ("the police came round today to say theyd caught the lads who nicked bikes": tune_blind_ai)
         r"\b(police|bailiffs?|arrest\w*|court|warrant|prison|jail|cut off|disconnected|legal action)\b"
         r"(?! came (round|to the door|by) today to (say|tell (me|us)) (theyd|they had|they have|theyve) (caught|arrested|charged|found|got))"
         r".{0,40}\b(unless|if i (dont|didnt)|or else|owe|pay|today)\b|"
         r"\bunless (i|you) (pay|paid|send|give)\b|\b(broadband|internet|phone line|electric|electricity|gas)\b.{0,30}\b(cut off|"
         r"disconnected)\b.{0,30}\b(unless|pay|today)\b"),
        ("investment", r"\binvest\w*\b.{0,60}\b(double|guarantee\w*|returns?|profit|send more|took|lost|money|savings|scheme|crypto|bitcoin)\b|\bbitcoin\b|"
         r"\bcrypto\w*\b|"
         # "lost my retirement pot on a trading app some bloke on instagram recommended" (tune_blind_ai)
         r"\b(lost|lose|losing|gone|put|sunk)\b.{0,40}\b(trading|forex|investment|investing) (app|site|website|platform|scheme|account)\b|"
         r"\b(trading|forex|investment) (app|site|website|platform|scheme)\b.{0,60}\b(lost|took|gone|wont let me|cant withdraw|withdraw)\b"),
        # "crypto recovery ltd say they can get my lost money back for 1500 upfront" (tune_blind_ai)
        ("recovery_fee",
         r"\b(get|getting|recover|recovering|claw|win) (my|your|the|our|her|his)( lost)? (money|savings|funds|investment|pension|it) back\b.{0,40}"
         r"\b(fee|upfront|up front|pay|paid|£?\d{3,}|\d+ (pounds|quid|grand))\b"),
        # a bank cashier's worry about a customer ("came in wanting to withdraw 8000 in cash ... very cagey ... for a friend ... we invoked
        # the banking protocol": tune_blind_ai)
        ("banking_protocol",
         r"\bbanking protocol\b|\b(withdraw|take out|draw out|took out|withdrew)\b.{0,30}(£?\d{4,}|\d+ ?(k|grand|thousand))( in cash| cash)?\b.{0,80}"
         r"\b(for a friend|cagey|wouldnt say|wont say|nervous|kept checking (her|his) phone|on the phone the whole time|being told what to say)\b"),
        ("collect_card_or_cash",
         r"\b(courier|someone|a man|a woman|they|driver|taxi|police officer|officer)\b.{0,40}\b(collect|collecting|pick up|picking up|come for|coming for|"
         r"call round for|to get)\b.{0,20}\b(my |the )?(card|cards|cash|money|gold|jewellery|valuables|pin|bank card|savings)\b"),
        ("pension_transfer", r"\bpension\b.{0,30}\b(transfer|release|unlock|liberation|review)\b.{0,40}\b(man|caller|rang|called|wants|company|offer)\b|"
         r"\b(man|caller|company|someone)\b.{0,40}\b(move|transfer|unlock|release) my pension\b"),
        ("fell_for_it",
         r"\bfell for (it|a|an|the)\b|\bfake (call|text|email|website|caller|bank|amazon|police|officer|letter|message|number|site|advert)\b"),
        ("emptied_account",
         r"\b(cleaned|cleared|emptied|wiped|drained|raided) (out )?(my|the|all my)( \w+)? (account|accounts|bank|savings|isa|pension)\b"),
        ("took_an_amount",
         r"\b(someone|they|theyve|a man|a woman|the man|the woman|strangers?|people|scammers?)\b.{0,30}\b(took|taken|had|got|stole|stolen|"
         r"cleared|emptied)( me for)? (£?\d{2,}|\d+ (pounds|quid|grand|k)|\d+k|thousands|hundreds)\b"),
        ("family_emergency",
         r"\b(grandson|granddaughter|son|daughter|nephew|niece|grandchild)\b.{0,40}\b(jail|prison|arrested|police station|in trouble|accident|"
         r"hospital abroad)\b.{0,40}\b(money|bail|pay|cash|send|fine)\b"),
        ("seller_vanished",
         r"\b(paid|sent|deposit|bought|ordered|transferred)\b.{0,60}\b(gone|vanished|disappeared|gone quiet|stopped (replying|answering)|"
         r"blocked me|deleted (the|their|his|her) (profile|account|advert)|no sign|nothing (came|arrived)|never (came|arrived|turned up|got))\b"),
        ("keep_ringing",
         r"\b(keep|keeps|kept|been) (ringing|calling|phoning|texting|emailing|messaging)\b.{0,50}\b(owe|pay|fine|debt|money|account|arrest|"
         r"refund|details|bank|card)\b"),
        ("sent_after_messages",
         r"\b(online|facebook|internet|dating|whatsapp|instagram|met on|messaged me|messages me|messaging me)\b.{0,60}\b(sent|send|sending|"
         r"transferred|given|gave|lent|paid)( him| her| them)? (\w+ )?(money|cash|£?\d+|a lot|thousands|hundreds)\b"),
        ("pension_offer",
         r"^(?=.*\bpension\b)(?=.*\b(transfer|move|unlock|release|new scheme|access it early|cash it in)\b)"
         r"(?=.*\b(rang|called|phoned|caller|cold call|text|texted|email|emailed|letter|wants me|advert)\b)"),
        ("identity_used",
         r"\b(in my name|identity (theft|stolen|fraud)|stole my identity|stolen my identity|using my (name|identity|details))\b"),
        ("link_or_calls",
         r"\b(text|email|message|whatsapp)\b.{0,60}\b(logged in|log in|signed in|entered my|clicked|on the link|the link)\b|"
         r"\b(keep|keeps|kept|been|constantly|always) (getting|receiving|having) (calls|phone calls|texts|messages|emails|letters)\b.{0,50}"
         r"\b(owe|pay|fine|debt|money|account|arrest|refund|details|bank|card|address)\b"),
        # "is this a real person?" asks who answers (the bot's bot_challenge), not whether a message is a scam.
        ("suspicious_message", r"\bis (this|it|that) (a )?(scam|(real|genuine|legit|legitimate)\b(?! (person|human|people|one|someone|"
         r"man|woman|lady|bloke|bot|robot|computer|machine|council|connector|service|number (for|from) the council)\b))\b|"
         r"\b(text|email|letter|call|message)\b.{0,40}\b(genuine|legit|"
         r"suspicious|dodgy)\b"),
        # Blind batch b: a link in a message, a payment that "failed", an inheritance with fees to pay.
        ("message_with_link",
         r"\b(text|email|message|letter|whatsapp)\b.{0,80}\b(click|tap|press) (here|the link|on the link|on it)\b|"
         r"\b(text|email|message)\b.{0,100}\b(payment (has )?failed|a link to pay|link to (pay|update|verify)|update (your|my) (details|payment))\b"),
        ("advance_fee",
         r"\b(inherit\w*|won|winning|prize|lottery|compensation|refund|unclaimed)\b.{0,100}\b(pay|fees?|release|admin|tax|charge)\b"),
    ),
    "worry_about_someone": (
        # gone out and not back, someone who gets confused ("went out for the paper at 7 this morning and hasnt come back. he
        # gets confused": training --show-misses, stop 26)
        ("not_back",
         r"\b(went|gone|popped|walked|wandered|left) (out|off)\b.{0,60}\b(hasnt|has not|not|never|havent|still not) (come|came|got|been) "
         r"(back|home)\b(?=.{0,80}\b(confused|dementia|forgetful|memory|dark|hours|worried|worrying|not like (him|her)|police)\b)"),
        ("not_seen",
         # "bumped into margaret who i havent seen since her hip" (tune_blind_af): someone met, not someone missing
         r"(?<!who i )(?<!who id )(?<!whom i )"
         r"\b(not|havent|hasnt|no one has|not been|hasnt been|havent been|nobodys|no ones)( \w+)? (seen|heard from|heard|spotted|seen or heard)\b"
         r"( \w+){0,6}? (him|her|them|(?:(?:my|our|the|a|an|this|that) )?<OTHER>)\b(?!.{0,10}\b(recently|lately)\b.{0,10}\b(fine|ok|well)\b)|"
         r"\b(him|her|them|(?:(?:my|our|the|a|an|this|that) )?<OTHER>)\b.{0,30}\b(not|hasnt|havent|isnt|hasnt been|not been)( been)? (seen|out|about|around|"
         r"in|answering|picking up|"
         r"collected|opened|taken in|responding|replying|to (church|the shop|the club|the pub|the group|the centre))\b.{0,30}\b(for|since|in|days|weeks)\b|"
         r"\b(hasnt|havent|not) been (in|out|seen|about|around|to \w+)?\b.{0,20}\b(for|since|in) (\d+ )?<DAYS>\b"),
        ("house_signs",
         # The signs are someone else's: "my curtains were shut till 11" is the writer's own lie-in ("my neighbour thought id
         # died", tune_blind_o), and "my post", "my bins", "my lights" are the writer's too, not a neighbour's to worry about.
         r"\b(?<!\bmy )(?<!\bmy own )curtains?\b.{0,30}\b(closed|shut|drawn|not (been )?open\w*|havent been opened|hasnt opened|still|all day|"
         r"for days|not opened)\b|"
         r"\b(not |hasnt |havent |never )(opened|drawn|opening) (his|her|their|the) curtains\b|"
         r"\b(?<!\bmy )(?<!\bmy own )(post|letters|mail|milk|milk bottles|bottles of milk|papers?|newspapers?|parcels?|deliveries)\b.{0,30}"
         r"\b(piling up|piled up|still (on|in|there|"
         r"outside)|"
         r"on the (step|doorstep|mat)|behind the door|in the letterbox|not (been )?(taken|collected|picked up))\b|"
         r"\b(not|hasnt|havent|hasnt been|not been|never) (collected|taken in|picked up|brought in) (his|her|their|the) (post|mail|letters|milk|papers?|"
         r"parcels?|bins?|shopping|paper|pension)\b|"
         r"\b(?<!\bmy )(?<!\bmy own )bins?\b.{0,30}\b(still out|not (been )?(taken|brought|put) (in|out)|left out|not been (taken|put))\b|"
         r"\b(?<!\bmy )(?<!\bmy own )lights?\b.{0,30}\b(on (all|day and) night|on all day|on day and night|been on|never off|not (been )?on|"
         r"off for days|on for days)\b|"
         r"\b(dog|cat)\b.{0,30}\b(barking|howling|crying|meowing)\b.{0,30}\b(days?|all night|no one|nobody)\b|"
         r"\b(smell|stench)\b.{0,30}\b(from|coming from) (next door|their|his|her|the flat|number)\b"),
        ("not_answering",
         # not the writer who did not answer ("my friend rang 999 when i didnt answer the door but i was in the bath": tune_blind_ak)
         r"\b(<OTHER>|he|she|they|him|her)\b.{0,40}(?<!\bi )\b(not|isnt|hasnt|havent|wont|doesnt|didnt|not been|no one|nobody|nobodys|no ones) "
         r"(answering|answered|answer|responding|picking up|replying|opening the door)\b|"
         r"\bcant get (hold of|an answer from|through to) (him|her|them|(?:(?:my|our|the|a|an|this|that) )?<OTHER>)\b"),
        ("not_returning_calls",
         r"\b<OTHER>\b.{0,40}\b(hasnt|not|havent|isnt|wont|didnt)( \w+)? (rung|rang|called|phoned|text|texted|messaged|replied)( me)? back\b|"
         r"\b<OTHER>\b.{0,40}\bnot returning (my )?(calls|texts|messages)\b"),
        ("not_like_them", r"\b(its|thats|which is|it s)? ?not like (him|her|them)\b|\bunlike (him|her)\b"),
        ("routine_broken",
         # "the widower three doors down has stopped putting his bins out and his grass is knee high" (tune_blind_al)
         r"\b(stopped|given up|gave up|not been) (putting|taking|bringing) (his|her|their) bins? (out|in)\b|"
         r"\b<OTHER>\b.{0,60}\b(hasnt|havent|not|never|isnt|wasnt)\b.{0,40}\b(collected|taken in|picked up|brought in|put (his|her|their|the) bins? out|"
         r"opened (the|his|her|their) (door|curtains)|been (out )?to get (his|her|their) (shopping|paper|pension))\b|"
         r"\b<OTHER>\b.{0,60}\b(looks|seems|seemed|looked) (scared|frightened|terrified|afraid|nervous)\b|"
         r"\b<OTHER>\b.{0,60}\b(strange|odd|different) (people|men|visitors)\b"),
        ("check_on",
         # "no need to check on mrs pike, shes in tenerife", "please cancel her tuesday visit" (tune_blind_ae): no check asked for
         r"(?<!no need to )(?<!dont need to )(?<!no need for anyone to )"
         r"\b(check|checking|look|looking|pop|call|drop) (on|in on|in to see|round to see|in with) (him|her|them|(?:(?:my|our|the|a|an|this|that) )?<OTHER>)\b|"
         r"\b(someone|anyone|can you|could you|please)\b(?!( \w+){0,2} cancel)(?!( \w+){0,2} no need).{0,20}"
         r"\b(check|visit|see|look in) (on )?(him|her|them|(?:(?:my|our|the|a|an|this|that) )?<OTHER>)\b"
         # her smoke alarms, his boiler (tune_blind_r): a thing of theirs checked
         r"(?! (smoke|fire|carbon|co|gas|boiler|heating|meter|electrics|pendant|key|blood|eyes|hearing|ears|feet|teeth|hearing aid|wiring|sockets|"
         r"windows|locks)\b)|"
         # contact asked for on their behalf ("could someone make contact with her", "can you get in touch with her if she agrees",
         # "can a volunteer visit? ... she would never ring anyone": tune_blind_ao)
         r"\b(can|could|would|will) (someone|somebody|anyone|you|a volunteer|a connector|one of your (volunteers|connectors|team))"
         r"( \w+){0,2} (make contact with|get in touch with|reach out to|contact|ring|phone|go round to see|pop round to see|visit) (him|her|them)\b|"
         r"\b(she|he)\b.{0,120}\b(can|could|would) (a volunteer|someone|somebody|one of your volunteers) (visit|come round|pop round|call round|go round)\W*$"),
        ("worried_about_them",
         # in a deaf writer's English ("friend deaf also, live alone ... me worry her": tune_blind_al)
         r"\bme (worry|worried|worrying)( for| about)? (her|him|them)\b|"
         r"\b(worried|worrying|concerned|worry|anxious|scared|frightened|fretting|uneasy)( sick| a lot| so much| really)? (about|for|over) "
         r"(him|her|them|(?:(?:my|our|the|a|an|this|that) )?<OTHER>|an? (old|elderly|older) \w+|the (old|elderly|older) \w+|the \w+ (next door|upstairs|"
         r"downstairs|opposite))\b"),
        ("taken_advantage_of",
         r"\b(taking|took|taken|takes|take) advantage of\b.{0,10}\b(him|her|them|<OTHER>)\b|"
         r"\b(worried|worrying|concerned|worry|anxious|uneasy)( sick| a lot| really)? (about|for) (the|a|an|this|that|our|my) (old |elderly |older |young )?"
         r"(man|woman|lady|gent|gentleman|chap|fella|bloke|lad|girl|couple|person|customer|neighbour|resident|client|pensioner|widow|widower)\b|"
         r"\b(he|she|<OTHER>)\b.{0,20}\b(hasnt|havent|not) been (in|out|about|around|seen)\b.{0,25}\b(all week|all month|for ages|in ages|this week|lately)\b|"
         r"\b(he|she|they) (always|usually|normally) (comes|come|calls|rings|pops in|is in|goes)\b.{0,40}\b(not|hasnt|havent|isnt)\b|"
         r"\b(not|hasnt|havent|isnt)\b.{0,60}\b(he|she|they) (always|usually|normally|never misses)\b"),
        # wanting company to go somewhere ("my nan wants to go the pictures but not on her own": blind13's tune half) is no risk
        ("someone_at_risk",
         r"\b<OTHER>\b.{0,60}\b(confused(?! (about|by|with|over|as to)\b)|getting lost|gets lost|got lost|goes missing|"
         # missing in a war is history ("went missing in the war": tune_blind_x)
         r"(went|gone) missing(?! (in|during) (the war|action|the \w+ war))|"
         r"been (sat|sitting|standing|stood|lying|wandering|walking|out)( \w+){0,5} (all night|for hours|all day|in the cold|in the rain)|wandering|wanders|"
         r"not eating|isnt eating|stopped eating|forgetting to eat|forgets to eat|"
         r"looks? (so |really |very )?(thin|ill|poorly|unwell|frail|rough|unkempt|neglected|lost|dishevelled|gaunt)|frail|not coping|"
         r"isnt coping|struggling|filthy|smells?|dirty|unwashed|no heating|freezing|in the cold|so down|very down|really down|low|"
         r"depressed|crying|(?<!not )(?<!not be )(?<!never )(?<!wont be )(?<!isnt )lonely|"
         r"(?<!not )(?<!go )(?<!going )(?<!goes )(?<!come )(?<!travel )on (his|her|their) own|"
         r"lives (alone|on (his|her) own)|dementia|forgetful|falls|keeps falling|not well|"
         r"no food|losing weight|lost weight|being (scammed|abused|bullied|neglected|taken advantage of|exploited|hit|robbed|conned)|"
         r"taken advantage of|shouting at nobody|talking to (himself|herself)|hoarding|state of (his|her|the) (house|garden|flat)|"
         r"jungle|overgrown|no visitors|nobody visits|no one visits|hasnt got anyone|has no one|got no one|"
         r"(wants?|talking about|talks about|threatening|threatened) to (die|end it|kill (him|her)self)|suicidal|"
         r"kill(ing)? (him|her)self|self harm\w*|fed up|nightie|pyjamas|in (his|her) slippers)\b|"
         r"\b(he|she|hes|shes)\b.{0,20}\b(seems|looks|is|s|has been|keeps|getting|looking|seeming)( so| very| really| a bit| quite| more)? "
         r"(confused|frail|lost|thin|unwell|ill|poorly|not coping|struggling|down|low|neglected|unkempt|forgetful|vacant|disoriented)\b|"
         r"\b(he|she|hes|shes|they|theyre)\b.{0,30}\b(being|been) (scammed|abused|bullied|neglected|taken advantage of|exploited|conned)\b|"
         r"\b(old|elderly|older) (man|lady|woman|gent|chap|fella|person|couple)\b.{0,60}\b(every night|in the cold|all night|outside|on (his|her) own|alone|"
         r"lost)\b"),
        # Blind batch b: the paper not taken in and the car not moved, "she's very frail", no heating, being charged too much.
        ("not_taken_in",
         r"\b(hasnt|havent|not|never) (taken|took|brought|fetched|picked up) (his|her|their|the) (paper|papers|post|milk|bins?|washing|"
         r"parcel|shopping) in\b|\b(his|her|their) (car|curtains|bins?)( has|s| is)? not (moved|been moved|gone out)\b"),
        ("seems_frail",
         r"\b(hes|shes|he is|she is)( so| very| really| quite| getting| looking| ever so)? (frail|confused|thin|unwell|poorly|neglected|unkempt)\b"),
        ("no_heating_other",
         r"\b(never|doesnt|dont|not)( seem to| seems to)? (have|put|turn) (the|her|his|their) heating on\b"),
        ("overcharged",
         r"\b(charging|charged|charges) (her|him|them) (loads|a fortune|too much|hundreds|thousands|silly money|over the odds)\b"),
    ),
    "isolated": (
        ("lonely", r"(?<!people who are )(?<!people that are )(?<!those who are )(?<!folk who are )(?<!who feel )\blon(e|el|le|ll)?l?(y|"
         r"iness)\b(?!.{0,10}\b(people|folk|ones|hearts?)\b)|\b(feel|feeling|felt|so|very|really|terribly|totally|"
         r"completely|all|always|get|gets|getting|im|am|been) "
         r"(so |very |really |quite |a bit |totally |completely |utterly )?(alone|isolated|cut off)\b(?! (with|in) (the|my) (dog|cat|house|garden)\b)"),
        ("no_one_to_talk_to",
         r"\b(no one|not anyone|no friends|no family|noone|nobody|not a soul|never anyone|hardly anyone) (at all )?(to|i can) (talk|speak|chat|turn|natter|"
         r"have a (chat|natter|conversation|laugh|cuppa)|go out with|ring|call|share|confide)\b"),
        ("no_one_visits",
         r"\b(no one|not a soul)( ever| really| much| at all)? (visits|calls|rings|phones|comes|came|bothers|knocks|talks to|speaks to|calls round|"
         r"pops in|drops in|pops round|comes round|comes to see|texts|writes)\b(?! (to|about) (the|a) (group|club|class|walk|meeting)\b)|"
         # not advice given ("my son says never text back unknown numbers": tune_blind_ah)
         r"\b(family|kids|children|son|sons|daughter|daughters|grandchildren|grandkids|friends)\b.{0,25}\b(?<!says )(?<!said )(?<!tells me )"
         r"(?<!told me )(?<!always say )(dont|never|doesnt|wont|hardly ever|rarely) "
         r"(bother|visit|call|ring|come|phone|text|see me|want to know)\b"),
        ("has_no_one",
         r"\b(ive got|ive|i got|i have got|dont have|havent got|i dont have|no|have|and have|got) (no one|anyone|no friends|no family|any friends|any family|"
         r"a soul|"
         r"no visitors|any visitors|nobody left|no one left)\b(?! to (go|come|walk|travel|sit|share a lift) with\b)|\bno (visitors|calls|friends|"
         r"family)( \w+)?( and| or|,)? no (calls|visitors|friends|family|"
         r"one)\b|"
         r"^(i have )?no one$|\bi have no one\b"),
        ("not_spoken_to_anyone",
         r"\b(havent|not|never|dont|rarely|hardly|hardly ever|didnt)( really)? (spoken|talked|chatted|seen|speak|talk|see|hear from|hears from|had a (chat|"
         r"conversation|natter|"
         r"proper chat|proper conversation|word)|heard from)( to| with)? (anyone|a soul|a living soul|another person|no one|a single person|another soul|"
         r"anybody|people|a human|another human)\b"),
        ("talks_to_no_one",
         r"\b(talk|speak|chat|see|natter)( \w+)? (to|with)? ?no one\b(?! (else|but))|\bfrom one week to the next\b"),
        ("not_a_soul",
         r"\b(spoken|talked|chatted) to (a soul|anyone|a living soul)\b.{0,30}\b(in|for|since) <DAYS>|\bnot (seen|spoken to) a (soul|living soul)\b|"
         r"\b(havent|not) (left|been out of) the (house|flat) (in|for|since)\b|\b(its )?just me now\b|"
         r"\b(everyone|everybodys|everyones|everybody)( has| have|s)? (gone|died|passed|left)\s*$"),
        ("days_on_my_own",
         r"\b(spend|spent|spending)( \w+){0,2} (days?|every day|all day|most days|the whole day|weekends?|christmas|evenings?|nights?) "
         r"(on my own|alone|by myself)\b|\b(on my own|alone|by myself) since\b.{0,30}\b(never|no one|dont|rarely|hardly)\b"),
        ("no_visitors",
         r"\b(not had|havent had|no) (a visitor|visitors|a phone call|a call|anyone round|a knock)\b.{0,20}\b(since|for|in)\b|"
         r"\b(on my own|alone|by myself) with (no one|nobody|no company)\b"),
        ("just_me",
         r"\bjust me and (the|my) (telly|tv|cat|dog|radio|four walls|budgie|wireless)\b|\bonly (talk|speak|chat) to (the|my) (cat|dog|telly|tv|budgie|"
         r"postman|radio|plants|walls)\b|\bonly (person|one|people|voice) i (speak|talk|see|hear)\b|\bjust me( on my own)?\s*$|"
         r"\b(on my own|by myself|alone) (all the time|every day|day in day out|most days|24 7|constantly|always|all day|all week|day and night|"
         r"morning noon and night)\b|"
         r"\b(by myself|on my own) day in\b"),
        ("last_time_someone",
         r"\b(cant|dont) remember the last time (someone|anyone|i (spoke|talked|saw|had a))\b|"
         r"\b(all|most of) my (friends|family|mates)( have| are)? (died|passed|gone|dead)\b|\b(everyone|all the people) (ive|i) (know|knew|knowed) (has|have|"
         r"are) (died|passed|gone)\b"),
        ("miss_company",
         r"\b(would love|want|wish i had|need|miss having|miss|crave|longing for|long for)( \w+)? (someone|anyone|a friend|company|a natter|a chat|people|"
         r"a conversation|a good natter) to (talk|chat|natter)( to| with)?\b(?=.{0,40}\b(quiet|alone|own|lonely|nobody|no one|anymore|since)\b|\s*$)|"
         r"\bmiss (having )?(a (chat|natter|conversation|good natter|proper chat)|company|talking to (someone|people))\b"),
        ("cut_off", r"\bcut off from (everyone|the world|people|everything)\b|\b(live|living) (alone|on my own|by myself)\b.{0,30}\b(never|no one|"
         r"dont go out|rarely|hardly)\b"),
        # Blind batch b: lost touch with everyone, no one to eat with, the nurse the only person seen.
        ("knows_nobody",
         r"\blost touch with (everyone|everybody|all my \w+|all of them)\b|\bdont know (a single (person|soul)|a soul)\b"),
        ("no_one_to_share",
         r"\bno one (to|i can) (have|eat|share|talk to|chat to|go out with) (my|a|me)?\b.{0,40}|\bno one at all\b"),
        ("only_person_seen",
         r"\bthe only (person|one|people|soul) (ive|i have|i|that ive) (seen|spoken to|talked to|spoke to)\b"),
    ),
}
