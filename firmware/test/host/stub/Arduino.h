// Stand-in for the arduino-esp32 headers, used only to syntax-check the board
// glue on a PC (make glue-check). It declares just what board_glue.cpp uses,
// with the signatures of arduino-esp32's HardwareSerial.h / USBCDC.h. It is
// not an emulator and proves nothing about the real ESP32 build.
#ifndef STUB_ARDUINO_H
#define STUB_ARDUINO_H

#include <stddef.h>
#include <stdint.h>

#include <functional>

#define HIGH 0x1
#define LOW 0x0
#define OUTPUT 0x03
#define SERIAL_8N1 0x800001c
#define SOC_UART_NUM 3

unsigned long millis();
void delay(uint32_t ms);
void pinMode(uint8_t pin, uint8_t mode);
void digitalWrite(uint8_t pin, uint8_t val);

typedef enum {
  UART_NO_ERROR,
  UART_BREAK_ERROR,
  UART_BUFFER_FULL_ERROR,
  UART_FIFO_OVF_ERROR,
  UART_FRAME_ERROR,
  UART_PARITY_ERROR
} hardwareSerial_error_t;
typedef std::function<void(hardwareSerial_error_t)> OnReceiveErrorCb;

class HardwareSerial {
 public:
  explicit HardwareSerial(uint8_t uart_nr);
  void begin(unsigned long baud, uint32_t config = SERIAL_8N1, int8_t rxPin = -1, int8_t txPin = -1,
             bool invert = false, unsigned long timeout_ms = 20000UL, uint8_t rxfifo_full_thrhd = 120);
  void updateBaudRate(unsigned long baud);
  int available(void);
  int availableForWrite(void);
  size_t read(uint8_t* buffer, size_t size);
  size_t write(const uint8_t* buffer, size_t size);
  void flush(void);
  void setDebugOutput(bool);
  size_t setRxBufferSize(size_t new_size);
  size_t setTxBufferSize(size_t new_size);
  void onReceiveError(OnReceiveErrorCb function);
};

#if ARDUINO_USB_CDC_ON_BOOT
typedef const char* esp_event_base_t;
typedef void (*esp_event_handler_t)(void* event_handler_arg, esp_event_base_t event_base,
                                    int32_t event_id, void* event_data);
extern esp_event_base_t const ARDUINO_USB_CDC_EVENTS;
typedef enum {
  ARDUINO_USB_CDC_ANY_EVENT = -1,
  ARDUINO_USB_CDC_CONNECTED_EVENT = 0,
  ARDUINO_USB_CDC_DISCONNECTED_EVENT,
  ARDUINO_USB_CDC_LINE_STATE_EVENT,
  ARDUINO_USB_CDC_LINE_CODING_EVENT,
  ARDUINO_USB_CDC_RX_EVENT,
  ARDUINO_USB_CDC_MAX_EVENT,
} arduino_usb_cdc_event_t;
typedef union {
  struct {
    bool dtr;
    bool rts;
  } line_state;
  struct {
    uint32_t bit_rate;
    uint8_t stop_bits;
    uint8_t parity;
    uint8_t data_bits;
  } line_coding;
  struct {
    size_t len;
  } rx;
} arduino_usb_cdc_event_data_t;

class USBCDC {
 public:
  void onEvent(arduino_usb_cdc_event_t event, esp_event_handler_t callback);
  void enableReboot(bool enable);
  size_t setRxBufferSize(size_t);
  void begin(unsigned long baud = 0);
  int available(void);
  int availableForWrite(void);
  size_t read(uint8_t* buffer, size_t size);
  size_t write(const uint8_t* buffer, size_t size);
  void setDebugOutput(bool);
};
extern USBCDC Serial;
#else
extern HardwareSerial Serial;
#endif
extern HardwareSerial Serial2;

#endif  // STUB_ARDUINO_H
