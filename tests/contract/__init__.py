"""The contract's own tests: lint rules for openapi/devices.yaml and its catalogue."""
