"""What the /report form sent, checked: the values to show again and, per field, what is wrong.

Pure functions (no request, no database), so every rule is tested without a server. Errors are codes
(`missing`, `postcode`...); the sentences a reporter reads are in web/templates/report_form.html.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from casework.cases.opening import CaseworkError
from casework.cases.reports import PERSON_KNOWS_ANSWERS, ReportDetails, check_reporter_contact
from directory.geocoding import normalise_postcode

__all__ = ["FIELDS", "CHOICES", "LENGTHS", "FormReading", "read_report_form"]

FIELDS = ("who", "street", "postcode", "worry", "urgency", "person_knows", "relationship", "contact", "notify")
# The radio buttons' values, in the order the page shows them (casework's words: see casework.cases.reports).
CHOICES = {
    "urgency": ("now", "today", "soon"),
    "person_knows": ("yes", "no", "not_sure"),
    "relationship": ("neighbour", "shop_worker", "volunteer", "family", "other"),
}
LENGTHS = {"who": 200, "street": 200, "postcode": 12, "worry": 2000, "contact": 254}


@dataclass(frozen=True)
class FormReading:
    values: dict[str, str]  # what was typed, as typed (shown again on an error)
    errors: dict[str, str] = field(default_factory=dict)  # field -> error code, in page order

    @property
    def ok(self) -> bool:
        return not self.errors

    def details(self, *, message_id: str | None = None) -> ReportDetails:
        """The report for casework (only when `ok`)."""
        values = self.values
        return ReportDetails(
            relationship=values["relationship"],
            who=values["who"],
            worry=values["worry"],
            urgency=values["urgency"],
            street=values["street"] or None,
            postcode=normalise_postcode(values["postcode"]) if values["postcode"] else None,
            person_knows=PERSON_KNOWS_ANSWERS[values["person_knows"]],
            person_knows_answer=values["person_knows"],  # "not_sure" kept as chosen
            reporter_contact=values["contact"] or None,
            notify_on_close=values["notify"] == "yes",
            channel="web_form",
            message_id=message_id,
        )


def _text(fields: Mapping[str, str], name: str) -> str:
    # NUL and other control characters never belong in a name, an address or a worry (newlines do).
    raw = str(fields.get(name) or "")
    return "".join(ch for ch in raw if ch in "\n\t" or ch.isprintable()).strip()


def read_report_form(fields: Mapping[str, str]) -> FormReading:
    values = {name: _text(fields, name) for name in FIELDS}
    errors: dict[str, str] = {}
    for name in ("who", "street", "worry"):
        if not values[name]:
            errors[name] = "missing"
        elif len(values[name]) > LENGTHS[name]:
            errors[name] = "too_long"
    if values["postcode"] and normalise_postcode(values["postcode"]) is None:
        errors["postcode"] = "postcode"
    for name, allowed in CHOICES.items():
        if values[name] not in allowed:
            values[name] = ""
            errors[name] = "missing"
    values["notify"] = "yes" if values["notify"] else ""
    if values["contact"]:
        try:
            check_reporter_contact(values["contact"])
        except CaseworkError:
            errors["contact"] = "contact"
    elif values["notify"]:
        errors["contact"] = "notify_without_contact"
    order = {name: index for index, name in enumerate(FIELDS)}
    return FormReading(values, dict(sorted(errors.items(), key=lambda item: order[item[0]])))
