"""What the garbage collector of a suite run spends, kept to what a run needs.

The cyclic collector walks every object it tracks. In a suite run about 140,000 of them are the
modules, schemathesis's and Hypothesis's strategies and the contract, all built before the first
case and alive until the end; walking them again and again cost about 0.7 s of a 9 s gate
(measured with gc.callbacks), and the collection CPython makes at exit 0.3 s more.

- After collection the heap is frozen (gc.freeze): what exists then is out of the collector's
  reach, and the collections during the cases walk only what the cases make. The young
  generation is also collected less often: the cases allocate many short-lived objects, and a
  collection every 700 allocations mostly found none of them garbage yet.
- At exit the heap is frozen again, so CPython's last collection has nothing to walk; the
  memory goes back to the system with the process.

A process that runs pytest in-process more than once keeps what the first run froze: its
modules and strategies, alive until exit anyway. The young generation's threshold is put back
when the run ends.
"""

from __future__ import annotations

import atexit
import gc

# Allocations between two collections of the young generation (CPython's default is 700).
YOUNG_THRESHOLD = 10_000

_state: dict[str, object] = {}


def freeze_after_collection() -> None:
    gc.freeze()
    _state.setdefault("threshold", gc.get_threshold())
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, older, oldest)


def restore_threshold() -> None:
    threshold = _state.pop("threshold", None)
    if isinstance(threshold, tuple):
        gc.set_threshold(*threshold)


def skip_final_collection() -> None:
    if "atexit" not in _state:
        atexit.register(gc.freeze)
        _state["atexit"] = True
