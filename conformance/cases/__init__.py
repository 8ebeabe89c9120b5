"""The conformance cases, one module per area; each case carries its requirement ID."""
