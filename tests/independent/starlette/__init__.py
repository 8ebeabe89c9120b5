"""A second, independent server for the Devices API of Genesys Web Services 8.5 (GWS v2, base
path /api/v2), on Starlette served by uvicorn with their defaults, in memory."""
