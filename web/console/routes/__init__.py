"""The connectors' console under /console/, one module per group of pages: signing in and out
(sign_in), my queue, a case and its actions and the manager's case lists (cases), the rota and the
connectors (team), door-knocks (door_knocks), the outcomes dashboard (outcomes), a resident's
data and the audit log (residents), good neighbours (volunteers), groups people propose (groups), and
residents' requests for company and their matches (befriending). What they share, the signed-in and
same-origin checks among it, is in base.

Server-rendered HTML and plain forms (no JavaScript). Every page and action is one trip to a
database thread (service.database.DatabaseThreads), never database work on the event loop: the
session check and the casework call run in one transaction there. What is read and changed goes
through casework, which writes the audit trail. A successful action redirects (303) back to its page
with a notice; a refused one shows the page again with the reason.
"""
from __future__ import annotations

from sanic import Blueprint
from sqlalchemy.orm import sessionmaker

from service.database import DatabaseThreads
from service.settings import Settings
from web.console.routes.base import Console
from web.console.routes.befriending import add_befriending
from web.console.routes.cases import add_cases
from web.console.routes.door_knocks import add_door_knocks
from web.console.routes.groups import add_groups
from web.console.routes.outcomes import add_outcomes
from web.console.routes.residents import add_residents
from web.console.routes.sign_in import add_sign_in
from web.console.routes.team import add_team
from web.console.routes.volunteers import add_volunteers

__all__ = ["console_blueprint"]


def console_blueprint(settings: Settings, sessions: sessionmaker, database: DatabaseThreads) -> Blueprint:
    console = Console(settings, sessions, database)
    for add in (add_sign_in, add_cases, add_team, add_door_knocks, add_outcomes, add_residents, add_volunteers, add_groups,
                add_befriending):
        add(console)
    return console.bp
