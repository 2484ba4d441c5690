"""The safety screen: named rules, no model, the most urgent category first, tiers as crisis lines use."""
from __future__ import annotations

import re

import pytest

from casework.safety.check_answer import interpret_check_answer
from casework.safety.corpus import escalates
from casework.safety.decisions import CATEGORIES, TIERS, Screening
from casework.safety.numbers import SAFETY_NUMBERS
from casework.safety.rules_layer import screen
from casework.safety.screen import shared_screen
from channels.responses import render_response
from service.text import domain_responses


def screen_of(category: str) -> Screening:
    """A screening of `category`, without hunting for a text that gives it."""
    return Screening(category, f"{category}.test")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I want to end it all", "suicidal"),
        ("I\u2019m better off dead", "suicidal"),
        ("i keep thinking about killing myself", "suicidal"),
        # Was "suicidal": hopelessness without talk of dying is the possible tier, answered with the direct question.
        ("I can't cope any more", "despair"),
        ("there's a man at the door who won't leave", "danger"),
        ("someone is trying to break in", "danger"),
        ("I've taken all my tablets", "danger"),
        ("I think I've been scammed", "scam"),
        ("a man rang and I gave them my bank details", "scam"),
        ("they told me to move my money to a safe account", "scam"),
        ("a rogue trader did my roof", "doorstep"),
        ("a cold caller said my driveway needs work", "doorstep"),
        ("I'm so lonely, I have nobody to talk to", "isolated"),
        ("I haven't spoken to anyone in weeks", "isolated"),
        ("thinking about sucide", "suicidal"),
        ("im suicdal", "suicidal"),
        ("i want to take my own life", "suicidal"),
        ("i wish i was dead", "suicidal"),
        ("life is not worth living", "suicidal"),
        ("i dont want to be alive anymore", "suicidal"),
        ("I just want to end it", "suicidal"),
        ("someone from HMRC said I owe tax and they'll send the police", "scam"),
        ("they want me to pay in gift cards", "scam"),
        ("the bank rang and said my account is compromised", "scam"),
        ("i have no one", "isolated"),
        ("nobody ever visits me", "isolated"),
    ],
)
def test_messages_that_need_a_person_are_caught(text: str, category: str) -> None:
    assert screen(text).category == category


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # The texts issue 8 found missed on main.
        ("my nephew takes my money and wont let me out", "abuse"),
        ("slipped in the garden last night and cant get up", "danger"),
        ("carers not been since friday", "basic_needs"),
        ("got no gas and no food till my pension", "basic_needs"),
        ("honestly whats the use of me", "despair"),
        ("no one would notice if i wasnt here", "despair"),
        ("im nothing but a nuisance to my kids", "despair"),
        ("the man across the road hasnt opened his curtains in days", "worry_about_someone"),
    ],
)
def test_the_texts_main_missed_are_caught(text: str, category: str) -> None:
    assert screen(text).category == category


@pytest.mark.parametrize(
    "text",
    [
        "hello", "I like walking", "STOP", "knitting in Wallasey", "I'd like to stop smoking", "a walk to end the week", "tea dance",
        "let us end it there, thanks", "I'd like to succeed at bowls", "my bank is in Birkenhead", "is the choir free to join",
        # Flagged and interrupted on main (issue 8).
        "ive taken my pills so im off to bingo", "any doorstep deliveries from the library", "is there a scam talk at the library",
        "the weather gave us a break in the afternoon so we walked",
        # A question that merely contains an alarm word goes to the bot.
        "any bereavement groups", "dying to try the choir", "killing time before bingo", "the knit group is a lifesaver",
        # Families of false alarms from the blind training batches (issue 14).
        "the caller at the legion is a right scam artist, never calls my numbers", "robbed by the ref again at the weekend",
        "my son says ill kill myself carrying that shopping up the hill", "is the thursday tea dance real or one of them scams",
        "saying goodbye to the tuesday group, we're moving to be near our daughter", "this is goodbye from me, off to sheltered housing",
    ],
)
def test_everyday_messages_pass_through(text: str) -> None:
    assert screen(text).category is None


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # Not a group being checked: a caller is, and that is a scam question.
        ("is this a real person or a scam, he says my grandson needs bail money tonight", "scam"),
        ("goodbye everyone, ive got the tablets ready", "suicidal"),
        ("a man from the water board kept me talking and after he went my purse was gone", "doorstep"),
    ],
)
def test_the_new_guards_leave_real_incidents_alone(text: str, category: str) -> None:
    assert screen(text).category == category


@pytest.mark.parametrize(("text", "category"), [
    # asking for something for a relative who is lonely or has a condition: groups for them, not a report
    ("Asking for my nan in Margate, she's 91 and lonely since grandad died. She likes bingo and a cuppa", None),
    ("my mum has parkinsons and is getting very low. would love an exercise class for people with parkinsons near Dover", None),
    ("my mum is in Birchington on her own. She's 76 and loves reading. Is there a book club near her?", None),
    # the writer describing themself is no third party
    ("I'm a 70 year old man, divorced, living in Dover. My doctor says I'm low. Is there a men's group?", None),
    # a worry still reads as one, asked for or not
    ("my neighbour is very confused and wandering at night, is there anything that can help", "worry_about_someone"),
    ("my mum lives on her own and has stopped eating, is there a lunch club", "worry_about_someone"),
    ("the old man next door lives on his own and hasnt been out all week", "worry_about_someone"),
])
def test_a_request_for_a_relative_is_not_a_report_unless_something_is_wrong(text: str, category: str | None) -> None:
    assert screen(text).category == category


def test_a_distraction_theft_is_money_lost() -> None:
    assert screen("a man from the water board kept me talking and after he went my purse was gone").money_lost


def test_only_isolation_lets_the_conversation_carry_on() -> None:
    assert screen("I'm all alone").interrupts is False
    assert screen("I want to die").interrupts is True
    assert {c for c in CATEGORIES if screen_of(c).interrupts} == set(CATEGORIES) - {"isolated"}


@pytest.mark.parametrize(
    ("text", "tier", "priority", "needs_person"),
    [
        ("i want to kill myself", "clear", "urgent", True),
        ("fell in the hall and cant get up", "clear", "urgent", True),
        ("my son hits me", "clear", "urgent", True),
        ("no heating and no food", "clear", "urgent", True),
        # The answer to the direct question decides; the case would be high.
        ("whats the point anymore", "possible", "high", False),
        # A scam needs a person when money was lost or they are at risk now; advice alone otherwise.
        ("ive been conned out of 2000 pounds", "scam", "high", True),
        ("a man on the phone now says my account is being hacked", "scam", "urgent", True),
        ("got a text saying my parcel needs a fee, is this a scam", "scam", None, False),
        ("cold callers keep knocking", "scam", "urgent", True),
        ("my neighbour hasnt been out for days", "report", "high", True),
        ("im so lonely", "loneliness", "routine", True),
        ("any lunch clubs in hoylake", None, None, False),
    ],
)
def test_tiers_priorities_and_who_needs_a_person(text: str, tier: str | None, priority: str | None, needs_person: bool) -> None:
    screening = screen(text)
    assert (screening.tier, screening.priority, screening.needs_person) == (tier, priority, needs_person)


def test_scam_flags_say_whether_money_was_lost_or_they_are_at_risk_now() -> None:
    lost = screen("I've been scammed out of my savings")
    assert lost.money_lost and not lost.at_risk_now
    at_the_door = screen("theyre sending someone round to collect the cash")
    assert at_the_door.at_risk_now
    assert screen("is this a scam, a text about a toll road").flags == frozenset()


def test_every_decision_names_the_rule_that_made_it() -> None:
    screening = screen("slipped in the garden last night and cant get up")
    assert screening.rule == "danger.fall_cant_get_up"
    assert screening.matches[0].rule == screening.rule
    assert screen("hello").rule is None and screen("hello").matches == ()
    # A worry about someone else turns a rule about the writer into a report, and says so.
    assert screen("the woman next door has had no heating all winter").rule == "basic_needs.no_heat_or_power.about_someone"
    # "not suicidal" still gets the direct question, and the rule says why.
    negated = screen("im not suicidal but i feel so low")
    assert negated.category == "despair" and negated.rule == "suicidal.suicide.negated"


def test_all_matches_are_kept_most_urgent_first() -> None:
    screening = screen("my son takes my pension and i cant cope anymore")
    assert [m.category for m in screening.matches] == ["abuse", "despair"]


def test_curly_quotes_capitals_and_text_speak_read_the_same() -> None:
    assert screen("HELP IVE FELL ND CNT GET UP").category == "danger"
    assert screen("I\u2019ve been SCAMMED").category == "scam"
    assert screen("thinkin of killin myself").category == "suicidal"
    assert screen("me grandson has been helping himself to my pension").category == "abuse"


@pytest.mark.parametrize(
    ("answer", "meaning"),
    [
        ("yes", "yes"), ("Yes.", "yes"), ("ye", "yes"), ("yeah", "yes"), ("yep", "yes"), ("aye", "yes"),
        ("sometimes", "yes"), ("i dont know", "yes"), ("dunno", "yes"), ("maybe", "yes"), ("not sure", "yes"),
        ("yes i want to die", "yes"), ("no... well sometimes", "yes"),
        ("no", "no"), ("nah", "no"), ("NO", "no"), ("not really", "no"), ("no im ok", "no"), ("no I'm fine thanks", "no"),
        ("never", "no"), ("im ok", "no"), ("n", "no"), ("N.", "no"), ("ya", "yes"), ("Y", "yes"),
        ("not at the moment", "yes"), ("I am not", "no"), ("i'm fine", "no"), ("whats the point", "yes"),
        ("what time is the choir", None), ("", None), ("singing", None),
    ],
)
def test_the_answer_to_the_direct_question(answer: str, meaning: str | None) -> None:
    assert interpret_check_answer(answer) == meaning


