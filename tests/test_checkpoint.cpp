// Checkpoint and resume (issue 14): `run --checkpoint` writes OUT.checkpoint and keeps its
// completed blocks valid; a run killed abruptly (the test hook RXSTRESS_TEST_ABORT_AFTER_BLOCKS=N
// calls _exit after N blocks, as SIGKILL or a wall-time limit would end it) leaves it behind, and
// `run --resume` finishes it into a file equal to an uninterrupted run's, bit for bit
// (tools/same-results.sh: every dataset and attribute but `created` and `command_line`).
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "program.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using namespace rxstress::testing;

namespace {

const std::string kSmall = std::string(RXSTRESS_SOURCE_DIR) + "/tests/data/small.yaml";

// 640 paths: 20 blocks of 32.
ShellResult run_small(const fs::path& out, const std::string& args, const std::string& env = "") {
  return shell(env + " " + RXSTRESS_BINARY + " run " + kSmall + " --paths 640 --quiet -o " +
               out.string() + " " + args + " 2>&1");
}

ShellResult same_results(const fs::path& a, const fs::path& b) {
  return shell("bash " + std::string(RXSTRESS_SOURCE_DIR) + "/tools/same-results.sh " + a.string() +
               " " + b.string() + " 2>&1");
}

void require_status(const ShellResult& r, int status) {
  INFO("output:\n" << r.output);
  REQUIRE(r.status == status);
}

// Runs the small scenario with `args_a` and with `args_b` and compares the two files
// (tools/same-results.sh: 0 the same run, 1 different).
ShellResult compare_runs(const std::string& tag, const std::string& args_a,
                         const std::string& args_b) {
  ScratchDir dir(tag);
  const fs::path a = dir.out() / "a.h5", b = dir.out() / "b.h5";
  require_status(run_small(a, args_a), 0);
  require_status(run_small(b, args_b), 0);
  CHECK(entries(dir.out()) == std::vector<std::string>{"a.h5", "b.h5"});
  return same_results(a, b);
}

}  // namespace

TEST_CASE("a checkpointed run killed and resumed equals the uninterrupted run", "[checkpoint]") {
  ScratchDir dir("checkpoint");
  const fs::path full = dir.out() / "full.h5", out = dir.out() / "out.h5";
  const fs::path checkpoint = dir.out() / "out.h5.checkpoint";
  require_status(run_small(full, "--threads 2"), 0);

  // Killed after 7 blocks, resumed and killed again after 5 more, then resumed to the end, with
  // other thread counts each time.
  require_status(run_small(out, "--checkpoint --checkpoint-every 0 --threads 2",
                           "RXSTRESS_TEST_ABORT_AFTER_BLOCKS=7"),
                 137);
  CHECK(entries(dir.out()) == std::vector<std::string>{"full.h5", "out.h5.checkpoint"});
  require_status(run_small(out, "--resume --checkpoint-every 0 --threads 1",
                           "RXSTRESS_TEST_ABORT_AFTER_BLOCKS=5"),
                 137);
  REQUIRE(fs::exists(checkpoint));
  const ShellResult resumed = shell(std::string(RXSTRESS_BINARY) + " run " + kSmall +
                                    " --paths 640 -o " + out.string() + " --resume --threads 2");
  INFO(resumed.output);
  REQUIRE(resumed.status == 0);
  CHECK_THAT(resumed.output,
             Contains("resuming " + checkpoint.string() + ": 384 of 640 paths done"));
  CHECK(entries(dir.out()) == std::vector<std::string>{"full.h5", "out.h5"});

  const ShellResult same = same_results(full, out);
  INFO(same.output);
  CHECK(same.status == 0);
}

