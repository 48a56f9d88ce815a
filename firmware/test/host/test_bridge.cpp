// Host unit tests of the bridge logic (bridge.h / bridge.cpp) against fake ports.
#define MINI_TEST_MAIN
#include "mini_test.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bridge.h"
#include "fake_port.h"

using r307::Bridge;
using r307::BridgeConfig;
using r307::Pipe;
using Bytes = std::vector<uint8_t>;

namespace {

Bytes randomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  Bytes out(n);
  for (auto& b : out) b = static_cast<uint8_t>(rng() & 0xFF);
  return out;
}

// An EF01 packet as the R307 frames it (header, address, PID, length, payload, checksum).
Bytes packet(uint8_t pid, const Bytes& payload) {
  Bytes p = {0xEF, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, pid};
  const uint16_t len = static_cast<uint16_t>(payload.size() + 2);
  p.push_back(static_cast<uint8_t>(len >> 8));
  p.push_back(static_cast<uint8_t>(len & 0xFF));
  uint32_t sum = pid + (len >> 8) + (len & 0xFF);
  for (uint8_t b : payload) {
    p.push_back(b);
    sum += b;
  }
  p.push_back(static_cast<uint8_t>((sum >> 8) & 0xFF));
  p.push_back(static_cast<uint8_t>(sum & 0xFF));
  return p;
}

// A module->host image/template upload: `count` data packets of `size` bytes,
// all PID 02 except the last (PID 08). With size 256 each is 267 bytes on the wire.
Bytes dataBurst(size_t count, size_t size, uint32_t seed) {
  Bytes out;
  for (size_t i = 0; i < count; ++i) {
    Bytes payload = randomBytes(size, seed + static_cast<uint32_t>(i));
    Bytes p = packet(i + 1 == count ? 0x08 : 0x02, payload);
    out.insert(out.end(), p.begin(), p.end());
  }
  return out;
}

// Index of the first difference, or -1 when equal.
long firstDiff(const Bytes& a, const Bytes& b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return static_cast<long>(i);
  return a.size() == b.size() ? -1 : static_cast<long>(n);
}

#define CHECK_SAME_BYTES(got, want)                                              \
  do {                                                                           \
    const long d_ = firstDiff((got), (want));                                    \
    if (d_ >= 0) {                                                               \
      mini_test::fail(__FILE__, __LINE__,                                        \
                      std::string("byte streams differ at index ") + std::to_string(d_) + \
                          " (got " + std::to_string((got).size()) + " bytes, want " + \
                          std::to_string((want).size()) + ")");                  \
    }                                                                            \
  } while (0)

BridgeConfig readyNow() {
  BridgeConfig c;
  c.powerUpWaitMs = 0;
  return c;
}

// A serial line feeding a port at a fixed byte rate (57600 8N1 = 5.76 bytes/ms).
struct Line {
  Bytes script;
  size_t pos = 0;
  double rate = 5.76;  // bytes per ms
  double credit = 0;
  size_t gapEvery = 0;  // optional idle gap after every N bytes (packet spacing)
  size_t gapMs = 0;
  size_t gapLeft = 0;

  bool done() const { return pos >= script.size(); }

  void tick(FakePort& port) {
    if (gapLeft > 0) {
      --gapLeft;
      return;
    }
    credit += rate;
    size_t n = static_cast<size_t>(credit);
    credit -= static_cast<double>(n);
    n = std::min(n, script.size() - pos);
    if (gapEvery > 0) {
      const size_t toBoundary = gapEvery - (pos % gapEvery);
      if (n >= toBoundary) {
        n = toBoundary;
        gapLeft = gapMs;
        credit = 0;
      }
    }
    port.receive(script.data() + pos, n);
    pos += n;
  }
};

// A UART-like port: finite RX buffer, TX buffer drained at line rate.
void makeUart(FakePort& p, size_t rxBuffer, size_t txBuffer) {
  p.rxCapacity = rxBuffer;
  p.txCapacity = txBuffer;
  p.autoDrain = false;
}

}  // namespace

// ---------------------------------------------------------------------------
// Basics

