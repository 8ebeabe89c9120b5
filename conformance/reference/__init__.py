"""The reference server of the Devices API: app, state rules, permissions and fixtures.

``ReferenceApp`` is the WSGI application; ``serve`` runs one on a free port; ``credentials``
gives (userName, password) per persona from the fixture file.
"""

from .app import ReferenceApp
from .server import RunningServer, credentials, serve

__all__ = ["ReferenceApp", "RunningServer", "credentials", "serve"]
