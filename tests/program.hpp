// Helpers for the tests that run the rxstress program itself (bad input, interruption, safe
// output): a scratch directory holding a small valid scenario, and the program as a child process
// with its stdout and stderr in files. Needs RXSTRESS_BINARY (the program's path) defined.
#pragma once

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace rxstress::testing {

// A small valid scenario (4 practices, the baseline driver, ICB- and practice-held), so that the
// tests that start from it depend on nothing but the loader. Its results file for 2000 paths is
// several hundred kB.
inline const char* const kSmallScenario = R"yaml(rxstress: 1
name: small-test
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

// What a shell command printed on its standard output, and its exit status (-1 when a signal
// ended it). Add " 2>&1" to the command for its errors too.
struct ShellResult {
  int status = -1;
  std::string output;
};
inline ShellResult shell(const std::string& command) {
  ShellResult r;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed for " + command);
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) r.output.append(buf, n);
  const int raw = ::pclose(pipe);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return r;
}

// `rxstress ARGS` through the shell, its stdout and stderr together.
inline ShellResult run_shell_rxstress(const std::string& args) {
  return shell(std::string(RXSTRESS_BINARY) + " " + args + " 2>&1");
}

// A fresh directory for this test process, removed at exit.
inline const std::filesystem::path& work_dir() {
  struct Dir {
    std::filesystem::path path;
    Dir()
        : path(std::filesystem::temp_directory_path() /
               ("rxstress-tests-" + std::to_string(::getpid()))) {
      std::filesystem::remove_all(path);
      std::filesystem::create_directories(path);
    }
    ~Dir() { std::filesystem::remove_all(path); }
  };
  static const Dir dir;
  return dir.path;
}

// tests/data/small.yaml (20 practices, 200 paths) run once per test process, in work_dir().
inline const std::string& small_results() {
  static const std::string path = [] {
    const std::string scenario = std::string(RXSTRESS_SOURCE_DIR) + "/tests/data/small.yaml";
    const std::string out = (work_dir() / "small.h5").string();
    const ShellResult r = run_shell_rxstress("run " + scenario + " -o " + out + " --quiet");
    if (r.status != 0) throw std::runtime_error("rxstress run " + scenario + ": " + r.output);
    return out;
  }();
  return path;
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The names of the files in `dir`, sorted (empty when there is no such directory).
inline std::vector<std::string> entries(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// A fresh directory under $TMPDIR (or /tmp) with logs/, out/ and good.yaml (kSmallScenario);
// removed with everything in it, even where a test made out/ unwritable.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag) {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base && *base ? base : "/tmp") + "/rxstress-" + tag + "-XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
    path_ = buf.data();
    std::filesystem::create_directories(logs());
    std::filesystem::create_directories(out());
    std::ofstream(scenario()) << kSmallScenario;
  }
  ~ScratchDir() {
    namespace fs = std::filesystem;
    std::error_code ignored;
    fs::permissions(out(), fs::perms::owner_all, fs::perm_options::add, ignored);
    fs::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path logs() const { return path_ / "logs"; }
  std::filesystem::path out() const { return path_ / "out"; }
  std::string scenario() const { return (path_ / "good.yaml").string(); }

 private:
  std::filesystem::path path_;
};

// What the child does between fork and exec (async-signal-safe calls only).
struct ChildSetup {
  rlim_t file_size_limit = RLIM_INFINITY;  // RLIMIT_FSIZE, bytes
  std::string cwd;                         // working directory (empty: the test's)
};

// A running rxstress program: stdout and stderr to logs/stdout.txt and logs/stderr.txt, stdin
// /dev/null. Killed if still running when destroyed.
class Child {
 public:
  using Clock = std::chrono::steady_clock;

  Child(const std::vector<std::string>& args, const std::filesystem::path& logs,
        ChildSetup setup = {})
      : out_path_((logs / "stdout.txt").string()), err_path_((logs / "stderr.txt").string()) {
    std::vector<std::string> argv_s{RXSTRESS_BINARY};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) exec_child(argv, setup);
  }
  ~Child() {
    if (!finished_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &raw_, 0);
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
    for (poll(); !finished_; poll()) {
      if (Clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
  }
  bool exited() const { return finished_ && WIFEXITED(raw_); }
  int exit_status() const { return exited() ? WEXITSTATUS(raw_) : -1; }
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
  [[noreturn]] void exec_child(std::vector<char*>& argv, const ChildSetup& setup) {
    // The test runner's own signal dispositions must not leak into the child.
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    if (!setup.cwd.empty() && chdir(setup.cwd.c_str()) != 0) _exit(126);
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
  void poll() {
    if (!finished_ && waitpid(pid_, &raw_, WNOHANG) == pid_) finished_ = true;
  }

  std::string out_path_, err_path_;
  pid_t pid_ = -1;
  int raw_ = 0;
  bool finished_ = false;
};

// A finished run of the program: how it ended and what it printed.
struct Outcome {
  bool exited = false;  // normally, with `status`
  int status = -1;      // exit status when exited
  bool timed_out = false;
  std::string how;  // "exit status 2", "killed by signal 11 (Segmentation fault)", ...
  std::string out, err;
  std::string describe() const {
    return timed_out ? "still running at the deadline (killed)" : how;
  }
};

// Runs the program with `args` to the end (killed after `limit`).
inline Outcome run_rxstress(const std::vector<std::string>& args, const std::filesystem::path& logs,
                            std::chrono::seconds limit = std::chrono::seconds(30),
                            const ChildSetup& setup = {}) {
  Outcome r;
  {
    Child child(args, logs, setup);
    r.timed_out = !child.wait_until(Child::Clock::now() + limit);
    r.exited = child.exited();
    r.status = child.exit_status();
    r.how = child.describe();
  }  // a child still running is killed here, before its output is read
  r.out = slurp(logs / "stdout.txt");
  r.err = slurp(logs / "stderr.txt");
  return r;
}

// A tmpfs of `bytes` mounted on `dir` (created) for the life of the object, in a mount namespace
// of this test process's own, so that it disappears with the process however the test ends. Needs
// root (CAP_SYS_ADMIN): elsewhere mounted() is false and reason() says why, for the test to skip.
class TmpfsMount {
 public:
  TmpfsMount(const std::filesystem::path& dir, std::size_t bytes, bool read_only = false)
      : dir_(dir) {
    std::filesystem::create_directories(dir_);
    if (unshare(CLONE_NEWNS) != 0 ||
        mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
      reason_ = std::string("no mount namespace of its own: ") + std::strerror(errno);
    else if (mount("tmpfs", dir_.c_str(), "tmpfs", read_only ? MS_RDONLY : 0,
                   ("size=" + std::to_string(bytes)).c_str()) != 0)
      reason_ = "cannot mount a tmpfs on " + dir_.string() + ": " + std::strerror(errno);
    else
      mounted_ = true;
  }
  ~TmpfsMount() {
    if (mounted_) umount2(dir_.c_str(), MNT_DETACH);
  }
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;
  bool mounted() const { return mounted_; }
  const std::string& reason() const { return reason_; }

 private:
  std::filesystem::path dir_;
  bool mounted_ = false;
  std::string reason_;
};

// The pid of a process that has ended (a child reaped at once; reused only after the pid space
// wraps).
inline pid_t dead_pid() {
  const pid_t pid = fork();
  if (pid == 0) _exit(0);
  int status = 0;
  waitpid(pid, &status, 0);
  return pid;
}

}  // namespace rxstress::testing
