// The batch progress line (issue 14): when standard error is not a terminal, `run` prints
// `progress: DONE/TOTAL paths (P %), R paths/s, about T left` every --progress-every seconds. The
// tests use --progress-every 0 (a line after every block) so that nothing depends on timing.
#include <catch2/catch.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "app/progress.hpp"
#include "program.hpp"

using namespace rxstress::testing;

namespace {

// The paths-done figure of every progress line of `text` (asserting each line's format).
std::vector<long long> progress_counts(const std::string& text, const std::string& total) {
  const std::regex line(
      "progress: ([0-9,]+)/" + total +
      R"( paths \((\d+) %\), (\d+) paths/s, (about \d+(\.\d)? (s|min|h) left|time left unknown))");
  std::vector<long long> done;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (l.rfind("progress:", 0) != 0) continue;
    std::smatch m;
    INFO("line: " << l);
    REQUIRE(std::regex_match(l, m, line));
    std::string digits = m[1];
    std::erase(digits, ',');
    done.push_back(std::stoll(digits));
  }
  return done;
}

std::string run_logged(ScratchDir& dir, const std::string& args, int expected_status,
                       const std::string& env = "") {
  const std::string err = (dir.logs() / "stderr.txt").string();
  const ShellResult r =
      shell(env + " " + RXSTRESS_BINARY + " run " + dir.scenario() + " -o " +
            (dir.out() / "out.h5").string() + " --force " + args + " 2>" + err + " >/dev/null");
  const std::string text = slurp(err);
  INFO("stderr:\n" << text);
  REQUIRE(r.status == expected_status);
  return text;
}

}  // namespace

TEST_CASE("progress_text groups thousands and says what is left", "[progress]") {
  CHECK(rxstress::progress_text(3200, 10000, 412.4, 16.5) ==
        "3,200/10,000 paths (32 %), 412 paths/s, about 16 s left");
  CHECK(rxstress::progress_text(1234567, 1000000000, 50, 600) ==
        "1,234,567/1,000,000,000 paths (0 %), 50 paths/s, about 10 min left");
  CHECK(rxstress::progress_text(0, 10, 0, 0) == "0/10 paths (0 %), 0 paths/s, time left unknown");
  CHECK(rxstress::progress_text(999, 1000, 1, 9000) ==
        "999/1,000 paths (99 %), 1 paths/s, about 2.5 h left");
}

TEST_CASE("run prints monotone progress lines to a log that is not a terminal", "[progress]") {
  ScratchDir dir("progress");
  const std::string text = run_logged(dir, "--paths 2000 --progress-every 0", 0);
  const std::vector<long long> done = progress_counts(text, "2,000");
  // 2000 paths are 63 blocks of 32: a line after each.
  REQUIRE(done.size() == 63);
  for (std::size_t i = 1; i < done.size(); ++i) CHECK(done[i] > done[i - 1]);
  CHECK(done.front() == 32);
  CHECK(done.back() == 2000);
  CHECK(text.find('\r') == std::string::npos);  // no terminal redraws in a log
}

TEST_CASE("the progress interval comes from the environment unless given", "[progress]") {
  ScratchDir dir("progress-env");
  CHECK(progress_counts(run_logged(dir, "--paths 320", 0, "RXSTRESS_PROGRESS_EVERY=0"), "320")
            .size() == 10);
  // The option wins over the environment; a week between lines prints none in this short run.
  CHECK(progress_counts(
            run_logged(dir, "--paths 320 --progress-every 604800", 0, "RXSTRESS_PROGRESS_EVERY=0"),
            "320")
            .empty());
  CHECK(
      progress_counts(run_logged(dir, "--paths 320 --quiet --progress-every 0", 0), "320").empty());
  const std::string bad = run_logged(dir, "--paths 320", 2, "RXSTRESS_PROGRESS_EVERY=soon");
  CHECK(bad.find("RXSTRESS_PROGRESS_EVERY=soon") != std::string::npos);
}
