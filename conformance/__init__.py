"""Conformance kit for the Devices API of Genesys Web Services 8.5."""
