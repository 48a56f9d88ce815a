#include "bridge.h"

namespace r307 {

namespace {

inline size_t minSize(size_t a, size_t b) { return a < b ? a : b; }

}  // namespace

bool isSensorBaud(uint32_t baud) {
  return baud >= 9600 && baud <= 9600u * 12 && baud % 9600 == 0;
}

uint32_t followHostBaud(uint32_t current, uint32_t requested) {
  return isSensorBaud(requested) ? requested : current;
}

// ---------------------------------------------------------------------------
// Pipe

const size_t Pipe::kCapacity;

Pipe::Pipe(ByteStream& src, ByteStream& dst)
    : src_(src),
      dst_(dst),
      head_(0),
      count_(0),
      peak_(0),
      in_(0),
      out_(0),
      stalls_(0),
      portErrors_(0) {}

size_t Pipe::pull(int watchByte, bool* seen) {
  size_t total = 0;
  while (count_ < kCapacity) {
    const size_t avail = src_.available();
    if (avail == 0) break;
    const size_t tail = (head_ + count_) % kCapacity;
    // Contiguous free space from tail: up to the end of the array, and never
    // into the bytes still waiting at head_.
    const size_t space = minSize(kCapacity - tail, kCapacity - count_);
    const size_t want = minSize(space, avail);
    size_t got = src_.read(buf_ + tail, want);
    if (got > want) {
      // A port that claims more than it was asked for is broken (for example
      // a core returning -1 cast to size_t). Trust none of it.
      ++portErrors_;
      got = 0;
    }
    if (got == 0) break;
    if (seen != 0 && watchByte >= 0 && watchByte <= 0xFF) {
      for (size_t i = 0; i < got; ++i) {
        if (buf_[tail + i] == (uint8_t)watchByte) {
          *seen = true;
          break;
        }
      }
    }
    count_ += got;
    total += got;
  }
  if (count_ > peak_) peak_ = count_;
  in_ += (uint32_t)total;
  return total;
}

size_t Pipe::push() {
  size_t total = 0;
  while (count_ > 0) {
    const size_t room = dst_.availableForWrite();
    if (room == 0) {
      ++stalls_;
      break;
    }
    const size_t want = minSize(minSize(kCapacity - head_, count_), room);
    size_t put = dst_.write(buf_ + head_, want);
    if (put > want) {
      // Cannot have taken bytes it was not given; count the port error and
      // assume it took what it was offered.
      ++portErrors_;
      put = want;
    }
    if (put == 0) {
      ++stalls_;
      break;
    }
    head_ = (head_ + put) % kCapacity;
    count_ -= put;
    total += put;
  }
  if (count_ == 0) head_ = 0;  // keep the next read contiguous
  out_ += (uint32_t)total;
  return total;
}

// ---------------------------------------------------------------------------
// Bridge

Bridge::Bridge(ByteStream& host, ByteStream& sensor, const BridgeConfig& config)
    : config_(config),
      toHost_(sensor, host),
      toSensor_(host, sensor),
      ready_(false),
      startMs_(0),
      waitMs_(config.powerUpWaitMs),
      blinkActive_(false),
      blinkStartMs_(0),
      overflowsSeen_(0),
      overflowShown_(false),
      lastOverflowMs_(0) {
  overflows_[0].store(0);
  overflows_[1].store(0);
}

void Bridge::begin(uint32_t nowMs) { begin(nowMs, config_.powerUpWaitMs); }

void Bridge::begin(uint32_t nowMs, uint32_t waitMs) {
  startMs_ = nowMs;
  waitMs_ = waitMs;
  ready_ = (waitMs == 0);
  blinkActive_ = false;
  overflowShown_ = false;
  overflowsSeen_ = overflows_[0].load() + overflows_[1].load();
}

void Bridge::noteOverflow(Direction dir) { overflows_[dir == kToHost ? 0 : 1].fetch_add(1); }

uint32_t Bridge::overflowCount(Direction dir) const {
  return overflows_[dir == kToHost ? 0 : 1].load();
}

void Bridge::updateTimers(uint32_t nowMs) {
  if (!ready_ && elapsedMs(nowMs, startMs_) >= waitMs_) ready_ = true;

  const uint32_t overflows = overflows_[0].load() + overflows_[1].load();
  if (overflows != overflowsSeen_) {
    overflowsSeen_ = overflows;
    overflowShown_ = true;
    lastOverflowMs_ = nowMs;
  }
  // Expire old events so that a 32-bit wrap cannot bring them back.
  if (overflowShown_ && elapsedMs(nowMs, lastOverflowMs_) >= config_.overflowShowMs) {
    overflowShown_ = false;
  }
  if (blinkActive_ && elapsedMs(nowMs, blinkStartMs_) >= 2 * config_.activityOffMs) {
    blinkActive_ = false;
  }
}

size_t Bridge::poll(uint32_t nowMs) {
  updateTimers(nowMs);

  size_t work = 0;

  // Sensor -> host: always open. Watch for the ready byte while holding.
  bool sawReady = false;
  work += toHost_.push();
  work += toHost_.pull(ready_ ? -1 : config_.readyByte, &sawReady);
  work += toHost_.push();
  if (sawReady) ready_ = true;

  // Host -> sensor: buffered during the power-up hold, sent once ready.
  if (ready_) work += toSensor_.push();
  work += toSensor_.pull();
  if (ready_) work += toSensor_.push();

  if (work > 0 && !blinkActive_) {
    blinkActive_ = true;
    blinkStartMs_ = nowMs;
  }
  return work;
}

LedMode Bridge::ledMode(uint32_t nowMs) const {
  if (overflowShown_ && elapsedMs(nowMs, lastOverflowMs_) < config_.overflowShowMs) {
    return kLedOverflow;
  }
  if (!ready_) return kLedStartup;
  if (blinkActive_ && elapsedMs(nowMs, blinkStartMs_) < 2 * config_.activityOffMs) {
    return kLedActivity;
  }
  return kLedIdle;
}

bool Bridge::ledOn(uint32_t nowMs) const {
  switch (ledMode(nowMs)) {
    case kLedOverflow: {
      const uint32_t half = config_.overflowHalfPeriodMs ? config_.overflowHalfPeriodMs : 1;
      return (elapsedMs(nowMs, lastOverflowMs_) / half) % 2 == 0;
    }
    case kLedStartup: {
      const uint32_t half = config_.startupHalfPeriodMs ? config_.startupHalfPeriodMs : 1;
      return (elapsedMs(nowMs, startMs_) / half) % 2 == 0;
    }
    case kLedActivity:
      // Dark for the first half of the blink, lit for the second half, so
      // continuous traffic shows as a steady flicker.
      return elapsedMs(nowMs, blinkStartMs_) >= config_.activityOffMs;
    case kLedIdle:
    default:
      return true;
  }
}

}  // namespace r307
