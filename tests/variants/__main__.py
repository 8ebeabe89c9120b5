"""`python -m tests.variants --list` lists the correct variants; `python -m tests.variants NAME
--port 8080` serves one by hand (Ctrl-C stops it), so that a choice can be explored with curl or
the suite: `pytest conformance --base-url <printed URL> --writes all` with the printed logins."""

from __future__ import annotations

import sys

from conformance.reference.__main__ import describe
from tests.by_hand import command, until_stopped

from .table import BY_NAME, VARIANTS, running


def list_variants() -> None:
    width = max(len(variant.name) for variant in VARIANTS)
    for variant in VARIANTS:
        print(f"{variant.name:<{width}}  {variant.choice}")


def serve_one(name: str, host: str, port: int) -> None:
    if name not in BY_NAME:
        sys.exit(f"no variant named {name!r}; see --list")
    with running(BY_NAME[name], host, port) as served:
        variant = BY_NAME[name]
        print(
            f"Correct variant {name}: {variant.choice}. The suite must pass it under "
            f"--api-version {variant.profile}."
        )
        describe(served.base_url, served.logins, csrf=False, heading="Devices API")
        until_stopped()


def main(argv: list[str] | None = None) -> None:
    command("python -m tests.variants", "variant", __doc__, list_variants, serve_one, argv)


if __name__ == "__main__":
    main()
