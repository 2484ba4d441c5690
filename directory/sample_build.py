"""Regenerate the shipped sample directory: `python -m directory.sample_build` (needs var/postcodes.sqlite).

The output, `directory/data/sample_directory.json`, is committed; `seed-sample` loads that file and
never runs this script. Every group, phone number and email in it is invented: phone numbers come
from Ofcom's ranges reserved for drama (0151 496 0xxx, 01632 960xxx), emails use example.org, and
each service carries a `data_status: sample` attribute and says so in its description. Venues sit
at real postcodes of the pilot towns (picked near each town's centre) so distances are realistic.
"""
from __future__ import annotations

import csv
import json
import random
import re
import sqlite3
import uuid
from math import cos, radians
from pathlib import Path
from typing import Any

from directory.postcodes_build import table_path

OUTPUT = Path(__file__).parent / "data" / "sample_directory.json"
PLACES = Path(__file__).parent / "data" / "places.csv"
NS = uuid.UUID("0b7e3a8e-2f7c-4b51-a1a2-5a2f8f0c9d11")
SAMPLE_NOTE = "SAMPLE DATA: an invented group for trying the service out. "

WIRRAL = ["Birkenhead", "Oxton", "Prenton", "Rock Ferry", "Wallasey", "Liscard", "New Brighton", "Seacombe",
          "Moreton", "Leasowe", "Hoylake", "Meols", "West Kirby", "Upton", "Greasby", "Woodchurch", "Heswall",
          "Pensby", "Irby", "Bromborough", "Eastham", "Port Sunlight", "Bebington", "Spital", "Neston", "Parkgate"]
KENT = ["Canterbury", "Whitstable", "Herne Bay", "Margate", "Ramsgate", "Broadstairs", "Folkestone", "Hythe",
        "Ashford", "Faversham", "Deal", "Dover"]

VENUES = ["{town} Community Centre", "St Mary's Church Hall, {town}", "{town} Library", "{town} Methodist Church",
          "The Hub, {town}", "{town} Village Hall", "{town} Royal British Legion", "Christ Church Hall, {town}",
          "{town} Baptist Church", "{town} Leisure Centre"]
STREETS = ["Church Road", "Victoria Road", "Station Road", "Park Road", "Grange Road", "Market Street",
           "Queens Road", "Mill Lane", "Manor Road", "High Street"]
ACCESS_TEXT = ["Step-free access and an accessible toilet.", "Level access; hearing loop in the main hall.",
               "Wheelchair accessible, with a hearing loop.", "Two steps at the entrance; a ramp is available.",
               "Ground floor, step-free, accessible toilet."]

