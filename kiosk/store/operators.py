"""Operators and their PINs (scrypt hashes, lockout after repeated wrong PINs)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.store import models as m
from kiosk.store.audit import AuditLog
from kiosk.store.db import Database, now
from kiosk.store.errors import Conflict, InvalidInput, NotFound
from kiosk.store.pins import check_pin, dummy_hash, hash_pin, valid_pin
from kiosk.store.records import Operator, PinCheck
from kiosk.store.vocab import Role
from kiosk.threadguard import check_io

PIN_MAX_FAILURES = 5
PIN_LOCKOUT = timedelta(minutes=5)


def _operator(o: m.Operator) -> Operator:
    return Operator(name=o.name, role=Role(o.role), active=o.active,
                    failed_attempts=o.failed_attempts, locked_until=o.locked_until,
                    created_at=o.created_at)


class Operators:
    def __init__(self, db: Database, audit: AuditLog) -> None:
        self.db = db
        self.audit = audit
        self.pin_max_failures = PIN_MAX_FAILURES
        self.pin_lockout = PIN_LOCKOUT

    def _row(self, s: Session, name: str) -> m.Operator:
        row = s.scalar(select(m.Operator).where(m.Operator.name == name))
        if row is None:
            raise NotFound(f"No operator named {name!r}.", hint="Check the name.")
        return row

    def create(self, name: str, pin: str, *, role: Role | str = Role.STAFF,
               actor: str = "system") -> Operator:
        check_io("db", "operators.create")
        name = name.strip()
        if not name:
            raise InvalidInput("The operator name is empty.", hint="Type a name.")
        try:
            role = Role(role)
        except ValueError:
            raise InvalidInput(f"Unknown role {role!r}.", hint="Use staff or admin.") from None
        if not valid_pin(pin):
            raise InvalidInput("A PIN is 4 to 12 digits.", hint="Choose a PIN of 4–12 digits.")
        at = now()
        encoded = hash_pin(pin)
        with self.db.transaction() as s:
            if s.scalar(select(m.Operator.id).where(m.Operator.name == name)) is not None:
                raise Conflict(f"An operator named {name!r} exists.", hint="Pick another name.")
            row = m.Operator(name=name, role=role.value, pin_hash=encoded, failed_attempts=0,
                             active=True, created_at=at)
            s.add(row)
            s.flush()
            self.audit.append(s, actor, "operator-created", name, after={"role": role.value},
                              at=at)
            return _operator(row)

    def set_pin(self, name: str, pin: str, *, actor: str) -> None:
        """Replace a PIN (also lifts a lockout)."""
        check_io("db", "operators.set_pin")
        if not valid_pin(pin):
            raise InvalidInput("A PIN is 4 to 12 digits.", hint="Choose a PIN of 4–12 digits.")
        encoded = hash_pin(pin)
        with self.db.transaction() as s:
            row = self._row(s, name)
            row.pin_hash, row.failed_attempts, row.locked_until = encoded, 0, None
            self.audit.append(s, actor, "operator-pin-changed", name)

    def set_active(self, name: str, active: bool, *, actor: str) -> Operator:
        """Disable or enable an operator; the last active administrator cannot be disabled,
        or nobody could reach the admin area again."""
        check_io("db", "operators.set_active")
        with self.db.transaction() as s:
            row = self._row(s, name)
            if row.active and not active and row.role == Role.ADMIN:
                admins = s.scalar(select(func.count()).select_from(m.Operator).where(
                    m.Operator.role == Role.ADMIN.value, m.Operator.active.is_(True))) or 0
                if admins <= 1:
                    raise Conflict(f"{name} is the last active administrator.",
                                   hint="Add or enable another administrator first.")
            if row.active != active:
                row.active = active
                self.audit.append(s, actor,
                                  "operator-enabled" if active else "operator-disabled", name)
            return _operator(row)

    def unlock(self, name: str, *, actor: str) -> None:
        """Lift a PIN lockout before it runs out (the PIN stays the same)."""
        check_io("db", "operators.unlock")
        with self.db.transaction() as s:
            row = self._row(s, name)
            row.failed_attempts, row.locked_until = 0, None
            self.audit.append(s, actor, "operator-unlocked", name)

    def verify_pin(self, name: str, pin: str, *, at: datetime | None = None) -> PinCheck:
        """Check a PIN. After ``pin_max_failures`` wrong PINs in a row the operator is locked
        for ``pin_lockout``; during a lockout even the right PIN is refused."""
        check_io("db", "operators.verify_pin")
        at = at or now()
        with self.db.transaction() as s:
            row = s.scalar(select(m.Operator).where(m.Operator.name == name))
            if row is None or not row.active:
                check_pin(pin, dummy_hash())  # same time as a real check: no name probing
                return PinCheck(ok=False, operator=None)
            if row.locked_until is not None and row.locked_until > at:
                return PinCheck(ok=False, operator=_operator(row), locked_until=row.locked_until)
            if check_pin(pin, row.pin_hash):
                row.failed_attempts, row.locked_until = 0, None
                return PinCheck(ok=True, operator=_operator(row))
            row.failed_attempts += 1
            if row.failed_attempts >= self.pin_max_failures:
                row.failed_attempts = 0
                row.locked_until = at + self.pin_lockout
                self.audit.append(s, name, "operator-locked", name,
                                  after={"until": row.locked_until.isoformat()}, at=at)
                return PinCheck(ok=False, operator=_operator(row), locked_until=row.locked_until)
            return PinCheck(ok=False, operator=_operator(row),
                            attempts_left=self.pin_max_failures - row.failed_attempts)

    def list(self) -> list[Operator]:
        check_io("db", "operators.list")
        with self.db.read() as s:
            return [_operator(o) for o in s.scalars(select(m.Operator).order_by(m.Operator.name))]

    def has_admin(self) -> bool:
        """False on a fresh station: the GUI then asks to create the first admin."""
        check_io("db", "operators.has_admin")
        with self.db.read() as s:
            return (s.scalar(select(func.count()).select_from(m.Operator).where(
                m.Operator.role == Role.ADMIN.value, m.Operator.active.is_(True))) or 0) > 0


__all__ = ["PIN_LOCKOUT", "PIN_MAX_FAILURES", "Operators"]
