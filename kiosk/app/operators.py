"""Operators: signing in with a PIN, and the administrator's operator list.

Every rule lives in the store (scrypt PIN hashes, lockout after repeated wrong PINs, never
disabling the last administrator); this service is the front ends' only way to it. All calls
block on the database: off the GUI thread.
"""

from __future__ import annotations

from kiosk.store import Conflict, Operator, PinCheck, Role, Store


class OperatorAdmin:
    def __init__(self, store: Store) -> None:
        self._store = store

    def has_admin(self) -> bool:
        """False on a fresh station: the GUI then asks to create the first administrator."""
        return self._store.operators.has_admin()

    def names(self) -> list[str]:
        """Who may sign in (active operators), for the sign-in list."""
        return [o.name for o in self._store.operators.list() if o.active]

    def create(self, name: str, pin: str, role: Role, *, actor: str) -> Operator:
        return self._store.operators.create(name, pin, role=role, actor=actor)

    def create_first_admin(self, name: str, pin: str) -> Operator:
        """The station's first account; refused once an administrator exists."""
        if self.has_admin():
            raise Conflict("This station already has an administrator.",
                           hint="Sign in with that account to add others.")
        return self._store.operators.create(name, pin, role=Role.ADMIN, actor=name.strip())

    def verify_pin(self, name: str, pin: str) -> PinCheck:
        return self._store.operators.verify_pin(name, pin)

    def list(self) -> list[Operator]:
        return self._store.operators.list()

    def set_active(self, name: str, active: bool, *, actor: str) -> Operator:
        return self._store.operators.set_active(name, active, actor=actor)

    def reset_pin(self, name: str, pin: str, *, actor: str) -> None:
        self._store.operators.set_pin(name, pin, actor=actor)

    def unlock(self, name: str, *, actor: str) -> None:
        self._store.operators.unlock(name, actor=actor)


__all__ = ["OperatorAdmin"]
