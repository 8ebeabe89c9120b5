"""The real contract, catalogue and decisions, loaded once per test session."""

from __future__ import annotations

from functools import cache

from .lint import CATALOGUE_PATH, DECISIONS_PATH, SPEC_PATHS, Document, load_yaml


@cache
def spec(profile: str = "8.5.0") -> Document:
    """The contract of one profile. Shared: tests that change it work on a deep copy."""
    return load_yaml(SPEC_PATHS[profile])


@cache
def catalogue() -> Document:
    """The catalogue. Shared: tests that change it work on a deep copy."""
    return load_yaml(CATALOGUE_PATH)


@cache
def decisions() -> str:
    """The decisions the catalogue cites (openapi/decisions.md), as Markdown text."""
    return DECISIONS_PATH.read_text(encoding="utf-8")