# kind: (taxonomy term, name patterns, description, schedule patterns, cost, attending access, attending type)
# schedule pattern: (freq, interval, byday, opens, closes)
KINDS: dict[str, tuple[str, list[str], str, list[tuple[str, int, str, str, str]], str, str, str]] = {
    "lunch": ("Lunch club", ["{town} Friendship Lunch Club", "Wednesday Lunch Club", "Over 60s Lunch Club"],
              "A hot two-course lunch and good company. Vegetarian option every week; tell us about special diets.",
              [("WEEKLY", 1, "WE", "12:00", "14:00"), ("WEEKLY", 1, "TH", "12:00", "13:30")], "4.50", "drop-in", "venue"),
    "coffee": ("Coffee morning", ["{town} Coffee Morning", "Cuppa and Chat", "Tea, Cake and Chat"],
               "Tea, coffee and home-made cake, and a friendly face. Just come along.",
               [("WEEKLY", 1, "FR", "10:00", "12:00"), ("WEEKLY", 1, "MO", "10:30", "12:00")], "1", "drop-in", "venue"),
    "mens_shed": ("Men's shed", ["{town} Men's Shed", "The {town} Shed"],
                  "Woodwork, repairs and tinkering over a brew. Tools provided; no experience needed. Women welcome too.",
                  [("WEEKLY", 1, "TU,TH", "10:00", "15:00")], "2", "drop-in", "venue"),
    "walking": ("Walking group", ["{town} Health Walk", "{town} Ramblers", "Gentle Strollers"],
                "A gentle, led walk of about an hour on level paths, with a cuppa afterwards.",
                [("WEEKLY", 1, "TU", "10:00", "11:30"), ("WEEKLY", 1, "SA", "10:00", "12:00")], "free", "drop-in", "venue"),
    "choir": ("Choir", ["{town} Community Choir", "Silver Voices Choir", "Sing for Joy"],
              "No auditions and no need to read music: we sing pop, folk and show tunes for the fun of it.",
              [("WEEKLY", 1, "TH", "14:00", "15:30"), ("WEEKLY", 1, "MO", "19:00", "20:30")], "3", "drop-in", "venue"),
    "knitting": ("Knit and natter", ["Knit and Natter", "{town} Stitch and Chat", "Crochet and Cuppa"],
                 "Bring your knitting, crochet or sewing, or learn from us. Wool and needles to borrow.",
                 [("WEEKLY", 1, "TU", "13:30", "15:30"), ("WEEKLY", 2, "WE", "10:00", "12:00")], "free", "drop-in", "venue"),
    "gardening": ("Gardening club", ["{town} Gardening Club", "Grow Together Community Garden"],
                  "Growing vegetables and flowers together in raised beds. Gloves and tools provided.",
                  [("WEEKLY", 1, "WE", "10:00", "12:30")], "free", "drop-in", "venue"),
    "bowls": ("Bowls", ["{town} Bowling Club Taster Sessions", "{town} Indoor Bowls"],
              "Crown green and short mat bowls for all abilities. Woods to borrow; flat shoes please.",
              [("WEEKLY", 1, "MO,TH", "14:00", "16:00")], "2.50", "drop-in", "venue"),
    "chair_exercise": ("Chair exercise", ["Chair-Based Exercise", "Seated Strength and Balance", "Move It or Lose It"],
                       "Gentle seated exercise to music to help strength, balance and mobility. Helps prevent falls.",
                       [("WEEKLY", 1, "MO", "11:00", "12:00"), ("WEEKLY", 1, "FR", "14:00", "15:00")], "3", "drop-in", "venue"),
    "phone_befriending": ("Telephone befriending", ["Friendly Call", "Telephone Befriending Service"],
                          "A weekly friendly phone call from a trained volunteer, at a time that suits you.",
                          [], "free", "referral", "phone"),
    "visiting_befriending": ("Visiting befriending", ["Home Visiting Befriending", "Good Company Visits"],
                             "A volunteer visits you at home for a chat once a week, and can go with you to a group.",
                             [], "free", "referral", "home visit"),
    "bereavement": ("Bereavement support", ["Bereavement Cafe", "Living with Loss Group"],
                    "A gentle space to talk with others who have lost someone close. Tea and understanding.",
                    [("MONTHLY", 1, "1WE", "14:00", "16:00")], "free", "drop-in", "venue"),
    "carers": ("Carers' group", ["Carers' Cuppa", "{town} Carers Support Group"],
               "For anyone looking after a partner, relative or friend: information, a break and a chat.",
               [("MONTHLY", 1, "2TU", "10:00", "12:00")], "free", "drop-in", "venue"),
    "digital": ("Digital skills", ["Digital Drop-In", "Tablet and Smartphone Help", "Get Online Sessions"],
                "Bring your phone, tablet or laptop: friendly help with video calls, email, online shopping and more.",
                [("WEEKLY", 1, "TH", "10:00", "12:00")], "free", "drop-in", "venue"),
    "scams": ("Scam awareness", ["Scam Awareness Session", "Stop the Scammers Talk"],
              "How to spot doorstep, phone and online scams, and what to do if you are worried. Free, with tea.",
              [("MONTHLY", 1, "3TU", "14:00", "15:30")], "free", "drop-in", "venue"),
    "good_neighbour": ("Volunteering", ["Good Neighbour Volunteering", "Be a Good Neighbour"],
                       "Volunteer a few hours a month to help an older neighbour with shopping, lifts or a chat.",
                       [], "free", "appointment", "venue"),
    "tea_dance": ("Tea dance", ["{town} Tea Dance", "Afternoon Tea Dance"],
                  "Ballroom and sequence dancing with tea and cake. Partners not needed; watchers welcome.",
                  [("MONTHLY", 1, "1SA", "14:00", "16:30"), ("WEEKLY", 2, "SU", "14:00", "16:00")], "4", "drop-in", "venue"),
    "memory_cafe": ("Memory cafe", ["{town} Memory Cafe", "Forget-Me-Not Cafe"],
                    "A relaxed cafe for people living with dementia or memory worries, and the people who care for them.",
                    [("MONTHLY", 1, "-1FR", "13:30", "15:30")], "free", "drop-in", "venue"),
    "book_club": ("Book club", ["{town} Library Reading Group", "Shared Reading Group"],
                  "We read short stories and poems aloud together and chat about them. No homework.",
                  [("MONTHLY", 1, "2WE", "14:00", "15:30")], "free", "drop-in", "venue"),
    "art": ("Art group", ["{town} Art Group", "Painting for Pleasure"],
            "Watercolour, drawing and crafts for beginners and improvers. Materials provided.",
            [("WEEKLY", 1, "WE", "13:00", "15:00")], "3", "drop-in", "venue"),
    "tai_chi": ("Tai chi", ["Tai Chi for Health", "Gentle Tai Chi"],
                "Slow, flowing tai chi movements to improve balance and calm. Can be done seated.",
                [("WEEKLY", 1, "TU", "11:00", "12:00")], "4", "drop-in", "venue"),
    "walking_football": ("Walking football", ["{town} Walking Football"],
                         "Football without the running, for men and women over 50. Fun, friendly and no tackling.",
                         [("WEEKLY", 1, "FR", "10:00", "11:00")], "3", "drop-in", "venue"),
    "games": ("Games afternoon", ["Bingo and Games Afternoon", "{town} Whist and Dominoes"],
              "Bingo, dominoes, cards and a good natter. Small prizes, big laughs.",
              [("WEEKLY", 1, "TH", "13:30", "15:30")], "1.50", "drop-in", "venue"),
    "film": ("Film club", ["{town} Film Club", "Classic Films Afternoon"],
             "A classic film on the big screen every month, with an interval for tea and biscuits.",
             [("MONTHLY", 1, "1TH", "14:00", "16:30")], "3", "drop-in", "venue"),
    "history": ("Local history group", ["{town} Local History Society", "Memories of {town}"],
                "Talks, old photographs and shared memories of the area. Visitors welcome.",
                [("MONTHLY", 1, "3MO", "14:00", "15:30")], "2", "drop-in", "venue"),
    "ukulele": ("Music group", ["{town} Ukulele Group", "Strum Along"],
                "Learn to play the ukulele from scratch; instruments to borrow. All ages and abilities.",
                [("WEEKLY", 1, "MO", "14:00", "15:30")], "2", "drop-in", "venue"),
    "cooking": ("Cookery", ["Cook and Eat Together", "Cooking for One"],
                "Learn simple, tasty meals for one or two, then sit down and eat what we made together.",
                [("WEEKLY", 2, "TU", "10:00", "12:30")], "2", "appointment", "venue"),
    "sight_loss": ("Sight loss support", ["Sight Loss Social Group", "Low Vision Friendship Group"],
                   "A social group for people with sight loss: talks, outings, equipment tips and company.",
                   [("MONTHLY", 1, "2TH", "13:30", "15:30")], "free", "drop-in", "venue"),
    "chess": ("Chess and board games", ["{town} Chess and Scrabble Club"],
              "Chess, Scrabble and board games for beginners and old hands. Sets provided.",
              [("WEEKLY", 1, "WE", "14:00", "16:00")], "1", "drop-in", "venue"),
}


