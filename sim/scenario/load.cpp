// Loading a scenario: YAML text -> overrides -> validated Scenario.
#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "rxstress/scenario.hpp"
#include "scenario/sections.hpp"

namespace rxstress {
namespace {

constexpr int kFormatVersion = 1;

// The column (0-based) where a line's content starts, or npos for a blank or comment-only line.
std::size_t content_column(const std::string& line) {
  const auto first = line.find_first_not_of(" \t\r");
  return first != std::string::npos && line[first] != '#' ? first : std::string::npos;
}

// Rejects a document start marker (`---`) after the first document has begun.
void check_single_document(const std::string& text, const std::string& file) {
  std::istringstream in(text);
  bool content = false;
  int line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    const bool marker = line.rfind("---", 0) == 0 &&
                        (line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
    if (marker && content)
      throw InputError({file, line_no + 1, 1}, "", "a second YAML document (after '---')",
                       "one scenario per file");
    if (!marker && content_column(line) != std::string::npos) content = true;
  }
}

// Nothing was read: an empty file, or text yaml-cpp reads as no document (e.g. a leading ',').
[[noreturn]] void throw_empty(const std::string& text, const std::string& file) {
  std::istringstream in(text);
  int line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (const auto first = content_column(line); first != std::string::npos)
      throw InputError({file, line_no, static_cast<int>(first) + 1}, "",
                       "YAML syntax error: no scenario could be read from here on",
                       "a YAML mapping of scenario keys");
  }
  throw InputError({file, 1, 1}, "", "the scenario is empty", "a YAML mapping of scenario keys");
}

YAML::Node parse_yaml(const std::string& text, const std::string& file) {
  try {
    // A second document (after `---`) would be silently ignored by YAML::Load. YAML::LoadAll
    // cannot be used to find it: it never returns on some malformed input (a leading ',').
    check_single_document(text, file);
    YAML::Node root = YAML::Load(text);
    if (!root || root.IsNull()) throw_empty(text, file);
    return root;
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own message is just "bad file". Its mark is where its scanner was when the
    // limit was reached: past the whole flow list (the end of that line or the next line).
    throw InputError({file, e.mark.line + 1, e.mark.column + 1}, "",
                     fmt::format("lists and mappings nested too deep for the YAML parser (it "
                                 "stops at {} levels)",
                                 e.depth()),
                     "a scenario nested a few levels deep");
  } catch (const YAML::ParserException& e) {
    throw InputError({file, e.mark.line + 1, e.mark.column + 1}, "", "YAML syntax error: " + e.msg,
                     "valid YAML");
  }
}

// "drivers.0.growth" -> "drivers[0].growth": the key path an error about it will carry.
std::string key_path_of_override(const std::vector<std::string>& keys) {
  std::string path;
  for (const auto& k : keys) {
    const bool index = !k.empty() && k.find_first_not_of("0123456789") == std::string::npos;
    path += index ? "[" + k + "]" : (path.empty() ? "" : ".") + k;
  }
  return path;
}

std::vector<std::string> split_override_path(const std::string& path) {
  std::vector<std::string> keys;
  std::stringstream ss(path);
  for (std::string k; std::getline(ss, k, '.');) keys.push_back(k);
  return keys;
}

// The child of `node` named by `key`, created in a mapping; an InputError when the path does
// not fit the tree.
YAML::Node step_into(YAML::Node node, const std::string& key, const std::string& assignment) {
  if (node.IsSequence()) {
    if (key.empty() || key.find_first_not_of("0123456789") != std::string::npos)
      throw InputError({"--set", 0, 0}, assignment, "'" + key + "' is not an index of a list",
                       "a number below " + std::to_string(node.size()));
    const std::size_t idx = std::stoul(key);
    if (idx >= node.size())
      throw InputError({"--set", 0, 0}, assignment, "index " + key + " is past the list's end",
                       "a number below " + std::to_string(node.size()));
    return node[idx];
  }
  if (node.IsScalar())
    throw InputError({"--set", 0, 0}, assignment, "the path goes through a single value",
                     "a path through mappings and lists");
  return node[key];
}

// Applies one "a.b.0.c=value" override to the tree.
void apply_override(YAML::Node root, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos)
    throw InputError({"--set", 0, 0}, assignment, "no '=' in the override", "--set key.path=value");
  if (eq == 0)
    throw InputError({"--set", 0, 0}, assignment, "the key path before '=' is empty",
                     "--set key.path=value, e.g. --set paths=1000");
  const std::string path = assignment.substr(0, eq);
  const auto keys = split_override_path(path);
  // "a..b", ".a" or "a.": a key between the dots is missing.
  if (path.front() == '.' || path.back() == '.' || path.find("..") != std::string::npos)
    throw InputError({"--set", 0, 0}, assignment, "the key path '" + path + "' has an empty key",
                     "--set key.path=value, keys separated by single dots");
  YAML::Node value;
  try {
    value = YAML::Load(assignment.substr(eq + 1));
  } catch (const YAML::Exception&) {
    throw InputError({"--set", 0, 0}, assignment, "the value is not valid YAML", "a YAML value");
  }
  try {
    YAML::Node node = root;
    // reset() rebinds; operator= on a YAML::Node would overwrite the referenced node's content.
    for (std::size_t i = 0; i + 1 < keys.size(); ++i)
      node.reset(step_into(node, keys[i], assignment));
    if (node.IsSequence()) {
      step_into(node, keys.back(), assignment);  // checks the index
      node[std::stoul(keys.back())] = value;
    } else if (node.IsScalar()) {
      step_into(node, keys.back(), assignment);  // throws
    } else {
      node[keys.back()] = value;
    }
  } catch (const YAML::Exception& e) {
    throw InputError({"--set", 0, 0}, assignment, "cannot apply the override: " + e.msg,
                     "a path through mappings and lists");
  }
}

