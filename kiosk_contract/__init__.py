"""The wire contract between stations and central: one package both sides import.

It holds what must be identical on both ends and nothing else: message types and their strict
parsers (:mod:`.messages`, :mod:`.fields`), topic names (:mod:`.topics`), the finger vocabulary
(:mod:`.fingers`), template sealing (:mod:`.sealing`), MQTT client settings with the project's
security defaults (:mod:`.mqtt`) and the signed provisioning file (:mod:`.provisioning`). It
imports nothing of the station (``kiosk``) or of central (``kiosk_central``); an import
contract in the test run keeps it that way. ``docs/asyncapi.yaml`` documents the same.

The message API is re-exported here, so callers write ``import kiosk_contract as c`` and
``c.TemplateMessage.parse(...)``.
"""

from kiosk_contract.fields import (
    MAX_PAYLOAD_BYTES,
    MAX_ROSTER_BYTES,
    MIN_SCHEMA_VERSION,
    SCHEMA_VERSION,
    ContractError,
    PayloadTooLarge,
    UnsupportedSchema,
    is_station_id,
    utc_now_iso,
)
from kiosk_contract.fingers import Finger
from kiosk_contract.messages import (
    REJECT_REASONS,
    AckMessage,
    AckStatus,
    ConsentEvent,
    ConsentMessage,
    DeletionReceipt,
    DeletionRequest,
    RejectReason,
    RosterMessage,
    RosterPerson,
    StatusMessage,
    TemplateMessage,
    TemplateMeta,
    correlation_for,
    uuid_from_correlation,
)
from kiosk_contract.topics import TOPIC_KINDS, TopicKind, Topics, parse_topic

__all__ = [
    "MAX_PAYLOAD_BYTES",
    "MAX_ROSTER_BYTES",
    "MIN_SCHEMA_VERSION",
    "REJECT_REASONS",
    "SCHEMA_VERSION",
    "TOPIC_KINDS",
    "AckMessage",
    "AckStatus",
    "ConsentEvent",
    "ConsentMessage",
    "ContractError",
    "DeletionReceipt",
    "DeletionRequest",
    "Finger",
    "PayloadTooLarge",
    "RejectReason",
    "RosterMessage",
    "RosterPerson",
    "StatusMessage",
    "TemplateMessage",
    "TemplateMeta",
    "TopicKind",
    "Topics",
    "UnsupportedSchema",
    "correlation_for",
    "is_station_id",
    "parse_topic",
    "utc_now_iso",
    "uuid_from_correlation",
]