TEST("sensor baud rates are 9600*N for N = 1..12") {
  for (uint32_t n = 1; n <= 12; ++n) CHECK(r307::isSensorBaud(9600 * n));
  CHECK(!r307::isSensorBaud(0));
  CHECK(!r307::isSensorBaud(1200));
  CHECK(!r307::isSensorBaud(9601));
  CHECK(!r307::isSensorBaud(9600 * 13));
  CHECK(!r307::isSensorBaud(230400));
  CHECK(!r307::isSensorBaud(115201));
}

TEST("native USB follows the host's baud only to valid sensor rates") {
  uint32_t baud = 57600;
  for (uint32_t n = 1; n <= 12; ++n) {
    baud = r307::followHostBaud(baud, 9600 * n);  // a host's 9600 * N scan
    CHECK_EQ(baud, 9600 * n);
  }
  CHECK_EQ(r307::followHostBaud(115200, 1200), 115200u);  // reboot touch: ignored
  CHECK_EQ(r307::followHostBaud(115200, 0), 115200u);
  CHECK_EQ(r307::followHostBaud(57600, 250000), 57600u);
  CHECK_EQ(r307::followHostBaud(57600, 9601), 57600u);
}

TEST("a command and its reply pass through unchanged") {
  FakePort host, sensor;
  Bridge bridge(host, sensor, readyNow());
  bridge.begin(0);
  const Bytes genImg = {0xEF, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x03, 0x01, 0x00, 0x05};
  const Bytes ack = {0xEF, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00, 0x03, 0x00, 0x00, 0x0A};
  CHECK(packet(0x01, {0x01}) == genImg);
  CHECK(packet(0x07, {0x00}) == ack);
  host.receive(genImg);
  bridge.poll(1);
  CHECK(sensor.sent == genImg);
  CHECK(host.sent.empty());
  sensor.receive(ack);
  bridge.poll(2);
  CHECK(host.sent == ack);
  CHECK(sensor.sent == genImg);
  CHECK_EQ(bridge.toSensor().bytesIn(), 12u);
  CHECK_EQ(bridge.toSensor().bytesOut(), 12u);
  CHECK_EQ(bridge.toHost().bytesOut(), 12u);
}

TEST("nothing is ever injected: idle ports stay silent through start-up and after") {
  FakePort host, sensor;
  Bridge bridge(host, sensor);
  bridge.begin(0);
  for (uint32_t t = 0; t < 20000; t += 3) CHECK_EQ(bridge.poll(t), 0u);
  CHECK(bridge.sensorReady());
  CHECK(host.sent.empty());
  CHECK(sensor.sent.empty());
  CHECK_EQ(host.writeCalls, 0u);
  CHECK_EQ(sensor.writeCalls, 0u);
}

TEST("every byte value 0x00..0xFF passes both ways, including 0x55 after start-up") {
  FakePort host, sensor;
  Bridge bridge(host, sensor, readyNow());
  bridge.begin(0);
  Bytes all(256);
  for (int i = 0; i < 256; ++i) all[i] = static_cast<uint8_t>(i);
  Bytes lots;
  for (int r = 0; r < 8; ++r) lots.insert(lots.end(), all.begin(), all.end());
  host.receive(lots);
  sensor.receive(lots);
  bridge.poll(1);  // one poll moves at most one ring (1024 bytes) per direction
  bridge.poll(2);
  CHECK(host.sent == lots);
  CHECK(sensor.sent == lots);
}

// ---------------------------------------------------------------------------
// Power-up hold and the 0x55 ready byte

TEST("host bytes are held until the power-up wait ends, then delivered intact") {
  FakePort host, sensor;
  BridgeConfig cfg;
  cfg.powerUpWaitMs = 800;
  cfg.readyByte = 0x55;
  Bridge bridge(host, sensor, cfg);
  bridge.begin(100);
  const Bytes cmd = packet(0x01, {0x13, 0, 0, 0, 0});  // VfyPwd
  host.receive(cmd);
  for (uint32_t t = 100; t < 900; t += 10) {
    bridge.poll(t);
    CHECK(!bridge.sensorReady());
  }
  CHECK(sensor.sent.empty());
  CHECK_EQ(bridge.toSensor().backlog(), cmd.size());
  CHECK(host.incoming.empty());  // taken into the bridge, not left to overflow the port
  bridge.poll(900);
  CHECK(bridge.sensorReady());
  CHECK(sensor.sent == cmd);
}

