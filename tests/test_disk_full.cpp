// A full disk in each phase of a run (issue 18). A tmpfs mounted for the test (skipped, with the
// reason, where mounting is not permitted) is sized so that the run's writes fail in the path
// blocks, in the statistics or at the close; and a file-size limit (ulimit -f), whose SIGXFSZ the
// program must ignore itself. Each time: exit 1, one line naming the output and the system's
// reason, no crash and no HDF5 dump, no partial file, an earlier results file untouched.
// (test_write_faults.cpp fails single writes, whichever they are, in-process.)
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "program.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using namespace rxstress::testing;

namespace {

const std::string kEarlier = "results of an earlier run\n";

// The scratch scenario (4 practices, 1 driver) with 2,000 paths: a results file of about 500 KB,
// whose path blocks (about 150 KB, written as they come) fit on a disk of a few hundred KB that
// then fills in the statistics or at the close.
const std::vector<std::string> kSmallRun = {"--paths", "2000"};
// With 600 practices a small disk fills while the paths run.
const std::vector<std::string> kManyPractices = {"--paths", "100", "--set",
                                                 "population.synthetic.practices=600"};

// Runs the scratch scenario with `extra` over an earlier results file in `disk` (--force).
Outcome run_over_earlier(const ScratchDir& dir, const fs::path& disk,
                         const std::vector<std::string>& extra, const ChildSetup& setup = {}) {
  std::ofstream(disk / "out.h5", std::ios::binary) << kEarlier;
  std::vector<std::string> args{
      "run",     dir.scenario(),    "-o", (disk / "out.h5").string(), "--force",
      "--quiet", "--no-space-check"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_rxstress(args, dir.logs(), std::chrono::seconds(600), setup);
}

void check_failed_cleanly(const Outcome& r, const fs::path& disk, const std::string& reason,
                          const std::string& phase_words) {
  INFO(r.describe() << "\nstderr:\n" << r.err);
  REQUIRE(r.exited);  // not killed by a signal (SIGSEGV, SIGXFSZ)
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("rxstress: ") && Contains("out.h5") && Contains(reason));
  CHECK_THAT(r.err, Contains(phase_words));
  CHECK_THAT(r.err, Contains("left as it was"));
  CHECK_THAT(r.err, !Contains("HDF5-DIAG"));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK_THAT(r.err, EndsWith("\n"));
  CHECK(entries(disk) == std::vector<std::string>{"out.h5"});
  CHECK(slurp(disk / "out.h5") == kEarlier);
}

// Runs over an earlier results file on a disk of `bytes` and checks that it failed cleanly,
// naming `phase_words`; returns the run, or nothing when no disk could be mounted (skipped).
std::optional<Outcome> fill_disk(std::size_t bytes, const std::vector<std::string>& extra,
                                 const std::string& phase_words) {
  ScratchDir dir("disk-full");
  const fs::path disk = dir.out() / "disk";
  TmpfsMount tmpfs(disk, bytes);
  if (!tmpfs.mounted()) {
    WARN("skipped: " << tmpfs.reason());
    return std::nullopt;
  }
  Outcome r = run_over_earlier(dir, disk, extra);
  check_failed_cleanly(r, disk, "No space left on device", phase_words);
  return r;
}

}  // namespace

TEST_CASE("a disk full while the paths run: exit 1, one line, no partial, old results kept",
          "[disk-full]") {
  fill_disk(256 << 10, kManyPractices, "cannot write a slab of dataset");
}

namespace {

// Where each phase starts in the file moves whenever the layout grows, so the disk is sized from
// `from_kb` up in 8 KB steps (to 480 KB, below the whole file): every size must fail cleanly, and
// one must fail naming `phase_words`. Skipped where no disk can be mounted.
void fill_disk_until(std::size_t from_kb, const std::string& phase_words) {
  bool named = false;
  for (std::size_t kb = from_kb; kb <= 480 && !named; kb += 8) {
    INFO("disk of " << kb << " KB");
    const auto r = fill_disk(kb << 10, kSmallRun, "rxstress: ");
    if (!r) return;
    named = r->err.find(phase_words) != std::string::npos;
  }
  CHECK(named);
}

}  // namespace

TEST_CASE("a disk full in the statistics: exit 1, one line, no partial, old results kept",
          "[disk-full]") {
  fill_disk_until(128, "/stats/");
}

TEST_CASE("a disk full at the close: exit 1, one line, no partial, old results kept",
          "[disk-full]") {
  fill_disk_until(192, "cannot close /");
}

TEST_CASE("a file-size limit (ulimit -f): EFBIG, not death by SIGXFSZ; no partial, old kept",
          "[disk-full]") {
  ScratchDir dir("disk-full");
  struct Case {
    std::vector<std::string> extra;
    rlim_t limit;
    std::string phase_words;
  };
  for (const Case& c : {Case{kSmallRun, 320 << 10, "cannot close /"},
                        Case{kManyPractices, 256 << 10, "cannot write a slab of dataset"}}) {
    ChildSetup limited;
    limited.file_size_limit = c.limit;
    check_failed_cleanly(run_over_earlier(dir, dir.out(), c.extra, limited), dir.out(),
                         "File too large", c.phase_words);
  }
}
