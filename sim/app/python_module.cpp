// `rxstress export` and `rxstress report` are the Python package's (python/rxstress): the program
// runs `python3 -m rxstress.<module>` with the repository's python/ first on PYTHONPATH, so a
// build runs the package of its own source tree; an installed package serves anywhere else.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/report_errors.hpp"
#include "rxstress/app.hpp"

extern char** environ;

namespace rxstress {
namespace {

// The interpreter: env RXSTRESS_PYTHON, else Debian's (the one that sees python3-* packages).
std::string interpreter() {
  const char* e = std::getenv("RXSTRESS_PYTHON");
  return e && *e ? e : "/usr/bin/python3";
}

int run_module(const std::string& module, const std::vector<std::string>& args, std::ostream& err) {
  std::vector<std::string> argv_s{interpreter(), "-m", "rxstress." + module};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s;
  std::string path = RXSTRESS_PYTHON_DIR;
  for (char** e = environ; *e; ++e) {
    const std::string v = *e;
    if (v.rfind("PYTHONPATH=", 0) == 0)
      path += ":" + v.substr(11);
    else
      env_s.push_back(v);
  }
  env_s.push_back("PYTHONPATH=" + path);
  env_s.push_back("MPLBACKEND=Agg");
  std::vector<char*> env;
  for (auto& v : env_s) env.push_back(v.data());
  env.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), env.data()) != 0) {
    err << "rxstress: cannot run " << argv_s[0] << " (set RXSTRESS_PYTHON to a Python 3 with "
        << "h5py, pandas, matplotlib, jinja2 and openpyxl)\n";
    return 1;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

}  // namespace

int export_command(const ExportRequest& r, std::ostream& err) {
  std::vector<std::string> args{r.results, "--format", r.format};
  if (!r.output.empty()) args.insert(args.end(), {"-o", r.output});
  if (r.outcomes) args.push_back("--outcomes");
  if (r.force) args.push_back("--force");
  return run_module("export", args, err);
}

int report_command(const ReportRequest& r, std::ostream& err) {
  std::vector<std::string> args{r.results, "-o", r.output, "--command", r.command_line};
  if (!r.tornado.empty()) args.insert(args.end(), {"--tornado", r.tornado});
  if (!r.pdf.empty()) args.insert(args.end(), {"--pdf", r.pdf});
  if (r.force) args.push_back("--force");
  // The comparison (`rxstress compare --format json`) and the review (`rxstress review --format
  // json`) are handed to the report as files; a command's error (bad actuals: exit 2) ends here.
  std::vector<std::filesystem::path> files;
  auto hand_over = [&](const std::string& flag, const std::string& tag, const std::string& json) {
    files.push_back(std::filesystem::temp_directory_path() /
                    ("rxstress-" + tag + "-" + std::to_string(getpid()) + ".json"));
    std::ofstream(files.back()) << json;
    args.insert(args.end(), {flag, files.back().string()});
  };
  std::ostringstream compared, reviewed;
  int status = 0;
  if (!r.compare.empty() &&
      (status = compare_command({r.results, r.compare, "", "ICB", "json"}, compared, err)) == 0)
    hand_over("--compare-json", "compare", compared.str());
  if (status == 0 && !r.review.empty() &&
      (status = review_command({r.results, r.review, "", "json"}, reviewed, err)) == 0)
    hand_over("--review-json", "review", reviewed.str());
  if (status == 0) status = run_module("report", args, err);
  for (const auto& file : files) std::filesystem::remove(file);
  return status;
}

}  // namespace rxstress
