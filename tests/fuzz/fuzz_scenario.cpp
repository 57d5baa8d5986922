// libFuzzer target: arbitrary bytes as a scenario file, through YAML parsing and validation.
//
// `rxstress::InputError` is the expected answer to bad input (exit status 2 in the program).
// Anything else -- another exception, a crash, a hang, a leak, an ASan/UBSan report -- is a finding.
// Built only with -DRXSTRESS_BUILD_FUZZ=ON and clang; run it with tools/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "rxstress/error.hpp"
#include "rxstress/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const rxstress::Scenario sc = rxstress::load_scenario_text(text, "fuzz.yaml");
    // A scenario that loads must be usable: touch what a run reads first.
    if (sc.population.size() == 0 || sc.drivers.empty() || sc.delegation.empty() ||
        sc.horizon_months < 1 || sc.paths < 1) {
      std::fprintf(stderr, "fuzz: a scenario loaded but is not runnable\n");
      std::abort();
    }
    for (const auto& d : sc.drivers)
      if (!d) {
        std::fprintf(stderr, "fuzz: a scenario loaded with a null driver\n");
        std::abort();
      }
  } catch (const rxstress::InputError& e) {
    // Expected. Every message must say where: "fuzz.yaml" (or a CSV file) and a problem.
    const std::string what = e.what();
    if (what.empty()) {
      std::fprintf(stderr, "fuzz: an InputError without a message\n");
      std::abort();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz: unexpected exception (not rxstress::InputError): %s\n", e.what());
    std::abort();
  } catch (...) {
    std::fprintf(stderr, "fuzz: unexpected non-standard exception\n");
    std::abort();
  }
  return 0;
}
