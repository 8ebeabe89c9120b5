"""The invalid request bodies the cases send, each refused with 400 ("Return Values": 1 missing
parameter, 2 invalid parameter). Each breaks the contract beyond the kit's own limits, or the
numbering plan (tests/contract/test_kit_limits.py holds them to it)."""

OPERATION_BODIES = {
    "malformed-json": b'{"operationName": ',
    "array": b'["DoNotDisturbOn"]',
    "destination-number": b'{"operationName": "ForwardCallsOn", "destination": 12}',
}
# Sent in chunks whose size line is not hexadecimal: the body cannot even be read. A proxy in
# front of the server may answer that itself, so only the status is judged, not the envelope.
UNREADABLE_BODY = b"zz\r\n"
UNREADABLE_FRAMING = {"Transfer-Encoding": "chunked"}
CREATE_BODIES = {
    "malformed-json": b'{"phoneNumber": "+4420794605',
    "string": b'"+442079460577"',
    "number-as-integer": b'{"phoneNumber": 442079460577}',
    "network-unknown": b'{"phoneNumber": "+442079460578", "telephonyNetwork": "Satellite"}',
    # `+` and digits, but no country calling code starts with 0: no number at all (ITU-T E.164).
    "number-of-no-plan": b'{"phoneNumber": "+0123456789"}',
}
