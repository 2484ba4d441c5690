"""The log listener of `make run`: supervisord's event protocol in, prefixed lines out."""
from __future__ import annotations

import io

from service.process_logs import LONGEST_PARTIAL, LinePrefixer, serve


def prefixer() -> LinePrefixer:
    return LinePrefixer(clock=lambda: "12:00:00")


def event(name: str, payload_head: str, data: str = "", *, eventname: str = "PROCESS_LOG_STDOUT") -> str:
    payload = f"{payload_head}\n{data}" if data or eventname.startswith("PROCESS_LOG") else payload_head
    return f"ver:3.0 server:connector serial:1 pool:logs poolserial:1 eventname:{eventname} len:{len(payload)}\n{payload}"


def log_event(name: str, data: str) -> str:
    return event(name, f"processname:{name} groupname:{name} pid:42 channel:stdout", data)


def state_event(name: str) -> str:
    return event(name, f"processname:{name} groupname:{name} from_state:RUNNING expected:0 pid:42", eventname="PROCESS_STATE_EXITED")


def test_each_line_carries_the_name_of_the_process_that_wrote_it_aligned() -> None:
    lines = prefixer().feed("web", "INFO web.app: started\nINFO web.app: ready\n")
    assert lines == ["12:00:00 web     | INFO web.app: started\n", "12:00:00 web     | INFO web.app: ready\n"]
    assert prefixer().feed("actions", "x\n") == ["12:00:00 actions | x\n"]


def test_a_line_split_across_two_chunks_is_printed_once_whole_and_processes_do_not_mix() -> None:
    p = prefixer()
    assert p.feed("rasa-0", "Rasa server is ") == []
    assert p.feed("web", "other\n") == ["12:00:00 web     | other\n"]
    assert p.feed("rasa-0", "up and running.\nnext") == ["12:00:00 rasa-0  | Rasa server is up and running.\n"]
    assert p.flush("rasa-0") == ["12:00:00 rasa-0  | next\n"]
    assert p.flush("rasa-0") == []


def test_a_progress_bar_shows_its_last_state_and_a_line_that_never_ends_is_printed_in_pieces() -> None:
    p = prefixer()
    assert p.feed("rasa-0", "  0%\r 50%\r100%\r\n") == ["12:00:00 rasa-0  | 100%\n"]
    assert len(p.feed("worker", "x" * LONGEST_PARTIAL)) == 1


def test_the_listener_speaks_supervisors_protocol_and_flushes_a_stopped_processs_last_words() -> None:
    events = io.StringIO(log_event("web", "héllo\r\nhalf") + log_event("worker", "done\n") + state_event("web"), newline="")
    replies, out = io.StringIO(), io.StringIO()
    serve(events, replies, out, prefixer())
    assert out.getvalue() == "12:00:00 web     | héllo\n12:00:00 worker  | done\n12:00:00 web     | half\n"
    # READY before each event, RESULT 2 / OK after each, READY again at the end (stdin then closed)
    assert replies.getvalue() == "READY\nRESULT 2\nOK" * 3 + "READY\n"
