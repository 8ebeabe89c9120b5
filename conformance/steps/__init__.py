"""What the cases are made of: the steps they send and check (`steps.py`), what the suite learns
first (`discovery.py`) and which profile the target answers in (`profiles.py`), a device's state
read and put back (`devices_state.py`), the numbers to create devices with (`numbers_pool.py`)
and the invalid bodies the cases send (`invalid_bodies.py`).

May import: contract, target.
"""
