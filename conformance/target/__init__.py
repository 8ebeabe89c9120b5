"""The server under test and the client that talks to it: where it is and who the suite is on it
(`target.py`), a client per identity (`client.py`) bounded by a breaker per path (`breaker.py`)
and a host name looked up once (`resolution.py`), the whole devices the clients received
(`sightings.py`), and what crosses to xdist workers (`workers.py`).

May import: contract.
"""