TEST("the 0x55 ready byte ends the wait early and is forwarded to the host") {
  FakePort host, sensor;
  BridgeConfig cfg;
  cfg.powerUpWaitMs = 1000;
  Bridge bridge(host, sensor, cfg);
  bridge.begin(0);
  const Bytes cmd = packet(0x01, {0x0F});
  host.receive(cmd);
  bridge.poll(10);
  CHECK(sensor.sent.empty());
  // Power-on edge noise (0x00) first, then the ready byte.
  sensor.receive(Bytes{0x00, 0x00, 0x55});
  bridge.poll(60);
  CHECK(bridge.sensorReady());
  CHECK(host.sent == (Bytes{0x00, 0x00, 0x55}));
  CHECK(sensor.sent == cmd);
}

TEST("bytes other than 0x55 from the sensor are forwarded but do not end the wait") {
  FakePort host, sensor;
  BridgeConfig cfg;
  cfg.powerUpWaitMs = 500;
  Bridge bridge(host, sensor, cfg);
  bridge.begin(0);
  host.receive(Bytes{0xEF, 0x01});
  sensor.receive(Bytes{0x00, 0xFF, 0x54, 0x56});
  bridge.poll(5);
  CHECK(!bridge.sensorReady());
  CHECK(host.sent == (Bytes{0x00, 0xFF, 0x54, 0x56}));
  CHECK(sensor.sent.empty());
  bridge.poll(499);
  CHECK(!bridge.sensorReady());
  bridge.poll(500);
  CHECK(bridge.sensorReady());
  CHECK(sensor.sent == (Bytes{0xEF, 0x01}));
}

TEST("with readyByte disabled only the timer ends the wait; 0x55 still forwarded") {
  FakePort host, sensor;
  BridgeConfig cfg;
  cfg.powerUpWaitMs = 300;
  cfg.readyByte = -1;
  Bridge bridge(host, sensor, cfg);
  bridge.begin(0);
  sensor.receive(Bytes{0x55});
  bridge.poll(1);
  CHECK(!bridge.sensorReady());
  CHECK(host.sent == (Bytes{0x55}));
  bridge.poll(300);
  CHECK(bridge.sensorReady());
}

TEST("begin(now, wait) overrides the wait (longer after a brown-out; 0 = at once)") {
  FakePort host, sensor;
  Bridge bridge(host, sensor);
  bridge.begin(0, 2000);
  bridge.poll(1500);
  CHECK(!bridge.sensorReady());
  bridge.poll(2000);
  CHECK(bridge.sensorReady());
  bridge.begin(5000, 0);
  CHECK(bridge.sensorReady());
}

TEST("host bytes beyond the ring during the hold stay in the port, none lost") {
  FakePort host, sensor;
  BridgeConfig cfg;
  cfg.powerUpWaitMs = 1000;
  cfg.readyByte = -1;
  Bridge bridge(host, sensor, cfg);
  bridge.begin(0);
  const Bytes data = randomBytes(Pipe::kCapacity + 300, 7);
  host.receive(data);
  bridge.poll(1);
  CHECK_EQ(bridge.toSensor().backlog(), Pipe::kCapacity);
  CHECK_EQ(host.incoming.size(), 300u);
  bridge.poll(1000);
  bridge.poll(1001);
  CHECK(sensor.sent == data);
}

TEST("power-up wait works across the 32-bit millisecond wrap") {
  FakePort host, sensor;
  BridgeConfig cfg;
  cfg.powerUpWaitMs = 1000;
  Bridge bridge(host, sensor, cfg);
  const uint32_t start = 0xFFFFFE00u;  // 512 ms before the wrap
  bridge.begin(start);
  host.receive(Bytes{1, 2, 3});
  bridge.poll(start + 100);
  bridge.poll(5);  // wrapped, 517 ms in
  CHECK(!bridge.sensorReady());
  CHECK(sensor.sent.empty());
  bridge.poll(start + 1000);  // = 488 after the wrap
  CHECK(bridge.sensorReady());
  CHECK(sensor.sent == (Bytes{1, 2, 3}));
}

// ---------------------------------------------------------------------------
// Full buffers, partial writes, partial reads

