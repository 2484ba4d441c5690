"""Casework: what the service knows and does about residents beyond the bot. Never imports Rasa.

Rooms, each with its tables beside its code: `safety` (the safety screen), `cases` (cases and what a
connector does with them), `conversation` (the inbound log, open questions, what is said back),
`residents` (identity, records, flags, memory), `privacy` (consent, erasure, retention, subject
access), `follow_ups` (the "did you go?" check-in), `console` (its users, sessions and API tokens),
`outbox` (everything sent, one module per transport), `good_neighbours`, `befriending`,
`proposed_groups`, `loneliness` and `outcomes`.

At the top only what every room uses (`models`: the clock and the spine's tables; `sealing`; `texts`;
`working_hours`; `shared_file`) and what spans the rooms (`cli`: `python -m casework`; `running`:
counts for /metrics; `heartbeat`: for /healthz).
"""
