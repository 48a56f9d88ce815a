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

``SyncState.reason`` is a :class:`~kiosk_contract.mqtt.LinkState`. Deletion requests from
central put the person's sensor slots on the store's release list
(``store.slots.pending_releases()``); the sensor service clears them. The wire contract
(schema 2) is ``docs/asyncapi.yaml`` (package ``kiosk_contract``): :mod:`.outgoing` builds the
station's messages, :mod:`.incoming` reads central's (acks, the shared paged roster, deletion
requests), :mod:`.worker` owns the connection. Import the worker from
:mod:`kiosk.sync.worker`; this package imports nothing eagerly.
"""

