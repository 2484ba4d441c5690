"""The "did you go?" check-in about an activity the bot suggested.

- `check_ins`: offered after an activity's details, texted the day after (in CHECK_IN_HOURS), its answer
  read ("went", "didn't", why not); the worker's job is jobs/check_ins.py;
- `models`: its table, one row per activity a resident agreed to be asked about.
"""
