"""The kit's own tests: the contract, the reference server, broken servers and variants."""
