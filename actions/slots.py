"""Slot and entity names shared by the actions (they must match bot/domain/structure.yml)."""
from casework.cases.reports import REPORT_WHERE, REPORT_WHO, REPORT_WORRY

INTEREST = "interest"
PLACE = "place"

# The report form (bot/domain/structure_report.yml), in the order it asks; the first three, about the
# person reported, are named in casework.cases.reports.
REPORT_URGENCY = "report_urgency"
REPORT_PERSON_KNOWS = "report_person_knows"
REPORT_RELATIONSHIP = "report_relationship"
REPORT_CONTACT = "report_contact"
REPORT_SLOTS = (REPORT_WHO, REPORT_WHERE, REPORT_WORRY, REPORT_URGENCY, REPORT_PERSON_KNOWS, REPORT_RELATIONSHIP, REPORT_CONTACT)

SEARCH_STATE = "search_state"
# What an SMS resident agreed to have remembered (actions/remember.py), set when a new session starts.
REMEMBERED_INTEREST = "remembered_interest"
REMEMBERED_PLACE = "remembered_place"
RETURNING = "returning"
REQUESTED_SLOT = "requested_slot"

# Entities the search understands besides interest and place.
DAY = "day"
TIME_OF_DAY = "time_of_day"
FILTER = "filter"
NUMBER = "number"

VOLUNTEER_NAME = "volunteer_name"
VOLUNTEER_AREA = "volunteer_area"
VOLUNTEER_AVAILABILITY = "volunteer_availability"
VOLUNTEER_ROLES = "volunteer_roles"
VOLUNTEER_CONTACT = "volunteer_contact"
VOLUNTEER_SLOTS = (VOLUNTEER_NAME, VOLUNTEER_AREA, VOLUNTEER_AVAILABILITY, VOLUNTEER_ROLES, VOLUNTEER_CONTACT)

# Intents that say a need rather than an interest; the domain maps each to an interest.
NEED_INTENTS = frozenset({"need_company", "need_bereaved", "need_new_to_area", "need_carer"})
