// Compile-time settings of the bridge. Override any of them with -D... in
// platformio.ini (build_flags) or by editing the defaults here for the Arduino IDE.
#ifndef R307_BRIDGE_CONFIG_H
#define R307_BRIDGE_CONFIG_H

// Baud rate of the R307's UART (factory default 57600 = 9600 * 6).
#ifndef R307_BAUD
#define R307_BAUD 57600
#endif

// Baud rate of UART0 on boards whose USB port is a USB-UART chip (CP2102,
// CH340, CH9102). The host opens the COM port at this rate; it must equal the
// rate the kiosk is configured for, which is the sensor's rate. (With native
// USB CDC the host's line coding is followed instead; see BRIDGE_FOLLOW_HOST_BAUD.)
#ifndef BRIDGE_HOST_BAUD
#define BRIDGE_HOST_BAUD R307_BAUD
#endif

// Native USB only: when the host sets a new CDC line coding that is a valid
// R307 rate (9600 * N, N = 1..12), switch UART2 to it. 0 disables.
#ifndef BRIDGE_FOLLOW_HOST_BAUD
#define BRIDGE_FOLLOW_HOST_BAUD 1
#endif

// UART2 pins. Passed to Serial2.begin() explicitly: arduino-esp32 3.x changed
// the default Serial2 pins on the ESP32, so the defaults cannot be relied on.
// R307 pin 3 (TXD, module out) -> R307_RX_PIN; R307 pin 4 (RXD) <- R307_TX_PIN.
#ifndef R307_RX_PIN
#define R307_RX_PIN 16
#endif
#ifndef R307_TX_PIN
#define R307_TX_PIN 17
#endif

// Status LED (-1: none). GPIO 2 is the blue LED of common ESP32 DevKit boards.
#ifndef BRIDGE_LED_PIN
#define BRIDGE_LED_PIN 2
#endif
#ifndef BRIDGE_LED_ACTIVE_LOW
#define BRIDGE_LED_ACTIVE_LOW 0
#endif

// Power-up hold: bytes from the host are not sent to the sensor before this
// many ms after start-up (or before the sensor sends its 0x55 ready byte).
#ifndef R307_POWERUP_WAIT_MS
#define R307_POWERUP_WAIT_MS 1000
#endif
// Longer hold after a brown-out reset: the sensor may have browned out too.
#ifndef R307_BROWNOUT_WAIT_MS
#define R307_BROWNOUT_WAIT_MS 2000
#endif

// Driver buffer sizes. They must be set before begin(). 1024 bytes hold almost
// four 267-byte packets, about 175 ms of traffic at 57600 baud.
#ifndef BRIDGE_UART_RX_BUFFER
#define BRIDGE_UART_RX_BUFFER 1024
#endif
#ifndef BRIDGE_UART_TX_BUFFER
#define BRIDGE_UART_TX_BUFFER 512
#endif

#endif  // R307_BRIDGE_CONFIG_H
