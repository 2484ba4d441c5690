"""Befriending: a resident who would like company, matched with a ready good neighbour, texting through
one of the service's own numbers so neither sees the other's.

The tables are `tables`' `BefriendingRequest`, `BefriendingMatch`, `BefriendingText` and `BefriendingCheckIn`. Here:

- `requests`: "could someone ring me for a chat now and then" read as a request for company, recorded
  beside the case a request for a person opens (casework.cases.triage), with what they named; the console's
  list of requests and one request in full;
- `free_times`: "weekday mornings, not fridays" as days and parts of the day, to compare two people's;
- `suggestions`: ready volunteers for a request, ranked by distance, shared interests and free times;
- `numbers`: which of BEFRIENDING_NUMBERS a live match may use;
- `matches`: proposing one (a connector: the console or `python -m casework matches propose`), both
  sides asked 1/2 by text (`answer_match`, through casework.conversation.questions), live when both agree, ended;
- `worries`: a relayed text that asks for money, moves the friendship elsewhere or is abusive;
- `relay`: a text to a match's number passed on to the other side, or END;
- `check_in_schedule`, `check_ins`: "how is it going?" to both sides of a live match two weeks on, then monthly
  (the worker: jobs.match_check_ins), and their answer (1 going well, 2 not for me, 3 a problem) through
  casework.conversation.questions;
- `held`: what befriending holds about a person, for erasure, subject access and the retention purge.

Every function works in the caller's transaction and hands out dataclasses, never rows.
"""
