// R307 fingerprint sensor <-> USB bridge for ESP32 / ESP32-S3 (Arduino framework).
//
// The USB serial port (Serial) and the sensor's UART (Serial2 on GPIO16/17) are
// joined byte-for-byte by r307::Bridge (bridge.h / bridge.cpp), which is
// unit-tested on a PC (test/host/). board_glue.cpp sets up the ports, the
// buffers, the status LED and the power-up hold. Settings: config.h.
//
// This folder is both the Arduino IDE sketch and PlatformIO's src_dir.

#include "board_glue.h"

void setup() { bridgeSetup(); }

void loop() { bridgeLoop(); }