def test_every_category_has_a_response_and_every_number_comes_from_the_table() -> None:
    for category in CATEGORIES:
        assert screen_of(category).response in domain_responses()
    for category in ("danger", "suicidal", "scam", "doorstep", "isolated"):
        assert f"utter_safety_{category}" in domain_responses()
    suicidal = render_response("utter_safety_suicidal")
    assert SAFETY_NUMBERS["samaritans"] in suicidal and "999" in suicidal
    assert SAFETY_NUMBERS["report_fraud"] in render_response("utter_safety_scam")
    assert SAFETY_NUMBERS["citizens_advice_consumer"] in render_response("utter_safety_doorstep")
    assert SAFETY_NUMBERS["silver_line"] in render_response("utter_safety_isolated")
    assert "ending your life" in render_response("utter_safety_check_despair")
    # No phone number is typed into the copy itself: they are all {placeholders}.
    for name, variants in domain_responses().items():
        for variant in variants:
            assert not re.search(r"\d{3} ?\d{3}", variant["text"]), f"{name} has a number typed in"


def test_tiers_cover_every_category() -> None:
    assert set(TIERS) == set(CATEGORIES)
    assert set(TIERS.values()) == {"clear", "possible", "scam", "report", "loneliness"}


def test_the_table_holds_the_checked_numbers() -> None:
    assert dict(SAFETY_NUMBERS) == {
        "emergency": "999",
        "samaritans": "116 123",
        "nhs_mental_health": "NHS 111, option 2",
        "shout": "text SHOUT to 85258",
        "silver_line": "0800 4 70 80 90",
        "report_fraud": "0300 123 2040",
        "citizens_advice_consumer": "0808 223 1133",
    }


# --- false alarms from blind training batch o (issue 14), fixed as families -------------------------------------------
# Each family: ordinary texts in new words that must now reach the bot, and real risks in the same words that must
# still escalate (none of these sentences is in the corpus).


@pytest.mark.parametrize(
    "text",
    [
        "Is there going to be another workshop on bogus tradesmen?",
        "the session about con men at the legion was a right laugh, any more planned",
        "can my friend come to the presentation on cowboy roofers",
        "are the police doing their doorstep callers talk again this year",
        "I enjoyed the carbon monoxide awareness event, do they do home visits to check alarms",
        "the fire brigade are doing a carbon monoxide alarm talk at the library, can I book",
    ],
)
def test_a_talk_about_crooks_or_carbon_monoxide_is_a_topic(text: str) -> None:
    assert screen(text).category is None


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("a bogus tradesman is at my door saying my roof needs doing", "doorstep"),
        ("the talk on rogue builders was good but one came round today and wants cash for my gutters", "doorstep"),
        ("after the talk on rogue builders I realised the men who did mums roof were cowboys, she paid them 3000", "doorstep"),
        ("help with a cowboy builder whos charging my mum thousands for her drive", "doorstep"),
        ("the carbon monoxide detector is beeping and my husband is drowsy", "danger"),
        ("the alarm went off and I think its carbon monoxide", "danger"),
        ("my co alarm keeps going off and my head is pounding", "danger"),
    ],
)
def test_crooks_and_carbon_monoxide_for_real_still_escalate(text: str, category: str) -> None:
    assert screen(text).category == category


@pytest.mark.parametrize(
    "text",
    [
        "watched an episode of holby where a man collapsed in the car park, gripping stuff",
        "read in the local paper that a man in Moreton collapsed at the bus stop and nobody helped, terrible",
        "heard on the radio a couple were conned by a fake builder, frightening",
        "saw on the news that someone fell and couldnt get up for hours, is there a pendant alarm scheme",
        "saw on the telly a bloke had a heart attack at the match",
    ],
)
def test_a_story_seen_on_the_telly_or_read_in_the_paper_is_not_an_incident(text: str) -> None:
    assert screen(text).category is None


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("watched the news and my husband collapsed", "danger"),
        ("watching the telly when my husband collapsed, hes not moving", "danger"),
        ("watched casualty and someone broke in the back door", "danger"),
        ("watched eastenders and someone is trying to break in the back door", "danger"),
        ("saw the news then a man was in the garden with a torch", "danger"),
        ("saw it on the news and now theres a man outside my window", "danger"),
        ("read about the bank scam in the paper and I think ive been scammed, they took 900", "scam"),
    ],
)
def test_what_happens_while_the_telly_is_on_still_escalates(text: str, category: str) -> None:
    assert screen(text).category == category


@pytest.mark.parametrize(
    "text",
    [
        "Fell off a ladder back in 2018 and broke my leg, mended now, is the dance class gentle",
        "my husband collapsed at the bowls three summers back, hes right as rain now, do you have a carers group",
        "I was a victim of a doorstep con in 2015 but its all sorted now, would like to join the neighbourhood watch",
        "my wife had a heart attack years ago, shes doing fine now, is there a walking group we could go to together",
    ],
)
def test_a_fall_an_illness_or_a_con_long_over_and_fine_now_is_not_an_incident(text: str) -> None:
    assert screen(text).category is None


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I broke my hip years ago and now I've fallen again and cant get up", "danger"),
        ("I had a stroke in 2020 and I'm doing great now but this morning my face has dropped", "danger"),
        ("I had a fall in 2019 and I'm well over it now but my neighbour is lying in her garden not moving", "danger"),
        ("a rogue trader did my roof in 2019, im over it now, but hes back at my door wanting more cash", "doorstep"),
        ("scammed years ago, all sorted now, but theyre ringing again wanting my bank details", "scam"),
    ],
)
def test_something_long_over_does_not_hide_what_is_happening_now(text: str, category: str) -> None:
    assert screen(text).category == category


@pytest.mark.parametrize(
    "text",
    [
        "there was a time when I wanted to die, after my husband passed, but that was years ago and Im in a good place now, can I help",
        "I went through a spell of wanting to end it all when I retired, long ago now, Im in a much better place, could I help at the cafe",
        "when I was younger I used to cut myself, long behind me now, Im doing great, do you need volunteers",
    ],
)
def test_a_wish_to_die_long_behind_the_writer_who_wants_to_volunteer_is_not_a_crisis(text: str) -> None:
    assert screen(text).category is None


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I used to think about ending it all years ago, the counsellor helped me, but its back again since Bill died", "suicidal"),
        ("I used to want to die years ago and I got through it, but lately Im thinking about it every day", "suicidal"),
        ("years ago I used to cut myself, I was doing well but I started again last week", "suicidal"),
        ("I used to think about ending it all years ago and doing well now but tonight I want to die", "suicidal"),
        ("I used to feel suicidal years ago, doing fine now Ive got tablets saved up", "suicidal"),
        ("I used to want to die years ago, got through it, doing well, but the bridge keeps calling me", "suicidal"),
        ("there was a time I wanted to end it all and that time is now", "suicidal"),
    ],
)
def test_a_wish_to_die_that_is_back_or_still_there_still_escalates(text: str, category: str) -> None:
    assert screen(text).category == category


@pytest.mark.parametrize(
    "text",
    [
        "overdosed on mince pies at the carol service, any walking groups to work it off",
        "think I took an overdose of Quality Street over Christmas ha, is the chair exercise class back on",
        "my husband has overdosed on the telly all week, is there a mens shed near Bebington",
        "we all overdosed on the birthday cake at the lunch club haha",
    ],
)
def test_an_overdose_of_sweets_or_telly_is_a_joke(text: str) -> None:
    assert screen(text).category is None


@pytest.mark.parametrize(
    "text",
    [
        "my brother has overdosed on his tablets and hes not making sense",
        "overdosed on the chocolates and my sleeping pills, feel very drowsy",
        "took an overdose of paracetamol an hour ago",
        "overdosed on vodka and my tablets",
        "my wife overdosed, shes drowsy",
    ],
)
def test_an_overdose_of_anything_else_is_an_emergency(text: str) -> None:
    assert screen(text).category == "danger"


@pytest.mark.parametrize(
    "text",
    [
        "my daughter panicked because my curtains were still shut at lunchtime, I'd overslept, what time is bingo",
        "the postman thought something was up as my post was piling up but I was at my sisters for a week",
    ],
)
def test_the_writers_own_curtains_and_post_are_no_report(text: str) -> None:
    assert screen(text).category is None


@pytest.mark.parametrize(
    "text",
    [
        "the old lady at number 4 her curtains are still shut and her milk is on the step",
        "my mums curtains are still closed and she isnt answering her phone",
        "my curtains are still shut and the lady next door hasnt opened hers for days",
        "could someone visit my neighbour, her curtains have been shut all week",
    ],
)
def test_someone_elses_curtains_and_post_are_still_a_report(text: str) -> None:
    assert screen(text).category == "worry_about_someone"


@pytest.mark.parametrize(
    "text",
    [
        "dad is back home after his hip op and doing brilliantly, could someone visit him for a natter now and then",
        "my aunt is doing well after her stroke and would love someone to pop in on her for a cuppa",
    ],
)
def test_a_visitor_for_company_for_someone_doing_well_is_not_a_welfare_check(text: str) -> None:
    assert screen(text).category is None


@pytest.mark.parametrize(
    "text",
    [
        "mum just came out of hospital, shes struggling and not eating, could someone visit her for a chat",
        "my dad is doing well but hes very confused at night and wandering, could someone visit him for a chat",
        "my nan is doing well now but lives on her own and hasnt been out for a week, can someone visit her for a cuppa",
        "my mum is home from hospital and doing well but lost her confidence, could someone visit her for company",
    ],
)
def test_a_visitor_asked_for_someone_not_managing_is_still_a_report(text: str) -> None:
    assert screen(text).category == "worry_about_someone"


@pytest.mark.parametrize("text", [
    "I have fallen again and I am on the floor",
    "ive had a fall and im on the floor in the hall",
    "im on the floor after a fall, phone was in my pocket",
    "my mum has fallen and shes lying on the kitchen floor",
])
def test_a_fall_and_on_the_floor_now_is_danger_without_cant_get_up(text: str) -> None:
    assert screen(text).rule == "danger.fallen_and_on_the_floor"


