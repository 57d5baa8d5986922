// The practice table as CSV: RFC 4180 quoting, a header row naming the columns.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <unordered_map>

#include "rxstress/population.hpp"

namespace rxstress {
namespace {

// Splits one CSV line into fields, with 1-based starting columns for error messages.
struct Field {
  std::string text;
  int column;
};

std::vector<Field> split_csv(const std::string& line) {
  std::vector<Field> fields;
  std::string cur;
  bool quoted = false;
  int start = 1;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back({cur, start});
      cur.clear();
      start = static_cast<int>(i) + 2;
    } else if (c != '\r') {
      cur += c;
    }
  }
  fields.push_back({cur, start});
  return fields;
}

double parse_number(const Field& f, const std::string& file, int row, const std::string& column,
                    double lo, double hi, const std::string& expected) {
  double x = 0.0;
  const char* b = f.text.data();
  const char* e = b + f.text.size();
  auto [ptr, ec] = std::from_chars(b, e, x);
  if (ec != std::errc() || ptr != e || !std::isfinite(x) || x < lo || x > hi)
    throw InputError({file, row, f.column}, column, fmt::format("found '{}'", f.text), expected);
  return x;
}

// Every named column that is not a standard one, by header position (the first of a repeated
// name).
std::vector<std::pair<std::size_t, std::string>> extra_columns(
    const std::vector<Field>& header, const std::array<std::string, 7>& standard) {
  std::vector<std::pair<std::size_t, std::string>> extra;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string& name = header[i].text;
    const bool seen =
        std::any_of(extra.begin(), extra.end(), [&](const auto& e) { return e.second == name; });
    if (!name.empty() && !seen &&
        std::find(standard.begin(), standard.end(), name) == standard.end())
      extra.emplace_back(i, name);
  }
  return extra;
}

// Keeps one row's value of an extra column: NaN (and the first such place) when not a number,
// so that only a budget method that names the column fails on it.
void keep_extra(const Field& f, const std::string& file, int row, const std::string& name,
                ExtraColumn& column) {
  double x = std::numeric_limits<double>::quiet_NaN();
  const char* b = f.text.data();
  const char* e = b + f.text.size();
  auto [ptr, ec] = std::from_chars(b, e, x);
  if (ec != std::errc() || ptr != e || !std::isfinite(x)) {
    x = std::numeric_limits<double>::quiet_NaN();
    if (!column.first_bad) {
      column.first_bad = column.values.size();
      column.first_bad_text = f.text;
    }
  }
  column.values.push_back(x);
  column.where.push_back({file, row, f.column});
  column.key_path.push_back(name);
}

}  // namespace

Population read_population_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError({path, 0, 0}, "", "cannot open the file", "a readable CSV file");
  static const std::array<std::string, 7> kColumns{
      "id", "name", "list_size", "annual_spend", "generic_share", "neighbourhood", "provider"};
  std::string line;
  if (!std::getline(in, line))
    throw InputError({path, 1, 1}, "", "the file is empty", "a header row");
  std::unordered_map<std::string, std::size_t> where;
  const auto header = split_csv(line);
  for (std::size_t i = 0; i < header.size(); ++i) where[header[i].text] = i;
  std::array<std::size_t, 7> col{};
  for (std::size_t c = 0; c < kColumns.size(); ++c) {
    auto it = where.find(kColumns[c]);
    if (it == where.end())
      throw InputError(
          {path, 1, 1}, kColumns[c], "missing column '" + kColumns[c] + "'",
          "columns id,name,list_size,annual_spend,generic_share,neighbourhood,provider");
    col[c] = it->second;
  }
  Population pop;
  const auto extra = extra_columns(header, kColumns);
  int row = 1;
  while (std::getline(in, line)) {
    ++row;
    if (line.empty() || line == "\r") continue;
    const auto f = split_csv(line);
    if (f.size() < header.size())
      throw InputError({path, row, static_cast<int>(line.size()) + 1}, "",
                       fmt::format("{} fields", f.size()),
                       fmt::format("{} fields as in the header", header.size()));
    const double n =
        parse_number(f[col[2]], path, row, "list_size", 1.0, 1e9, "a positive number of patients");
    const double b = parse_number(f[col[3]], path, row, "annual_spend", 0.0, 1e13,
                                  "a non-negative spend in GBP/year");
    const double g =
        parse_number(f[col[4]], path, row, "generic_share", 0.0, 1.0, "a fraction in [0, 1]");
    if (f[col[0]].text.empty())
      throw InputError({path, row, f[col[0]].column}, "id", "empty practice id", "a practice code");
    pop.add(f[col[0]].text, f[col[1]].text, n, b, g, f[col[5]].text, f[col[6]].text);
    pop.id_location.push_back({path, row, f[col[0]].column});
    for (const auto& [index, name] : extra)
      keep_extra(f[index], path, row, name, pop.columns[name]);
  }
  return pop;
}

}  // namespace rxstress
