"""Good neighbours: volunteers, from their sign-up to ready (and, later, matched to residents).

The tables are casework.cases.models' `Volunteer`, `VolunteerCheck` and `VolunteerTraining`. Here:

- `sign_up`: a sign-up from the bot (GN-12345), sealed, and the area's connector told;
- `volunteers`: reading them: the list by state and area (no names or numbers), one volunteer in full
  (audited), a volunteer found by their phone number;
- `access`: which connector may see and change which volunteer (managers every one; a connector
  those of their patch, or whom they were told about);
- `checks`: the checks an offer needs (references; a DBS check for visits or driving) and a manager
  recording one as seen, with the date (never the certificate or its number);
- `states`: applied, in_training, ready, paused, left: every move, who made it and when, audited;
- `texting`: the number a volunteer is texted at, as an SMS pseudonym with its resident row;
- `training`: the modules texted one by one, and `answer_training` for the intake;
- `reminders`: a reminder for a volunteer who has not answered, in texting hours (the worker's job is
  jobs.training_reminders).

Every function works in the caller's transaction and hands out dataclasses, never rows.
"""
