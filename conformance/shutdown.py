"""A run's process ends without collecting a heap it will never use again.

At exit CPython runs the cyclic garbage collector over everything still alive: for a suite run
(schemathesis's and Hypothesis's strategies, the contract, a few hundred thousand objects) that
took about 0.4 s of the gate's 9, paid again by every xdist worker. Freezing the heap at exit
moves every object out of the collector's reach; the memory goes back to the system with the
process. Registered with atexit, so a process that goes on after a run (pytest called in-process)
keeps its collector as it was until it really exits.
"""

from __future__ import annotations

import atexit
import gc

_registered = False


def skip_final_collection() -> None:
    global _registered
    if not _registered:
        atexit.register(gc.freeze)
        _registered = True
