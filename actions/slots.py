"""Slot and entity names shared by the actions (they must match bot/domain/structure.yml)."""
INTEREST = "interest"
PLACE = "place"
