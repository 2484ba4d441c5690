"""Loneliness, measured: the UCLA three-item loneliness scale asked by text, with consent, when a resident
first gets support and again about eight weeks later, so the commissioners can see whether people feel
less lonely (casework.outcomes counts the scores).

The table is `models.LonelinessScore`: one row per resident. Here:

- `scale`: the three questions (lack companionship, left out, isolated), each answered 1-3 (hardly ever,
  some of the time, often); a score is their sum, 3 to 9;
- `measures`: `measure_loneliness` (a suggestion taken up, a befriending match, a case closed as
  supported: any room that gives support calls it), which asks nobody who declined;
- `asking`: which consent questions the worker may text now (texting hours, never into a conversation
  or over another open question, never to an opted-out number); the worker's job is jobs.loneliness;
- `answers`: `answer_loneliness` for the intake (casework.conversation.questions): yes or no to the consent question,
  then each 1-3, one at a time; anything else lapses the round, as the check-in's question lapses.

Nothing they wrote is kept: only the numbers, once they form a score. Every function works in the
caller's transaction and hands out dataclasses, never rows.
"""
