// The GP practices of a scenario (docs/model.md §2.1), column by column.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rxstress/error.hpp"

namespace rxstress {

class ParamNode;

// An extra numeric column of the practice table (an annual budget, a capitation weight), kept
// for the budget methods that name it. A CSV column with a value that is not a number is kept
// too, so that naming it gives an error located at that value.
struct ExtraColumn {
  std::vector<double> values;            // one per practice; NaN where not a number
  std::vector<SourceLocation> where;     // where each value was read (file:row:column of a CSV)
  std::vector<std::string> key_path;     // the key of each value in messages
  std::optional<std::size_t> first_bad;  // the first practice whose value is not a number
  std::string first_bad_text;            // and what it holds
};

// The largest list size a practice may have. The largest English practice had 89,786 patients
// in January 2021 (docs/sources.md); 10^9 leaves room for a whole ICB as one row, and keeps
// every driver's counts (a Poisson mean grows with the list) inside what its samplers draw.
inline constexpr double kMaxListSize = 1e9;

struct Population {
  std::vector<std::string> id;
  std::vector<std::string> name;
  std::vector<double> list_size;      // registered patients
  std::vector<double> annual_spend;   // baseline prescribing spend, GBP per year
  std::vector<double> generic_share;  // fraction of spend on generic lines
  std::vector<std::string> neighbourhood;
  std::vector<std::string> provider;
  std::string source;  // citation of the data
  std::string file;    // the CSV file it was read from (empty: inline or synthetic)
  // Where each practice's id was given (YAML value or CSV cell), for errors about a practice.
  std::vector<SourceLocation> id_location;
  // Where each practice's annual_spend was given, and its key in messages (inline and CSV).
  std::vector<SourceLocation> spend_location;
  std::vector<std::string> spend_key;
  // Extra numeric columns by name: a CSV's other columns, or inline practices' `columns`.
  std::map<std::string, ExtraColumn, std::less<>> columns;

  std::size_t size() const { return id.size(); }
  // A numeric column by name: list_size, annual_spend, generic_share or an extra column (whose
  // values may hold NaN: check first_bad); nullptr when there is no such column.
  const std::vector<double>* numeric_column(std::string_view column) const;
  std::vector<std::string> numeric_column_names() const;
  double total_list_size() const;
  void add(std::string id_, std::string name_, double list, double spend, double generic,
           std::string neighbourhood_, std::string provider_);
};

// Reads the scenario's `population:` block: `file:` (CSV), `practices:` (inline list) or
// `synthetic:`. A CSV path is relative to the scenario file that gives it.
Population load_population(ParamNode& block);

// How the fields of a CSV line are separated (`population.delimiter`); `automatic`: the one of
// `,`, `;` and tab that the header uses most.
enum class CsvDelimiter { automatic, comma, semicolon, tab };

// The CSV reader (columns id,name,list_size,annual_spend,generic_share,neighbourhood,provider;
// every other column is kept in `columns`). A UTF-8 byte-order mark and CRLF line ends are
// accepted. Errors point at file.csv:row:column.
Population read_population_csv(const std::string& path,
                               CsvDelimiter delimiter = CsvDelimiter::automatic);

}  // namespace rxstress
