// Hardware-independent core of the USB <-> R307 UART bridge.
//
// Nothing in this file (or bridge.cpp) includes Arduino headers: the same code
// runs on the ESP32 and in the host unit tests (test/host/).
//
// Guarantees:
//  * Byte-transparent: every byte read from one port is written to the other
//    port exactly once and in order. The bridge never drops, injects or
//    reorders a byte. When the destination cannot take more, bytes wait in a
//    per-direction ring buffer; when that ring is full the bridge stops reading
//    the source, so back-pressure reaches the source's own buffer.
//  * Losses can only happen upstream of the bridge (a UART receive buffer that
//    overflowed in hardware). The platform reports those with noteOverflow();
//    they are counted and shown on the status LED.
//  * Start-up hold: after begin(), bytes from the host are buffered, not sent
//    to the sensor, until the sensor has had time to power up (a fixed wait)
//    or has announced itself with its ready byte (0x55). Bytes from the sensor
//    are forwarded to the host at all times - including that ready byte.
//
// Time is passed in as a wrapping 32-bit millisecond counter (millis() on the
// board); all comparisons are wrap-safe.
//
// Kept C++11-compatible: the arduino-esp32 2.x core still builds with gnu++11.
#ifndef R307_BRIDGE_BRIDGE_H
#define R307_BRIDGE_BRIDGE_H

#include <stddef.h>
#include <stdint.h>

#include <atomic>

#include "byte_stream.h"

namespace r307 {

// Milliseconds from `since` to `now` on a wrapping 32-bit clock.
inline uint32_t elapsedMs(uint32_t now, uint32_t since) { return (uint32_t)(now - since); }

// True for the baud rates an R307 can be set to: 9600 * N, N = 1..12.
bool isSensorBaud(uint32_t baud);

// Native USB: the sensor UART rate after the host set a line coding of `requested`
// bit/s. A valid R307 rate is followed; anything else (0, the 1200 bit/s "reboot to
// bootloader" touch, odd rates) leaves `current` as it is, so a host's baud scan over
// 9600 * N reaches the sensor at each rate and nothing else can detune it.
uint32_t followHostBaud(uint32_t current, uint32_t requested);

// One direction of the bridge: a source, a destination and a ring buffer.
class Pipe {
 public:
  static const size_t kCapacity = 1024;

  Pipe(ByteStream& src, ByteStream& dst);

  // Reads what the source has (up to the free ring space). If watchByte is
  // 0..255 and that value is among the bytes read, *seen is set to true.
  // Returns the number of bytes read.
  size_t pull(int watchByte = -1, bool* seen = 0);

  // Writes buffered bytes to the destination as far as it has room.
  // Returns the number of bytes written.
  size_t push();

  size_t backlog() const { return count_; }
  size_t peakBacklog() const { return peak_; }
  uint32_t bytesIn() const { return in_; }
  uint32_t bytesOut() const { return out_; }
  // push() calls that found bytes waiting but no room at the destination.
  uint32_t stalls() const { return stalls_; }
  // Calls where a port returned more than it was asked for (a port bug; the
  // bridge treats such a read as "nothing read" and such a write as "all taken").
  uint32_t portErrors() const { return portErrors_; }

 private:
  Pipe(const Pipe&);
  Pipe& operator=(const Pipe&);

  ByteStream& src_;
  ByteStream& dst_;
  uint8_t buf_[kCapacity];
  size_t head_;   // index of the oldest buffered byte
  size_t count_;  // bytes buffered
  size_t peak_;
  uint32_t in_;
  uint32_t out_;
  uint32_t stalls_;
  uint32_t portErrors_;
};

struct BridgeConfig {
  uint32_t powerUpWaitMs;         // hold host->sensor this long after begin()
  int readyByte;                  // the sensor's "I am up" byte; < 0: wait the full time
  uint32_t activityOffMs;         // LED dark time of one activity blink
  uint32_t overflowShowMs;        // how long the LED keeps fast-blinking after an overflow
  uint32_t overflowHalfPeriodMs;  // fast blink half period
  uint32_t startupHalfPeriodMs;   // slow blink half period while waiting for the sensor

  BridgeConfig()
      : powerUpWaitMs(1000),
        readyByte(0x55),
        activityOffMs(40),
        overflowShowMs(2000),
        overflowHalfPeriodMs(50),
        startupHalfPeriodMs(250) {}
};

enum Direction { kToHost = 0, kToSensor = 1 };

enum LedMode {
  kLedStartup,   // slow blink: waiting for the sensor to power up
  kLedIdle,      // steady on: ready, no traffic
  kLedActivity,  // short dark blinks while bytes flow
  kLedOverflow   // fast blink: a receive buffer overflowed recently
};

class Bridge {
 public:
  Bridge(ByteStream& host, ByteStream& sensor, const BridgeConfig& config = BridgeConfig());

  // Starts the power-up hold. waitMs overrides config.powerUpWaitMs (e.g. a
  // longer wait after a brown-out reset).
  void begin(uint32_t nowMs);
  void begin(uint32_t nowMs, uint32_t waitMs);

  // Moves whatever can be moved without blocking, both directions.
  // Returns the number of bytes read plus written (0 = nothing to do).
  size_t poll(uint32_t nowMs);

  bool sensorReady() const { return ready_; }

  // Safe to call from another task or a UART event callback.
  void noteOverflow(Direction dir);
  uint32_t overflowCount(Direction dir) const;

  LedMode ledMode(uint32_t nowMs) const;
  bool ledOn(uint32_t nowMs) const;

  const Pipe& toHost() const { return toHost_; }
  const Pipe& toSensor() const { return toSensor_; }
  const BridgeConfig& config() const { return config_; }

 private:
  Bridge(const Bridge&);
  Bridge& operator=(const Bridge&);

  void updateTimers(uint32_t nowMs);

  BridgeConfig config_;
  Pipe toHost_;
  Pipe toSensor_;

  bool ready_;
  uint32_t startMs_;
  uint32_t waitMs_;

  bool blinkActive_;
  uint32_t blinkStartMs_;

  std::atomic<uint32_t> overflows_[2];
  uint32_t overflowsSeen_;
  bool overflowShown_;
  uint32_t lastOverflowMs_;
};

}  // namespace r307

#endif  // R307_BRIDGE_BRIDGE_H