@pytest.mark.parametrize("text", [
    "I fell on the floor laughing at the panto",
    "I fell last year and was on the floor for an hour, fine now",
    "the grandkids fell asleep on the floor watching films",
])
def test_on_the_floor_in_passing_is_not_a_fall_now(text: str) -> None:
    assert screen(text).category is None


def test_fine_now_stands_a_danger_down_only_when_said_after_it() -> None:
    assert screen("had a stroke years ago, fine now but my face has dropped and my arm is weak").category == "danger"
    assert screen("my face dropped on one side yesterday but im fine now, the doctor saw me").category is None


# Batch p's families (tune_blind_p): ordinary texts the rules interrupted, each beside the same words used for real.
@pytest.mark.parametrize("text", [
    "did you watch that documentary about the old man who was conned out of his house by a rogue builder, awful. any bowls clubs",
    "it said in the Wirral Globe a pensioner in Hoylake lost £8,000 to a caller pretending to be his bank. do you do talks",
    "my son showed me a video about fake parcel texts, is there a class on staying safe online",
    "read in the Echo about them cowboy builders going round Moreton, glad my roof is new",
])
def test_a_strangers_story_in_the_paper_or_a_video_is_not_an_incident(text: str) -> None:
    assert screen(text).category is None


@pytest.mark.parametrize(("text", "category"), [
    ("saw that programme about phone scams and i think the same thing happened to me, they took 2000", "scam"),
    ("it said in the Gazette about a man pretending to be from the bank and hes just rung me asking for my card details", "scam"),
    ("bought a coach trip off an advert in the free paper, paid by bank transfer, the company doesnt exist", "scam"),
    ("read in the Echo about rogue roofers and one is on my doorstep now wanting cash", "doorstep"),
])
def test_a_story_does_not_hide_what_happened_to_the_writer(text: str, category: str) -> None:
    assert screen(text).category == category


@pytest.mark.parametrize("text", [
    "is this a real council number or a scam? my friend passed it on",
    "how do i know you are really from the council and not a fraudster",
    "my nephew got a text about a parcel fee and he didnt click the link, have you got a leaflet on these",
    "I'm going to end it with the gym, too expensive. any free exercise classes?",
    "not desperate or anything, just fancy a chat now and again, how do I get a befriender",
    "I broke my hip in April but I'm right as rain now, any gentle exercise in Deal",
])
def test_checking_this_service_a_link_not_clicked_a_membership_ended_and_a_fall_in_spring_are_ordinary(text: str) -> None:
    assert screen(text).category is None


@pytest.mark.parametrize(("text", "category"), [
    ("is this a real service or a scam text, it says i owe council tax and to pay now", "scam"),
    ("I got a text saying my parcel was held, clicked the link and paid the fee and now my bank rang", "scam"),
    ("I'm going to end it all with the tablets tonight", "suicidal"),
    ("going to end it tonight", "suicidal"),
    ("im desperate, i cant go on like this", "despair"),
    ("I fell in March and again today and I can't get up", "danger"),
])
def test_the_same_words_for_real_still_escalate(text: str, category: str) -> None:
    assert screen(text).category == category


# Older batches' false-alarm families (tune_blind_g, _j, _m), each beside the same words for real.
@pytest.mark.parametrize("text", [
    "is there a sewing class, im hopeless at following patterns",
    "she wont be at the group tuesday, she has a hearing aid fitting",
    "he wont go anywhere he cant get a cup of tea he likes, is there a cafe club near him",
    "the old chapel has been done up lovely, is the coffee morning still there",
    "how do i stop these scam calls, i just hang up on them",
    "the speaker on doorstep crime last week frightened the life out of me, good talk though",
    "went on a zip wire for charity, honestly thought i was going to die, 79 and still going",
])
def test_a_skill_a_fitting_a_fussy_eater_a_done_up_chapel_and_a_good_talk_are_ordinary(text: str) -> None:
    assert screen(text).category is None


@pytest.mark.parametrize(("text", "category"), [
    ("im useless at everything, whats the point", "despair"),
    ("she was fitting for five minutes and now shes not breathing", "danger"),
    ("my husband is fitting on the floor", "danger"),
    ("theres a man at the door and he wont go away", "danger"),
    ("ive been done, they took 2000 from my account", "scam"),
    ("I think I'm going to die, my chest is so tight", "danger"),
])
def test_the_same_words_about_a_real_risk_still_escalate(text: str, category: str) -> None:
    assert screen(text).category == category


# Batch q's families (tune_blind_q): ordinary texts the rules interrupted, each beside the same words used for real.
@pytest.mark.parametrize("text", [
    "me and the lady from the befriending get on like a house on fire, thank you",
    "my mum says shed rather die than go to bingo, anything quieter in Deal",
    "nobody to argue over the remote with these days, suits me, is there a quiz night",
    "saw on the news a swimmer got into trouble in the water off New Brighton, any first aid courses",
    "where should i forward scam texts, i want to put it on the board at the flats",
    "that story in the paper about a widow in Margate who was scammed made me think, do you do talks",
    "the scam talk was great, the recording of a real scam call gave me the shivers",
    "I got caught by a fake parcel text back in 2019, lesson learnt, now id like to volunteer for your scam awareness work",
    "is this number genuine? my GP gave it me",
    "years ago I was in a violent marriage, long out of it and happy now, can I volunteer with a domestic abuse charity",
    "I'd like a coach holiday with a group, I've heard there are scams so I'd rather ask you",
])
def test_an_idiom_a_story_a_lesson_learnt_and_checking_this_number_are_ordinary(text: str) -> None:
    assert screen(text).category is None


@pytest.mark.parametrize(("text", "category"), [
    ("our house is on fire and my husband is still upstairs", "danger"),
    ("id rather be dead than go on like this", "despair"),
    ("i would rather be dead, ive saved my tablets", "suicidal"),
    ("a caller got remote access to my computer and now money has gone from my account", "scam"),
    ("an old man is in the water off the prom and hes struggling, nobody about", "danger"),
    ("my heating and hot water are off and its freezing", "basic_needs"),
    ("that story on the news about the bank scam, the same happened to me, they took £3000", "scam"),
    ("is this number genuine? a man rang from it saying my account is frozen and to move my savings", "scam"),
    ("years ago he hit me and now hes back and he hit me again last night", "abuse"),
    ("I've been scammed by one of those scams, I sent them £400", "scam"),
])
def test_the_same_words_for_real_still_escalate_batch_q(text: str, category: str) -> None:
    assert screen(text).category == category


# Batch r's families (tune_blind_r): everyday texts the rules interrupted, each beside the same words used for real.
@pytest.mark.parametrize("text", [
    "the power will be off thursday morning for planned works, the council have sorted a heater for me, see you at the lunch",
    "water off tomorrow in our road for mains works, theyre bringing bottled water round",
    "my sister says shes going to kill me for telling the group her age",
    "in 2009 I tried to end my life, a long time ago now, I've had a lot of help since, can I be a peer supporter",
    "I self harmed when I was a student, that's decades behind me, is there a pottery class in Deal",
    "my granddaughter broke her wrist at gymnastics, she's in a cast and loving the fuss, I'll miss the walk",
    "she's home now from A and E, fine, I'm worn out so I won't make the walk",
    "my dad lives alone in Deal, he's fine and very independent but I think he'd enjoy a men's shed",
    "could someone check her smoke alarms? mum is 90 and perfectly well",
])
def test_a_planned_outage_a_mock_threat_a_past_long_gone_and_a_mended_break_are_ordinary(text: str) -> None:
    assert screen(text).category is None


@pytest.mark.parametrize(("text", "category"), [
    ("the power went off yesterday and its still off, freezing, I have no heating", "basic_needs"),
    ("my husband says he will kill me if I tell anyone", "danger"),
    ("in 2009 I tried to end my life and it's all come back again, I've got the tablets ready", "suicidal"),
    ("I self harmed as a teenager and I've started again this week", "suicidal"),
    ("I think I've broken my hip, I'm on the kitchen floor", "danger"),
    ("the care home won't help her wash and she's been left in a wet bed", "abuse"),
    ("could someone check on her, she's 90 and not answering the door for days", "worry_about_someone"),
])
def test_the_same_words_for_real_still_escalate_batch_r(text: str, category: str) -> None:
    assert screen(text).category == category


# Batch s's families (tune_blind_s): everyday texts the rules interrupted, each beside the same words used for real.
@pytest.mark.parametrize("text", [
    "if i hear agadoo one more time at the social im jumping off new brighton pier lol",
    "our Jean says she'll end it all if Everton lose the derby, can we watch it together at the club",
    "would love to learn how to spot scam texts, my bank keeps warning us, is there a class in Deal",
    "had chest pains last month, the doctor says it was indigestion, still want to come to the walk",
    "can i pay by bank transfer? i dont want to give my details to anyone dodgy",
    "a man is selling eggs door to door in our street, apparently hes genuine, been coming for years",
])
def test_a_joke_threat_a_scams_class_a_scare_last_month_and_a_known_seller_are_ordinary(text: str) -> None:
    assert screen(text).category is None


@pytest.mark.parametrize(("text", "category"), [
    ("the doctor gave me a month of sleeping tablets and I've kept them all in the drawer just in case I decide", "suicidal"),
    ("my scooter battery has died and I'm stuck in the bedroom, can't get out", "basic_needs"),
    ("I'm stuck on the sofa and can't get up, the carer isn't due until tonight", "basic_needs"),
    ("if he shouts at me one more time I'm jumping off the pier", "suicidal"),
    ("the scammer said he was from my bank and I gave him my card details", "scam"),
    ("a man selling door to door keeps pestering me and won't leave me alone", "doorstep"),
    ("chest pains since last night and it's getting worse, I can't breathe properly", "danger"),
])
def test_the_same_words_for_real_still_escalate_batch_s(text: str, category: str) -> None:
    assert screen(text).category == category


