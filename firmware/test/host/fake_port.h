// Fake serial port for host tests of the bridge.
//
// Receive side ("incoming"): bytes the far end has sent us and the bridge may
// read. It has a finite capacity like a UART receive buffer; bytes arriving
// when it is full are dropped *by the port* and reported through onOverflow,
// as the ESP32 UART driver does.
//
// Transmit side: write() puts bytes into "pending" (the port's TX buffer, of
// txCapacity bytes); drain(n) moves up to n of them onto the wire ("sent").
// With autoDrain, written bytes go straight to the wire.
//
// Knobs make it misbehave the ways real ports do: blocked (no room at all),
// short writes (takes fewer bytes than availableForWrite() promised), short
// reads, and broken return values.
#ifndef FAKE_PORT_H
#define FAKE_PORT_H

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <vector>

#include "byte_stream.h"

class FakePort : public r307::ByteStream {
 public:
  static constexpr size_t kUnlimited = std::numeric_limits<size_t>::max() / 4;

  // Receive side.
  std::deque<uint8_t> incoming;
  size_t rxCapacity = kUnlimited;
  size_t dropped = 0;
  std::function<void(size_t)> onOverflow;

  // Transmit side.
  std::deque<uint8_t> pending;
  std::vector<uint8_t> sent;
  size_t txCapacity = kUnlimited;
  bool autoDrain = true;

  // Misbehaviour.
  bool blocked = false;          // availableForWrite() == 0
  size_t maxWriteAccept = kUnlimited;  // write() takes at most this many per call
  size_t maxReadReturn = kUnlimited;   // read() returns at most this many per call
  int bogusReads = 0;            // next N reads return (size_t)-1 and copy nothing
  int bogusWrites = 0;           // next N writes take what they are given but return n + 5

  // Statistics.
  size_t readCalls = 0;
  size_t writeCalls = 0;
  size_t largestWrite = 0;

  // The far end sends bytes to us. Returns how many fit; the rest are dropped.
  size_t receive(const uint8_t* data, size_t n) {
    size_t accepted = 0;
    for (size_t i = 0; i < n; ++i) {
      if (incoming.size() < rxCapacity) {
        incoming.push_back(data[i]);
        ++accepted;
      }
    }
    if (accepted < n) {
      dropped += n - accepted;
      if (onOverflow) onOverflow(n - accepted);
    }
    return accepted;
  }
  size_t receive(const std::vector<uint8_t>& data) { return receive(data.data(), data.size()); }

  // Moves up to n bytes from the TX buffer to the wire.
  size_t drain(size_t n) {
    size_t moved = 0;
    while (moved < n && !pending.empty()) {
      sent.push_back(pending.front());
      pending.pop_front();
      ++moved;
    }
    return moved;
  }

  // ByteStream
  size_t available() override { return incoming.size(); }

  size_t read(uint8_t* buf, size_t n) override {
    ++readCalls;
    if (bogusReads > 0) {
      --bogusReads;
      return static_cast<size_t>(-1);
    }
    size_t k = 0;
    while (k < n && k < maxReadReturn && !incoming.empty()) {
      buf[k++] = incoming.front();
      incoming.pop_front();
    }
    return k;
  }

  size_t availableForWrite() override {
    if (blocked) return 0;
    return txCapacity > pending.size() ? txCapacity - pending.size() : 0;
  }

  size_t write(const uint8_t* buf, size_t n) override {
    ++writeCalls;
    if (n > largestWrite) largestWrite = n;
    if (blocked) return 0;
    size_t room = txCapacity > pending.size() ? txCapacity - pending.size() : 0;
    size_t k = n;
    if (k > room) k = room;
    if (k > maxWriteAccept) k = maxWriteAccept;
    for (size_t i = 0; i < k; ++i) pending.push_back(buf[i]);
    if (autoDrain) drain(pending.size());
    if (bogusWrites > 0 && k == n) {
      --bogusWrites;
      return n + 5;
    }
    return k;
  }
};

#endif  // FAKE_PORT_H
