// The corpus of bad scenarios (tests/data/bad-scenarios/, its README.md describes the convention):
// every file must make `rxstress run FILE -o OUT` and `rxstress validate FILE` exit 2 with
// "file:line:column: key.path: problem" naming the expected place, key and problem, and leave no
// results file and no OUT.partial-* behind (docs/architecture.md §8: invalid input never crashes
// and never produces an output file). Each file is its own test case, "bad input: NN-name"; a file
// with a
// "# known-bug:" line is tagged [!shouldfail], so that it passes while the defect is there and
// fails (asking for the line to be removed) once the defect is fixed.
//
// Also the command-line overrides (--set, --paths) with bad values.
#include <algorithm>
#include <catch2/catch.hpp>
#include <deque>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "program.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using namespace rxstress::testing;

namespace {

const fs::path kSource = RXSTRESS_SOURCE_DIR;
const fs::path kCorpus = kSource / "tests" / "data" / "bad-scenarios";
// ------------------------------------------------------------------------------------- the corpus

// "# expect: exit=2 where=LINE:COL key=KEY message=FRAGMENT" (where may be FILE.csv:ROW:COL,
// key may be '-' for none; message runs to the end of the line), then optional comment lines
// "# case: ...", "# known-bug: ..." and "# args: ..." (extra arguments, e.g. --strict).
struct Expectation {
  int exit = 2;
  std::string where_file;  // empty: the scenario itself
  int line = 0, column = 0;
  std::string key;  // empty: none
  std::string message;
  std::string description;
  std::string known_bug;          // empty: none
  std::vector<std::string> args;  // extra arguments of both commands (e.g. --strict)
};

std::optional<Expectation> parse_expectation(const fs::path& file, std::string* problem) {
  std::ifstream in(file);
  std::string first;
  std::getline(in, first);
  static const std::regex kExpect(
      R"(^# expect: exit=(\d+) where=(?:([^\s:]+):)?(\d+):(\d+) key=(.+?) message=(.+)$)");
  std::smatch m;
  if (!std::regex_match(first, m, kExpect)) {
    *problem =
        "first line is not '# expect: exit=N where=[FILE:]LINE:COL key=KEY message=TEXT': " + first;
    return std::nullopt;
  }
  Expectation e;
  e.exit = std::stoi(m[1]);
  e.where_file = m[2];
  e.line = std::stoi(m[3]);
  e.column = std::stoi(m[4]);
  e.key = m[5] == "-" ? "" : std::string(m[5]);
  e.message = m[6];
  for (std::string line; std::getline(in, line) && line.rfind("#", 0) == 0;) {
    if (line.rfind("# case: ", 0) == 0) e.description = line.substr(8);
    if (line.rfind("# known-bug: ", 0) == 0) e.known_bug = line.substr(13);
    if (line.rfind("# args: ", 0) == 0) {
      std::istringstream words(line.substr(8));
      for (std::string w; words >> w;) e.args.push_back(w);
    }
  }
  return e;
}

std::vector<fs::path> corpus_files() {
  std::vector<fs::path> files;
  if (fs::exists(kCorpus))
    for (const auto& e : fs::directory_iterator(kCorpus))
      if (e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

// The message must say "LOCATION: KEY: ..." with the problem after it.
void check_message(const std::string& err, const fs::path& file, const Expectation& e) {
  const std::string located_file =
      e.where_file.empty() ? file.string() : (file.parent_path() / e.where_file).string();
  const std::string location =
      located_file + ":" + std::to_string(e.line) + ":" + std::to_string(e.column) + ": ";
  const std::string prefix = e.key.empty() ? location : location + e.key + ": ";
  CHECK_THAT(err, Contains(prefix));
  const auto at = err.find(prefix);
  if (at != std::string::npos) {
    const std::string rest =
        err.substr(at + prefix.size(), err.find('\n', at) - at - prefix.size());
    CHECK_THAT(rest, Contains(e.message));
  } else {
    CHECK_THAT(err, Contains(e.message));
  }
}

void check_case(const fs::path& file) {
  std::string problem;
  const auto e = parse_expectation(file, &problem);
  if (!e) FAIL(problem);
  INFO("scenario: " << file.string());
  INFO("case: " << e->description);
  if (!e->known_bug.empty()) INFO("known bug: " << e->known_bug);

  ScratchDir scratch("bad-input");
  const fs::path logs = scratch.logs();
  const fs::path outdir = scratch.out();
  const fs::path out = outdir / "results.h5";

  {
    std::vector<std::string> args{"run", file.string(), "-o", out.string()};
    args.insert(args.end(), e->args.begin(), e->args.end());
    const Outcome r = run_rxstress(args, logs);
    INFO("rxstress run: " << r.describe() << "\nstderr:\n" << r.err << "stdout:\n" << r.out);
    CHECK(r.exited);
    CHECK(r.status == e->exit);
    check_message(r.err, file, *e);
    CHECK_THAT(r.err, !Contains("terminate called"));
    // Nothing written: no results file, no temporary file.
    CHECK(entries(outdir).empty());
  }
  {
    std::vector<std::string> args{"validate", file.string()};
    args.insert(args.end(), e->args.begin(), e->args.end());
    const Outcome r = run_rxstress(args, logs);
    INFO("rxstress validate: " << r.describe() << "\nstderr:\n" << r.err << "stdout:\n" << r.out);
    CHECK(r.exited);
    CHECK(r.status == e->exit);
    check_message(r.err, file, *e);
  }
}

// One Catch test case per corpus file, registered when the program starts.
class CaseInvoker final : public Catch::ITestInvoker {
 public:
  explicit CaseInvoker(fs::path file) : file_(std::move(file)) {}
  void invoke() const override { check_case(file_); }

 private:
  fs::path file_;
};

struct RegisterCorpus {
  RegisterCorpus() {
    static std::deque<std::string> names, tags;  // outlive the registration
    for (const auto& file : corpus_files()) {
      std::string problem;
      const auto e = parse_expectation(file, &problem);
      names.push_back("bad input: " + file.stem().string());
      tags.push_back(e && !e->known_bug.empty() ? "[bad-input][!shouldfail]" : "[bad-input]");
      Catch::AutoReg reg(new CaseInvoker(file), Catch::SourceLineInfo(__FILE__, __LINE__),
                         Catch::StringRef(), Catch::NameAndTags(names.back(), tags.back()));
    }
  }
};
const RegisterCorpus register_corpus;

}  // namespace

TEST_CASE("the bad-scenario corpus is well formed", "[bad-input]") {
  const auto files = corpus_files();
  CHECK(files.size() >= 40);
  std::vector<std::string> numbers;
  for (const auto& file : files) {
    INFO(file.string());
    std::string problem;
    const auto e = parse_expectation(file, &problem);
    INFO(problem);
    REQUIRE(e);
    CHECK_FALSE(e->description.empty());
    CHECK(e->line >= 1);
    CHECK(e->column >= 1);
    if (!e->where_file.empty()) CHECK(fs::exists(kCorpus / e->where_file));
    const std::string stem = file.stem().string();
    CHECK(std::regex_match(stem, std::regex(R"(\d{2,3}-[a-z0-9-]+)")));
    numbers.push_back(stem.substr(0, stem.find('-')));
  }
  std::sort(numbers.begin(), numbers.end());
  CHECK(std::adjacent_find(numbers.begin(), numbers.end()) == numbers.end());
}

// ------------------------------------------------------------------------ command-line overrides

namespace {

struct OverrideRun {
  Outcome r;
  std::vector<std::string> left;  // files in the output directory afterwards
};

OverrideRun run_with(const std::vector<std::string>& extra) {
  ScratchDir scratch("bad-override");
  std::vector<std::string> args{"run", scratch.scenario(), "-o",
                                (scratch.out() / "results.h5").string(), "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  OverrideRun o{run_rxstress(args, scratch.logs()), {}};
  o.left = entries(scratch.out());
  return o;
}

}  // namespace

TEST_CASE("the override tests' own scenario is valid", "[bad-input]") {
  const OverrideRun o = run_with({});
  INFO(o.r.describe() << "\nstderr:\n" << o.r.err);
  CHECK(o.r.exited);
  CHECK(o.r.status == 0);
  CHECK(o.left == std::vector<std::string>{"results.h5"});
}

TEST_CASE("bad --set and --paths values exit 2 and write nothing", "[bad-input]") {
  struct Case {
    std::vector<std::string> args;
    std::vector<std::string> fragments;
  };
  // Override errors are located at "--set" and name the key path as written or as resolved.
  const std::vector<Case> cases{
      {{"--set", "horizon_months=0"}, {"--set: horizon_months: ", "0 is out of range"}},
      {{"--set", "paths=1000000000000"}, {"--set: paths: ", "out of range"}},
      {{"--set", "drivers.0.growth.mean=.nan"}, {"--set: drivers[0].growth.mean: ", "not finite"}},
      {{"--set", "drivers.0.type=inflation"},
       {"--set: drivers[0].type: ", "unknown driver type 'inflation'"}},
      {{"--set", "delegation.1.holder=ward"},
       {"--set: delegation[1].holder: ", "'ward' is not allowed"}},
      {{"--set", "delegation.9.name=x"},
       {"--set: delegation.9.name", "past the end of delegation"}},
      {{"--set", "drivers.first=1"}, {"--set: drivers.first", "no item named 'first' in drivers"}},
      {{"--set", "drivers[concessions].dispersion=3"},
       {"--set: drivers[concessions].dispersion=3: ", "no item named 'concessions' in drivers",
        "expected an index below 1 or one of baseline"}},
      {{"--set", "delegation[practice-helt].holder=icb"},
       {"no item named 'practice-helt' in delegation (did you mean 'practice-held'?)"}},
      {{"--set", "drivers[baseline].growth.mean=7"},
       {"--set: drivers[0].growth.mean: ", "(from --set drivers[baseline].growth.mean=7)"}},
      {{"--set", "drivers[0.growth.mean=1"}, {"has a '[' without its ']'"}},
      {{"--set", "outputs[0]=1"}, {"'outputs' is not a list"}},
      {{"--set", "paths.x=1"}, {"--set: paths.x", "single value"}},
      {{"--set", "horizon_months"}, {"--set: horizon_months", "no '='"}},
      {{"--set", "=12"},
       {"--set: =12: the key path before '=' is empty; expected --set key.path=value"}},
      {{"--set", "name=[unclosed"}, {"--set: name", "not valid YAML"}},
      {{"--paths", "0"}, {"--paths"}},
      {{"--paths", "lots"}, {"--paths"}},
      {{"--threads", "-1"}, {"--threads"}},
  };
  for (const auto& c : cases) {
    std::string joined;
    for (const auto& a : c.args) joined += a + " ";
    DYNAMIC_SECTION(joined) {
      const OverrideRun o = run_with(c.args);
      INFO(o.r.describe() << "\nstderr:\n" << o.r.err);
      CHECK(o.r.exited);
      CHECK(o.r.status == 2);
      for (const auto& f : c.fragments) CHECK_THAT(o.r.err, Contains(f));
      CHECK(o.left.empty());
    }
  }
}

TEST_CASE("a scenario path that is missing or a directory exits 2", "[bad-input]") {
  ScratchDir scratch("bad-path");
  const fs::path logs = scratch.logs();
  const std::vector<std::pair<std::string, std::string>> paths{
      {"a file that does not exist", (scratch.path() / "no-such.yaml").string()},
      {"a directory", scratch.path().string()}};
  for (const auto& [what, path] : paths) {
    DYNAMIC_SECTION(what) {
      for (const std::string& command : std::vector<std::string>{"run", "validate"}) {
        std::vector<std::string> args{command, path};
        if (command == "run") args.insert(args.end(), {"-o", (logs / "r.h5").string()});
        const Outcome r = run_rxstress(args, logs);
        INFO(command << ": " << r.describe() << "\nstderr:\n" << r.err);
        CHECK(r.exited);
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Contains(path));
        CHECK_FALSE(fs::exists(logs / "r.h5"));
      }
    }
  }
}
