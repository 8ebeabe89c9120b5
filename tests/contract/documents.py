"""The real contract and catalogue, loaded once per test session."""

from __future__ import annotations

from functools import cache

from .lint import CATALOGUE_PATH, SPEC_PATH, Document, load_yaml


@cache
def spec() -> Document:
    """The contract. Shared: tests that change it work on a deep copy."""
    return load_yaml(SPEC_PATH)


@cache
def catalogue() -> Document:
    """The catalogue. Shared: tests that change it work on a deep copy."""
    return load_yaml(CATALOGUE_PATH)
