// Adapts an Arduino serial object (HardwareSerial, USBCDC) to r307::ByteStream.
// Only the sketch includes this file; it is not compiled on the host.
#ifndef R307_BRIDGE_ARDUINO_PORT_H
#define R307_BRIDGE_ARDUINO_PORT_H

#include <Arduino.h>

#include "byte_stream.h"

template <typename Port>
class ArduinoPort : public r307::ByteStream {
 public:
  explicit ArduinoPort(Port& port) : port_(port) {}

  size_t available() override {
    const int n = port_.available();
    return n > 0 ? (size_t)n : 0;
  }

  size_t read(uint8_t* buf, size_t n) override {
    const size_t got = port_.read(buf, n);
    // Some cores return -1 (as size_t) when the port is not running.
    return got <= n ? got : 0;
  }

  size_t availableForWrite() override {
    const int n = port_.availableForWrite();
    return n > 0 ? (size_t)n : 0;
  }

  size_t write(const uint8_t* buf, size_t n) override { return port_.write(buf, n); }

 private:
  Port& port_;
};

#endif  // R307_BRIDGE_ARDUINO_PORT_H
