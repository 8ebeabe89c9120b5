"""Root configuration of the kit's own test run. The conformance suite's fixtures live in
conformance/conftest.py and its plugin in conformance/plugin.py (registered as a pytest11
entry point); nothing here changes what a conformance run does."""

# Generated output and front-end packages hold no tests.
collect_ignore_glob = ["reports/*", "node_modules/*", ".venv/*"]
