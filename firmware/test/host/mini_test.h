// A very small test harness: TEST(name) { CHECK(...); CHECK_EQ(a, b); }
// main() is provided by defining MINI_TEST_MAIN in exactly one file.
// The run ends with the line "N passed, M failed" and exits non-zero on failure.
#ifndef MINI_TEST_H
#define MINI_TEST_H

#include <cstdio>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace mini_test {

struct Case {
  const char* name;
  std::function<void()> body;
};

inline std::vector<Case>& registry() {
  static std::vector<Case> cases;
  return cases;
}

inline int& currentFailures() {
  static int failures = 0;
  return failures;
}

struct Registrar {
  Registrar(const char* name, std::function<void()> body) {
    registry().push_back(Case{name, std::move(body)});
  }
};

inline void fail(const char* file, int line, const std::string& what) {
  ++currentFailures();
  if (currentFailures() <= 5) std::printf("    %s:%d: %s\n", file, line, what.c_str());
}

template <typename A, typename B>
void checkEq(const A& a, const B& b, const char* as, const char* bs, const char* file, int line) {
  if (!(a == b)) {
    std::ostringstream out;
    out << "CHECK_EQ(" << as << ", " << bs << "): " << +a << " != " << +b;
    fail(file, line, out.str());
  }
}

}  // namespace mini_test

#define MT_CAT2(a, b) a##b
#define MT_CAT(a, b) MT_CAT2(a, b)

#define TEST(name)                                                                   \
  static void MT_CAT(test_fn_, __LINE__)();                                          \
  static mini_test::Registrar MT_CAT(test_reg_, __LINE__)(name, MT_CAT(test_fn_, __LINE__)); \
  static void MT_CAT(test_fn_, __LINE__)()

#define CHECK(cond) \
  do { if (!(cond)) mini_test::fail(__FILE__, __LINE__, "CHECK(" #cond ") failed"); } while (0)

#define CHECK_EQ(a, b) mini_test::checkEq((a), (b), #a, #b, __FILE__, __LINE__)

// Stop the current test (after a failure that makes the rest meaningless).
#define REQUIRE(cond)                                                          \
  do {                                                                         \
    if (!(cond)) {                                                             \
      mini_test::fail(__FILE__, __LINE__, "REQUIRE(" #cond ") failed");        \
      return;                                                                  \
    }                                                                          \
  } while (0)

#ifdef MINI_TEST_MAIN
int main(int argc, char** argv) {
  const std::string only = argc > 1 ? argv[1] : "";
  int passed = 0;
  int failed = 0;
  for (const mini_test::Case& c : mini_test::registry()) {
    if (!only.empty() && std::string(c.name).find(only) == std::string::npos) continue;
    mini_test::currentFailures() = 0;
    c.body();
    if (mini_test::currentFailures() == 0) {
      ++passed;
      std::printf("ok    %s\n", c.name);
    } else {
      ++failed;
      std::printf("FAIL  %s (%d failed checks)\n", c.name, mini_test::currentFailures());
    }
  }
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 && passed > 0 ? 0 : 1;
}
#endif

#endif  // MINI_TEST_H
