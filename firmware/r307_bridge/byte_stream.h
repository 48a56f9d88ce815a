// Minimal byte-stream interface the bridge logic is written against.
//
// It is deliberately smaller than Arduino's Stream so that the bridge can be
// compiled and tested on a PC with fake ports. On the board, arduino_port.h
// adapts HardwareSerial / USBCDC to it.
//
// Contract (what the bridge relies on; adapters must honour it):
//  * available()         - bytes that read() can return right now without blocking.
//  * read(buf, n)        - copies up to n bytes into buf, returns how many (0..n),
//                          never blocks.
//  * availableForWrite() - bytes that write() can take right now without blocking.
//  * write(buf, n)       - takes up to n bytes, returns how many it took (0..n).
//                          Bytes it did not take stay with the caller.
//
// Kept C++11-compatible: the arduino-esp32 2.x core still builds with gnu++11.
#ifndef R307_BRIDGE_BYTE_STREAM_H
#define R307_BRIDGE_BYTE_STREAM_H

#include <stddef.h>
#include <stdint.h>

namespace r307 {

class ByteStream {
 public:
  virtual ~ByteStream() {}
  virtual size_t available() = 0;
  virtual size_t read(uint8_t* buf, size_t n) = 0;
  virtual size_t availableForWrite() = 0;
  virtual size_t write(const uint8_t* buf, size_t n) = 0;
};

}  // namespace r307

#endif  // R307_BRIDGE_BYTE_STREAM_H