TEST("blocked destination: bytes wait (no drop), then arrive in order") {
  FakePort host, sensor;
  Bridge bridge(host, sensor, readyNow());
  bridge.begin(0);
  host.blocked = true;
  const Bytes reply = dataBurst(2, 128, 11);
  sensor.receive(reply);
  for (uint32_t t = 1; t <= 500; ++t) bridge.poll(t);
  CHECK(host.sent.empty());
  CHECK_EQ(bridge.toHost().backlog(), reply.size());
  CHECK(bridge.toHost().stalls() >= 500u);
  host.blocked = false;
  bridge.poll(501);
  CHECK(host.sent == reply);
  CHECK_EQ(bridge.toHost().backlog(), 0u);
}

TEST("blocked destination with a full ring: the source keeps its bytes (back-pressure)") {
  FakePort host, sensor;
  Bridge bridge(host, sensor, readyNow());
  bridge.begin(0);
  sensor.blocked = true;
  const Bytes data = randomBytes(5000, 3);
  host.receive(data);
  for (uint32_t t = 1; t <= 50; ++t) bridge.poll(t);
  CHECK_EQ(bridge.toSensor().backlog(), Pipe::kCapacity);
  CHECK_EQ(bridge.toSensor().peakBacklog(), Pipe::kCapacity);
  CHECK_EQ(host.incoming.size(), data.size() - Pipe::kCapacity);
  CHECK_EQ(host.dropped, 0u);
  sensor.blocked = false;
  for (uint32_t t = 51; t <= 60; ++t) bridge.poll(t);
  CHECK(sensor.sent == data);
}

TEST("write() taking fewer bytes than availableForWrite() promised loses nothing") {
  FakePort host, sensor;
  Bridge bridge(host, sensor, readyNow());
  bridge.begin(0);
  sensor.maxWriteAccept = 7;
  host.maxWriteAccept = 1;
  const Bytes down = dataBurst(4, 256, 21);
  const Bytes up = dataBurst(4, 256, 99);
  host.receive(down);
  sensor.receive(up);
  for (uint32_t t = 1; t <= 100 && (sensor.sent.size() < down.size() || host.sent.size() < up.size()); ++t)
    bridge.poll(t);
  CHECK_SAME_BYTES(sensor.sent, down);
  CHECK_SAME_BYTES(host.sent, up);
}

TEST("availableForWrite() == 0 for a while, then small windows: bytes wait, in order") {
  FakePort host, sensor;
  Bridge bridge(host, sensor, readyNow());
  bridge.begin(0);
  makeUart(sensor, 1024, 16);  // tiny TX buffer, drained slowly
  const Bytes data = dataBurst(3, 256, 5);
  host.receive(data);
  uint32_t t = 0;
  for (; t < 200; ++t) bridge.poll(t);  // never drained: room stays 0 after the first 16
  CHECK_EQ(sensor.pending.size(), 16u);
  CHECK(bridge.toSensor().stalls() > 0u);
  for (; t < 5000 && sensor.sent.size() < data.size(); ++t) {
    sensor.drain(3);
    bridge.poll(t);
  }
  CHECK_SAME_BYTES(sensor.sent, data);
}

TEST("read() returning fewer bytes than available() is handled") {
  FakePort host, sensor;
  Bridge bridge(host, sensor, readyNow());
  bridge.begin(0);
  host.maxReadReturn = 3;
  sensor.maxReadReturn = 1;
  const Bytes down = randomBytes(3000, 8);
  const Bytes up = randomBytes(3000, 9);
  host.receive(down);
  sensor.receive(up);
  for (uint32_t t = 1; t < 100; ++t) bridge.poll(t);
  CHECK(sensor.sent == down);
  CHECK(host.sent == up);
}

TEST("broken port return values are counted and never corrupt the stream") {
  FakePort host, sensor;
  Bridge bridge(host, sensor, readyNow());
  bridge.begin(0);
  const Bytes down = randomBytes(600, 12);
  host.receive(down);
  host.bogusReads = 2;    // like a core returning -1 from read(buf, n)
  sensor.bogusWrites = 1; // claims more than it was given
  for (uint32_t t = 1; t < 10; ++t) bridge.poll(t);
  CHECK(sensor.sent == down);
  CHECK_EQ(bridge.toSensor().portErrors(), 3u);
}

