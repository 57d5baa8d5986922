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
    out << (c ? "," : "") << csv_quote(columns[c].machine_name());
  out << "\n";
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < columns.size(); ++c)
      out << (c ? "," : "") << csv_quote(raw_of(row[c]));
    out << "\n";
  }
}

nlohmann::ordered_json Table::to_json() const {
  auto array = nlohmann::ordered_json::array();
  for (const auto& row : rows) {
    nlohmann::ordered_json object;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      auto& value = object[columns[c].machine_name()];
      if (const auto* s = std::get_if<std::string>(&row[c]))
        value = *s;
      else if (const double x = std::get<double>(row[c]); std::isfinite(x))
        value = x;  // NaN and infinity are not JSON: null
    }
    array.push_back(std::move(object));
  }
  return array;
}

void Table::print_json(std::ostream& out) const { out << to_json().dump(1) << "\n"; }

void Table::print(std::ostream& out, const std::string& format) const {
  if (format == "csv")
    print_csv(out);
  else if (format == "json")
    print_json(out);
  else
    print_text(out);
}

Table with_leading(const std::string& name, const std::vector<Table>& parts,
                   const std::vector<std::string>& values) {
  Table all;
  all.columns.push_back({name});
  if (parts.empty()) return all;
  all.columns.insert(all.columns.end(), parts[0].columns.begin(), parts[0].columns.end());
  for (std::size_t i = 0; i < parts.size(); ++i)
    for (const auto& row : parts[i].rows) {
      all.rows.push_back({values[i]});
      all.rows.back().insert(all.rows.back().end(), row.begin(), row.end());
    }
  return all;
}

}  // namespace rxstress
