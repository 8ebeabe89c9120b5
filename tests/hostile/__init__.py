"""Hostile targets: servers that hang, trickle, reset, lie about their bodies, send too much or
redirect elsewhere, and the proof that the conformance suite ends each run cleanly against them,
in bounded time and memory, with one clear message and no secret in its output or reports."""
