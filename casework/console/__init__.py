"""The connectors' console and the JSON API: who may use them (users, sessions, tokens) and the team.

- `access`: passwords, sign-in with lock-out, sessions, sign-out; `settings`: how long a session lasts
  and when failed sign-ins lock an account or an address; `passwords`: scrypt hashes;
- `models`: its tables, signed-in sessions and failed sign-ins;
- `tokens`: bearer tokens for the JSON API (only their SHA-256 kept);
- `team`: a manager's changes to the team (connectors added or deactivated, rota shifts).

What a connector may see of a case is casework.cases.caseload; the pages are web/console/.
"""