// An error inside an overridden value is about the --set argument, not about the file.
[[noreturn]] void relocate(const InputError& e, const std::vector<std::string>& overrides) {
  for (const auto& o : overrides) {
    const std::string path = key_path_of_override(split_override_path(o.substr(0, o.find('='))));
    if (e.key_path() == path || e.key_path().rfind(path + ".", 0) == 0 ||
        e.key_path().rfind(path + "[", 0) == 0)
      throw InputError({"--set", 0, 0}, e.key_path(), e.problem() + " (from --set " + o + ")",
                       e.expected());
  }
  throw e;
}

YearMonth parse_start(ParamNode& top) {
  const std::string text = top.text("start", "first month, YYYY-MM", "2026-04");
  int year = 0, month = 0;
  char dash = 0;
  std::istringstream in(text);
  if (!(in >> year >> dash >> month) || dash != '-' || month < 1 || month > 12 || year < 1900 ||
      year > 2200 || !in.eof())
    top.fail("start", "'" + text + "' is not a month", "YYYY-MM, e.g. 2026-04");
  return {year, month};
}

void read_drivers(ParamNode& top, Scenario& sc) {
  YAML::Node list = top.raw("drivers");
  const std::string base = "drivers";
  if (!list || !list.IsSequence() || list.size() == 0)
    top.fail(list ? "drivers" : "",
             list ? "not a non-empty list" : "missing required key 'drivers'",
             "a list of drivers, each with a 'type'");
  const Calendar cal = sc.calendar();
  std::set<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto log = std::make_shared<ParamLog>();
    ParamNode item(list[i], sc.file, fmt::format("{}[{}]", base, i), log);
    const auto types = driver_types();
    if (!item.has("type")) item.fail("", "missing required key 'type'", "a driver type");
    const std::string type = item.text("type", "driver type");
    if (std::find(types.begin(), types.end(), type) == types.end()) {
      auto guess = did_you_mean(type, types);
      std::string known;
      for (const auto& t : types) known += (known.empty() ? "" : ", ") + t;
      item.fail(
          "type",
          "unknown driver type '" + type + "'" + (guess ? " (did you mean '" + *guess + "'?)" : ""),
          "one of " + known);
    }
    Driver::Header header{type, item.text("name", "driver name", type),
                          item.text("source", "source of the parameters", "")};
    if (!names.insert(header.name).second)
      item.fail("name", "duplicate driver name '" + header.name + "'",
                "a unique 'name' for each driver of the same type");
    DriverSetup setup{item, header, sc.population, cal};
    sc.drivers.push_back(make_driver(type, setup));
    sc.driver_params.push_back(log);
    sc.params->insert(sc.params->end(), log->begin(), log->end());
  }
}

