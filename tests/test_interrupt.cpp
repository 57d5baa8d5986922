// Interruption and safe output (docs/architecture.md §6, §8): `rxstress run` writes to OUT.partial-PID and
// renames it to OUT only when complete. Ctrl-C (SIGINT) and SIGTERM stop the run cleanly with exit
// 130 / 143; a failure to write (a full disk) exits 1 with a clear message; an existing OUT is
// never overwritten without --force. In every case no OUT and no partial file is left behind. (An
// unwritable output directory is refused before the run: test_output_target.cpp.)
//
// The only timing asserted is the generous 3 s guard for stopping after a signal (the goal is that
// the run stops, not how fast).
#include <signal.h>
#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "program.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using Clock = std::chrono::steady_clock;
using namespace rxstress::testing;

namespace {

const fs::path kSource = RXSTRESS_SOURCE_DIR;
const std::string kExample = (kSource / "scenarios" / "example-icb.yaml").string();

std::string joined(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s.empty() ? "(none)" : s;
}

std::optional<std::string> partial_file(const fs::path& dir, const std::string& output_name) {
  for (const auto& name : entries(dir))
    if (name.rfind(output_name + ".partial-", 0) == 0) return name;
  return std::nullopt;
}

// Starts a long run, waits for its temporary file, sends `sig`, expects `status` within 3 s.
void check_interrupt(int sig, int status) {
  ScratchDir dir("interrupt");
  const fs::path out = dir.out() / "out.h5";
  Child child({"run", kExample, "--paths", "2000000", "-o", out.string()}, dir.logs());

  // Setup (loading, the model) is not timed beyond a generous limit: sanitizer builds are slow.
  const auto setup_deadline = Clock::now() + std::chrono::seconds(300);
  std::optional<std::string> partial;
  while (!(partial = partial_file(dir.out(), "out.h5")) && child.running() &&
         Clock::now() < setup_deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  INFO("stderr:\n" << child.err());
  REQUIRE(child.running());
  REQUIRE(partial);
  CHECK(*partial == "out.h5.partial-" + std::to_string(child.pid()));

  REQUIRE(kill(child.pid(), sig) == 0);
  const bool stopped = child.wait_until(Clock::now() + std::chrono::seconds(3));
  INFO("after " << strsignal(sig) << ": " << child.describe() << "\nstderr:\n" << child.err());
  REQUIRE(stopped);
  CHECK(child.exited());
  CHECK(child.exit_status() == status);
  CHECK_THAT(child.err(), Contains("interrupted"));
  INFO("left in the output directory: " << joined(entries(dir.out())));
  CHECK(entries(dir.out()).empty());
}

}  // namespace

TEST_CASE("SIGINT stops a run: exit 130, no results file, no partial file", "[interrupt]") {
  check_interrupt(SIGINT, 130);
}

TEST_CASE("SIGTERM stops a run: exit 143, no results file, no partial file", "[interrupt]") {
  check_interrupt(SIGTERM, 143);
}

TEST_CASE("an existing results file is left alone without --force: exit 2, unchanged",
          "[interrupt]") {
  ScratchDir dir("interrupt");
  const fs::path out = dir.out() / "out.h5";
  const std::string precious = "results of an earlier run\n";
  std::ofstream(out, std::ios::binary) << precious;
  Child child({"run", dir.scenario(), "-o", out.string(), "--quiet"}, dir.logs());
  REQUIRE(child.wait_until(Clock::now() + std::chrono::seconds(300)));
  INFO(child.describe() << "\nstderr:\n" << child.err());
  CHECK(child.exited());
  CHECK(child.exit_status() == 2);
  CHECK_THAT(child.err(), Contains("already exists") && Contains("--force"));
  CHECK(slurp(out) == precious);
  CHECK(entries(dir.out()) == std::vector<std::string>{"out.h5"});
}

TEST_CASE("the interrupt tests' own scenario runs and leaves just the results file",
          "[interrupt]") {
  ScratchDir dir("interrupt");
  const fs::path out = dir.out() / "out.h5";
  Child child({"run", dir.scenario(), "--paths", "2000", "-o", out.string(), "--quiet"},
              dir.logs());
  REQUIRE(child.wait_until(Clock::now() + std::chrono::seconds(600)));
  INFO(child.describe() << "\nstderr:\n" << child.err());
  CHECK(child.exited());
  CHECK(child.exit_status() == 0);
  CHECK(entries(dir.out()) == std::vector<std::string>{"out.h5"});
  CHECK(fs::file_size(out) > 64 * 1024);  // so that test_disk_full.cpp's 64 KB limit bites
}
