"""The desk GUI (PySide6). The only package that imports Qt; it talks to the station services
through :mod:`kiosk.ui.ports` and receives their worker-thread events as queued signals."""
