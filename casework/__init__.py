"""Residents, consent, cases and flags, alerts, the outbox, audit and retention. Never imports Rasa."""
