#include "scenario/overrides.hpp"

#include <algorithm>

#include "scenario/named_lists.hpp"
#include "scenario/param_node.hpp"

namespace rxstress {
namespace {

const SourceLocation kSetFlag{"--set", 0, 0};
constexpr const char* kForm = "--set key.path=value, e.g. --set drivers[concessions].dispersion=3";

// One step of a key path: a mapping key, or a list selector written in brackets.
struct PathStep {
  std::string key;
  bool bracketed = false;
};

bool is_index(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

// "delegation[practice-shared].terms.corridor.upper", "drivers[0].growth", "drivers.0.growth".
std::vector<PathStep> parse_path(const std::string& path, const std::string& assignment) {
  const auto bad = [&](const std::string& problem) {
    throw InputError(kSetFlag, assignment, "the key path '" + path + "' " + problem, kForm);
  };
  std::vector<PathStep> steps;
  std::size_t i = 0;
  while (true) {
    const std::size_t end = std::min(path.find_first_of(".[", i), path.size());
    if (end == i) bad("has an empty key");
    steps.push_back({path.substr(i, end - i), false});
    i = end;
    while (i < path.size() && path[i] == '[') {
      const std::size_t close = path.find(']', i);
      if (close == std::string::npos) bad("has a '[' without its ']'");
      if (close == i + 1) bad("has an empty '[]'");
      steps.push_back({path.substr(i + 1, close - i - 1), true});
      i = close + 1;
    }
    if (i == path.size()) return steps;
    if (path[i] != '.') bad("has '" + std::string(1, path[i]) + "' after ']'");
    if (++i == path.size()) bad("has an empty key");
  }
}

// The index of the item of `list` selected by `selector`: an index, or an item's name.
std::size_t select_item(const YAML::Node& list, const std::string& selector,
                        const std::string& list_key, const std::string& where,
                        const std::string& assignment) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i)
    if (auto name = item_name(list[i], list_key)) names.push_back(*name);
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  const std::string expected = "an index below " + std::to_string(list.size()) +
                               (known.empty() ? "" : " or one of " + known);
  if (is_index(selector)) {
    if (selector.size() > 9 || std::stoul(selector) >= list.size())
      throw InputError(kSetFlag, assignment, "index " + selector + " is past the end of " + where,
                       expected);
    return std::stoul(selector);
  }
  for (std::size_t i = 0; i < list.size(); ++i)
    if (item_name(list[i], list_key) == selector) return i;
  const auto guess = did_you_mean(selector, names);
  throw InputError(kSetFlag, assignment,
                   "no item named '" + selector + "' in " + where +
                       (guess ? " (did you mean '" + *guess + "'?)" : ""),
                   expected);
}

}  // namespace

std::string apply_override(YAML::Node root, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos)
    throw InputError(kSetFlag, assignment, "no '=' in the override", kForm);
  if (eq == 0) throw InputError(kSetFlag, assignment, "the key path before '=' is empty", kForm);
  const auto steps = parse_path(assignment.substr(0, eq), assignment);
  YAML::Node value;
  try {
    value = YAML::Load(assignment.substr(eq + 1));
  } catch (const YAML::Exception&) {
    throw InputError(kSetFlag, assignment, "the value is not valid YAML", "a YAML value");
  }
  std::string path, list_key;
  try {
    YAML::Node node = root;
    for (std::size_t s = 0; s < steps.size(); ++s) {
      const PathStep& step = steps[s];
      YAML::Node next;
      if (node.IsSequence()) {
        const std::size_t i = select_item(node, step.key, list_key, path, assignment);
        path += "[" + std::to_string(i) + "]";
        next = node[i];
      } else if (step.bracketed) {
        throw InputError(kSetFlag, assignment, "'" + path + "' is not a list",
                         "[...] only after a list, e.g. drivers[concessions]");
      } else if (node.IsScalar()) {
        throw InputError(kSetFlag, assignment,
                         "the path goes through a single value at '" + path + "'",
                         "a path through mappings and lists");
      } else {
        path += (path.empty() ? "" : ".") + step.key;
        list_key = step.key;
        next = node[step.key];
      }
      if (s + 1 == steps.size()) {
        next = value;  // replaces the item or value in the tree (`next` refers into it)
      } else {
        node.reset(next);  // reset() rebinds; operator= would overwrite the referenced node
      }
    }
  } catch (const YAML::Exception& e) {
    throw InputError(kSetFlag, assignment, "cannot apply the override: " + e.msg,
                     "a path through mappings and lists");
  }
  return path;
}

void relocate(const InputError& e, const std::vector<std::string>& set_paths,
              const std::vector<std::string>& overrides) {
  for (std::size_t i = 0; i < set_paths.size(); ++i) {
    const std::string& path = set_paths[i];
    if (e.key_path() == path || e.key_path().rfind(path + ".", 0) == 0 ||
        e.key_path().rfind(path + "[", 0) == 0)
      throw InputError(kSetFlag, e.key_path(), e.problem() + " (from --set " + overrides[i] + ")",
                       e.expected());
  }
  throw e;
}

}  // namespace rxstress
