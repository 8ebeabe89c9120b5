"""Conformance kit for the Devices API of Genesys Web Services 8.5.

The package's folders are its layers, in order: each imports only layers before it here, and its
`__init__.py` says which. The kit's test tests/contract/test_layers.py holds the order as data
and the import graph to it, `TYPE_CHECKING` imports included.

- `contract/`: the contract, the catalogue and how an exchange is judged against them;
- `target/`: the server under test and the client that talks to it;
- `reference/`: the reference server, the suite's default target;
- `steps/`: what the cases are made of: discovery, steps, a device's state put back;
- `checks/`: semantic checks no schema expresses;
- `cases/`: the conformance cases;
- `report/`: the verdicts by requirement, known failures and the reports;
- the modules beside them (`plugin.py`, `conftest.py`, `cli.py`, `__main__.py`): the run, which
  pytest, the command and `python -m conformance` start.
"""
