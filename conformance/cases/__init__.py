"""The conformance cases, one module per area; each case carries its requirement ID.

May import: contract, target, steps, checks (the fixtures come from conformance/conftest.py,
through pytest, never by import).
"""
