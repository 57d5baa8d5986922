// `rxstress summary`: the headline, one model's holders (--model), or one holder (--holder).
// Each view is one document in every format: one CSV table with a model and a year column, one
// JSON object.
#include <fmt/format.h>

#include <algorithm>

#include "app/headline.hpp"
#include "app/report_errors.hpp"
#include "rxstress/app.hpp"
#include "rxstress/error.hpp"

namespace rxstress {
namespace {

// Everything about one holder, in every model that has it (a practice is a holder of every
// practice-level model).
void print_holder(const h5::File& f, const SummaryRequest& r, std::ostream& out) {
  std::vector<Table> details, convergence;
  std::vector<std::string> found;
  for (const auto& name : model_names(f)) {
    if (!r.model.empty() && name != r.model) continue;
    const ModelResults m = read_model(f, name);
    const std::size_t h = m.holder_index(r.holder);
    if (h == m.H) continue;
    found.push_back(name);
    std::vector<Table> detail, conv;
    for (std::size_t y = 0; y < m.Y; ++y) {
      detail.push_back(holder_detail_table(m, h, y));
      conv.push_back(convergence_table(m, h, y));
    }
    if (r.format == "table") {
      print_by_year(detail, m.years, out, r.format);
      print_by_year(conv, m.years, out, r.format);
    }
    details.push_back(with_leading("year", detail, m.years));
    convergence.push_back(with_leading("year", conv, m.years));
  }
  if (found.empty())
    throw InputError(
        {r.results, 0, 0}, "--holder",
        "no holder '" + r.holder + "'" + (r.model.empty() ? "" : " in model '" + r.model + "'"),
        "a holder id from /models/<name>/holders");
  if (r.format != "table")
    View{{{"holder", with_leading("model", details, found)},
          {"convergence", with_leading("model", convergence, found)}}}
        .print(out, r.format);
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
  if (r.format == "table") return print_by_year(tables, m.years, out, r.format);
  View{{{"holders", with_leading("model", {with_leading("year", tables, m.years)}, {r.model})}}}
      .print(out, r.format);
}

}  // namespace

int summary_command(const SummaryRequest& r, std::ostream& out, std::ostream& err) {
  return status_reporting_errors(err, [&] {
    if (!r.holder.empty())
      print_holder(open_results(r.results), r, out);
    else if (!r.model.empty())
      print_model(r, out);
    else
      print_headline(r.results, out, r.format);
    return 0;
  });
}

}  // namespace rxstress
