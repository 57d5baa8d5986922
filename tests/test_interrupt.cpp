// Interruption and safe output (DESIGN §6, §8): `rxstress run` writes to OUT.partial-PID and
// renames it to OUT only when complete. Ctrl-C (SIGINT) and SIGTERM stop the run cleanly with exit
// 130 / 143; a failure to write (unwritable directory, disk full) exits 1 with a clear message; an
// existing OUT is never overwritten without --force. In every case no OUT and no partial file is
// left behind.
//
// The only timing asserted is the generous 3 s guard for stopping after a signal (the goal is that
// the run stops, not how fast).
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using Clock = std::chrono::steady_clock;

namespace {

const fs::path kSource = RXSTRESS_SOURCE_DIR;
const std::string kBinary = RXSTRESS_BINARY;
const std::string kExample = (kSource / "scenarios" / "example-icb.yaml").string();

// A small valid scenario of the tests' own (4 practices, one driver): its results file for 2000
// paths is several hundred kB, well past the 64 kB file-size limit below.
const char* const kGood = R"yaml(rxstress: 1
name: interrupt-test
start: 2026-04
horizon_months: 12
paths: 200
seed: 1
population:
  synthetic:
    practices: 4
    list_size: {median: 7000, sigma_log: 0.5}
    spend_per_patient: {mean: 160, sd: 30}
    providers: 2
    neighbourhoods: 2
drivers:
  - type: baseline
    growth: {mean: 0.04, sd: 0.02}
    seasonality: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    noise: {sd_at_10k: 0.03, autocorrelation: 0.5}
delegation:
  - {name: icb-held, holder: icb}
  - {name: practice-held, holder: practice}
)yaml";

