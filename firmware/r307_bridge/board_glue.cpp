// Board glue of the bridge: ports, buffer sizes, LED, start-up (Arduino-only).
// The sketch file r307_bridge.ino just calls bridgeSetup() and bridgeLoop();
// keeping the code here, in a plain .cpp, spares it the Arduino IDE's
// automatic prototype generation for .ino files.
//
// Serial carries sensor data and nothing else: nothing here prints on it, and
// core/IDF log output is switched off.

#include <Arduino.h>
#include <esp_log.h>
#include <esp_system.h>

#include "arduino_port.h"
#include "board_glue.h"
#include "bridge.h"
#include "config.h"

#if !defined(ARDUINO_ARCH_ESP32)
#error "This sketch targets the ESP32 Arduino core (arduino-esp32)."
#endif

#if SOC_UART_NUM < 3
#error "The sensor is on UART2 (Serial2); this chip has fewer UARTs. Use an ESP32 or ESP32-S3."
#endif

#if defined(CONFIG_IDF_TARGET_ESP32) && defined(BOARD_HAS_PSRAM) && \
    (R307_RX_PIN == 16 || R307_RX_PIN == 17 || R307_TX_PIN == 16 || R307_TX_PIN == 17)
#error "GPIO16/17 carry the PSRAM on ESP32-WROVER modules: set R307_RX_PIN / R307_TX_PIN to free GPIOs."
#endif

#if ARDUINO_USB_CDC_ON_BOOT && ARDUINO_USB_MODE
#error "Serial is the USB Serial/JTAG port here (USB Mode: Hardware CDC and JTAG). Build with USB Mode 'USB-OTG (TinyUSB)', or with 'USB CDC On Boot: Disabled' and use the board's USB-UART port."
#endif

#if ARDUINO_USB_CDC_ON_BOOT
// Native USB (ESP32-S2/S3, TinyUSB CDC): Serial is a USBCDC.
#define BRIDGE_NATIVE_USB 1
typedef USBCDC HostSerialType;
#else
// USB-UART chip on UART0: Serial is a HardwareSerial.
#define BRIDGE_NATIVE_USB 0
typedef HardwareSerial HostSerialType;
#endif

static HardwareSerial& SensorSerial = Serial2;

static ArduinoPort<HostSerialType> hostPort(Serial);
static ArduinoPort<HardwareSerial> sensorPort(Serial2);
static r307::Bridge bridge(hostPort, sensorPort);

#if BRIDGE_LED_PIN >= 0
static int ledLevel = -1;
#endif

#if BRIDGE_NATIVE_USB && BRIDGE_FOLLOW_HOST_BAUD
static uint32_t sensorBaud = R307_BAUD;
static volatile uint32_t requestedBaud = 0;  // set from the USB event task

static void onUsbLineCoding(void* arg, esp_event_base_t base, int32_t id, void* data) {
  (void)arg;
  if (base != ARDUINO_USB_CDC_EVENTS || id != ARDUINO_USB_CDC_LINE_CODING_EVENT || data == NULL) return;
  const arduino_usb_cdc_event_data_t* ev = (const arduino_usb_cdc_event_data_t*)data;
  requestedBaud = ev->line_coding.bit_rate;
}

static void applyRequestedBaud() {
  const uint32_t requested = requestedBaud;
  if (requested == 0) return;
  requestedBaud = 0;
  // e.g. the 1200 bps reboot touch is not for the sensor (and reboot is disabled below).
  const uint32_t baud = r307::followHostBaud(sensorBaud, requested);
  if (baud == sensorBaud) return;
  SensorSerial.flush();  // let bytes already queued leave at the old rate
  SensorSerial.updateBaudRate(baud);
  sensorBaud = baud;
}
#endif

// Runs in the UART event task, not in loop().
static void onSensorUartError(hardwareSerial_error_t err) {
  if (err == UART_BUFFER_FULL_ERROR || err == UART_FIFO_OVF_ERROR) bridge.noteOverflow(r307::kToHost);
}

#if !BRIDGE_NATIVE_USB
static void onHostUartError(hardwareSerial_error_t err) {
  if (err == UART_BUFFER_FULL_ERROR || err == UART_FIFO_OVF_ERROR) bridge.noteOverflow(r307::kToSensor);
}
#endif

static void setLed(bool on) {
#if BRIDGE_LED_PIN >= 0
  const int level = (on != (BRIDGE_LED_ACTIVE_LOW != 0)) ? HIGH : LOW;
  if (level != ledLevel) {
    digitalWrite(BRIDGE_LED_PIN, level);
    ledLevel = level;
  }
#else
  (void)on;
#endif
}

void bridgeSetup() {
  // Nothing but sensor data may appear on Serial.
  esp_log_level_set("*", ESP_LOG_NONE);

#if BRIDGE_LED_PIN >= 0
  pinMode(BRIDGE_LED_PIN, OUTPUT);
#endif
  setLed(true);

  // Host side. Buffer sizes must be set before begin().
#if BRIDGE_NATIVE_USB
  // The core reboots into the ROM bootloader when the host sets 1200 bit/s or plays
  // esptool's DTR/RTS sequence. A station's baud scan or port open must never do that:
  // flashing goes through the BOOT button instead (README, "Build and flash").
  Serial.enableReboot(false);
  Serial.setRxBufferSize(BRIDGE_UART_RX_BUFFER);
#if BRIDGE_FOLLOW_HOST_BAUD
  Serial.onEvent(ARDUINO_USB_CDC_LINE_CODING_EVENT, onUsbLineCoding);
#endif
  Serial.begin(BRIDGE_HOST_BAUD);  // the rate is ignored by USB CDC
#else
  Serial.setRxBufferSize(BRIDGE_UART_RX_BUFFER);
  Serial.setTxBufferSize(BRIDGE_UART_TX_BUFFER);
  Serial.begin(BRIDGE_HOST_BAUD);
  Serial.onReceiveError(onHostUartError);
#endif
  Serial.setDebugOutput(false);

  // Sensor side: UART2 with explicit pins.
  SensorSerial.setRxBufferSize(BRIDGE_UART_RX_BUFFER);
  SensorSerial.setTxBufferSize(BRIDGE_UART_TX_BUFFER);
  SensorSerial.begin(R307_BAUD, SERIAL_8N1, R307_RX_PIN, R307_TX_PIN);
  SensorSerial.onReceiveError(onSensorUartError);

  // The sensor powers up together with the board (or browned out with it).
  // Hold host->sensor traffic until it is ready; sensor->host is open from now on.
  const uint32_t waitMs = (esp_reset_reason() == ESP_RST_BROWNOUT) ? R307_BROWNOUT_WAIT_MS : R307_POWERUP_WAIT_MS;
  bridge.begin(millis(), waitMs);
}

void bridgeLoop() {
#if BRIDGE_NATIVE_USB && BRIDGE_FOLLOW_HOST_BAUD
  applyRequestedBaud();
#endif
  const uint32_t now = millis();
  const size_t work = bridge.poll(now);
  setLed(bridge.ledOn(now));
  if (work == 0) {
    // Idle: give the CPU back for 1 ms (about 6 bytes at 57600 baud, far below
    // the driver buffers), so the idle task and the watchdog are served.
    delay(1);
  }
}
