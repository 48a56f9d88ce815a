"""Central's HTTP API (``kiosk-central api``): what the existing web application integrates
with — enrollment status, roster push, deletion and withdrawal requests with their receipts,
subject reports, the station list and figures — behind scoped tokens, every call audited.
FastAPI on uvicorn; ``docs/openapi.json`` is generated from these routes, ``docs/
integration.md`` explains the choice and the webhooks.

Only :mod:`kiosk_central` and :mod:`kiosk_contract` are imported; template bytes are never read
here (the API has no master key).
"""
