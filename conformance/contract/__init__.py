"""The contract and how an answer is judged against it: the documents and the catalogue
(`contract.py`), the identities `x-access` speaks of and the policy cells it makes
(`identities.py`, `policy.py`), the kit's own limits (`kit_limits.py`), one exchange
(`exchange.py`), what every response must satisfy (`validation.py`, `response_validator.py`) and
the failure that names the broken requirement (`failures.py`).

The lowest layer: imports nothing else of the kit.
"""
