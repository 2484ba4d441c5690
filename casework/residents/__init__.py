"""Residents: who they are to the service (a pseudonym, never their number), flags, what is remembered.

- `identity`: pseudonymous sender ids (`sms:` + an HMAC of the number) and encrypted phone numbers;
- `records`: a resident found or created on contact, opted out of texts or back in, an SMS sender resolved;
- `flags`: residents who need a person, not just a suggestion;
- `memory`: an SMS resident's last search remembered between conversations, with their consent;
  `memory_models`: its table.

The resident's own row is casework.models.Resident; consent per purpose is casework.privacy.consent.
"""
