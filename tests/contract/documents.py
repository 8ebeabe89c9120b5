"""The real contract, catalogue and decisions, loaded once per test session."""

from __future__ import annotations

from functools import cache

from .lint import CATALOGUE_PATH, DECISIONS_PATH, SPEC_PATH, Document, load_yaml


@cache
def spec() -> Document:
    """The contract. Shared: tests that change it work on a deep copy."""
    return load_yaml(SPEC_PATH)


@cache
def catalogue() -> Document:
    """The catalogue. Shared: tests that change it work on a deep copy."""
    return load_yaml(CATALOGUE_PATH)


@cache
def decisions() -> str:
    """The decisions the catalogue cites (openapi/decisions.md), as Markdown text."""
    return DECISIONS_PATH.read_text(encoding="utf-8")
