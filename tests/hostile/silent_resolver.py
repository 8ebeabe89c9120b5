"""A pytest plugin (`-p tests.hostile.silent_resolver`) standing in for a name server that never
answers: looking up any host under `silent.invalid` (RFC 6761 reserves `.invalid`) blocks for
good, deaf to SIGALRM as the C library's resolver is (it retries its poll on EINTR, so no Python
signal handler runs until it returns). Every other name resolves as usual."""

from __future__ import annotations

import signal
import socket
import threading
from typing import Any

SILENT_DOMAIN = ".silent.invalid"
_resolve = socket.getaddrinfo


def silent_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if isinstance(host, str) and host.endswith(SILENT_DOMAIN):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        threading.Event().wait()
    return _resolve(host, *args, **kwargs)


socket.getaddrinfo = silent_getaddrinfo
