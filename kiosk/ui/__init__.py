"""The desk GUI (PySide6). The only package that imports Qt; it talks to the station services
through :mod:`kiosk.app` (blocking calls via :mod:`kiosk.ui.worker`) and receives their
worker-thread events as queued signals (:mod:`kiosk.ui.bridge`)."""
