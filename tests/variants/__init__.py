"""Correct variants of the reference server: each makes one choice the contract leaves to the
implementer (openapi/decisions.md, the "Accepted" and "Variants" lines of each section) and
must pass the conformance suite. They are the opposite of the broken servers: a variant that
fails points at a check that asks for more than the decisions do.

The table is in ``table.py``; the pieces the variants are built from in ``pieces.py``.
``python -m tests.variants --list`` names them; ``python -m tests.variants NAME`` serves one.
"""
