#include "app/table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace rxstress {
namespace {

std::string text_of(const Cell& cell, const Column& c) {
  if (const auto* s = std::get_if<std::string>(&cell)) return *s;
  const double x = std::get<double>(cell);
  if (std::isnan(x)) return "-";
  return fmt::format("{:.{}f}{}", x * c.scale, c.precision, c.suffix);
}

std::string raw_of(const Cell& cell) {
  if (const auto* s = std::get_if<std::string>(&cell)) return *s;
  const double x = std::get<double>(cell);
  return std::isnan(x) ? "" : fmt::format("{}", x);
}

std::string csv_quote(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\', out += c;
    else if (c == '\n')
      out += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20)
      out += fmt::format("\\u{:04x}", int(c));
    else
      out += c;
  }
  return out + "\"";
}

}  // namespace

void Table::print_text(std::ostream& out) const {
  std::vector<std::size_t> width(columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) width[c] = columns[c].name.size();
  for (const auto& row : rows)
    for (std::size_t c = 0; c < columns.size(); ++c)
      width[c] = std::max(width[c], text_of(row[c], columns[c]).size());
  if (!title.empty()) out << title << "\n";
  // The first column (names) is left-aligned, numbers right-aligned.
  auto cell = [&](std::size_t c, const std::string& s) {
    return c ? fmt::format("  {:>{}}", s, width[c]) : fmt::format("{:<{}}", s, width[c]);
  };
  for (std::size_t c = 0; c < columns.size(); ++c) out << cell(c, columns[c].name);
  out << "\n";
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < columns.size(); ++c) out << cell(c, text_of(row[c], columns[c]));
    out << "\n";
  }
}

void Table::print_csv(std::ostream& out) const {
  for (std::size_t c = 0; c < columns.size(); ++c)
    out << (c ? "," : "") << csv_quote(columns[c].name);
  out << "\n";
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < columns.size(); ++c)
      out << (c ? "," : "") << csv_quote(raw_of(row[c]));
    out << "\n";
  }
}

void Table::print_json(std::ostream& out) const {
  out << "[";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    out << (r ? ",\n " : "\n ") << "{";
    for (std::size_t c = 0; c < columns.size(); ++c) {
      out << (c ? ", " : "") << json_string(columns[c].name) << ": ";
      const Cell& cell = rows[r][c];
      if (const auto* s = std::get_if<std::string>(&cell))
        out << json_string(*s);
      else if (std::isnan(std::get<double>(cell)))
        out << "null";
      else
        out << fmt::format("{}", std::get<double>(cell));
    }
    out << "}";
  }
  out << "\n]\n";
}

void Table::print(std::ostream& out, const std::string& format) const {
  if (format == "csv")
    print_csv(out);
  else if (format == "json")
    print_json(out);
  else
    print_text(out);
}

}  // namespace rxstress
