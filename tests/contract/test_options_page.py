"""The site's options page names every option the suite's plugin adds, so `--help` and the
reference never part."""

from __future__ import annotations

from typing import Any

from conformance import plugin

from .lint import ROOT

PAGE = ROOT / "docs" / "reference" / "options.md"


class Recorder:
    """Stands for pytest's parser and its group: keeps the names of the options added."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def getgroup(self, *args: Any, **kwargs: Any) -> Recorder:
        return self

    def addoption(self, *names: str, **kwargs: Any) -> None:
        self.names += names


def plugin_options() -> list[str]:
    recorder = Recorder()
    plugin.pytest_addoption(recorder)  # type: ignore[arg-type]
    return recorder.names


def test_the_options_page_names_every_option_of_the_plugin() -> None:
    page = PAGE.read_text(encoding="utf-8")
    options = plugin_options()
    assert {"--docs-url", "--known-failures"} <= set(options), "the recorder missed options"
    missing = [name for name in options if f"`{name}" not in page]
    assert not missing, f"{PAGE.relative_to(ROOT)} does not name {missing}"
