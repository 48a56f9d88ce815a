"""Alembic migrations of the station database, shipped inside the package.

They run programmatically from :mod:`kiosk.store.engine` (no alembic.ini at runtime, because the
frozen Windows build has no source tree). Write new revisions with batch operations
(``op.batch_alter_table``): SQLite has almost no ALTER TABLE.
"""
