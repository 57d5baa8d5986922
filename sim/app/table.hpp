// A small table of labelled columns, printed as aligned text, CSV or JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

namespace rxstress {

using Cell = std::variant<std::string, double>;

struct Column {
  Column(std::string name_, int precision_ = 2, double scale_ = 1.0, std::string suffix_ = "",
         std::string key_ = "")
      : name(std::move(name_)),
        precision(precision_),
        scale(scale_),
        suffix(std::move(suffix_)),
        key(std::move(key_)) {}
  std::string name;
  int precision;       // decimals in text output
  double scale;        // text output shows value * scale (e.g. 1e-6 for GBP m, 100 for %)
  std::string suffix;  // e.g. "%"
  // The name in CSV and JSON (the text name when empty). Machine output carries raw values in one
  // unit per figure (GBP, fractions), so a key names its unit where the text name shows a scale.
  std::string key;
  const std::string& machine_name() const { return key.empty() ? name : key; }
};

struct Table {
  std::string title;
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;

  void print_text(std::ostream& out) const;
  void print_csv(std::ostream& out) const;
  void print_json(std::ostream& out) const;  // an array of objects with raw (unscaled) values
  nlohmann::ordered_json to_json() const;    // the same array, to nest in a larger document
  void print(std::ostream& out, const std::string& format) const;
};

// One column `name` with the same value in every row, put first: how tables of several years or
// models become one table (one CSV header) with a year or model column.
Table with_leading(const std::string& name, const std::vector<Table>& parts,
                   const std::vector<std::string>& values);

}  // namespace rxstress
