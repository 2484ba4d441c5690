"""Data protection: consent, erasure, subject access, retention; where an erasure is asked for and done.

- `consent`: consent per purpose, and the privacy notice given with a resident's first reply;
- `erasure_request`: a resident asks to be forgotten ("FORGET ME", then YES); the worker carries out each
  confirmed request (jobs/erasure.py, with jobs/erasure_rows.py saying which rows);
- `removal`: removing personal data for good, driven by the table declarations (erasure and retention);
- `retention`: how long personal data is kept, and the purge of what casework holds past it;
- `subject_access`: everything the application database holds about a resident, decrypted for them,
  into the records of `subject_access_records` (jobs/subject_access.py writes them out);
- `provider_copies`: Twilio's own copies of messages, deleted through its API when we erase or purge ours;
- `models`: its tables, consent per purpose and the record that an erasure happened.
"""