# Batches t and u (tune_blind_t, _u): risk said sideways that the rules missed, and everyday texts they interrupted.
@pytest.mark.parametrize(("text", "category"), [
    ("would my heart tablets kill someone if you took enough of them? asking for me", "suicidal"),
    ("got the insulin here, if I took the whole lot in one go would it do it", "suicidal"),
    ("took the rest of my co-codamol last night with half a bottle of vodka", "danger"),
    ("the meals on wheels haven't come since Monday and there's nothing in", "basic_needs"),
    ("the carer was supposed to come at 8 to get me up and nobody came", "basic_needs"),
    ("stuck upstairs since the stairlift broke on Friday and nobody can come till next week", "basic_needs"),
    ("I watched the carer shouting at my dad on the camera, he was in tears", "worry_about_someone"),
    ("I'd love the coffee morning if my husband lets me, he checks my phone every night", "abuse"),
])
def test_risk_said_sideways_escalates_batches_t_and_u(text: str, category: str) -> None:
    assert screen(text).category == category


@pytest.mark.parametrize("text", [
    "my granddaughter broke her arm on the trampoline, she's fine though and loves her pink cast",
    "there was a smell of gas on the corner, it was the gas board digging up the road, been and gone now",
    "my son keeps warning me about scams, I never answer numbers I don't know",
    "the carer pushes my dad to the park in his wheelchair every Tuesday, he loves it",
    "my grandson checks my phone for updates when he visits",
])
def test_a_mended_break_a_gas_smell_seen_to_and_a_grandsons_warning_are_ordinary(text: str) -> None:
    assert screen(text).category is None


# Batch v (tune_blind_v): means made ready and an overdose played down, which the rules missed; a pet, a programme, a
# death by suicide told of, a dosing schedule, a caller seen off and a general warning, which they interrupted.
@pytest.mark.parametrize(("text", "category"), [
    ("I've set my pills out in rows on the bedside table, 40 of them, I've made my mind up", "suicidal"),
    ("got myself some clothes line from the market and I know what it's for", "suicidal"),
    # an overdose taken is answered as the other overdose rules are: 999 first (stop 25, danger.overdose_whole_packet)
    ("took the whole packet about two hours ago, feel a bit woozy, anyway is the quiz on tuesday", "danger"),
    ("my daughter took her own life in the spring and I just want to end mine too", "suicidal"),
    ("my husband died last winter and all I want is to go and be with him", "despair"),
    ("I was out with the dog and my husband stopped breathing on the path", "danger"),
    ("took the dog to the vets and when I got back my mum wasn't breathing", "danger"),
    ("I've been warned about cold callers but there's one at my door now who won't go", "doorstep"),
    ("my son died by suicide and I've got the rope ready in the garage", "suicidal"),
])
def test_means_made_ready_and_an_overdose_played_down_escalate_batch_v(text: str, category: str) -> None:
    assert screen(text).category == category


@pytest.mark.parametrize("text", [
    "the rabbit stopped breathing at the vets this afternoon, they were lovely, any pet loss groups near Deal?",
    "were you watching Holby, where the old man collapsed in the shop? gave me quite a fright, is there a film club",
    "my sister took her own life years ago and I'd like to help at a support group for people bereaved by suicide",
    "I take one tablet three times a day with food, will the lunch club do a meal at 12?",
    "a scammer rang about my bank, I told him where to go and put the phone down",
    "my neighbour nearly fell for a fake parcel text, can you put a warning up at the clubs",
    "I've been warned about rogue traders, my son put a sticker on the door, can I have a list of good ones",
    "put my tablets out for the week in the dosette box, now what time is the coffee morning",
    "took the lot to the tip an hour ago, the garage is finally clear",
])
def test_a_pet_a_programme_a_death_told_of_and_a_caller_seen_off_are_ordinary_batch_v(text: str) -> None:
    assert screen(text).category is None


# Batch w (tune_blind_w): the means held and thought of, drink and tablets both had, a face gone droopy, letters written
# and the cat's new home sorted, a grandson on a new number; and, as ordinary, water off announced, nothing given or lost,
# "they're just a nuisance" of calls.
@pytest.mark.parametrize(("text", "category"), [
    ("been saving my sleeping pills up for months now and I think I'm ready", "suicidal"),
    ("I keep stopping on the bridge over the railway thinking how easy it would be to go over", "suicidal"),
    ("I keep getting dad's old shotgun out and holding it, thinking about using it", "suicidal"),
    ("I've had the bottle of gin and all my tablets, sorry", "suicidal"),
    ("my husband's face has gone droopy and he can't lift his arm", "danger"),
    ("I can't feel my right side properly since this morning", "danger"),
    ("I won't be at the group any more, I've sorted out who has the dog and written my letters", "suicidal"),
    ("a message from my granddaughter on a new number asking for 600 for her car, I've paid it", "scam"),
    ("they scammed me and I've lost everything", "scam"),
])
def test_means_held_and_thought_of_and_a_new_number_escalate_batch_w(text: str, category: str) -> None:
    assert screen(text).category == category


@pytest.mark.parametrize("text", [
    "water off in our street tomorrow afternoon the water board said, so I'll be late for the choir",
    "a letter says there's a gas main repair next week on our road, will the church hall still be open",
    "is there a scam going round about the council? I haven't given anything, I just want to check you're real",
    "how do I stop these scam calls, I never answer and I've lost nothing, they're just a nuisance",
    "my tablet has a virus I think, I haven't put any bank details in, is there a computer help group",
    "I'm thinking about using the rope on the boat next weekend, any sailing clubs near Whitstable",
])
def test_water_off_announced_nothing_given_and_a_nuisance_of_calls_are_ordinary_batch_w(text: str) -> None:
    assert screen(text).category is None


# Batch x (tune_blind_x): the car in the garage with the engine on, medicine kept back, a colour gone wrong and breathing in
# doubt, a place looked at "and it would be quick", the pet given away and the will sorted, a caller "from the council" and
# the purse gone, payments not recognised, despair in plain words; and, as ordinary, a habit of giving nothing, a seller
# told no who went, a joke about an activity, a war long ago, a boiler mended, a hard year, a turn recovered from, a
# stranger's story in the news, a worker asking to pass the number on.
@pytest.mark.parametrize(("text", "category"), [
    ("all I think about is the van in the garage with the engine going", "suicidal"),
    ("I've been holding back my tablets for weeks and I know how many it would take", "suicidal"),
    ("dad's turned a horrible colour and I can't tell if he's still breathing", "danger"),
    ("I keep going to look at the cliffs, it would all be over fast", "suicidal"),
    ("Gave the dog to my sister and I've updated my will, you won't hear from me again", "suicidal"),
    ("a man said he was from the water board and after he'd gone my rings were missing", "doorstep"),
    ("my statement has three withdrawals I didn't make", "scam"),
    ("leave me be, I'm beyond help", "despair"),
    ("I could be dead in my bed a week and nobody would know", "despair"),
    ("nothing is ever going to be any better for me", "despair"),
])
def test_means_thought_of_a_bogus_caller_and_plain_despair_escalate_batch_x(text: str, category: str) -> None:
    assert screen(text).category == category


@pytest.mark.parametrize("text", [
    "I never give my card details over the phone, so is this really the council? what's on in Deal",
    "a lad came selling tea towels, I said no thanks and he went on his way. Is the craft group still on?",
    "I'd sooner die than go to a zumba class haha, anything gentler?",
    "my uncle went missing in action in the war, is there a family history society near Hoylake",
    "the heating went off on Monday but the engineer fixed it this morning, what's on this week",
    "my sister's been rough this year? no, it's been a rough year for the family, but we're fine, any quiz nights",
    "my husband had a funny turn on Sunday but he's right as rain now, can he still come to bowls",
    "read in the paper about an old lady who was conned out of her savings, is there a scams talk near me",
    "I drive a community bus and some of my passengers seem lonely, can I give them your number?",
    "does the computer class show you how to spot scam texts? my friend got caught out last year",
    "I won't answer withheld numbers because of scammers, will the connector ring from a normal number?",
])
def test_nothing_given_a_seller_gone_a_joke_and_a_turn_recovered_from_are_ordinary_batch_x(text: str) -> None:
    assert screen(text).category is None


# Batch y (tune_blind_y): a temper when the writer sees friends is control; and, as ordinary, a knack with a gun at a
# shooting club, dying of old age or boredom said of others, a door chain fitted, a denial laughed off, a thing to be done
# properly, a scam going round asked about, a worker asking for leaflets for passengers on their own. Each beside what
# still escalates.
@pytest.mark.parametrize(("text", "category"), [
    ("my husband flies into a rage whenever I see my sister so I've stopped going out", "abuse"),
    ("he gets jealous if I phone my friends and takes it out on me", "abuse"),
    ("going to do it with the shotgun in the shed tonight", "suicidal"),
    ("I want to do it before christmas, I've had enough", "suicidal"),
    ("I'm not going to jump off anything. not yet anyway", "despair"),
    ("there's a man with a gun in the pub car park shouting", "danger"),
    ("my mum's having a fit on the kitchen floor", "danger"),
    ("a scam caller got my bank details this morning and £400 has gone", "scam"),
])
def test_a_temper_at_friends_is_control_and_what_is_meant_still_escalates_batch_y(text: str, category: str) -> None:
    assert screen(text).category == category


@pytest.mark.parametrize("text", [
    "is there a rifle club near Deal? my son says I'm handy with a gun for my age",
    "went to a whist drive once and they looked ready to die of boredom, anything livelier in Margate?",
    "can someone come and do a key safe fitting for my mum?",
    "I'd like to try bridge - the card game, not throwing myself off one haha",
    "we're starting a memory cafe and want to do it right, who can advise?",
    "heard there's a parcel scam going round, can your connectors warn our members?",
    "I run a minibus and lots of my regulars are on their own, have you got cards I could hand out?",
    "we were burgled in 2009 but are long over it, does the council still do free window locks?",
])
def test_a_knack_an_idiom_a_fitting_a_joke_and_a_scam_going_round_are_ordinary_batch_y(text: str) -> None:
    assert screen(text).category is None


