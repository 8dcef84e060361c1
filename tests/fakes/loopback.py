"""The one way our fake servers run: a threaded HTTP server on 127.0.0.1, port chosen by the OS."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class LoopbackServer:
    """Start with ``with Server(...) as s:``; ``s.url`` is ``http://127.0.0.1:<port>``.

    Subclasses build their request handler class and call ``self._serve(handler_class)`` in
    ``__init__``.
    """

    _server: ThreadingHTTPServer

    def _serve(self, handler_class: type[BaseHTTPRequestHandler]) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def __enter__(self) -> Any:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
