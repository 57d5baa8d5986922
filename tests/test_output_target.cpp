// What `rxstress run` may write to and what it checks before simulating (issue 18): only a regular
// file is ever replaced (a device, a directory or a FIFO is refused, --force or not), the output's
// directory must exist and be writable, the estimated file must fit in the free space, partial
// files of runs that are gone are removed, and --no-output runs with no file at all.
#include <sys/file.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "program.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using namespace rxstress::testing;

namespace {

// The scratch scenario's run with `extra` arguments.
Outcome run_scratch(const ScratchDir& dir, std::vector<std::string> extra,
                    const ChildSetup& setup = {}) {
  std::vector<std::string> args{"run", dir.scenario(), "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_rxstress(args, dir.logs(), std::chrono::seconds(300), setup);
}

void require_refused(const Outcome& r, const std::string& path, const std::string& what) {
  INFO(r.describe() << "\nstderr:\n" << r.err);
  REQUIRE(r.exited);
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Contains("rxstress: " + path + ": -o: ") && Contains(what));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

}  // namespace

TEST_CASE("a device is never replaced: -o /dev/null --force is refused and /dev/null stays",
          "[output]") {
  ScratchDir dir("output");
  struct stat before {};
  REQUIRE(stat("/dev/null", &before) == 0);
  for (const bool force : {true, false}) {
    const Outcome r =
        run_scratch(dir, force ? std::vector<std::string>{"-o", "/dev/null", "--force"}
                               : std::vector<std::string>{"-o", "/dev/null"});
    require_refused(r, "/dev/null", "a character device, not a results file");
    struct stat after {};
    REQUIRE(stat("/dev/null", &after) == 0);
    CHECK(S_ISCHR(after.st_mode));
    CHECK(after.st_rdev == before.st_rdev);
    CHECK(after.st_ino == before.st_ino);
  }
  for (const auto& name : entries("/dev")) CHECK_FALSE(name.starts_with("null.partial-"));
}

TEST_CASE("a directory or a FIFO is never replaced, --force or not", "[output]") {
  ScratchDir dir("output");
  const fs::path folder = dir.out() / "folder", fifo = dir.out() / "fifo";
  fs::create_directories(folder);
  std::ofstream(folder / "inside.txt") << "kept\n";
  REQUIRE(mkfifo(fifo.c_str(), 0644) == 0);
  require_refused(run_scratch(dir, {"-o", folder.string(), "--force"}), folder.string(),
                  "a directory, not a results file");
  require_refused(run_scratch(dir, {"-o", fifo.string(), "--force"}), fifo.string(),
                  "a FIFO, not a results file");
  CHECK(fs::is_directory(folder));
  CHECK(entries(folder) == std::vector<std::string>{"inside.txt"});
  CHECK(fs::is_fifo(fifo));
  CHECK(entries(dir.out()) == std::vector<std::string>{"fifo", "folder"});
}

TEST_CASE("an output directory that is missing, not a directory or read-only: exit 2 naming it",
          "[output]") {
  ScratchDir dir("output");
  SECTION("missing") {
    const fs::path missing = dir.out() / "missing";
    require_refused(run_scratch(dir, {"-o", (missing / "out.h5").string()}), missing.string(),
                    "the output directory does not exist");
    CHECK_FALSE(fs::exists(missing));
  }
  SECTION("a file stands where the directory should be") {
    std::ofstream(dir.out() / "plain") << "not a directory\n";
    require_refused(run_scratch(dir, {"-o", (dir.out() / "plain" / "out.h5").string()}),
                    (dir.out() / "plain").string(), "not a directory");
    CHECK(entries(dir.out()) == std::vector<std::string>{"plain"});
  }
  SECTION("read-only: a read-only tmpfs as root (who may write in any directory), else 0555") {
    const fs::path ro = dir.out() / "ro";
    std::optional<TmpfsMount> read_only_disk;
    if (geteuid() == 0) {
      read_only_disk.emplace(ro, 1 << 20, /*read_only=*/true);
      if (!read_only_disk->mounted()) {
        WARN("skipped: " << read_only_disk->reason());
        return;
      }
    } else {
      fs::create_directories(ro);
      fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
    }
    require_refused(run_scratch(dir, {"-o", (ro / "out.h5").string()}), ro.string(),
                    "the output directory cannot be written");
    CHECK(entries(ro).empty());
  }
}

TEST_CASE("partial files of runs that are gone are removed; a running or locked one is kept",
          "[output]") {
  ScratchDir dir("output");
  const fs::path out = dir.out() / "out.h5";
  const pid_t dead = dead_pid(), dead_but_locked = dead_pid();
  const auto partial = [&](pid_t pid) { return out.string() + ".partial-" + std::to_string(pid); };
  for (pid_t pid : {dead, dead_but_locked, getpid()})
    std::ofstream(partial(pid)) << "an unfinished HDF5 file\n";
  std::ofstream(dir.out() / "out.h5.partial-notapid") << "not ours\n";
  // A run on another machine sharing the file system: its pid means nothing here, its lock does.
  const int fd = open(partial(dead_but_locked).c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  REQUIRE(flock(fd, LOCK_EX) == 0);
  const Outcome r = run_scratch(dir, {"-o", out.string()});
  close(fd);
  INFO(r.describe() << "\nstderr:\n" << r.err);
  CHECK(r.status == 0);
  CHECK_THAT(r.err, Contains("removed " + partial(dead) + ", left by a run that has ended"));
  CHECK_THAT(r.err, Contains("kept " + partial(getpid()) + ": its process"));
  CHECK_THAT(r.err, Contains("kept " + partial(dead_but_locked) + ": a run"));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 3);
  CHECK_FALSE(fs::exists(partial(dead)));
  CHECK(fs::exists(partial(dead_but_locked)));
  CHECK(fs::exists(partial(getpid())));
  CHECK(fs::exists(dir.out() / "out.h5.partial-notapid"));
  CHECK(fs::exists(out));
}

TEST_CASE("a run whose estimated file exceeds the free space is refused with both figures",
          "[output]") {
  ScratchDir dir("output");
  const fs::path small_disk = dir.out() / "disk";
  TmpfsMount disk(small_disk, 64 << 10);
  if (!disk.mounted()) {
    WARN("skipped: " << disk.reason());
    return;
  }
  const fs::path out = small_disk / "out.h5";
  const Outcome refused = run_scratch(dir, {"-o", out.string(), "--paths", "2000"});
  INFO("stderr:\n" << refused.err);
  CHECK(refused.status == 2);
  CHECK_THAT(refused.err, Contains("the results file would be about ") &&
                              Contains(" GB (uncompressed), more than the ") &&
                              Contains(" GB free in " + small_disk.string()) &&
                              Contains("--no-space-check"));
  CHECK(entries(small_disk).empty());
  // Told to go ahead, it fills the disk: the write fails and is reported.
  const Outcome forced =
      run_scratch(dir, {"-o", out.string(), "--paths", "2000", "--no-space-check"});
  INFO("stderr:\n" << forced.err);
  CHECK(forced.status == 1);
  CHECK_THAT(forced.err, Contains("No space left on device"));
  CHECK(entries(small_disk).empty());
}

TEST_CASE("run --no-output prints the headline of the run and writes no file", "[output]") {
  ScratchDir dir("output");
  ChildSetup in_out;
  in_out.cwd = dir.out().string();
  const Outcome none = run_rxstress({"run", dir.scenario(), "--no-output"}, dir.logs(),
                                    std::chrono::seconds(300), in_out);
  INFO(none.describe() << "\nstderr:\n" << none.err);
  REQUIRE(none.status == 0);
  CHECK(entries(dir.out()).empty());
  CHECK(entries(dir.path()) == std::vector<std::string>{"good.yaml", "logs", "out"});
  const Outcome kept = run_scratch(dir, {"-o", (dir.out() / "out.h5").string()});
  REQUIRE(kept.status == 0);
  const Outcome summary = run_rxstress({"summary", (dir.out() / "out.h5").string()}, dir.logs());
  REQUIRE(summary.status == 0);
  CHECK_THAT(none.out, Contains("held in memory") && Contains("no results file kept"));
  // The same headline as the file's: the in-memory file went through the same writer and pass.
  CHECK_THAT(none.out, Contains(summary.out));
}
