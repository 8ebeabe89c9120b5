"""The reference server of the Devices API: app, state rules, permissions and fixtures.

``ReferenceApp`` is the WSGI application; ``serve`` runs one on a free port; ``credentials``
gives (userName, password) per persona from the fixture file.

May import: contract (the documents it serves); it knows nothing of the suite.
"""

from .app import ReferenceApp
from .server import RunningServer, credentials, serve

__all__ = ["ReferenceApp", "RunningServer", "credentials", "serve"]
