// `rxstress review results.h5 actuals.csv`: the quarterly review of actual spend against the
// forecast (issue 17). For every model and holder: the year-to-date budget, actual and variance,
// where the actual falls in the forecast distribution of the year to date (flagged outside the
// central 90 %), and the year-end outturn conditional on the year to date (app/review.hpp).
// The forecast distribution is that of the trajectory paths (/trajectories: the first S paths'
// monthly spend, kept for levels of at most 1,000 holders); a level without them is reported as
// not reviewed.
#include "app/review.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "app/report_errors.hpp"
#include "app/table.hpp"
#include "io/results_reader.hpp"
#include "rxstress/app.hpp"
#include "rxstress/error.hpp"

namespace rxstress {

double forecast_percentile(std::span<const double> values, double x) {
  double below = 0;
  for (double v : values) below += v < x ? 1.0 : v == x ? 0.5 : 0.0;
  return below / static_cast<double>(values.size());
}

ConditionalYearEnd conditional_year_end(std::span<const double> ytd,
                                        std::span<const double> year_end, double actual_ytd,
                                        std::size_t exclude) {
  std::vector<std::size_t> paths;
  for (std::size_t k = 0; k < ytd.size(); ++k)
    if (k != exclude) paths.push_back(k);
  if (paths.size() < kReviewMinPaths)
    throw RunError(fmt::format("{} trajectory paths: the review needs at least {}", paths.size(),
                               kReviewMinPaths));
  const double j = std::max(1.0, std::round(std::sqrt(static_cast<double>(paths.size())) / 20.0));
  const std::size_t k = std::min(paths.size(), static_cast<std::size_t>(20 * j) - 1);
  std::stable_sort(paths.begin(), paths.end(), [&](std::size_t a, std::size_t b) {
    return std::abs(ytd[a] - actual_ytd) < std::abs(ytd[b] - actual_ytd);
  });
  std::vector<double> rest;
  for (std::size_t i = 0; i < k; ++i) rest.push_back(year_end[paths[i]] - ytd[paths[i]]);
  double mean = 0, m2 = 0;
  for (double r : rest) mean += r / static_cast<double>(k);
  for (double r : rest) m2 += (r - mean) * (r - mean);
  std::sort(rest.begin(), rest.end());
  const std::size_t low = (k + 1) / 20, high = 19 * (k + 1) / 20;  // 1-based order statistics
  ConditionalYearEnd c;
  c.paths = k;
  c.estimate = actual_ytd + mean;
  c.se = std::sqrt(m2 / static_cast<double>(k - 1) / static_cast<double>(k));
  c.low = actual_ytd + rest[low - 1];
  c.high = actual_ytd + rest[high - 1];
  c.coverage = static_cast<double>(high - low) / static_cast<double>(k + 1);
  return c;
}

namespace {

// The forecast of one holder level: the trajectory paths' monthly spend and the monthly budget.
struct LevelForecast {
  std::vector<std::string> holders;
  std::vector<double> spend, budget;  // [s][t][h], [t][h]
  std::size_t S = 0, T = 0, H = 0;
};

LevelForecast read_forecast(const h5::File& f, const std::string& level) {
  LevelForecast lf;
  const h5::Group g = f.open_group("trajectories/" + level);
  lf.holders = g.open_dataset("holders").read_strings();
  lf.budget = g.open_dataset("budget").read_all<double>();
  const h5::Dataset spend = g.open_dataset("spend");
  const auto dims = spend.dims();
  lf.S = dims[0], lf.T = dims[1], lf.H = dims[2];
  lf.spend = spend.read_all<double>();
  return lf;
}

// The holder of each practice at `level`, as an index into `holders`.
std::vector<std::size_t> holder_of(const h5::File& f, const std::string& level,
                                   const std::vector<std::string>& holders) {
  const auto ids = f.open_dataset("practices/id").read_strings();
  std::vector<std::string> key = ids;
  if (level == "neighbourhood" || level == "provider")
    key = f.open_dataset("practices/" + level).read_strings();
  std::vector<std::size_t> of(ids.size(), 0);
  for (std::size_t i = 0; i < ids.size() && level != "icb"; ++i) {
    const auto it = std::find(holders.begin(), holders.end(), key[i]);
    if (it == holders.end())
      throw RunError("practice '" + ids[i] + "' has no holder '" + key[i] + "' at level " + level);
    of[i] = static_cast<std::size_t>(it - holders.begin());
  }
  return of;
}

const char* kMethod =
    "percentile: mid-rank of the actual year to date among the trajectory paths' year to date; "
    "year-end: actual year to date plus the rest-of-year spend of the k trajectory paths nearest "
    "in year-to-date spend (mean, standard error sd/sqrt(k), band between order statistics "
    "(k+1)/20 and 19(k+1)/20: 90 % for a path like them)";

Table review_table(const h5::File& f, const std::string& model, const Actuals& a,
                   const Calendar& cal) {
  const std::string level = f.open_group("models/" + model).attr_string("holder_level");
  Table table{model + " (" + level + ")",
              {Column("holder", 0), Column("budget to date £k", 1, 1e-3, "", "budget_ytd"),
               Column("actual to date £k", 1, 1e-3, "", "actual_ytd"),
               Column("variance £k", 1, 1e-3, "", "variance_ytd"),
               Column("forecast to date £k", 1, 1e-3, "", "forecast_mean_ytd"),
               Column("percentile", 1, 100, "%", "percentile"), Column("flag", 0),
               Column("year-end £k", 1, 1e-3, "", "year_end"),
               Column("± se £k", 1, 1e-3, "", "year_end_se"),
               Column("90 % low £k", 1, 1e-3, "", "year_end_low90"),
               Column("90 % high £k", 1, 1e-3, "", "year_end_high90"),
               Column("year budget £k", 1, 1e-3, "", "year_budget")},
              {}};
  if (!f.exists("trajectories/" + level)) {
    table.title +=
        ": not reviewed, the file keeps no monthly spend for this level (more than "
        "1,000 holders, or outputs.trajectories: 0)";
    return table;
  }
  const LevelForecast lf = read_forecast(f, level);
  const auto of = holder_of(f, level, lf.holders);
  const std::size_t T = lf.T, H = lf.H, P = of.size(), done = static_cast<std::size_t>(a.months);
  const int y = cal.year_of(a.months - 1);
  const std::size_t first = cal.first_month(y), end = first + cal.months_in_year(y);
  // Each holder's actual months of the year to date, [t][h], summed in practice order: one pass
  // over the practices rather than one per holder.
  std::vector<double> month(T * H, 0.0);
  for (std::size_t i = 0; i < P; ++i)
    for (std::size_t t = first; t < done; ++t) month[t * H + of[i]] += a.cost[i * T + t];
  for (std::size_t h = 0; h < H; ++h) {
    double actual = 0, budget = 0, year_budget = 0;
    for (std::size_t t = first; t < end; ++t) {
      if (t < done) {
        actual += month[t * H + h];
        budget += lf.budget[t * H + h];
      }
      year_budget += lf.budget[t * H + h];
    }
    std::vector<double> ytd(lf.S, 0.0), year(lf.S, 0.0);
    for (std::size_t s = 0; s < lf.S; ++s)
      for (std::size_t t = first; t < end; ++t) {
        const double v = lf.spend[(s * T + t) * H + h];
        if (t < done) ytd[s] += v;
        year[s] += v;
      }
    const double p = forecast_percentile(ytd, actual);
    const auto c = conditional_year_end(ytd, year, actual);
    const double forecast = std::accumulate(ytd.begin(), ytd.end(), 0.0) / lf.S;
    table.rows.push_back({lf.holders[h], budget, actual, actual - budget, forecast, p,
                          std::string(p < 0.05 || p > 0.95 ? "outside 90 %" : ""), c.estimate, c.se,
                          c.low, c.high, year_budget});
  }
  return table;
}

}  // namespace

int review_command(const ReviewRequest& r, std::ostream& out, std::ostream& err) {
  return status_reporting_errors(err, [&] {
    const h5::File f = open_results(r.results);
    YearMonth start;
    if (!parse_month(f.attr_string("start"), start))
      throw RunError("the results file's start '" + f.attr_string("start") + "' is not a month");
    const Calendar cal(start, static_cast<int>(f.attr_int("horizon_months")));
    const Actuals a = read_actuals(r.actuals, f.open_dataset("practices/id").read_strings(), cal);
    std::vector<Table> tables;
    std::vector<std::string> names;
    for (const auto& name : model_names(f))
      if (r.model.empty() || name == r.model) {
        tables.push_back(review_table(f, name, a, cal));
        names.push_back(name);
      }
    if (names.empty())
      throw InputError({r.results, 0, 0}, "--model", "no model '" + r.model + "'",
                       "one of the file's models");
    const std::string head =
        fmt::format("year to date: {} to {} ({} months)", start.text(), a.through, a.months);
    if (r.format == "table") {
      out << "Review of " << r.actuals << " against " << r.results << ", " << head << "\n"
          << "Method: " << kMethod << ".\n\n";
      for (const auto& t : tables) {
        t.print_text(out);
        out << "\n";
      }
      return 0;
    }
    const Table all = with_leading("model", tables, names);
    if (r.format == "csv") {
      all.print_csv(out);
      return 0;
    }
    nlohmann::ordered_json doc;
    doc["through"] = a.through;
    doc["months"] = a.months;
    doc["method"] = kMethod;
    doc["holders"] = all.to_json();
    out << doc.dump(2) << "\n";
    return 0;
  });
}

}  // namespace rxstress
