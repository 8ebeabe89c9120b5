"""Broken servers: the reference server with one planted fault each, and the proof that the
conformance suite reports each fault under the requirement it breaks."""
