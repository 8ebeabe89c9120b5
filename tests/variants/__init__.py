"""Correct variants of the reference server: each makes one choice the domain page leaves to
the implementer (/work/shared/domain/devices-api.md, its "Either" and "Decision" lines) and
must pass the conformance suite. They are the opposite of the broken servers: a variant that
fails points at a check that asks for more than the domain does.

The table is in ``table.py``; the pieces the variants are built from in ``pieces.py``.
``python -m tests.variants --list`` names them; ``python -m tests.variants NAME`` serves one.
"""
