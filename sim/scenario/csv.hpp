// Reading CSV files as people save them (RFC 4180 quoting, `,` `;` or tab, CRLF), with the
// 1-based column of every field for errors at file:line:column: the practice table, actuals.
#pragma once

#include <istream>
#include <string>
#include <vector>

#include "rxstress/error.hpp"

namespace rxstress {

// One field of a CSV line and its 1-based starting column.
struct Field {
  std::string text;
  int column;
};

// The header line of a CSV file, without the UTF-8 byte-order mark a spreadsheet may put first;
// an InputError at path:1:1 when the file is empty.
std::string read_header_line(std::istream& in, const std::string& path);
// Splits one CSV line into fields (quotes removed, "" inside quotes read as ").
std::vector<Field> split_csv(const std::string& line, char delimiter);
// The separator the header uses most, outside quotes (a comma when it has none).
char detect_delimiter(const std::string& header);
// Reads a finite number written with a '.' for decimals; false otherwise.
bool read_double(const std::string& text, double& x);
// Why a number a spreadsheet wrote is not read ("found '1,234': a thousands separator ...").
std::string number_problem(const std::string& text);
// The number in f, in [lo, hi]; an InputError at file:row:column naming `column` otherwise.
double parse_number(const Field& f, const std::string& file, int row, const std::string& column,
                    double lo, double hi, const std::string& expected);

// The data lines of a CSV after its header: empty lines skipped, every line checked to have the
// header's number of fields (an InputError at its end otherwise).
class CsvRows {
 public:
  CsvRows(std::istream& in, std::string path, char delimiter, std::size_t fields)
      : in_(in), path_(std::move(path)), delimiter_(delimiter), fields_(fields) {}
  // The next line's fields; false at the end of the file.
  bool next(std::vector<Field>& fields);
  int row() const { return row_; }  // 1-based line of the file of the last line read

 private:
  std::istream& in_;
  std::string path_;
  char delimiter_;
  std::size_t fields_;
  int row_ = 1;
};

}  // namespace rxstress