# Batch z (tune_blind_z): a step off a cliff thought easy, the gas left unlit, a date to be with the dead, going out
# punished, a bag gone while someone kept the writer talking, a caller told no who keeps knocking, and waiting one's turn
# are risk; and, as ordinary, leaving a town for family, a boiler or a leak put right, a self-correction ("the
# decorating I mean"), a complaint about everything being online, missing from the choir, a caller found genuine, tax not
# paid to a fake caller, and a talk about distraction burglary. Each beside what still escalates.
@pytest.mark.parametrize(("text", "category"), [
    ("stood on the platform thinking how easy it would be to just step off", "suicidal"),
    ("keep thinking I could leave the gas oven on without lighting it and go to sleep", "suicidal"),
    ("it's a year since my husband died on Friday and I'll be with him by then", "despair"),
    ("my son says if I go to the lunch club again he'll lock me in my room", "abuse"),
    ("the boiler broke on Monday, still no heating and I'm frozen", "basic_needs"),
    ("carbon monoxide alarm is beeping and I've got a headache", "danger"),
    ("I'm done with it all. I mean it", "despair"),
    ("a man at the door says he's from the council and won't go away", "danger"),
    ("someone rang saying they were from the tax office and I paid them £300", "scam"),
    ("a man said he was from the gas board and his mate kept me talking in the hall, now my purse isn't in the drawer", "doorstep"),
    ("told him no to the gutters but he keeps coming back and knocking", "doorstep"),
    ("all my friends have gone now, I'm just waiting my turn", "despair"),
])
def test_a_step_off_the_gas_unlit_a_date_to_join_them_and_going_out_punished_escalate_batch_z(text: str, category: str) -> None:
    assert screen(text).category == category


@pytest.mark.parametrize("text", [
    "said goodbye to my friends at bowls, leaving Deal after 40 years to be near my daughter",
    "my mum's heating packed in but an engineer came out the same day, she's lovely and warm now",
    "the gas man found a carbon monoxide leak and made it safe straight away, so glad we had the alarm",
    "can't wait to be done with it all, the gardening I mean, then I'll have time for the art class",
    "fed up of everything going online, can I ring to book instead?",
    "no one would notice if I went missing from the choir, I can't hold a note haha",
    "a woman said she was from the water company, I rang to check and she was genuine",
    "a fake HMRC caller said I owed tax but I haven't paid tax in years, I put the phone down laughing",
    "our residents' group has a talk about burglary from the PCSO, can you share it?",
    "just waiting my turn at the chemist, can I ring you back about the lunch club?",
])
def test_moving_for_family_a_fault_put_right_a_joke_and_a_genuine_caller_are_ordinary_batch_z(text: str) -> None:
    assert screen(text).category is None


# Batch aa (tune_blind_aa, winter and Christmas): a request to the service about a scams talk, benefit money paid in, a
# seller told no who went, a heating fault or a cold hall away from home, company for Christmas, a scare undone in the
# same breath, someone slow to wake who woke, and a friend who saw through a call are ordinary; beside each, what
# still escalates. A romance that started "since October" is going on, not long ago.
@pytest.mark.parametrize("text", [
    "can you tell me when the next talk about scams is at Deal library",
    "has the winter fuel payment money gone in yet?",
    "a lad knocked selling tea towels, I said no ta and closed the door and he went off up the road",
    "the boiler broke in the scout hut so the party is at mine",
    "no heating in the church hall on Sunday so wrap up warm for the carols",
    "my son's home for Christmas so I won't be lonely this year",
    "I thought there was someone in the garden but it was only the fox knocking the bin over",
    "we couldn't wake grandad for ages after Christmas dinner, he was out like a light",
    "my friend had one of those bank calls but she knew straight away and put the phone down",
])
def test_a_talk_asked_about_money_paid_in_a_hall_without_heating_and_a_scare_undone_are_ordinary_batch_aa(text: str) -> None:
    assert screen(text).category is None


@pytest.mark.parametrize(("text", "category"), [
    ("tell me what to do, I've been scammed out of £400 by a man on the phone", "scam"),
    ("my pension money has gone from my account and I didn't take it", "scam"),
    ("a man selling tea towels won't leave my doorstep", "danger"),
    ("someone broke in the back door last night and took my purse", "danger"),
    ("the heating's broke in my flat and I'm freezing", "basic_needs"),
    ("the old man next door is lonely and hasn't been out for a week", "worry_about_someone"),
    ("I thought I heard the back door and now there's someone downstairs", "danger"),
    ("I can't wake my husband up, he's making a funny snoring noise", "danger"),
    ("met a man online since October and he needs £2000 for a flight to see me", "scam"),
])
def test_the_same_words_still_escalate_batch_aa(text: str, category: str) -> None:
    assert screen(text).category == category


# Batch ab (tune_blind_ab): what the phone wrote, corrected beside it; a past told for context (a year, a decade, "years ago")
# with what the writer does since ("never again", "now I always", "I wear the button now", "just telling you"); a former
# husband long dead; a wish to die years behind them and well since; a box set; a sport's own gun; a robin; waiting for a
# lift at one's own door; joining things again; checks all fine. Beside each, what still escalates.
@pytest.mark.parametrize("text", [
    "can I book the Chester trip, it wrote chest pain first, this talking phone is useless",
    "sorry that said I cant breathe, it should have said I cant believe the trip is full",
    "I lost £500 to a fake bank call in 2018. Never again. Happy to talk to the group about it",
    "a roofer took £900 off us in 2014 and never came back. Now I always get three quotes",
    "in 2021 I was on the floor all night after a fall. I wear the pendant now. Just telling you as the form asks",
    "our shed was broken into in the 80s. Anyway is there parking at the hall",
    "my first husband used to hit me. He's long dead and I'm happily remarried",
    "I tried to take my own life in 2001. I've been well for over 20 years and I'd like to volunteer as a telephone befriender",
    "thought about ending it when I retired, but that was ten years ago and counselling got me through. Can I help run a walk?",
    "the crime drama box set my daughter gave me is very violent but I love it",
    "clay shooting on Sunday, anyone want a lift? I've got my own gun, certificate all up to date",
    "the robin that comes to my bird table hasn't been seen for a week",
    "I'll be waiting at my front door at 10 for the lift, no need to knock",
    "my husband was in prison and I stopped going out. He's been home years now and I'm ready to join things again",
    "mum had a funny turn in Tesco, the ambulance came to be safe and all the checks were fine",
])
def test_a_slip_of_the_phone_a_past_told_for_context_and_a_sport_are_ordinary_batch_ab(text: str) -> None:
    assert screen(text).category is None


@pytest.mark.parametrize(("text", "category"), [
    ("the phone keeps ringing and I can't breathe, my chest is tight", "danger"),
    ("I lost £500 to a fake bank call this morning", "scam"),
    ("a roofer took £900 off us today and says he wants more", "doorstep"),
    ("I've been on the floor all night after a fall and I can't get up", "danger"),
    ("my husband hits me when he's had a drink", "abuse"),
    ("I tried to take my own life last night", "suicidal"),
    ("thought about ending it a lot lately, it's come back", "suicidal"),
    ("he's got a gun and says he'll use it", "danger"),
    ("there's a man waiting at my front door and he won't go", "danger"),
    ("I'm ready to join my husband now, I've had enough", "despair"),
    ("he went up to Beachy Head to have a look and now he's not answering", "suicidal"),
    ("I drove to Beachy Head yesterday and sat in the car for two hours", "suicidal"),
    ("I've taken all my tablets, I should have said something sooner", "danger"),
])
def test_the_same_words_still_escalate_batch_ab(text: str, category: str) -> None:
    assert screen(text).category == category


# What the layers missed on training batches held out from each fit (stop 25, `training --show-misses`): someone not
# coming round after a faint, the whole dosette box swallowed, a level crossing walked to with thanks said. Beside them,
# a visit that is not coming, a walk to the station, a prescription not collected (a report, not a stash).
@pytest.mark.parametrize(("text", "category"), [
    ("my aunt fainted at the bus stop and she isn't coming round", "danger"),
    ("I swallowed my whole dosette box this morning, all seven days", "danger"),
    ("walking to the level crossing now. wanted to say thanks for the chats", "suicidal"),
    ("Pharmacist here. An old gent hasn't collected his blister pack for two weeks and isn't answering", "worry_about_someone"),
])
def test_the_layers_misses_on_held_out_training_batches_stop_25(text: str, category: str) -> None:
    assert screen(text).category == category


@pytest.mark.parametrize(("text", "category"), [
    ("sorry for the spelling, cant see strait. took all my tabelts", "danger"),
    ("the river looks so calm tonight. think I'll go in", "suicidal"),
    ("had the whole packet with a glass of whisky, feeling floaty", "danger"),
])
def test_tablets_misspelt_a_river_at_night_and_the_whole_packet_with_a_drink_escalate(text: str, category: str) -> None:
    assert screen(text).category == category


@pytest.mark.parametrize("text", [
    "ate the whole packet of biscuits with a glass of milk, naughty",
    "the river looks lovely, think I'll go in for a paddle",
    "had the whole box of chocolates with a glass of wine, sleepy now",
])
def test_biscuits_a_paddle_and_chocolates_are_ordinary(text: str) -> None:
    assert screen(text).category is None


@pytest.mark.parametrize("text", [
    "my son isn't coming round this weekend, he's busy",
    "walking to the station now, thanks for the lift times",
    "sorted my dosette box for the week, the chemist is very good",
])
def test_a_visit_a_walk_to_the_station_and_a_dosette_box_sorted_are_ordinary(text: str) -> None:
    assert screen(text).category is None


