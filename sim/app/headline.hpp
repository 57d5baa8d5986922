// The reports of a results file: the headline a CFO reads (one row per delegation model), the
// holders of one model, and everything about one holder.
#pragma once

#include <ostream>
#include <string>

#include "app/results_reader.hpp"
#include "app/table.hpp"

namespace rxstress {

Table headline_table(const h5::File& file, std::size_t year);
Table holders_table(const ModelResults& model, std::size_t year);
Table holder_detail_table(const ModelResults& model, std::size_t holder, std::size_t year);
Table convergence_table(const ModelResults& model, std::size_t holder, std::size_t year);

// Every settlement year's headline, with a legend in text format.
void print_headline(const std::string& results_path, std::ostream& out,
                    const std::string& format = "table");

}  // namespace rxstress
