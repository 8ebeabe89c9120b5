"""A pytest-xdist scheduler for a run that must not spread over the workers (plugin.runs_serially):
every case on one worker, in the run's order. Imported by the controller only when xdist asks
for a scheduler: xdist's schedulers bring execnet with them, which no other run needs."""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling


class OneWorker(LoadScopeScheduling):  # type: ignore[misc]  # xdist ships no types
    """xdist's scheduler by scope, with the whole run as one scope. (xdist's own `xdist_group`
    would do it by renaming every case "<nodeid>@group", a name the console, junit.xml and a
    pasted FAILED line would show.)"""

    def _split_scope(self, nodeid: str) -> str:
        return "the whole run"