TEST_CASE("a run killed between two checkpoints resumes from the last one", "[checkpoint]") {
  // With the default interval a kill usually lands after blocks were written past the last
  // checkpoint (here the one taken when the file was created): the file must still reopen, and the
  // resumed run redo those blocks to the same bits.
  ScratchDir dir("checkpoint-between");
  const fs::path full = dir.out() / "full.h5", out = dir.out() / "out.h5";
  require_status(run_small(full, "--threads 1"), 0);
  require_status(run_small(out, "--checkpoint --checkpoint-every 3600 --threads 2",
                           "RXSTRESS_TEST_ABORT_AFTER_BLOCKS=9"),
                 137);
  const ShellResult resumed = shell(std::string(RXSTRESS_BINARY) + " run " + kSmall +
                                    " --paths 640 -o " + out.string() + " --resume --threads 2");
  INFO(resumed.output);
  REQUIRE(resumed.status == 0);
  CHECK_THAT(resumed.output, Contains(": 0 of 640 paths done"));
  const ShellResult same = same_results(full, out);
  INFO(same.output);
  CHECK(same.status == 0);
}

TEST_CASE("a checkpointed run that is not interrupted equals a plain run", "[checkpoint]") {
  const ShellResult same =
      compare_runs("checkpoint-whole", "--threads 1", "--checkpoint --checkpoint-every 0");
  INFO(same.output);
  CHECK(same.status == 0);
}

TEST_CASE("the comparison of resumed files can fail", "[checkpoint]") {
  // Another seed's file must not pass for the same run: proof that same-results.sh compares.
  const ShellResult same = compare_runs("checkpoint-differs", "", "--seed 7");
  INFO(same.output);
  CHECK(same.status == 1);
  CHECK_THAT(same.output, Contains("/models/practice-held/gross"));
}

TEST_CASE("resume refuses a checkpoint of another run, and a missing one", "[checkpoint]") {
  ScratchDir dir("checkpoint-refuse");
  const fs::path out = dir.out() / "out.h5";
  const std::string checkpoint = (dir.out() / "out.h5.checkpoint").string();

  const ShellResult none = run_small(out, "--resume");
  CHECK(none.status == 2);
  CHECK_THAT(none.output, Contains(checkpoint + ": no checkpoint to resume"));

  require_status(
      run_small(out, "--checkpoint --checkpoint-every 0", "RXSTRESS_TEST_ABORT_AFTER_BLOCKS=3"),
      137);
  const ShellResult seed = run_small(out, "--resume --seed 99");
  CHECK(seed.status == 2);
  CHECK_THAT(seed.output, Contains(checkpoint + ": seed 12345 in the checkpoint, 99 in this run"));
  const ShellResult paths = shell(std::string(RXSTRESS_BINARY) + " run " + kSmall +
                                  " --paths 641 --quiet --resume -o " + out.string() + " 2>&1");
  CHECK(paths.status == 2);
  CHECK_THAT(paths.output, Contains(checkpoint + ": paths 640 in the checkpoint, 641 in this run"));
  const ShellResult set = run_small(out, "--resume --set drivers.0.growth.sd=0.03");
  CHECK(set.status == 2);
  CHECK_THAT(set.output, Contains("written for another scenario"));
  // A new checkpointed run would lose it: refused too.
  const ShellResult again = run_small(out, "--checkpoint");
  CHECK(again.status == 2);
  CHECK_THAT(again.output, Contains("a checkpoint of an earlier run is there"));
  // None of the refusals touched it, and it still resumes.
  CHECK(entries(dir.out()) == std::vector<std::string>{"out.h5.checkpoint"});
  require_status(run_small(out, "--resume"), 0);
  CHECK(entries(dir.out()) == std::vector<std::string>{"out.h5"});
}

TEST_CASE("Ctrl-C keeps a checkpointed run's file: exit 130", "[checkpoint][interrupt]") {
  ScratchDir dir("checkpoint-int");
  const fs::path checkpoint = dir.out() / "out.h5.checkpoint";
  Child child(
      {"run", kSmall, "--paths", "2000000", "--checkpoint", "-o", (dir.out() / "out.h5").string()},
      dir.logs());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(300);
  while (!fs::exists(checkpoint) && child.running() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  INFO("stderr:\n" << child.err());
  REQUIRE(child.running());
  REQUIRE(kill(child.pid(), SIGINT) == 0);
  REQUIRE(child.wait_until(std::chrono::steady_clock::now() + std::chrono::seconds(60)));
  CHECK(child.exit_status() == 130);
  CHECK_THAT(child.err(), Contains("the completed blocks are kept in " + checkpoint.string()));
  CHECK(entries(dir.out()) == std::vector<std::string>{"out.h5.checkpoint"});
}