class ScratchDir {
 public:
  ScratchDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/rxstress-interrupt-XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
    path_ = buf.data();
    fs::create_directories(path_ / "logs");
    fs::create_directories(path_ / "out");
    std::ofstream(scenario()) << kGood;
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::permissions(path_ / "out", fs::perms::owner_all, fs::perm_options::add, ignored);
    fs::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  fs::path logs() const { return path_ / "logs"; }
  fs::path out() const { return path_ / "out"; }
  std::string scenario() const { return (path_ / "good.yaml").string(); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string joined(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s.empty() ? "(none)" : s;
}

// What the child does between fork and exec (async-signal-safe calls only).
struct ChildSetup {
  rlim_t file_size_limit = RLIM_INFINITY;  // RLIMIT_FSIZE, bytes
  bool ignore_sigxfsz = false;
};

// A running rxstress program, stdout/stderr to files, stdin /dev/null.
class Child {
 public:
  Child(const std::vector<std::string>& args, const fs::path& logs, ChildSetup setup = {})
      : out_path_((logs / "stdout.txt").string()), err_path_((logs / "stderr.txt").string()) {
    std::vector<std::string> argv_s{kBinary};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      // The test runner's own signal dispositions must not leak into the child.
      signal(SIGINT, SIG_DFL);
      signal(SIGTERM, SIG_DFL);
      sigset_t none;
      sigemptyset(&none);
      sigprocmask(SIG_SETMASK, &none, nullptr);
      if (setup.ignore_sigxfsz) signal(SIGXFSZ, SIG_IGN);
      if (setup.file_size_limit != RLIM_INFINITY) {
        const rlimit lim{setup.file_size_limit, setup.file_size_limit};
        if (setrlimit(RLIMIT_FSIZE, &lim) != 0) _exit(124);
      }
      const int in = open("/dev/null", O_RDONLY);
      const int out = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (in < 0 || out < 0 || err < 0) _exit(125);
      dup2(in, 0);
      dup2(out, 1);
      dup2(err, 2);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~Child() {
    if (!finished_) {
      kill(pid_, SIGKILL);
      int raw = 0;
      waitpid(pid_, &raw, 0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  bool running() {
    poll();
    return !finished_;
  }
  // Waits until the child ends or the deadline passes; true if it ended.
  bool wait_until(Clock::time_point deadline) {
    while (!finished_) {
      poll();
      if (finished_) break;
      if (Clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
  }
  bool exited() const { return finished_ && WIFEXITED(raw_); }
  int exit_status() const { return WIFEXITED(raw_) ? WEXITSTATUS(raw_) : -1; }
  std::string describe() const {
    if (!finished_) return "still running";
    if (WIFEXITED(raw_)) return "exit status " + std::to_string(WEXITSTATUS(raw_));
    if (WIFSIGNALED(raw_))
      return "killed by signal " + std::to_string(WTERMSIG(raw_)) + " (" +
             strsignal(WTERMSIG(raw_)) + ")";
    return "status " + std::to_string(raw_);
  }
  std::string out() const { return slurp(out_path_); }
  std::string err() const { return slurp(err_path_); }

 private:
  void poll() {
    if (finished_) return;
    if (waitpid(pid_, &raw_, WNOHANG) == pid_) finished_ = true;
  }
  std::string out_path_, err_path_;
  pid_t pid_ = -1;
  int raw_ = 0;
  bool finished_ = false;
};

std::optional<std::string> partial_file(const fs::path& dir, const std::string& output_name) {
  for (const auto& name : entries(dir))
    if (name.rfind(output_name + ".partial-", 0) == 0) return name;
  return std::nullopt;
}

// Starts a long run, waits for its temporary file, sends `sig`, expects `status` within 3 s.
void check_interrupt(int sig, int status) {
  ScratchDir dir;
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

TEST_CASE("an output directory that cannot be written: exit 1, a clear message, no file",
          "[interrupt]") {
  ScratchDir dir;
  SECTION("the directory does not exist") {
    const fs::path out = dir.out() / "missing" / "out.h5";
    Child child({"run", dir.scenario(), "-o", out.string(), "--quiet"}, dir.logs());
    REQUIRE(child.wait_until(Clock::now() + std::chrono::seconds(300)));
    INFO(child.describe() << "\nstderr:\n" << child.err());
    CHECK(child.exited());
    CHECK(child.exit_status() == 1);
    CHECK_THAT(child.err(), Contains("rxstress: ") && Contains("out.h5"));
    CHECK_FALSE(fs::exists(dir.out() / "missing"));
    CHECK(entries(dir.out()).empty());
  }
  SECTION("a file stands where the directory should be") {
    std::ofstream(dir.out() / "plain") << "not a directory\n";
    const fs::path out = dir.out() / "plain" / "out.h5";
    Child child({"run", dir.scenario(), "-o", out.string(), "--quiet"}, dir.logs());
    REQUIRE(child.wait_until(Clock::now() + std::chrono::seconds(300)));
    INFO(child.describe() << "\nstderr:\n" << child.err());
    CHECK(child.exited());
    CHECK(child.exit_status() == 1);
    CHECK_THAT(child.err(), Contains("rxstress: ") && Contains("out.h5"));
    CHECK(entries(dir.out()) == std::vector<std::string>{"plain"});
  }
  SECTION("the directory is read-only (skipped as root, who may write anywhere)") {
    if (geteuid() == 0) {
      SUCCEED("running as root: permissions do not stop writes");
    } else {
      const fs::path ro = dir.out() / "ro";
      fs::create_directories(ro);
      fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
      Child child({"run", dir.scenario(), "-o", (ro / "out.h5").string(), "--quiet"}, dir.logs());
      REQUIRE(child.wait_until(Clock::now() + std::chrono::seconds(300)));
      fs::permissions(ro, fs::perms::owner_all);
      INFO(child.describe() << "\nstderr:\n" << child.err());
      CHECK(child.exited());
      CHECK(child.exit_status() == 1);
      CHECK_THAT(child.err(), Contains("rxstress: ") && Contains("out.h5"));
      CHECK(entries(ro).empty());
    }
  }
}

TEST_CASE("a full disk (a tiny file-size limit) fails cleanly: no results, no partial file",
          "[interrupt]") {
  ScratchDir dir;
  const fs::path out = dir.out() / "out.h5";
  ChildSetup setup;
  setup.file_size_limit = 64 * 1024;
  setup.ignore_sigxfsz = true;  // writes past the limit fail with EFBIG instead of killing
  Child child({"run", dir.scenario(), "--paths", "2000", "-o", out.string(), "--quiet"}, dir.logs(),
              setup);
  REQUIRE(child.wait_until(Clock::now() + std::chrono::seconds(600)));
  INFO(child.describe() << "\nstderr:\n" << child.err());
  CHECK(child.exited());
  CHECK(child.exit_status() != 0);
  CHECK(child.exit_status() == 1);
  CHECK_THAT(child.err(), Contains("rxstress: ") && Contains("out.h5"));
  CHECK_THAT(child.err(), !Contains("terminate called"));
  // One line, with the system's reason (HDF5's own description spans two lines).
  const std::string err = child.err();
  CHECK_THAT(err, Contains("File too large"));
  CHECK(std::count(err.begin(), err.end(), '\n') == 1);
  CHECK_THAT(err, EndsWith("\n"));
  INFO("left in the output directory: " << joined(entries(dir.out())));
  CHECK(entries(dir.out()).empty());
}

TEST_CASE("an existing results file is left alone without --force: exit 2, unchanged",
          "[interrupt]") {
  ScratchDir dir;
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
  ScratchDir dir;
  const fs::path out = dir.out() / "out.h5";
  Child child({"run", dir.scenario(), "--paths", "2000", "-o", out.string(), "--quiet"},
              dir.logs());
  REQUIRE(child.wait_until(Clock::now() + std::chrono::seconds(600)));
  INFO(child.describe() << "\nstderr:\n" << child.err());
  CHECK(child.exited());
  CHECK(child.exit_status() == 0);
  CHECK(entries(dir.out()) == std::vector<std::string>{"out.h5"});
  CHECK(fs::file_size(out) > 64 * 1024);  // so that the file-size limit above bites
}
