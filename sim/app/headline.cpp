#include "app/headline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace rxstress {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

double median(std::vector<double> v) {
  if (v.empty()) return kNan;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// The median over holders of P(outcome > x budget), NaN if x is not a threshold of the run.
double median_exceedance(const ModelResults& m, std::size_t y, double x) {
  const int i = m.threshold_index(x);
  if (i < 0) return kNan;
  std::vector<double> p;
  for (std::size_t h = 0; h < m.H; ++h)
    p.push_back(m.p_exceed[(y * m.H + h) * m.thresholds.size() + i]);
  return median(p);
}

// The driver with the largest mean share of variance over the holders, e.g. "concessions (54%)".
std::string top_driver(const ModelResults& m, std::size_t y) {
  const std::size_t D = m.drivers.size();
  std::string best;
  double best_share = -INFINITY;
  for (std::size_t d = 0; d < D; ++d) {
    double sum = 0;
    std::size_t n = 0;
    for (std::size_t h = 0; h < m.H; ++h) {
      const double a = m.attribution[(y * m.H + h) * D + d];
      if (!std::isnan(a)) sum += a, ++n;
    }
    if (n && sum / n > best_share) {
      best_share = sum / n;
      best = fmt::format("{} ({:.0f}%)", m.drivers[d], 100 * best_share);
    }
  }
  return best;
}

std::vector<Cell> headline_row(const ModelResults& m, std::size_t y) {
  double budget = 0, mean = 0, worst = kNan;
  for (std::size_t h = 0; h < m.H; ++h) {
    const std::size_t j = y * m.H + h;
    budget += m.budget[j];
    mean += m.mean[j];
    const double rel = m.var[j * 2] / m.budget[j];
    if (std::isnan(worst) || rel > worst) worst = rel;
  }
  const int i5 = m.threshold_index(0.05);
  const double breach5 = i5 < 0 ? kNan : m.breaches_mean[y * m.thresholds.size() + i5];
  // What the ICB carries: the residual of the terms, or everything when it holds the budget.
  const bool icb_holds = m.level == "icb";
  const double icb_var = icb_holds ? m.var[y * 2] : m.residual_var[y * 2];
  const double icb_es = icb_holds ? m.es[y * 2] : m.residual_es[y * 2];
  return {m.name,
          m.level,
          double(m.H),
          budget,
          mean,
          icb_var,
          icb_es,
          median_exceedance(m, y, 0.02),
          median_exceedance(m, y, 0.05),
          worst,
          breach5,
          top_driver(m, y)};
}

}  // namespace

Table headline_table(const h5::File& file, std::size_t year) {
  Table t;
  t.title = fmt::format("Settlement year {} ({} paths; GBP million; overspend positive)",
                        file.attr_strings("settlement_years")[year], file.attr_int("paths"));
  t.columns = {{"model"},
               {"holder"},
               {"holders", 0},
               {"budget", 1, 1e-6},
               {"E[var]", 2, 1e-6},
               {"ICB 1-in-20", 2, 1e-6},
               {"ICB ES95", 2, 1e-6},
               {"med P>2%", 1, 100, "%"},
               {"med P>5%", 1, 100, "%"},
               {"worst 1/20", 1, 100, "%"},
               {"E[#>5%]", 1},
               {"top driver"}};
  for (const auto& name : model_names(file))
    t.rows.push_back(headline_row(read_model(file, name), year));
  return t;
}

Table holders_table(const ModelResults& m, std::size_t y) {
  Table t;
  t.title = fmt::format("Model {} ({} level, {} holders), settlement year {}; GBP", m.name, m.level,
                        m.H, m.years[y]);
  t.columns = {{"holder"},
               {"list_size", 0},
               {"budget", 0},
               {"mean", 0},
               {"sd", 0},
               {"cv", 2, 100, "%"},
               {"q50", 0},
               {"var95", 0},
               {"es95", 0},
               {"var99", 0},
               {"P>0", 1, 100, "%"},
               {"P>2%", 1, 100, "%"},
               {"P>5%", 1, 100, "%"}};
  const std::size_t X = m.thresholds.size(), Q = m.probs.size();
  auto p = [&](std::size_t j, double x) {
    const int i = m.threshold_index(x);
    return i < 0 ? kNan : m.p_exceed[j * X + i];
  };
  for (std::size_t h = 0; h < m.H; ++h) {
    const std::size_t j = y * m.H + h;
    t.rows.push_back({m.holders[h], m.list_size[h], m.budget[j], m.mean[j], m.sd[j], m.cv[j],
                      m.quantiles[j * Q + 4], m.var[j * 2], m.es[j * 2], m.var[j * 2 + 1],
                      p(j, 0.0), p(j, 0.02), p(j, 0.05)});
  }
  return t;
}

