"""Whether the target's host name resolves in time. Name resolution happens before any socket
exists, so neither the connect timeout nor the whole-exchange alarm bounds it: a resolver that
never answers would hold the run for as long as the system's resolver settings allow
(resolv.conf(5): `timeout` per try, `attempts`, per name server). One bounded lookup before
discovery turns that wait into a clear reason."""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlsplit


def resolution_problem(url: str, seconds: float) -> str | None:
    """Why the host of `url` cannot be used, or None when it resolved (or failed at once: the
    first request then reports that failure as it reports any other)."""
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        return None
    done = threading.Event()

    def look_up() -> None:
        try:
            socket.getaddrinfo(host, parts.port or 0, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            pass
        finally:
            done.set()

    # A daemon thread: a lookup that never returns must not keep the process from exiting.
    threading.Thread(target=look_up, name="resolve-target", daemon=True).start()
    if done.wait(seconds):
        return None
    return f"the host name {host} did not resolve within {seconds:g} s"