# Batch ac (tune_blind_ac, replies to the weekly check-in): a virus going round, a seller told no who went next door, grab
# rails being fitted, the point of these texts asked in jest, a friend brought along, a fake grandson seen through, chest
# pain that was indigestion are ordinary; a hosepipe and the car thought about, the cliffs gone to with no coming back next
# time, are risk. Beside each, what still escalates.
@pytest.mark.parametrize("text", [
    "bit under the weather, doctor says it's a virus going round",
    "a man selling dusters knocked, I said no thanks and shut the door, he went next door",
    "the council man is fitting the grab rails next week",
    "what's the point in these texts? I'm fine haha, only joking, they're nice",
    "can I bring my friend to the group? she lives on her own too",
    "someone rang pretending to be my grandson wanting money, I knew it wasn't him and rang him to check",
    "had a bit of chest pain Tuesday but it was indigestion, the ECG was all normal",
])
def test_a_virus_going_round_grab_rails_fitted_and_chest_pain_that_was_indigestion_are_ordinary_batch_ac(text: str) -> None:
    assert screen(text).category is None


@pytest.mark.parametrize(("text", "category"), [
    ("my laptop has a virus and a man on the phone wants £200 to fix it", "scam"),
    ("he's having a fit and won't stop shaking", "danger"),
    ("what's the point of anything any more", "despair"),
    ("I've got chest pain and it's spreading down my arm", "danger"),
    ("the garage has a hosepipe and the car, I've been sitting out there thinking about it", "suicidal"),
    ("went up to the cliffs again today. next time I won't come back", "suicidal"),
])
def test_the_same_words_still_escalate_batch_ac(text: str, category: str) -> None:
    assert screen(text).category == category


@pytest.mark.parametrize("text", [
    "washed the car with the hosepipe in the garage, lovely and shiny for the trip",
    "walked up to the cliffs at Dover with the walking group, next time I'll bring a flask",
])
def test_a_car_washed_and_a_cliff_walk_are_ordinary(text: str) -> None:
    assert screen(text).category is None


# Batches ad (many sources of alarm words) and ae (third parties), stop 26: a worry found groundless, a scam stopped or binned,
# a goodbye at a funeral or to someone retiring, a chess partner who beats the writer, laughter and a glut, a grumble about
# scammers, a council tax rise, an alarm that was the battery, a virus the doctor named, a friend's overdose long ago, a
# neighbour's burglary the police asked about, a home fire check asked for, a check cancelled. Beside each, what still escalates.
@pytest.mark.parametrize("text", [
    "her curtains were shut all morning but turns out she'd gone to her son's in Chester, all fine, sorry for the bother",
    "the old boy over the road had his lights on all night, I knocked and he'd been watching the darts. Bless him, he's grand",
    "no need to check on Mr Evans this week, he's in Spain for a fortnight",
    "my aunt nearly got taken in by a lottery scam but my cousin stopped it in time",
    "a letter came saying he'd won money abroad, we binned it together",
    "builders knocked last year but she sent them packing, she's in a no cold calling zone now",
    "we said goodbye to Uncle Ray on Monday at the crematorium, please take him off the list",
    "our organiser is retiring and we're saying goodbye to her at Christmas",
    "kept the scammer talking for half an hour then said goodbye, wasted his time",
    "there's a chap at the club who's 90 and beats me every time at dominoes",
    "my grandson collapsed laughing at the panto",
    "I'm drowning in Christmas cards this year",
    "letter says my council tax is going up again",
    "the smoke alarm kept beeping but it was just the battery",
    "went to the walk-in about my chest, they said it was a virus",
    "I'm not suicidal or anything, just bored, what's on in Deal",
    "my friend took an overdose years ago and now he runs a walking group",
    "police came about the burglary next door, asking if I'd seen anything",
    "could the fire brigade do a safe and well visit for my mum, she lives on her own",
    "she passed away at the weekend, please cancel her Thursday visit",
    "the chest pain was indigestion after all, the ECG was normal",
])
def test_worries_found_groundless_scams_stopped_and_idioms_are_ordinary_batches_ad_ae(text: str) -> None:
    assert screen(text).category is None


@pytest.mark.parametrize(("text", "category"), [
    ("her curtains have been shut for three days and she's not answering", "worry_about_someone"),
    ("I knocked on my neighbour's door, she says she's fine but she's confused and not eating", "worry_about_someone"),
    ("I got taken in by a lottery scam and sent them £2000", "scam"),
    ("two builders at the door now saying the roof needs doing today, cash", "doorstep"),
    ("I've said my goodbyes to everyone, I won't be here for Christmas", "suicidal"),
    ("he beats me when he's had a drink", "abuse"),
    ("my husband collapsed in the kitchen and isn't moving", "danger"),
    ("the carbon monoxide alarm is going off and I feel dizzy", "danger"),
    ("a man on the phone says my computer has a virus and wants remote access", "scam"),
    ("I'm not suicidal but I've been thinking everyone would be better off without me", "despair"),
    ("my friend has taken an overdose, he's slurring", "danger"),
    ("someone's trying to break in the back door right now", "danger"),
    ("please check on my mum, she's not answering and she's 90", "worry_about_someone"),
])
def test_the_same_words_still_escalate_batches_ad_ae(text: str, category: str) -> None:
    assert screen(text).category == category


def test_a_grumble_about_scammers_is_loneliness_not_a_scam() -> None:
    assert screen("nobody rings these days except the scammers").category == "isolated"


# Batch af (money, banks, phones and health), stop 26: the bank rung back on its own number, an account put right, pop-ups
# closed, "i cant remember if i told you", someone met "who i havent seen since". Beside each, what still escalates.
@pytest.mark.parametrize("text", [
    "the fraud team stopped a payment, I rang them back on the number on my card and told them it was me",
    "my loyalty account got frozen for not using it, they've reactivated it now",
    "I keep getting pop ups about my virus protection, I just close them",
    "can't remember if I told you, my pension goes to the Nationwide now",
    "bumped into Jean who I haven't seen since her hip op, she's doing well",
])
def test_a_bank_checked_an_account_put_right_and_someone_met_are_ordinary_batch_af(text: str) -> None:
    assert screen(text).category is None


@pytest.mark.parametrize(("text", "category"), [
    ("a pop up says my computer is locked and I can't close it, there's a number to ring", "scam"),
    ("he says if I tell anyone he'll put me in a home", "abuse"),
    ("I haven't seen my neighbour for four days and her curtains are shut", "worry_about_someone"),
    ("someone from the bank rang and I gave them my card number", "scam"),
])
def test_the_same_words_still_escalate_batch_af(text: str, category: str) -> None:
    assert screen(text).category == category


# Batch ah (ordinary texts full of alarm words from many sources), stop 27: a first-aid course's dummy, a hobby threatened, an
# evening on scams, the bank checked on its proper number or a card stopped for a genuine purchase, a scam text laughed at and
# reported, "i know all about those scams", "how do i know youre real", a fire that nearly happened, a lack denied ("not that
# ive no heating"), a song joked about ("one more time ... lol"), a fright undone ("but hed gone for the bus"), a burglary or
# a scam years over with a "now" that looks forward to joining something. Beside each, what still escalates.
@pytest.mark.parametrize("text", [
    "first aid course today, we did CPR on a manikin that wasn't breathing, is there a follow up class",
    "my wife keeps threatening to take up the trombone, any band that would have her",
    "the WI is holding an afternoon on doorstep crime and online scams, please pass it on",
    "Lloyds stopped my card cos I bought a new fridge, I rang them back on the proper number and all fine",
    "got one of those hi mum texts, laughed and reported it, do you do scam talks",
    "I know all about those romance scams, I just want a pen pal to write letters to",
    "how do I know you're real and not a scammer? my daughter says be careful",
    "nearly set the pan on fire last night, I need a cookery class",
    "is the warm hub open on Tuesdays? not that I've no heating, I like the company",
    "if I hear that song at the tea dance one more time I'll jump out the window lol",
    "milk was on mum's step and I got a fright, but she'd gone to the shops early. Is the lunch club on Friday",
    "we were burgled in 2012 but we got over it, now I'm thinking of joining neighbourhood watch",
])
def test_ordinary_texts_with_alarm_words_from_many_sources_are_ordinary_batch_ah(text: str) -> None:
    assert screen(text).category is None


@pytest.mark.parametrize(("text", "category"), [
    ("my husband collapsed and he isn't breathing", "danger"),
    ("my son keeps threatening to take my bank card", "abuse"),
    ("the kitchen is on fire", "danger"),
    ("I've got no heating and it's freezing", "basic_needs"),
    ("if I have to spend one more night like this I'll throw myself off the pier", "suicidal"),
    ("milk still on her step and I got a fright, she's not answering the door", "worry_about_someone"),
    ("the bank rang, I gave them my card number and now £600 has gone", "scam"),
])
def test_the_same_words_still_escalate_batch_ah(text: str, category: str) -> None:
    assert screen(text).category == category


# Batch ai (scams and doorstep crimes in everyday words, and the same money and door words in ordinary texts), stop 27. Risk
# the rules now read: money lost on a trading app, a fee to recover lost money, a bank cashier's worry about a customer's
# withdrawal, a card handed to a caller (never "dealt with" by a call afterwards). Ordinary: the fraud number on the back of
# the card rung and the payment genuine, a caller asked for ID who ran off, "it's a proper bank", the sender's address
# checked, a donation to an appeal, a relative who paid a bill for the writer, details given to a group for its direct
# debit, the police bringing news, "before I let someone in", a stand about scams, told to watch out for rogue traders, an
# old injury that stops a class, "not me".
@pytest.mark.parametrize(("text", "category"), [
    ("put all my savings into a trading app a man on facebook told me about and now it won't let me withdraw", "scam"),
    ("a firm says they can get my lost money back for £900 up front, I've paid half", "scam"),
    ("I work on the till at the bank, an old gent wanted to take out £6000 in cash and was very cagey, said it was for a friend", "scam"),
    ("my dad handed his bank card to a man who said he was from the bank, then rang the number on the back of the card", "scam"),
])
def test_money_crimes_in_everyday_words_escalate_batch_ai(text: str, category: str) -> None:
    assert escalates(screen(text).category)
    assert screen(text).category in (category, "worry_about_someone")


