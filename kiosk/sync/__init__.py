"""Station ↔ central sync over MQTT v5 (plain Python, no Qt).

For the GUI::

    worker = SyncWorker(store, cfg.station.id, cfg.sync, password=secret_from_key_store)
    worker.set_listener(callback)   # called on the worker thread with a SyncState; emit a
                                    # Qt signal from it (queued connection), never block
    worker.start()                  # returns at once; connects and drains in the background
    worker.kick()                   # after an enrollment commit: look at the outbox now
    worker.snapshot() -> SyncState  # thread-safe, no I/O: online, reason, detail, pending,
                                    # in_flight, rejected, oldest_pending_age_s, last_sync_at,
                                    # last_error, roster_version
    worker.stop()                   # on exit: retained "offline" status, disconnect, join

``SyncState.reason`` is one of disabled, connecting, online, no-network, unreachable,
auth-refused, tls-error, refused, config-error, stopped. Deletion requests from central put
the person's sensor slots on the store's release list (``Store.pending_slot_releases``); the
sensor layer clears them. The wire contract is ``docs/asyncapi.yaml`` (package
``kiosk_contract``). Import the worker from :mod:`kiosk.sync.worker`; this package imports
nothing eagerly, so loading a contract helper never drags the worker in.
"""