std::string read_file(const std::string& path) {
  if (std::filesystem::is_directory(path))
    throw InputError({path, 0, 0}, "", "this is a directory", "a YAML scenario file");
  // A device or pipe (e.g. /dev/zero) could be read forever.
  if (std::filesystem::exists(path) && !std::filesystem::is_regular_file(path))
    throw InputError({path, 0, 0}, "", "this is not a regular file", "a YAML scenario file");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError({path, 0, 0}, "", "cannot read the scenario file", "a readable YAML file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Scenario load_resolved(const std::string& text, const std::string& file,
                       const std::vector<std::string>& overrides);

Scenario load_scenario_text(const std::string& text, const std::string& file,
                            const std::vector<std::string>& overrides) {
  try {
    return load_resolved(text, file, overrides);
  } catch (const InputError& e) {
    if (overrides.empty() || e.where().file == "--set") throw;
    relocate(e, overrides);
  }
}

Scenario load_resolved(const std::string& text, const std::string& file,
                       const std::vector<std::string>& overrides) {
  YAML::Node root = parse_yaml(text, file);
  for (const auto& o : overrides) apply_override(root, o);
  Scenario sc;
  sc.file = file;
  sc.params = std::make_shared<ParamLog>();
  ParamNode top(root, file, "", sc.params);
  const auto version = top.integer("rxstress", 1, 1000, "", "scenario format version");
  if (version != kFormatVersion)
    top.fail("rxstress", fmt::format("unsupported scenario format version {}", version),
             fmt::format("rxstress: {}", kFormatVersion));
  sc.name = top.text("name", "scenario name", std::filesystem::path(file).stem().string());
  sc.description = top.text("description", "what the scenario represents", "");
  sc.start = parse_start(top);
  sc.horizon_months =
      static_cast<int>(top.integer("horizon_months", 1, 600, "months", "months simulated"));
  sc.paths = top.integer("paths", 1, 100'000'000, "paths", "number of simulated paths");
  sc.seed = static_cast<std::uint64_t>(
      top.integer("seed", 0, INT64_MAX, "", "master seed of the random streams"));
  ParamNode pop = top.child("population");
  sc.population = load_population(pop, std::filesystem::path(file).parent_path().string());
  read_drivers(top, sc);
  sc.budget = read_budget(top, sc);
  sc.delegation = read_delegation(top, sc);
  sc.outputs = read_outputs(top);
  for (const auto& name : sc.outputs.driver_detail)
    if (std::none_of(sc.drivers.begin(), sc.drivers.end(),
                     [&](const auto& d) { return d->name() == name; }))
      throw InputError(top.location_of("outputs"), "outputs.driver_detail",
                       "'" + name + "' is not the name of a driver", "names from 'drivers'");
  top.finish();
  // The file's own text when nothing was overridden (it keeps the comments and sources);
  // otherwise the tree with the overrides applied, so that the text reproduces the run.
  sc.text = text;
  if (!overrides.empty()) {
    YAML::Emitter out;
    out << root;
    sc.text = std::string(out.c_str()) + "\n";
  }
  return sc;
}

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  return load_scenario_text(read_file(path), path, overrides);
}

}  // namespace rxstress
