// Planted defects for tools/sanitize.sh: before the tests run under a sanitizer, the script builds
// this file with the same compiler and sanitizer flags, runs it with the same *SAN_OPTIONS, and
// requires a report. A sanitizer stage that cannot see a planted leak, overflow or race proves
// nothing when the tests pass.
//
//   sanitizer-canary leak       4 KiB allocated and lost           (LeakSanitizer)
//   sanitizer-canary overflow   a signed int overflow              (UBSan, signed-integer-overflow)
//   sanitizer-canary race       two threads increment one int      (ThreadSanitizer)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace {

int shared_counter = 0;
void* volatile lost = nullptr;

}  // namespace

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  if (std::strcmp(mode, "leak") == 0) {
    lost = std::malloc(4096);
    lost = nullptr;
    return 0;
  }
  if (std::strcmp(mode, "overflow") == 0) {
    const int big = argc + 0x7ffffffe;  // argc is 2: INT_MAX + 1
    std::printf("%d\n", big);
    return 0;
  }
  if (std::strcmp(mode, "race") == 0) {
    std::thread a([] { ++shared_counter; });
    std::thread b([] { ++shared_counter; });
    a.join();
    b.join();
    std::printf("%d\n", shared_counter);
    return 0;
  }
  std::fprintf(stderr, "usage: sanitizer-canary leak|overflow|race\n");
  return 2;
}
