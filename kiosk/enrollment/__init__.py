"""The enrollment engine: three guided captures with duplicate and quality gates, clean
recovery on any failure, events without words (:mod:`.events`). Plain Python, no Qt; it runs
on the thread that owns the sensor."""