@pytest.mark.parametrize("text", [
    "rang the fraud number on the back of my card about a payment, it was my Spotify, panic over",
    "a man said he was from the water board, I asked to see his ID and he legged it",
    "mum thought her new building society was a scam but I checked and it's a proper bank",
    "got an email like it was from Amazon, checked the sender address, total rubbish, binned",
    "donated to the poppy appeal on the phone with my card, is there a Remembrance service near me",
    "my granddaughter paid my gas bill online for me as I can't get out",
    "I gave my bank details to the walking group for the direct debit, is £2 a week right",
    "the police came round today to say they'd caught the lads who took the lawnmowers",
    "are your volunteers checked? just asking before I let someone in the house",
    "the library has a stall about scams on Saturday, is that you",
    "I've been told to watch out for rogue traders, is there a list of trusted traders",
    "I hurt my back lifting in 1990 and can't do the chair exercise class, anything gentler",
    "do you have anything for people who've been scammed? not me, my friend, she wants to help others",
])
def test_the_same_money_and_door_words_in_ordinary_texts_batch_ai(text: str) -> None:
    assert screen(text).category is None


@pytest.mark.parametrize(("text", "category"), [
    ("the police rang today and said I owe money and must pay or be arrested", "scam"),
    ("a man is at my door now wanting cash for the roof", "doorstep"),
    ("a stranger is in the house", "danger"),
])
def test_the_same_words_still_escalate_batch_ai(text: str, category: str) -> None:
    assert screen(text).category == category


# Batch aj (despair and suicidal intent said indirectly, and ordinary low moods), stop 27. Risk the rules now read: a height
# stood on "and it would be so easy", a swim with no swimming back, things sorted and the dead seen soon, a date picked and
# kept from family, an end "of my own doing", "nothing to get better for", a reply of "pointless". Ordinary: a dentist
# tomorrow, hands that will not let me, no point coming to a class for a practical reason, the point of texting the
# service, disappearing to Spain, "I'm not falling apart", a scam letter taken to Citizens Advice, scam texts deleted, the
# day's tablets the carer checked.
@pytest.mark.parametrize(("text", "category"), [
    ("I stand on the railway bridge most evenings now. It would be so easy", "suicidal"),
    ("going for a paddle at Dymchurch tonight, not planning on walking back", "suicidal"),
    ("my mind's made up, the kids can have the bungalow. I'll see my late husband soon", "suicidal"),
    ("rang my sister to say sorry for everything, didn't tell her I'd chosen the day", "suicidal"),
    ("stopped taking my pills, nothing to get better for", "despair"),
    ("same old. pointless", "despair"),
])
def test_indirect_intent_escalates_batch_aj(text: str, category: str) -> None:
    assert screen(text).category == category


@pytest.mark.parametrize("text", [
    "I don't want to wake up tomorrow, it's the dentist, wish me luck",
    "my knees won't let me do the walks any more, is there something seated",
    "no point me coming to the IT class, I haven't got a laptop, do they lend them",
    "what's the point in texting you if nobody answers, I asked for the choir number",
    "wish I could disappear off to Tenerife for the winter lol, any warm spaces",
    "I still miss her but I'm not falling apart, is there a bereavement cafe",
    "got a letter saying my benefits stop unless I send my details, I took it to Citizens Advice and they binned it",
    "getting scam texts about a parcel, I've deleted them",
    "yes I've taken all my tablets this morning, the carer checked",
    "the film was pointless, is there a better film club",
])
def test_low_moods_and_everyday_words_are_ordinary_batch_aj(text: str) -> None:
    assert screen(text).category is None


@pytest.mark.parametrize(("text", "category"), [
    ("I don't want to wake up tomorrow, or any day", "suicidal"),
    ("my son won't let me have my own money", "abuse"),
    ("what's the point of anything anymore", "despair"),
    ("I've taken all my tablets at once", "danger"),
])
def test_the_same_words_still_escalate_batch_aj(text: str, category: str) -> None:
    assert screen(text).category == category


# Batches ak (money crimes and means named, with their look-alikes) and al (risk easy to overlook for how it is written),
# stop 28. Risk the rules now read: a rope named after it was bought, beside letters; stepping off thought of; pockets
# weighted with stones; "took them all" as the whole message; someone by name gone blue; savings sent to someone met online;
# "me worry her"; bins no longer put out. Ordinary: vouchers bought as a present, birthday money sent, a rope swing, medicine
# stored safely, a talk on bitcoin, Friends Against Scams, a scare undone ("at first", "just asleep", "I was in the bath"),
# a genuine win feared a scam, a window on a train, a joke after "one more", a thing that will be the death of them, a dog
# lying still.
@pytest.mark.parametrize(("text", "category"), [
    ("wrote a note for each of the kids, it's in the drawer with the rope I bought last week", "suicidal"),
    ("I go down the prom most nights and think about stepping off the sea wall", "suicidal"),
    ("sat on the shingle at Deal with my pockets full of stones", "suicidal"),
    ("took the lot", "danger"),
    ("Ron's gone blue and he's not answering me", "danger"),
    ("this man I met on a dating site, he's working abroad, I've sent him my pension for his plane ticket", "scam"),
    ("old lady across road, no visitors, me worry her", "worry_about_someone"),
    ("the man at number 6 has stopped taking his bins out and the curtains stay shut", "worry_about_someone"),
])
def test_risk_escalates_batches_ak_and_al(text: str, category: str) -> None:
    assert screen(text).category == category


@pytest.mark.parametrize("text", [
    "bought my granddaughter some iTunes vouchers for her birthday, she loved them",
    "sent my nephew his christmas money by bank transfer, can you help me with online banking",
    "got a rope ladder for the grandkids' treehouse, any handymen who could fix it up",
    "where can I get a lockbox for storing my tablets safely, the great grandkids are always round",
    "is there a talk on crypto at the library, I'd like to understand it",
    "I help out with Friends Against Scams, do you want some posters",
    "my wife thought it was a burglar at first but it was the cat knocking the bins",
    "saw my neighbour slumped in his chair not moving, but he was just dozing",
    "the warden rang 999 when I didn't answer the door but I was at my daughter's",
    "dad was sure it was a scam until the bank confirmed the refund was genuine",
    "if my husband asks me one more time where the remote is I'll jump in the sea lol",
    "this heat is going to kill me, any cool places to sit in Margate",
    "the dog's been lying on the kitchen floor all afternoon not moving, too hot for her",
    "sat by the window on the bus and watched the fields go by",
])
def test_look_alikes_are_ordinary_batches_ak_and_al(text: str) -> None:
    assert screen(text).category is None


@pytest.mark.parametrize(("text", "category"), [
    ("my son is going to kill me, he's shouting and got a knife", "danger"),
    ("the dog was barking and I found dad on the floor, he's not moving", "danger"),
    ("a man is standing by my window staring in", "danger"),
    ("sent £500 to a man I met online for his customs fee", "scam"),
    ("bought £300 of vouchers for the tax man who rang", "scam"),
])
def test_the_same_words_still_escalate_batches_ak_and_al(text: str, category: str) -> None:
    assert screen(text).category == category


# stop 29 (batches am, an and ao). Risk the rules now read: a high place gone up to and a jump after it; the tablets said to be
# working, with a goodbye; which way is quickest or painless, asked; "you won't hear from me again"; "last day" as the whole
# message; "don't reply, I took them"; a shaky hand's "falen on flor"; Scots "nae"; people moved in who will not go; a
# caller from a computer firm on the computer now; contact asked for on someone else's behalf. Ordinary: a jump into water
# for a swim, new tablets working, "won't hear from me till", a holiday's last day, tablets taken as prescribed, a volunteer
# visit cancelled.
@pytest.mark.parametrize(("text", "category"), [
    ("heading up to the top floor of the car park tonight and jumping, sorry", "suicidal"),
    ("dad texted the tablets are kicking in now, goodbye all, and his phone is off", "suicidal"),
    ("drowning is the easiest isnt it", "suicidal"),
    ("quickest with the car exhaust or a rope do you think", "suicidal"),
    ("thank you for everything, you won't hear from me again", "suicidal"),
    ("last day xx", "suicidal"),
    ("dont ring, ive taken them all", "suicidal"),
    ("falen in kitchen cnt get up", "danger"),
    ("nae food in the house and nae gas", "basic_needs"),
    ("these lads moved in after the pub, cant get them to leave", "abuse"),
    ("the microsoft engineer is on my laptop right now moving the mouse", "scam"),
    ("my uncle in Deal is very alone since the funeral, could someone get in touch with him please", "worry_about_someone"),
])
def test_risk_escalates_batches_am_an_and_ao(text: str, category: str) -> None:
    assert screen(text).category == category


@pytest.mark.parametrize("text", [
    "we went to the harbour and jumping in off the steps was freezing but lovely",
    "the new tablets are working now, my knee is much better",
    "off on holiday, you won't hear from me again till the 20th",
    "last day of the holiday, back to Herne Bay tomorrow",
    "tablets taken with breakfast as usual",
    "my daughter moved in for a month while her kitchen is done, lovely to have her",
    "could you cancel the volunteer visit for my mum, she is away at my sister's",
])
def test_look_alikes_are_ordinary_batches_am_an_and_ao(text: str) -> None:
    assert screen(text).category is None


