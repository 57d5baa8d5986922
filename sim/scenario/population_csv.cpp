// The practice table as CSV: RFC 4180 quoting, a header row naming the columns.
#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
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
  }
  return pop;
}

}  // namespace rxstress