Table holder_detail_table(const ModelResults& m, std::size_t h, std::size_t y) {
  Table t;
  t.title = fmt::format("Holder {} in model {} ({} level), settlement year {}; GBP", m.holders[h],
                        m.name, m.level, m.years[y]);
  t.columns = {{"statistic"}, {"value", 2}};
  const std::size_t j = y * m.H + h, X = m.thresholds.size(), Q = m.probs.size();
  const std::size_t D = m.drivers.size(), R = m.periods.size();
  auto add = [&](std::string name, double v) { t.rows.push_back({std::move(name), v}); };
  add("list_size", m.list_size[h]);
  add("budget", m.budget[j]);
  add("mean", m.mean[j]);
  add("sd", m.sd[j]);
  add("se_mean", m.se_mean[j]);
  add("cv", m.cv[j]);
  for (std::size_t q = 0; q < Q; ++q)
    add(fmt::format("quantile_{}", m.probs[q]), m.quantiles[j * Q + q]);
  add("var_0.95", m.var[j * 2]);
  add("var_0.99", m.var[j * 2 + 1]);
  add("es_0.95", m.es[j * 2]);
  add("es_0.99", m.es[j * 2 + 1]);
  add("q95_ci_low", m.q95_ci[j * 2]);
  add("q95_ci_high", m.q95_ci[j * 2 + 1]);
  for (std::size_t x = 0; x < X; ++x)
    add(fmt::format("p_exceed_{}", m.thresholds[x]), m.p_exceed[j * X + x]);
  for (std::size_t r = 0; r < R; ++r)
    add(fmt::format("return_period_{}", m.periods[r]), m.return_period_loss[j * R + r]);
  for (std::size_t d = 0; d < D; ++d) add("attribution_" + m.drivers[d], m.attribution[j * D + d]);
  if (!m.es95_attribution.empty())
    for (std::size_t d = 0; d < D; ++d)
      add("es95_attribution_" + m.drivers[d], m.es95_attribution[j * D + d]);
  return t;
}

Table convergence_table(const ModelResults& m, std::size_t h, std::size_t y) {
  Table t;
  t.title =
      fmt::format("Convergence of holder {} in model {}: estimates over growing subsets of paths",
                  m.holders[h], m.name);
  t.columns = {{"paths", 0}, {"mean", 0}, {"se_mean", 0}, {"q95", 0}, {"se_q95", 0}};
  const std::size_t S = m.conv_paths.size(), j = y * m.H + h;
  for (std::size_t s = 0; s < S; ++s)
    t.rows.push_back({m.conv_paths[s], m.conv_mean[j * S + s], m.conv_se_mean[j * S + s],
                      m.conv_q95[j * S + s], m.conv_se_q95[j * S + s]});
  return t;
}

Table with_years(const std::vector<Table>& per_year, const std::vector<std::string>& years) {
  Table all;
  all.columns.push_back({"year"});
  all.columns.insert(all.columns.end(), per_year.at(0).columns.begin(),
                     per_year.at(0).columns.end());
  for (std::size_t y = 0; y < per_year.size(); ++y)
    for (const auto& row : per_year[y].rows) {
      all.rows.push_back({years[y]});
      all.rows.back().insert(all.rows.back().end(), row.begin(), row.end());
    }
  return all;
}

void print_by_year(const std::vector<Table>& per_year, const std::vector<std::string>& years,
                   std::ostream& out, const std::string& format) {
  if (format != "table") return with_years(per_year, years).print(out, format);
  for (const auto& t : per_year) {
    t.print(out, format);
    out << "\n";
  }
}

void print_headline(const std::string& results_path, std::ostream& out, const std::string& format) {
  print_headline(open_results(results_path), out, format);
}

void print_headline(const h5::File& f, std::ostream& out, const std::string& format) {
  const auto years = f.attr_strings("settlement_years");
  std::vector<Table> tables;
  for (std::size_t y = 0; y < years.size(); ++y) tables.push_back(headline_table(f, y));
  print_by_year(tables, years, out, format);
  if (format != "table") return;
  out << "E[var]: expected overspend summed over holders. ICB 1-in-20 / ES95: what the ICB\n"
         "carries (the residual holders do not retain; everything when the ICB is the holder)\n"
         "at its 95% quantile and expected shortfall. med P>x%: the median holder's chance of\n"
         "overspending by more than x% of budget. worst 1/20: the largest holder 95% quantile\n"
         "as % of its budget. E[#>5%]: mean number of holders over 5%. top driver: largest mean\n"
         "share of holders' variance (Euler attribution).\n";
}

}  // namespace rxstress
