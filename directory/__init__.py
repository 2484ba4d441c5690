"""The activity directory: Open Referral UK import/export, offline geocoding, and ranked activity search.

Never imports Rasa; `actions/` and `web/` call these functions with a SQLAlchemy session.
"""
from directory.activity_matches import ActivityMatch
from directory.geocoding import Place, district_of, locate, place_named
from directory.importing import import_source
from directory.sample import load_sample_if_empty
from directory.search import UnknownPlace, find_activities
from directory.store import ImportReport

__all__ = [
    "ActivityMatch",
    "ImportReport",
    "Place",
    "UnknownPlace",
    "district_of",
    "place_named",
    "find_activities",
    "import_source",
    "load_sample_if_empty",
    "locate",
]
