#include "app/explain.hpp"

#include <fmt/format.h>

#include <cctype>
#include <string_view>

namespace rxstress {
namespace {

// The section a key path belongs to: its first key, or "drivers[i]" for a driver's values.
std::string section_of(const std::string& key_path) {
  const auto end = key_path.find_first_of(".[");
  const std::string first = key_path.substr(0, end);
  if (first == "drivers" && end != std::string::npos && key_path[end] == '[')
    return key_path.substr(0, key_path.find(']') + 1);
  const bool section =
      first == "population" || first == "budget" || first == "delegation" || first == "outputs";
  return section ? first : "";
}

std::string or_none(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text.empty() ? "(none given)" : text;
}

std::string heading(const Scenario& sc, const std::string& section) {
  if (section.empty()) return "top level";
  if (section == "population")
    return fmt::format("population: {} practices, {:.0f} patients\n    source: {}",
                       sc.population.size(), sc.population.total_list_size(),
                       or_none(sc.population.source));
  if (section.rfind("drivers[", 0) == 0) {
    const std::size_t d = std::stoul(section.substr(8));
    const Driver& driver = *sc.drivers[d];
    return fmt::format("driver {} ({})\n    source: {}", driver.name(), driver.type(),
                       or_none(driver.source()));
  }
  return section;
}

std::string where_text(const ResolvedParam& p) {
  if (p.defaulted) return "(default)";
  return fmt::format("({}:{}:{})", p.where.file, p.where.line, p.where.column);
}

// A long value (a source, a list) shortened for the table; the JSON keeps it whole.
std::string shown(const std::string& value) {
  std::string one_line = value;
  for (char& c : one_line)
    if (c == '\n') c = ' ';
  return one_line.size() <= 60 ? one_line : one_line.substr(0, 57) + "...";
}

}  // namespace

void explain_text(const Scenario& sc, std::ostream& out) {
  std::string current = "?";
  for (const auto& p : *sc.params) {
    const std::string section = section_of(p.key_path);
    if (section != current) {
      out << "\n  " << heading(sc, section) << "\n";
      current = section;
    }
    out << fmt::format("    {:<40} = {:<14} {:<26} {} {}\n", p.key_path, shown(p.value),
                       p.unit.empty() ? "" : "[" + p.unit + "]", p.meaning, where_text(p));
  }
}

nlohmann::json explain_json(const Scenario& sc) {
  nlohmann::json values = nlohmann::json::array();
  for (const auto& p : *sc.params)
    values.push_back({{"key", p.key_path},
                      {"value", p.value},
                      {"unit", p.unit},
                      {"meaning", p.meaning},
                      {"default", p.defaulted},
                      {"file", p.where.file},
                      {"line", p.where.line},
                      {"column", p.where.column}});
  nlohmann::json drivers = nlohmann::json::array();
  for (const auto& d : sc.drivers)
    drivers.push_back({{"name", d->name()}, {"type", d->type()}, {"source", d->source()}});
  nlohmann::json warnings = nlohmann::json::array();
  for (const auto& w : sc.warnings) warnings.push_back(w.text());
  return {{"file", sc.file},
          {"name", sc.name},
          {"practices", sc.population.size()},
          {"patients", sc.population.total_list_size()},
          {"drivers", drivers},
          {"values", values},
          {"warnings", warnings}};
}

}  // namespace rxstress
