"""The settings a conformance run needs wherever it runs from. In a checkout pyproject.toml holds
them; an installed kit run from an implementer's folder reads that folder's configuration, or
none, so the plugin applies them itself, to conformance runs only:

- markers are declared and an unknown one is an error (a misspelt `requirement` marker would
  leave a case out of its requirement's verdict);
- what pytest and Hypothesis cache goes to the user's cache folder, not into the folder the run
  started in (`.pytest_cache/`, `.hypothesis/`): a CI checkout stays as it was, apart from the
  reports asked for. A folder the user chose (`cache_dir`, HYPOTHESIS_STORAGE_DIRECTORY) stays.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from platformdirs import user_cache_path

CACHE = "devices-api-conformance"
# pytest's own default, which means nobody chose another.
PYTEST_DEFAULT_CACHE_DIR = ".pytest_cache"


def cache_folder() -> Path:
    return user_cache_path(CACHE, appauthor=False)


def apply(config: pytest.Config) -> None:
    """Before the cache plugin and Hypothesis read their folders: the plugin's pytest_configure
    runs first (tryfirst, and registered after pytest's own plugins)."""
    # pytest has no public setter for a configuration value; its cache of values read is where
    # one set with `-o` would be found too. tests/install proves each setting holds installed.
    config._inicache["strict_markers"] = True
    cache_plugin_on = config.pluginmanager.has_plugin("cacheprovider")  # off: `-p no:cacheprovider`
    if cache_plugin_on and config.getini("cache_dir") == PYTEST_DEFAULT_CACHE_DIR:
        config._inicache["cache_dir"] = str(cache_folder() / "pytest")
    if "HYPOTHESIS_STORAGE_DIRECTORY" not in os.environ:
        from hypothesis.configuration import set_hypothesis_home_dir

        set_hypothesis_home_dir(cache_folder() / "hypothesis")