def uid(*parts: object) -> str:
    return str(uuid.uuid5(NS, "|".join(str(p) for p in parts)))


def _towns() -> dict[str, tuple[float, float, str, str]]:
    with PLACES.open(encoding="utf-8") as handle:
        return {r["name"]: (float(r["lat"]), float(r["lon"]), r["area"], r["postcode_district"])
                for r in csv.DictReader(handle)}


def _postcodes_near(db: sqlite3.Connection, district: str, lat: float, lon: float) -> list[tuple[str, float, float]]:
    rows = db.execute("SELECT postcode, lat_e6 / 1e6, lon_e6 / 1e6 FROM postcode WHERE postcode LIKE ?",
                      (district + "%",)).fetchall()
    rows = [r for r in rows if r[0][: len(r[0]) - 3] == district]
    k = cos(radians(lat))
    rows.sort(key=lambda r: ((r[1] - lat) ** 2 + ((r[2] - lon) * k) ** 2, r[0]))
    return [(f"{p[:-3]} {p[-3:]}", la, lo) for p, la, lo in rows[:60]]


def build() -> dict[str, object]:
    rng = random.Random(20251)
    towns = _towns()
    db = sqlite3.connect(f"file:{table_path()}?mode=ro", uri=True)
    near = {t: _postcodes_near(db, towns[t][3], towns[t][0], towns[t][1]) for t in WIRRAL + KENT}
    organizations = {
        "Wirral": {"id": uid("org", "wirral"), "name": "Wirral Friendship Network (sample)",
                   "description": SAMPLE_NOTE + "An invented umbrella of community groups across Wirral.",
                   "email": "hello@wirral-friendship.example.org", "website": "https://wirral-friendship.example.org"},
        "Kent": {"id": uid("org", "kent"), "name": "East Kent Connect (sample)",
                 "description": SAMPLE_NOTE + "An invented umbrella of community groups in East Kent.",
                 "email": "hello@eastkent-connect.example.org", "website": "https://eastkent-connect.example.org"},
    }
    taxonomy_id = uid("taxonomy", "activities")
    sample_term = {"id": uid("term", "data_status", "sample"), "name": "sample", "taxonomy": "data_status",
                   "description": "Invented data for trying the service out"}
    services: list[dict[str, Any]] = []
    phone_counter = {"Wirral": 0, "Kent": 0}
    all_towns = WIRRAL + KENT
    serial = 0
    for kind, (term, names, description, patterns, cost, access, attending) in KINDS.items():
        # Every kind in 5-7 places, rotating through the towns so each area gets a mix.
        count = 5 + (serial % 3)
        for n in range(count):
            town = all_towns[(serial * 7 + n * 5) % len(all_towns)]
            serial += 1
            area = towns[town][2]
            name = rng.choice(names).format(town=town)
            if any(s["name"] == name for s in services):
                name = f"{name} ({town})" if "{town}" not in names[0] else f"{name} - {rng.choice(['Tuesday', 'Afternoon', 'Friends'])}"
            sid = uid("service", kind, town, n)
            postcode, lat, lon = near[town][(serial * 3) % len(near[town])]
            venue = rng.choice(VENUES).format(town=town)
            location = {
                "id": uid("location", venue, postcode), "location_type": "physical", "name": venue,
                "latitude": round(lat, 6), "longitude": round(lon, 6),
                "addresses": [{"id": uid("address", venue, postcode), "address_1": f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
                               "city": town, "state_province": "Merseyside" if area == "Wirral" else "Kent",
                               "postal_code": postcode, "country": "GB", "address_type": "physical"}],
                "accessibility": [{"id": uid("access", venue, postcode), "description": rng.choice(ACCESS_TEXT)}],
            }
            phone_counter[area] += 1
            number = (f"0151 496 0{phone_counter[area]:03d}" if area == "Wirral" else f"01632 960{phone_counter[area]:03d}")
            schedules = []
            if patterns:
                freq, interval, byday, opens, closes = patterns[n % len(patterns)]
                schedules.append({"id": uid("schedule", sid), "freq": freq, "interval": interval, "byday": byday,
                                  "opens_at": opens, "closes_at": closes,
                                  **({"dtstart": "2025-01-06"} if interval > 1 else {})})
            else:
                schedules.append({"id": uid("schedule", sid), "description": "At a time to suit you, arranged when you get in touch"})
            cost_options = ([{"id": uid("cost", sid), "option": "Free", "amount": 0}] if cost == "free"
                            else [{"id": uid("cost", sid), "amount": float(cost), "amount_description": "per session"}])
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            status = "active"
            if serial % 53 == 0:
                status = "temporarily closed"
            elif serial % 71 == 0:
                status = "inactive"
            service = {
                "id": sid, "name": name, "status": status,
                "description": SAMPLE_NOTE + description,
                "email": f"{slug[:30]}@example.org",
                "organization": organizations[area],
                "schedules": [] if attending == "venue" else schedules,
                "service_at_locations": [{"id": uid("sal", sid), "location": location,
                                          **({"schedules": schedules} if attending == "venue" else {})}],
                "cost_options": cost_options,
                "phones": [{"id": uid("phone", sid), "number": number}],
                "contacts": [{"id": uid("contact", sid), "name": rng.choice(["Jean", "Pat", "Margaret", "Dave", "Sue", "Alan", "Brenda", "Ray"]),
                              "title": "Group organiser"}],
                "service_areas": [{"id": uid("area", sid), "name": "Wirral" if area == "Wirral" else "East Kent"}],
                "attributes": [
                    {"id": uid("attr", sid, "kind"), "taxonomy_term": {"id": uid("term", "activity", term), "name": term,
                                                                       "description": term, "taxonomy": "activities",
                                                                       "taxonomy_id": taxonomy_id}},
                    {"id": uid("attr", sid, "access"), "taxonomy_term": {"id": uid("term", "attending_access", access),
                                                                         "name": access, "description": access,
                                                                         "taxonomy": "attending_access"}},
                    {"id": uid("attr", sid, "type"), "taxonomy_term": {"id": uid("term", "attending_type", attending),
                                                                       "name": attending, "description": attending,
                                                                       "taxonomy": "attending_type"}},
                    {"id": uid("attr", sid, "sample"), "taxonomy_term": sample_term},
                ],
            }
            services.append(service)
    return {"total_items": len(services), "total_pages": 1, "page_number": 1, "size": len(services),
            "first_page": True, "last_page": True, "empty": False, "contents": services}


def main() -> None:
    page = build()
    OUTPUT.write_text(json.dumps(page, indent=1, ensure_ascii=True) + "\n", encoding="utf-8")
    print(f"wrote {page['total_items']} sample services to {OUTPUT}")


if __name__ == "__main__":
    main()
