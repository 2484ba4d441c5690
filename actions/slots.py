"""Slot and entity names shared by the actions (they must match bot/domain/structure.yml)."""
INTEREST = "interest"
PLACE = "place"

# The report form (bot/domain/structure_report.yml), in the order it asks.
REPORT_WHO = "report_who"
REPORT_WHERE = "report_where"
REPORT_WORRY = "report_worry"
REPORT_URGENCY = "report_urgency"
REPORT_PERSON_KNOWS = "report_person_knows"
REPORT_RELATIONSHIP = "report_relationship"
REPORT_CONTACT = "report_contact"
REPORT_SLOTS = (REPORT_WHO, REPORT_WHERE, REPORT_WORRY, REPORT_URGENCY, REPORT_PERSON_KNOWS, REPORT_RELATIONSHIP, REPORT_CONTACT)
