// The practice table as CSV: RFC 4180 quoting, a header row naming the columns. Read as people
// save it: a UTF-8 byte-order mark (Excel's "CSV UTF-8"), CRLF line ends, and `,`, `;` or tab
// between the fields (detected from the header unless the scenario says which).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <unordered_map>

#include "rxstress/population.hpp"
#include "scenario/csv.hpp"

namespace rxstress {
namespace {

const std::array<std::string, 7> kColumns{
    "id", "name", "list_size", "annual_spend", "generic_share", "neighbourhood", "provider"};

// Every named column that is not a standard one, by header position (the first of a repeated
// name).
std::vector<std::pair<std::size_t, std::string>> extra_columns(const std::vector<Field>& header) {
  std::vector<std::pair<std::size_t, std::string>> extra;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string& name = header[i].text;
    const bool seen =
        std::any_of(extra.begin(), extra.end(), [&](const auto& e) { return e.second == name; });
    if (!name.empty() && !seen &&
        std::find(kColumns.begin(), kColumns.end(), name) == kColumns.end())
      extra.emplace_back(i, name);
  }
  return extra;
}

// Keeps one row's value of an extra column: NaN (and the first such place) when not a number,
// so that only a budget method that names the column fails on it.
void keep_extra(const Field& f, const std::string& file, int row, const std::string& name,
                ExtraColumn& column) {
  double x = 0.0;
  if (!read_double(f.text, x)) {
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

// The header row: its fields, the delimiter and where each standard column is.
struct Header {
  std::vector<Field> fields;
  char delimiter = ',';
  std::array<std::size_t, 7> column{};  // of each of kColumns
};

Header read_header(const std::string& line, CsvDelimiter delimiter, const std::string& path) {
  Header h;
  h.delimiter = delimiter == CsvDelimiter::automatic   ? detect_delimiter(line)
                : delimiter == CsvDelimiter::semicolon ? ';'
                : delimiter == CsvDelimiter::tab       ? '\t'
                                                       : ',';
  h.fields = split_csv(line, h.delimiter);
  std::unordered_map<std::string, std::size_t> where;
  for (std::size_t i = 0; i < h.fields.size(); ++i) where[h.fields[i].text] = i;
  // One field holding other separators: population.delimiter names the wrong one.
  const bool one_field = h.fields.size() == 1 && line.find_first_of(",;\t") != std::string::npos;
  for (std::size_t c = 0; c < kColumns.size(); ++c) {
    auto it = where.find(kColumns[c]);
    if (it == where.end())
      throw InputError(
          {path, 1, 1}, kColumns[c],
          "missing column '" + kColumns[c] + "'" +
              (one_field ? " (the header is one field: is population.delimiter right?)" : ""),
          "columns id,name,list_size,annual_spend,generic_share,neighbourhood,provider");
    h.column[c] = it->second;
  }
  return h;
}

}  // namespace

Population read_population_csv(const std::string& path, CsvDelimiter delimiter) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 0, 0}, "", "cannot open the file", "a readable CSV file");
  const Header h = read_header(read_header_line(in, path), delimiter, path);
  const auto& header = h.fields;
  const auto& col = h.column;
  const char sep = h.delimiter;
  Population pop;
  const auto extra = extra_columns(header);
  CsvRows rows(in, path, sep, header.size());
  for (std::vector<Field> f; rows.next(f);) {
    const int row = rows.row();
    const double n = parse_number(f[col[2]], path, row, "list_size", 1.0, kMaxListSize,
                                  "a positive number of patients");
    const double b = parse_number(f[col[3]], path, row, "annual_spend", 0.0, 1e13,
                                  "a non-negative spend in GBP/year");
    const double g =
        parse_number(f[col[4]], path, row, "generic_share", 0.0, 1.0, "a fraction in [0, 1]");
    if (f[col[0]].text.empty())
      throw InputError({path, row, f[col[0]].column}, "id", "empty practice id", "a practice code");
    pop.add(f[col[0]].text, f[col[1]].text, n, b, g, f[col[5]].text, f[col[6]].text);
    pop.id_location.push_back({path, row, f[col[0]].column});
    pop.spend_location.push_back({path, row, f[col[3]].column});
    pop.spend_key.push_back("annual_spend");
    for (const auto& [index, name] : extra)
      keep_extra(f[index], path, row, name, pop.columns[name]);
  }
  return pop;
}

}  // namespace rxstress
