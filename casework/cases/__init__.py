"""Cases: where a case is opened for someone who needs a person, and everything a connector does with it.

- `triage`: what casework does with a resident's message beyond the bot (the safety screen's
  decision, the answer to its direct question, a request for a person); opens the case;
- `opening`: open a case (or add to the resident's open one) and alert a connector at once (`open_case`),
  give it its district (`place_case`); `reading`: read cases back (a queue, a case, the audited case file);
- `reports`: neighbours', shop workers' and volunteers' reports about someone they are worried about;
- `spool`: a crisis that arrives while the database is down, kept on disk, then made a case;
- `connectors`: connectors and managers, their rota, who an alert for an area goes to;
- `alerts`: telling a connector, by SMS and email through the outbox; `alert_settings`: its clocks;
  `acknowledgement`: a connector takes a case (ACK or the console); `escalation`: an alert nobody
  took goes to the next person, then the manager;
- `caseload`: what a connector may see and do, and their queue; `lifecycle`: assign, plan a visit,
  record it, notes, close;
- `audit`: the audit trail every room writes to;
- `models`: the tables (connectors, rota, cases, reasons, notes, alerts, reports, audit events; and,
  still here, the good neighbours' volunteer tables and the API's tokens).
"""