TEST("the ring wraps around correctly under awkward chunk sizes") {
  FakePort host, sensor;
  Bridge bridge(host, sensor, readyNow());
  bridge.begin(0);
  makeUart(sensor, 1024, 1000);
  const Bytes data = randomBytes(40000, 77);
  size_t fed = 0;
  uint32_t t = 0;
  // Feed 997 bytes, drain 991 per step: the ring's head and tail march around
  // the 1024-byte array and split reads/writes at its end over and over.
  while ((fed < data.size() || sensor.sent.size() < data.size()) && t < 100000) {
    const size_t n = std::min<size_t>(997, data.size() - fed);
    fed += host.receive(data.data() + fed, n);
    bridge.poll(t++);
    sensor.drain(991);
  }
  CHECK_SAME_BYTES(sensor.sent, data);
  CHECK(bridge.toSensor().peakBacklog() <= Pipe::kCapacity);
}

// ---------------------------------------------------------------------------
// Bursts of 256-byte packets, both directions, long random streams

TEST("UpImage-sized burst (144 packets x 267 bytes) reaches the host byte-for-byte") {
  FakePort host, sensor;
  makeUart(sensor, 1024, 384);  // UART2: RX ring 1024, TX 256 + FIFO
  makeUart(host, 1024, 256);    // USB side: drained faster than the UART fills
  Bridge bridge(host, sensor, readyNow());
  bridge.begin(0);
  sensor.onOverflow = [&](size_t) { bridge.noteOverflow(r307::kToHost); };
  Line fromSensor;
  fromSensor.script = dataBurst(144, 256, 1234);
  CHECK_EQ(fromSensor.script.size(), 144u * 267u);
  uint32_t t = 0;
  while ((!fromSensor.done() || host.sent.size() < fromSensor.script.size()) && t < 20000) {
    fromSensor.tick(sensor);
    bridge.poll(t++);
    host.drain(64);  // one USB packet per ms
  }
  CHECK_SAME_BYTES(host.sent, fromSensor.script);
  CHECK_EQ(sensor.dropped, 0u);
  CHECK_EQ(bridge.overflowCount(r307::kToHost), 0u);
}

TEST("both directions at once: DownChar and UpChar bursts of 256-byte packets at 57600") {
  FakePort host, sensor;
  makeUart(sensor, 1024, 384);
  makeUart(host, 1024, 384);
  Bridge bridge(host, sensor, readyNow());
  bridge.begin(0);
  Line fromHost, fromSensor;
  fromHost.script = dataBurst(40, 256, 500);
  fromSensor.script = dataBurst(40, 256, 900);
  fromHost.gapEvery = 267;  // a little idle time between packets
  fromHost.gapMs = 2;
  uint32_t t = 0;
  while (t < 60000 && (sensor.sent.size() < fromHost.script.size() ||
                       host.sent.size() < fromSensor.script.size())) {
    fromHost.tick(host);
    fromSensor.tick(sensor);
    bridge.poll(t++);
    sensor.drain(6);  // 57600 8N1 line out of UART2
    host.drain(6);    // same rate out of UART0 on a USB-UART board
  }
  CHECK_SAME_BYTES(sensor.sent, fromHost.script);
  CHECK_SAME_BYTES(host.sent, fromSensor.script);
  CHECK_EQ(host.dropped + sensor.dropped, 0u);
  CHECK_EQ(bridge.toSensor().backlog() + bridge.toHost().backlog(), 0u);
}

TEST("the 1024-byte UART buffer rides out a 100 ms stall at 57600; 256 bytes would not") {
  for (size_t rxBuf : {size_t(1024), size_t(256)}) {
    FakePort host, sensor;
    makeUart(sensor, rxBuf, 384);
    Bridge bridge(host, sensor, readyNow());
    bridge.begin(0);
    sensor.onOverflow = [&](size_t) { bridge.noteOverflow(r307::kToHost); };
    Line fromSensor;
    fromSensor.script = dataBurst(6, 256, 42);
    uint32_t t = 0;
    while (t < 5000 && (!fromSensor.done() || sensor.available() > 0 || bridge.toHost().backlog() > 0)) {
      fromSensor.tick(sensor);
      if (t < 20 || t >= 120) bridge.poll(t);  // the loop stalls for 100 ms (~576 bytes)
      ++t;
    }
    if (rxBuf == 1024) {
      CHECK_EQ(sensor.dropped, 0u);
      CHECK(host.sent == fromSensor.script);
      CHECK_EQ(bridge.overflowCount(r307::kToHost), 0u);
    } else {
      CHECK(sensor.dropped > 0u);
      CHECK(bridge.overflowCount(r307::kToHost) > 0u);
    }
  }
}

