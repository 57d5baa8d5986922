// CSV fields with their columns (see scenario/csv.hpp).
#include "scenario/csv.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace rxstress {

std::string read_header_line(std::istream& in, const std::string& path) {
  static const std::string kUtf8Bom = "\xEF\xBB\xBF";
  std::string line;
  if (!std::getline(in, line))
    throw InputError({path, 1, 1}, "", "the file is empty", "a header row");
  if (line.rfind(kUtf8Bom, 0) == 0) line.erase(0, kUtf8Bom.size());
  return line;
}

std::vector<Field> split_csv(const std::string& line, char delimiter) {
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
    } else if (c == delimiter) {
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

char detect_delimiter(const std::string& header) {
  std::size_t commas = 0, semicolons = 0, tabs = 0;
  bool quoted = false;
  for (char c : header) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    commas += c == ',';
    semicolons += c == ';';
    tabs += c == '\t';
  }
  if (tabs > commas && tabs > semicolons) return '\t';
  return semicolons > commas ? ';' : ',';
}

// Why a number a spreadsheet wrote is not read: "1,234", "1.234,5" and "0,22" hold a thousands
// separator or a decimal comma, which would otherwise be read as something else or not at all.
std::string number_problem(const std::string& text) {
  const bool digits_and_marks = !text.empty() &&
                                text.find_first_not_of("0123456789.,-+ ") == std::string::npos &&
                                text.find_first_of("0123456789") != std::string::npos;
  if (digits_and_marks && text.find(',') != std::string::npos)
    return fmt::format("found '{}': a thousands separator or a decimal comma", text);
  if (digits_and_marks && text.find(' ') != std::string::npos)
    return fmt::format("found '{}': a space inside a number", text);
  return fmt::format("found '{}'", text);
}

bool read_double(const std::string& text, double& x) {
  const char* b = text.data();
  const char* e = b + text.size();
  auto [ptr, ec] = std::from_chars(b, e, x);
  return ec == std::errc() && ptr == e && std::isfinite(x);
}

double parse_number(const Field& f, const std::string& file, int row, const std::string& column,
                    double lo, double hi, const std::string& expected) {
  double x = 0.0;
  if (!read_double(f.text, x))
    throw InputError({file, row, f.column}, column, number_problem(f.text),
                     expected + ", written with a '.' for decimals and no separators (1234.5)");
  if (x < lo || x > hi)
    throw InputError({file, row, f.column}, column, fmt::format("found '{}'", f.text), expected);
  return x;
}

bool CsvRows::next(std::vector<Field>& fields) {
  std::string line;
  while (std::getline(in_, line)) {
    ++row_;
    if (line.empty() || line == "\r") continue;
    fields = split_csv(line, delimiter_);
    if (fields.size() < fields_)
      throw InputError({path_, row_, static_cast<int>(line.size()) + 1}, "",
                       fmt::format("{} fields", fields.size()),
                       fmt::format("{} fields as in the header", fields_));
    return true;
  }
  return false;
}

}  // namespace rxstress
