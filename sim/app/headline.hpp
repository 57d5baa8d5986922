// The reports of a results file: the headline a CFO reads (one row per delegation model), the
// holders of one model, and everything about one holder.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "app/table.hpp"
#include "io/results_reader.hpp"

namespace rxstress {

Table headline_table(const h5::File& file, std::size_t year);
Table holders_table(const ModelResults& model, std::size_t year);
Table holder_detail_table(const ModelResults& model, std::size_t holder, std::size_t year);
Table convergence_table(const ModelResults& model, std::size_t holder, std::size_t year);

// Per-practice distribution of each driver in /drivers/detail (empty when the file has none),
// one table per driver of practice_detail_drivers.
std::vector<Table> practice_detail_tables(const h5::File& file, std::size_t year);
std::vector<std::string> practice_detail_drivers(const h5::File& file);

// One table per settlement year as text; one table with a `year` column as csv or json.
void print_by_year(const std::vector<Table>& per_year, const std::vector<std::string>& years,
                   std::ostream& out, const std::string& format);

// The tables of one view of a file, each under a machine name. Text: every table with its title;
// CSV: the first (the view's main table, one header); JSON: one object {name: array of rows}.
struct View {
  std::vector<std::pair<std::string, Table>> tables;
  void print(std::ostream& out, const std::string& format) const;
};

// The headline of each settlement year of a file.
std::vector<Table> per_year_headlines(const h5::File& file);

// Every settlement year's headline, with a legend in text format.
void print_headline(const std::string& results_path, std::ostream& out,
                    const std::string& format = "table");
// The same from a file already open (a run's file held in memory, `run --no-output`).
void print_headline(const h5::File& file, std::ostream& out, const std::string& format = "table");

}  // namespace rxstress
