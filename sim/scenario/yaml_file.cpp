#include "scenario/yaml_file.hpp"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "rxstress/error.hpp"
#include "scenario/input_path.hpp"

namespace rxstress {
namespace {

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

}  // namespace

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

std::string read_scenario_file(const std::string& path) {
  const PathStatus status = path_status(path);
  if (status.kind == PathKind::unusable)
    throw InputError({path, 0, 0}, "", status.problem, "a readable YAML scenario file");
  if (status.kind == PathKind::directory)
    throw InputError({path, 0, 0}, "", "this is a directory", "a YAML scenario file");
  // A device or pipe (e.g. /dev/zero) could be read forever.
  if (status.kind == PathKind::other)
    throw InputError({path, 0, 0}, "", "this is not a regular file", "a YAML scenario file");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError({path, 0, 0}, "", "cannot read the scenario file", "a readable YAML file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace rxstress
