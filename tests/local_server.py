"""A stand-in server on a free localhost port, served from a thread for the length of a `with` block."""
from __future__ import annotations

import socketserver
import threading
from typing import TypeVar

Self = TypeVar("Self", bound="LocalServer")


class LocalServer:
    def _serve(self, server: socketserver.BaseServer) -> None:
        self._server = server
        if isinstance(server, socketserver.ThreadingMixIn):
            server.daemon_threads = True
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    def __enter__(self: Self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
