"""What a reporter's texted answers mean: "asap" is today, "next door" a neighbour, "ch418ab" a postcode.

Pure functions (the postcode look-up reads only the offline postcode table). A choice number ("1",
"2"...) is also understood here for web chat, where the intake does not turn numbers into choices;
on SMS the intake has already replaced it with the choice's payload.
"""
from __future__ import annotations

import re

from casework.cases.opening import CaseworkError
from casework.cases.reports import check_reporter_contact
from directory.geocoding import geocode_postcode, normalise_postcode

__all__ = ["urgency_of", "person_knows_of", "relationship_of", "yes_or_no", "contact_in", "postcode_in"]


def _clean(text: str) -> str:
    return " ".join(str(text or "").lower().replace("\u2019", "'").split()).strip(" .!")


# Checked in order: "not urgent" before "urgent", "as soon as possible" before "soon".
_URGENCY = (
    (re.compile(r"\bnot (that |very |really )?urgent\b|\bno (rush|hurry)\b|\bnot (right )?now\b"), "soon"),
    (re.compile(r"\basap\b|\bas soon as\b"), "today"),
    (re.compile(r"\bnow\b|\burgent\b|\bemergency\b|\bdanger\b|\bimmediately\b|\b(straight|right) away\b"), "now"),
    (re.compile(r"\btoday\b|\btonight\b|\bthis (morning|afternoon|evening)\b|\bby tomorrow\b"), "today"),
    (re.compile(r"\bweek\b|\bsoon\b|\bfew days\b|\bwhen(ever)? (you|u) can\b|\bnext couple of days\b"), "soon"),
)
_URGENCY_CHOICES = {"1": "now", "2": "today", "3": "soon"}


def urgency_of(text: str) -> str | None:
    """now | today | soon, or None when the answer says none of them."""
    said = _clean(text)
    if said in _URGENCY_CHOICES:
        return _URGENCY_CHOICES[said]
    return next((value for pattern, value in _URGENCY if pattern.search(said)), None)


_NOT_SURE = re.compile(r"\bnot sure\b|\bdon'?t know\b|\bdunno\b|\bno idea\b|\bunsure\b|\bmaybe\b|\bnot certain\b|\bprobably\b")
_NO = re.compile(r"^(no|nope|nah|n)\b|\bdoesn'?t know\b|\bdon'?t think so\b|\bthey don'?t\b|\bnot told\b")
_YES = re.compile(r"^(yes|yeah|yep|yup|y|aye|ok|okay)\b|\bknows\b|\bthey do\b|\b(s)?he does\b|\btold (him|her|them)\b")
_KNOWS_CHOICES = {"1": "yes", "2": "no", "3": "not_sure"}


def person_knows_of(text: str) -> str:
    """yes | no | not_sure; anything unclear is not_sure (a connector asks, rather than the reporter twice)."""
    said = _clean(text)
    if said in _KNOWS_CHOICES:
        return _KNOWS_CHOICES[said]
    if _NOT_SURE.search(said):
        return "not_sure"
    if _NO.search(said):
        return "no"
    return "yes" if _YES.search(said) else "not_sure"


# The choices' payloads first, then words that say who someone is, most specific first.
_RELATIONSHIP_CHOICES = {"1": "neighbour", "2": "shop_worker", "3": "volunteer", "4": "family", "5": "other",
                         "neighbour": "neighbour", "shop worker": "shop_worker", "volunteer": "volunteer",
                         "family": "family", "other": "other", "something else": "other"}
_RELATIONSHIP = (
    (re.compile(r"\b(family|daughter|son|niece|nephew|grand\w*|sister|brother|aunt(ie)?|uncle|cousin|mum|mam|dad|mother|father|"
                r"relative|\w+-in-law|wife|husband)\b"), "family"),
    (re.compile(r"\b(shop|store|chemist|pharmacy|cashier|till|customers?|cafe|pub|post office|newsagents?|hairdressers?|"
                r"supermarket)\b|\bwork (in|at)\b"), "shop_worker"),
    (re.compile(r"\bvolunteer\w*|\blunch club\b|\bbefriend\w*|\bchurch\b"), "volunteer"),
    (re.compile(r"\b(carer|nurse|doctor|gp|social worker|postman|postie|police|housing officer|paramedic)\b"), "professional"),
    (re.compile(r"\b(friend|mate|pal)s?\b"), "friend"),
    (re.compile(r"\bneighbou?rs?\b|\bnieghbou?r\b|\bnext door\b|\b(over|across) the road\b|\bopposite\b|\bupstairs\b|"
                r"\bdownstairs\b|\bsame (street|road|block)\b|\bin (our|my) (street|road|flats)\b"), "neighbour"),
)


def relationship_of(text: str) -> str:
    """One of casework.cases.reports.RELATIONSHIPS; "other" when the answer does not say."""
    said = _clean(text)
    if said in _RELATIONSHIP_CHOICES:
        return _RELATIONSHIP_CHOICES[said]
    return next((value for pattern, value in _RELATIONSHIP if pattern.search(said)), "other")


_YES_WORDS = re.compile(r"^(yes|y|yeah|yep|yup|ye|ok|okay|please|sure|aye|go on|yes please|that would be (good|great|lovely))\b")
_NO_WORDS = re.compile(r"^(no|n|nope|nah|no thanks|no thank you|not really|don'?t|do not|never mind)\b")


def yes_or_no(text: str) -> bool | None:
    said = _clean(text)
    if _NO_WORDS.match(said):
        return False
    if _YES_WORDS.match(said):
        return True
    return None


_EMAIL_INSIDE = re.compile(r"[^@\s,;:<>()]+@[^@\s,;:<>()]+\.[a-z]{2,}", re.IGNORECASE)
_NUMBER_INSIDE = re.compile(r"\+?\d[\d\s()-]{8,}\d")


def contact_in(text: str) -> str | None:
    """A phone number or email address in a web-chat answer ("its 07700 900123 thanks"), or None."""
    said = str(text or "").strip()
    for candidate in (said, *(m.group(0) for m in _EMAIL_INSIDE.finditer(said)), *(m.group(0) for m in _NUMBER_INSIDE.finditer(said))):
        try:
            check_reporter_contact(candidate)
        except CaseworkError:
            continue
        return candidate.strip()
    return None


_FULL_POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b")
_OUTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\b")


def postcode_in(text: str) -> str | None:
    """A postcode ("CH41 8AB") or a district the postcode table knows ("CH41") in where the person lives."""
    upper = str(text or "").upper()
    full = _FULL_POSTCODE.search(upper)
    if full:
        return normalise_postcode(full.group(0))
    whole = normalise_postcode(upper)
    if whole is not None:
        return whole
    # Inside a sentence a word like "B1" may be anything: only a district the table knows counts.
    for word in _OUTCODE.findall(upper):
        place = geocode_postcode(word)
        if place is not None and place.kind == "outcode":
            return place.label
    return None
