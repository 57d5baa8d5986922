// libFuzzer target: arbitrary bytes as the practice table CSV (population.file), through
// rxstress::read_population_csv. The bytes go to a scratch file (the reader takes a path).
// rxstress::InputError is the expected answer; anything else is a finding (see README.md).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "rxstress/error.hpp"
#include "rxstress/population.hpp"

namespace {

const std::string& scratch_path() {
  static const std::string path = [] {
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir && *dir ? dir : "/tmp") + "/rxstress-fuzz-" +
           std::to_string(getpid()) + ".csv";
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = scratch_path();
  if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
    if (size) std::fwrite(data, 1, size, f);
    std::fclose(f);
  } else {
    std::perror(path.c_str());
    std::abort();
  }
  try {
    const rxstress::Population pop = rxstress::read_population_csv(path);
    for (std::size_t i = 0; i < pop.size(); ++i)
      if (!(pop.list_size[i] >= 1.0) || !(pop.annual_spend[i] >= 0.0) ||
          !(pop.generic_share[i] >= 0.0 && pop.generic_share[i] <= 1.0) || pop.id[i].empty()) {
        std::fprintf(stderr, "fuzz: practice %zu passed the reader with invalid values\n", i);
        std::abort();
      }
  } catch (const rxstress::InputError&) {
    // Expected.
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz: unexpected exception (not rxstress::InputError): %s\n", e.what());
    std::abort();
  } catch (...) {
    std::fprintf(stderr, "fuzz: unexpected non-standard exception\n");
    std::abort();
  }
  return 0;
}