TEST("long random streams both ways under random port behaviour match byte-for-byte") {
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    std::mt19937 rng(seed * 7919u);
    FakePort host, sensor;
    makeUart(host, 2048, 1 + rng() % 400);
    makeUart(sensor, 2048, 1 + rng() % 400);
    host.maxReadReturn = 1 + rng() % 300;
    sensor.maxWriteAccept = 1 + rng() % 300;
    Bridge bridge(host, sensor, readyNow());
    bridge.begin(0);
    const Bytes down = randomBytes(200000, seed);
    const Bytes up = randomBytes(200000, seed + 1000);
    size_t downPos = 0, upPos = 0;
    uint32_t t = 0;
    while (t < 2000000 && (sensor.sent.size() < down.size() || host.sent.size() < up.size())) {
      // Feed only what fits, so no loss happens upstream of the bridge.
      size_t n = std::min<size_t>(rng() % 700, down.size() - downPos);
      n = std::min(n, host.rxCapacity - host.incoming.size());
      downPos += host.receive(down.data() + downPos, n);
      n = std::min<size_t>(rng() % 700, up.size() - upPos);
      n = std::min(n, sensor.rxCapacity - sensor.incoming.size());
      upPos += sensor.receive(up.data() + upPos, n);
      host.blocked = (rng() % 10) == 0;
      sensor.blocked = (rng() % 10) == 0;
      bridge.poll(t++);
      host.drain(rng() % 600);
      sensor.drain(rng() % 600);
    }
    CHECK_SAME_BYTES(sensor.sent, down);
    CHECK_SAME_BYTES(host.sent, up);
    CHECK_EQ(bridge.toSensor().bytesIn(), static_cast<uint32_t>(down.size()));
    CHECK_EQ(bridge.toHost().bytesOut(), static_cast<uint32_t>(up.size()));
    CHECK_EQ(host.dropped + sensor.dropped, 0u);
  }
}

TEST("writes are chunked: one write per contiguous run, not byte by byte") {
  FakePort host, sensor;
  Bridge bridge(host, sensor, readyNow());
  bridge.begin(0);
  const Bytes burst = dataBurst(1, 256, 3);
  sensor.receive(burst);
  bridge.poll(1);
  CHECK(host.sent == burst);
  CHECK_EQ(host.writeCalls, 1u);
  CHECK_EQ(host.largestWrite, burst.size());
}

// ---------------------------------------------------------------------------
// Overflow accounting and the status LED

TEST("an upstream overflow is counted per direction, bytes the port kept still pass") {
  FakePort host, sensor;
  makeUart(sensor, 300, 384);
  Bridge bridge(host, sensor, readyNow());
  bridge.begin(0);
  sensor.onOverflow = [&](size_t) { bridge.noteOverflow(r307::kToHost); };
  host.blocked = true;  // host not reading: ring (1024) then UART RX (300) fill up
  const Bytes burst = randomBytes(2000, 4);
  Bytes accepted;
  for (size_t i = 0; i < burst.size(); i += 100) {
    const size_t before = sensor.incoming.size();
    const size_t got = sensor.receive(burst.data() + i, 100);
    (void)before;
    accepted.insert(accepted.end(), burst.begin() + i, burst.begin() + i + got);
    bridge.poll(static_cast<uint32_t>(i));
  }
  CHECK(sensor.dropped > 0u);
  CHECK(bridge.overflowCount(r307::kToHost) > 0u);
  CHECK_EQ(bridge.overflowCount(r307::kToSensor), 0u);
  host.blocked = false;
  bridge.poll(3000);
  bridge.poll(3001);
  // The bridge delivered exactly what the port had accepted: no further loss.
  CHECK_SAME_BYTES(host.sent, accepted);
}

TEST("noteOverflow from another thread while polling is counted exactly") {
  FakePort host, sensor;
  Bridge bridge(host, sensor, readyNow());
  bridge.begin(0);
  std::atomic<bool> go(false);
  std::thread reporter([&] {
    while (!go.load()) {
    }
    for (int i = 0; i < 10000; ++i) bridge.noteOverflow(i % 2 ? r307::kToHost : r307::kToSensor);
  });
  go.store(true);
  for (uint32_t t = 0; t < 20000; ++t) bridge.poll(t);
  reporter.join();
  CHECK_EQ(bridge.overflowCount(r307::kToHost), 5000u);
  CHECK_EQ(bridge.overflowCount(r307::kToSensor), 5000u);
}

