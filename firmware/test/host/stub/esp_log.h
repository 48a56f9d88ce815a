// Stand-in for ESP-IDF's esp_log.h (syntax check only; see Arduino.h here).
#ifndef STUB_ESP_LOG_H
#define STUB_ESP_LOG_H
typedef enum { ESP_LOG_NONE, ESP_LOG_ERROR, ESP_LOG_WARN, ESP_LOG_INFO, ESP_LOG_DEBUG, ESP_LOG_VERBOSE } esp_log_level_t;
void esp_log_level_set(const char* tag, esp_log_level_t level);
#endif
