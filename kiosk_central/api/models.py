"""Request and response bodies (they are also the OpenAPI document's schemas)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kiosk_contract.roster import GROUP_MAX, ID_MAX, NAME_MAX, ROLE_MAX

MAX_PEOPLE = 100_000


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorBody(BaseModel):
    error: str = Field(description="a stable code, e.g. missing-token, stale-roster")
    message: str = Field(description="what went wrong and what to do, in a sentence")


class PersonIn(Strict):
    external_id: str = Field(min_length=1, max_length=ID_MAX)
    display_name: str = Field(min_length=1, max_length=NAME_MAX)
    active: bool = True
    group: str = Field("", max_length=GROUP_MAX)
    role: str = Field("", max_length=ROLE_MAX)


class RosterDeltaIn(Strict):
    base_version: int = Field(ge=0, description="the roster version this change is based on")
    upsert: list[PersonIn] = Field(default_factory=list, max_length=MAX_PEOPLE)
    deactivate: list[str] = Field(default_factory=list, max_length=MAX_PEOPLE)


class RosterIn(Strict):
    people: list[PersonIn] = Field(max_length=MAX_PEOPLE)
    base_version: int | None = Field(None, ge=0, description="refuse (409) unless central "
                                     "holds this version")


class GroupIn(Strict):
    base_version: int = Field(ge=0)
    members: list[str] = Field(max_length=MAX_PEOPLE, description="external ids; members "
                               "of the group not listed leave it")


class Published(BaseModel):
    version: int
    pages: int
    people: int
    deltas: int


class RosterResult(BaseModel):
    version: int
    base_version: int
    changed: int
    removed: int
    versions: int
    published: Published | None = Field(description="null when the API has no broker "
                                        "(publish with kiosk-central roster publish)")


class RosterInfo(BaseModel):
    version: int
    published_version: int
    people: int
    active: int


class Group(BaseModel):
    group: str
    people: int
    active: int


class ConsentState(BaseModel):
    state: Literal["given", "refused", "withdrawn"]
    at: str
    station: str
    notice_version: str | None


class FingerStatus(BaseModel):
    finger: str
    state: Literal["enrolled", "deleted"]
    template: str = Field(description="the template's uuid (never its bytes)")
    station: str
    enrolled_at: str | None = None
    received_at: str | None = None
    templates: int | None = Field(None, description="templates held for this finger")
    deleted_at: str | None = None
    cause: str | None = None


class PersonStatus(BaseModel):
    person: str
    on_roster: bool
    display_name: str | None
    active: bool | None
    group: str | None
    role: str | None
    biometric: Literal["registered", "not-registered", "deleted"]
    consent: ConsentState | None
    fingers: list[FingerStatus]
    changed_seq: int | None = None


class StatusPage(BaseModel):
    items: list[PersonStatus]
    next_after: str | None = Field(description="pass as after= for the next page")
    next_since: int | None = Field(description="pass as since= for the next page of changes")
    cursor: int = Field(description="poll since=cursor for what changes from now on")


class ErasureIn(Strict):
    reason: str = Field(min_length=1, max_length=200, description="why (recorded)")


class Places(BaseModel):
    station_db: str
    sensor: str
    central: str


class StationReceipt(BaseModel):
    station: str
    request_id: str
    issued_at: str
    receipt: str | None
    places: Places | None
    templates_deleted: int | None
    complete: bool


class CentralPlace(BaseModel):
    state: Literal["done"]
    templates_deleted: int


class Erasure(BaseModel):
    id: str
    person: str
    kind: Literal["deletion", "withdrawal"]
    requested_at: str
    reason: str
    central: CentralPlace
    stations: list[StationReceipt]
    complete: bool = Field(description="every station's database and sensor, and central, "
                           "are done")
    waiting_for: list[str]
    published: bool | None = None


class Backlog(BaseModel):
    pending: int
    oldest_pending_age_s: float | None
    rejected: int


class Sensor(BaseModel):
    state: str
    model: str
    templates: int | None
    capacity: int | None


class Heartbeat(BaseModel):
    sent_at: str
    uptime_s: int
    clock_skew_s: float = Field(description="station clock minus central clock (transit "
                                "included)")
    backlog: Backlog
    sensor: Sensor
    roster_version: int
    roster_behind: bool
    last_error: str | None


class Station(BaseModel):
    station: str
    online: bool
    offline_since: str | None
    last_seen: str
    software: str
    schema_: int = Field(alias="schema")
    open_deletion_requests: int
    heartbeat: Heartbeat | None

    model_config = ConfigDict(populate_by_name=True)


class Count(BaseModel):
    key: str
    enrollments: int


class Figures(BaseModel):
    from_: str | None = Field(alias="from")
    to: str | None
    station: str | None
    attempts: int
    outcomes: dict[str, int]
    enrollments: int
    failure_to_enroll_rate: float | None
    median_enrollment_s: float | None
    per_day: list[dict[str, Any]]
    per_station: list[dict[str, Any]]
    per_operator: list[dict[str, Any]]

    model_config = ConfigDict(populate_by_name=True)


class AuditEntry(BaseModel):
    seq: int
    at: str
    actor: str
    action: str
    subject: str
    before: Any = None
    after: Any = None
    prev_hash: str
    hash: str


class AuditPage(BaseModel):
    items: list[AuditEntry]
    next_after: int | None


class ChainReport(BaseModel):
    station: str
    ok: bool
    entries: int
    last_seq: int | None
    problem: str | None
    seq: int | None
    kind: str | None


class Health(BaseModel):
    ok: bool
    database: Literal["up", "down"]
