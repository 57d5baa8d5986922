// `rxstress summary`: the headline, one model's holders (--model), or one holder (--holder).
#include <fmt/format.h>

#include <algorithm>

#include "app/headline.hpp"
#include "app/report_errors.hpp"
#include "rxstress/app.hpp"
#include "rxstress/error.hpp"

namespace rxstress {
namespace {

void print_holder(const h5::File& f, const SummaryRequest& r, std::ostream& out) {
  bool found = false;
  for (const auto& name : model_names(f)) {
    if (!r.model.empty() && name != r.model) continue;
    const ModelResults m = read_model(f, name);
    const std::size_t h = m.holder_index(r.holder);
    if (h == m.H) continue;
    found = true;
    std::vector<Table> detail;
    for (std::size_t y = 0; y < m.Y; ++y) detail.push_back(holder_detail_table(m, h, y));
    print_by_year(detail, m.years, out, r.format);
    if (r.format == "table")
      for (std::size_t y = 0; y < m.Y; ++y) {
        convergence_table(m, h, y).print(out, r.format);
        out << "\n";
      }
  }
  if (!found)
    throw InputError(
        {r.results, 0, 0}, "--holder",
        "no holder '" + r.holder + "'" + (r.model.empty() ? "" : " in model '" + r.model + "'"),
        "a holder id from /models/<name>/holders");
}

// With outputs.driver_detail, what each of those drivers costs a practice in a year.
void print_practice_detail(const std::string& path, std::ostream& out, const std::string& format) {
  const h5::File f = open_results(path);
  const auto years = f.attr_strings("settlement_years");
  for (std::size_t y = 0; y < years.size(); ++y)
    for (const Table& t : practice_detail_tables(f, y)) {
      if (format == "table") out << "\n" << years[y] << ": ";
      t.print(out, format);
    }
}

// The holders' table of one model, a table per settlement year.
void print_model(const SummaryRequest& r, std::ostream& out) {
  const h5::File f = open_results(r.results);
  const auto names = model_names(f);
  if (std::find(names.begin(), names.end(), r.model) == names.end())
    throw InputError({r.results, 0, 0}, "--model", "no model '" + r.model + "'",
                     "one of the file's models");
  const ModelResults m = read_model(f, r.model);
  std::vector<Table> tables;
  for (std::size_t y = 0; y < m.Y; ++y) tables.push_back(holders_table(m, y));
  print_by_year(tables, m.years, out, r.format);
}

}  // namespace

int summary_command(const SummaryRequest& r, std::ostream& out, std::ostream& err) {
  return status_reporting_errors(err, [&] {
    if (!r.holder.empty()) {
      print_holder(open_results(r.results), r, out);
    } else if (!r.model.empty()) {
      print_model(r, out);
    } else {
      print_headline(r.results, out, r.format);
      print_practice_detail(r.results, out, r.format);
    }
    return 0;
  });
}

}  // namespace rxstress