TEST("LED: slow blink while waiting, steady on when idle") {
  FakePort host, sensor;
  BridgeConfig cfg;
  cfg.powerUpWaitMs = 1000;
  Bridge bridge(host, sensor, cfg);
  bridge.begin(0);
  bridge.poll(0);
  CHECK_EQ(bridge.ledMode(0), r307::kLedStartup);
  CHECK(bridge.ledOn(0));
  CHECK(bridge.ledOn(249));
  CHECK(!bridge.ledOn(250));
  CHECK(!bridge.ledOn(499));
  CHECK(bridge.ledOn(500));
  bridge.poll(1000);
  CHECK_EQ(bridge.ledMode(1000), r307::kLedIdle);
  for (uint32_t t = 1000; t < 3000; t += 7) CHECK(bridge.ledOn(t));
}

TEST("LED: traffic gives visible dark blinks, then steady on again") {
  FakePort host, sensor;
  Bridge bridge(host, sensor, readyNow());
  bridge.begin(0);
  bridge.poll(100);
  CHECK(bridge.ledOn(100));
  sensor.receive(Bytes{1, 2, 3});
  bridge.poll(200);
  CHECK_EQ(bridge.ledMode(200), r307::kLedActivity);
  CHECK(!bridge.ledOn(200));
  CHECK(!bridge.ledOn(239));
  CHECK(bridge.ledOn(240));
  bridge.poll(300);
  CHECK_EQ(bridge.ledMode(300), r307::kLedIdle);
  CHECK(bridge.ledOn(300));
  // Continuous traffic: the LED keeps toggling, it does not stay dark.
  int dark = 0, lit = 0;
  for (uint32_t t = 1000; t < 2000; ++t) {
    host.receive(Bytes{0xAA});
    bridge.poll(t);
    (bridge.ledOn(t) ? lit : dark)++;
  }
  CHECK(dark > 300);
  CHECK(lit > 300);
}

TEST("LED: fast blink for a while after an overflow, overriding activity") {
  FakePort host, sensor;
  Bridge bridge(host, sensor, readyNow());
  bridge.begin(0);
  bridge.poll(10);
  bridge.noteOverflow(r307::kToSensor);
  sensor.receive(Bytes{9});
  bridge.poll(1000);
  CHECK_EQ(bridge.ledMode(1000), r307::kLedOverflow);
  CHECK(bridge.ledOn(1000));
  CHECK(!bridge.ledOn(1050));
  CHECK(bridge.ledOn(1100));
  bridge.poll(2999);
  CHECK_EQ(bridge.ledMode(2999), r307::kLedOverflow);
  bridge.poll(3000);
  CHECK_EQ(bridge.ledMode(3000), r307::kLedIdle);
  // A new overflow restarts the display.
  bridge.noteOverflow(r307::kToHost);
  bridge.poll(5000);
  CHECK_EQ(bridge.ledMode(5000), r307::kLedOverflow);
}

TEST("LED: an old overflow does not come back when millis() wraps") {
  FakePort host, sensor;
  Bridge bridge(host, sensor, readyNow());
  bridge.begin(0);
  bridge.noteOverflow(r307::kToHost);
  bridge.poll(100);
  CHECK_EQ(bridge.ledMode(100), r307::kLedOverflow);
  // Poll every 10 s for 50 days of simulated time (past the 2^32 ms wrap).
  bool sawOverflowAgain = false;
  uint64_t now = 3000;
  for (; now < 50ull * 24 * 3600 * 1000; now += 10000) {
    const uint32_t t = static_cast<uint32_t>(now);
    bridge.poll(t);
    if (bridge.ledMode(t) != r307::kLedIdle) sawOverflowAgain = true;
  }
  CHECK(!sawOverflowAgain);
}

TEST("overflows reported before begin() do not light the overflow pattern") {
  FakePort host, sensor;
  Bridge bridge(host, sensor, readyNow());
  bridge.noteOverflow(r307::kToHost);  // e.g. boot-time noise on the UART
  bridge.begin(0);
  bridge.poll(1);
  CHECK_EQ(bridge.ledMode(1), r307::kLedIdle);
  CHECK_EQ(bridge.overflowCount(r307::kToHost), 1u);
}
