// A small table of labelled columns, printed as aligned text, CSV or JSON.
#pragma once

#include <ostream>
#include <string>
#include <variant>
#include <vector>

namespace rxstress {

using Cell = std::variant<std::string, double>;

struct Column {
  Column(std::string name_, int precision_ = 2, double scale_ = 1.0, std::string suffix_ = "")
      : name(std::move(name_)), precision(precision_), scale(scale_), suffix(std::move(suffix_)) {}
  std::string name;
  int precision;       // decimals in text output
  double scale;        // text output shows value * scale (e.g. 1e-6 for GBP m, 100 for %)
  std::string suffix;  // e.g. "%"
};

struct Table {
  std::string title;
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;

  void print_text(std::ostream& out) const;
  void print_csv(std::ostream& out) const;
  void print_json(std::ostream& out) const;  // an array of objects with raw (unscaled) values
  void print(std::ostream& out, const std::string& format) const;
};

}  // namespace rxstress
