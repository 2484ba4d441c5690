"""The worker and the jobs that span stores: the application database, Rasa's tracker stores, Twilio
and the outbox file. Erasure, re-keying, the retention purge, subject access, deleting Twilio's copies
and the "did you go?" check-ins are each written once here, and run by the worker or a command line.

The floor above casework/ and directory/: jobs use them, service/ and channels' response rendering;
nothing below imports jobs (tests/test_layers.py)."""