# Batch ap (stop 29; replies mid-conversation, and signs at someone's home), its rules families: hope given up; a few pounds to
# last till a day; a sign at someone's home explained straight after (away, staying with family, their own message) is no
# report, a guess or their word doubted still is. (The batch itself was not trained on: the head retrained with it escalated
# fewer texts of the older blind holdouts.)
@pytest.mark.parametrize(("text", "category"), [
    ("honestly I've given up hope that things will ever get better", "despair"),
    ("£3 to last me till pension day and the bus is £2.50", "basic_needs"),
    ("next door's curtains have been shut four days and her milk is still on the step", "worry_about_someone"),
    ("not seen the old man at 12 for a week, maybe he's at his daughter's? his bins are still out", "worry_about_someone"),
    ("my aunt doesn't answer the door, she says she's fine but she sounds far away", "worry_about_someone"),
])
def test_risk_escalates_batch_ap(text: str, category: str) -> None:
    assert screen(text).category == category


@pytest.mark.parametrize("text", [
    "next door's curtains have been shut all week, she's at her daughter's in Chester, she texted me",
    "my mum didn't answer all day, she'd dropped her phone in the sink, all fine now",
    "gave up hoping for sunshine this week, off to the tea dance anyway",
])
def test_signs_explained_and_small_talk_are_ordinary_batch_ap(text: str) -> None:
    assert screen(text).category is None


# Batch ag (long-term conditions and their medicines), stop 26: a means by name and "a plan", a condition left to do it, the
# medicines of pain, sleep and long-term conditions by name; a carer's update that the day's tablets were taken is ordinary,
# the same tablets taken twice, at once or with a drink are not.
@pytest.mark.parametrize(("text", "category"), [
    ("I've got the Butec patches, the zopiclone and a plan", "suicidal"),
    ("stopped my keppra on purpose so a big fit finishes me off", "suicidal"),
    ("I've taken all my fentanyl patches", "danger"),
    ("he's took his evening tablets twice and he's very drowsy", "danger"),
    ("took all my evening tablets at once", "danger"),
])
def test_medicines_of_long_term_conditions_taken_or_planned_are_risk_batch_ag(text: str, category: str) -> None:
    assert screen(text).category == category


def test_a_carers_update_that_the_days_tablets_were_taken_is_ordinary_batch_ag() -> None:
    assert screen("Carer update: Mrs Lewis took all her morning meds, dosette checked, she's chirpy").category is None


# What both layers missed on training batches held out from the fit (stop 26, `training --show-misses`): the rules read them
# now; beside them, the ordinary version.
@pytest.mark.parametrize(("text", "category"), [
    ("mums gone and so am i. emptied her pill box and mine down my neck", "danger"),
    ("my husband went out for the paper at 7 and hasn't come back, he gets confused and it's getting dark", "worry_about_someone"),
    ("my nephew moved in and he's sold my late husband's tools and I'm scared to say anything", "abuse"),
    ("my husband went out to the shops and hasn't come back yet, he'll be chatting", None),
])
def test_the_layers_misses_on_held_out_training_batches_stop_26(text: str, category: str | None) -> None:
    assert screen(text).category == category


# What the learned layer missed on training batches held out from its fit (stop 24): the rules read them now.
@pytest.mark.parametrize("text", [
    "my neighbour walked up to the viaduct and she's standing at the railings, said goodbye to me",
    "the big oak at the end of the garden would take my weight",
    "been down the canal every night this week. one of these days I'm going in",
    "sat on the motorway bridge, been here since tea time",
    "I'll walk out on the sands when the tide comes in, nobody will miss me",
    "got the weedkiller out of the shed and I'm ready",
    "mi cyaan cope no more",
])
def test_the_layers_misses_on_held_out_training_batches_are_read_by_the_rules(text: str) -> None:
    assert escalates(screen(text).category)


@pytest.mark.parametrize("text", [
    "we stood on the pier watching the boats, lovely day out with the walking group",
    "the ladder would hold my weight but I'd rather a gardener did the apples",
    "we walk out to Hilbre island at low tide, is there a guided walk?",
    "put the weedkiller on the path ready for the weekend",
])
def test_a_height_a_tree_the_tide_and_weedkiller_in_ordinary_life_are_not_risk(text: str) -> None:
    assert screen(text).category is None


# Wanting company to go somewhere is no risk (issue 15, blind13's tune half); alone and something wrong still is.
@pytest.mark.parametrize(("text", "escalated"), [
    ("my grandad would love to see the football but won't go on his own, any walking football near Moreton?", False),
    ("my mum fancies the theatre but not on her own, is there a group that goes?", False),
    ("my dad is on his own and hasn't eaten for days", True),
    ("my nan's on her own and very confused, she keeps wandering", True),
    # what there is for someone who lives alone, asked for them (blind14's tune half)
    ("What is there to do in Hoylake for an 80 year old lady who lives alone and doesn't drive", False),
    ("what is there for my dad, he lives alone and has stopped eating", True),
    # a place between "lives" and "on his own", and a few words before "groups" (blind15's tune half)
    ("my grandad lives in Moreton on his own, he loves bowls, any bowling groups he could go to?", False),
    ("my grandad lives in Moreton on his own and hasn't answered his phone for two days", True),
    # "anything like that?" after what they love (blind16's tune half)
    ("writing for my brother, 68, lives alone in Birkenhead and loves his old jazz records. anything like that?", False),
    ("my brother lives alone in Birkenhead and hasn't eaten properly for a week, is there anything like that?", True),
    # wanting to get out more, and what is on near them (blind23's tune half)
    ("my dad lives in Deal on his own and wants to get out more, can you text me what's on near him", False),
    ("my dad lives in Deal on his own and hasn't answered the door since Monday, what's on near him", True),
])
def test_wanting_company_for_an_outing_is_not_a_report(text: str, escalated: bool) -> None:
    assert escalates(screen(text).category) is escalated


# Worried only that someone is lonely, and asking what they could go to (issue 15, blind6's tune half): groups for
# them, not a report; anything more keeps the report.
@pytest.mark.parametrize(("text", "escalated"), [
    ("I do worry my mum's lonely since she moved to Hythe, she loves a sing-song, any ideas for her?", False),
    ("worried my dad is on his own too much, he likes bowls, is there a club in Heswall", False),
    ("I'm worried my dad is lonely and he's stopped eating, any ideas for him", True),
    ("I worry my nan is lonely, she's been crying on the phone and seems confused, is there anything for her", True),
    # blind31's tune half
    ("my grandad lives in Hoylake on his own since nan died, loves darts, I'm in Leeds so can't visit. anything where he could "
     "meet other fellas?", False),
    ("my grandad lives on his own and hasn't eaten for days, anything where he could go?", True),
])
def test_a_relative_only_lonely_and_asked_for_is_not_a_report(text: str, escalated: bool) -> None:
    assert escalates(shared_screen()(text).category) is escalated


# The same for a neighbour, a friend or a client, said lonely or on their own without a worry word, with company asked for
# (issue 15, blind7's tune half): befriending or a group for them. Anything wrong (not seen, not answering, the curtains,
# not eating, confused, a fall, crying, no heating) or a welfare check asked for keeps the report.
@pytest.mark.parametrize(("text", "escalated"), [
    ("the old gent next door lives on his own and hardly sees anyone, could someone visit him for a chat? we're in Deal", False),
    ("I'm a home help and one of my clients is really lonely, she's housebound, does anyone do visits or phone calls?", False),
    ("my friend lost her husband in the spring and hasn't been out since, any coffee mornings she could go to in Hythe?", False),
    ("our neighbour lives alone and we haven't seen her for three days, is there anyone who could visit her", True),
    ("one of my clients is very lonely and has stopped eating, does anyone do visits", True),
    ("my neighbour lives alone and her curtains have been shut all week, could someone visit her", True),
    ("the lady next door lives on her own, hasn't been out since Tuesday, any groups she could join", True),
    ("my neighbour is lonely and isn't answering the door, is there anyone who could pop round", True),
    ("our neighbour lives alone and seems confused lately, is there anyone who could visit her", True),
    ("my friend lost her husband and hasn't been out since, she's not eating, is there anyone who could visit", True),
    ("the man next door lives alone, had a fall last week, is there anyone who could pop in", True),
    ("is there anyone who could check on my neighbour, she lives alone", True),
])
def test_a_neighbour_friend_or_client_only_lonely_and_company_asked_for_is_not_a_report(text: str, escalated: bool) -> None:
    assert escalates(shared_screen()(text).category) is escalated


def test_a_pattern_naming_a_macro_that_does_not_exist_fails_loudly() -> None:
    from casework.safety.rules import expand

    assert expand("<WEEKDAY>s").startswith("(?:monday")
    with pytest.raises(KeyError):
        expand(r"\b<TAP_WATER>\b")  # once silently left as text, so the rule matched nothing


# First texts (issue 15) the rules interrupted, from the first-text sets' tune halves: a football ground, a yoga mat, going out
# alone, helping in a kitchen, going to a group on one's own, a lunch club asked for an uncle who lives alone. Beside each,
# what still escalates.
@pytest.mark.parametrize(("text", "escalated"), [
    ("dad is 82, season ticket 50 years but can't get to the ground now. any football memories group near Prenton", False),
    ("gentle yoga for beginners over 70 near Chartham, I can't get down on the floor", False),
    ("I can't get up off the floor, I've been here since last night", True),
    ("my mate lost his wife in January, he loves a quiz but won't go on his own. anything to get him out", False),
    ("the builder won't go, he's been on my doorstep an hour", True),
    ("someone said there are places that do dinners for older people and need help in the kitchen", False),
    ("there are two men in the kitchen I don't know", True),
    ("recently widowed, I used to love dancing but I'm not sure I could go on my own", False),
    ("I'm not sure I can go on much longer", True),
    ("lunch club in Rock Ferry please for my uncle, he's 90 and lives alone, he needs a hot dinner and a bit of company", False),
    ("my uncle lives alone in Rock Ferry and hasn't eaten for days", True),
    # getting into the water oneself (blind25's tune half)
    ("swimming for older people? not a good swimmer, I just want to get in the water", False),
    ("someone is trying to get in through the back door", True),
])
def test_first_texts_are_wishes_not_crises(text: str, escalated: bool) -> None:
    assert escalates(screen(text).category) is escalated
