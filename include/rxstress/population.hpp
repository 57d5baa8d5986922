// The GP practices of a scenario (DESIGN §2.1), column by column.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "rxstress/params.hpp"

namespace rxstress {

struct Population {
  std::vector<std::string> id;
  std::vector<std::string> name;
  std::vector<double> list_size;      // registered patients
  std::vector<double> annual_spend;   // baseline prescribing spend, GBP per year
  std::vector<double> generic_share;  // fraction of spend on generic lines
  std::vector<std::string> neighbourhood;
  std::vector<std::string> provider;
  std::string source;  // citation of the data

  std::size_t size() const { return id.size(); }
  double total_list_size() const;
  void add(std::string id_, std::string name_, double list, double spend, double generic,
           std::string neighbourhood_, std::string provider_);
};

// Reads the scenario's `population:` block: `file:` (CSV), `practices:` (inline list) or
// `synthetic:`. Paths are relative to the scenario file's directory.
Population load_population(ParamNode& block, const std::string& scenario_dir);

// The CSV reader (columns id,name,list_size,annual_spend,generic_share,neighbourhood,provider;
// extra columns are ignored). Errors point at file.csv:row:column.
Population read_population_csv(const std::string& path);

}  // namespace rxstress
