#include "app/headline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
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

// The driver with the largest mean share of variance over the holders, and that share.
std::pair<std::string, double> top_driver(const ModelResults& m, std::size_t y) {
  const std::size_t D = m.drivers.size();
  std::pair<std::string, double> best{"", kNan};
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
      best = {m.drivers[d], best_share};
    }
  }
  return best;
}

// What the ICB carries under a model at year y: mean, 1-in-20 and ES95. Files written before
// stats/icb_carries: the residual of the terms, or everything when the ICB holds the budget.
std::array<double, 3> icb_carried(const ModelResults& m, std::size_t y) {
  if (!m.carried_mean.empty())
    return {m.carried_mean[y], m.carried_var[y * 2], m.carried_es[y * 2]};
  if (m.level == "icb") return {m.mean[y], m.var[y * 2], m.es[y * 2]};
  return {m.residual_mean[y], m.residual_var[y * 2], m.residual_es[y * 2]};
}

// The holders' reserves at 95 % cover, summed (NaN when the file has no such cover level).
double reserves_95(const ModelResults& m, std::size_t y) {
  const int c = m.cover_index(0.95);
  if (c < 0) return kNan;
  double sum = 0;
  for (std::size_t h = 0; h < m.H; ++h) sum += m.reserve[(y * m.H + h) * m.cover.size() + c];
  return sum;
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
  const auto icb = icb_carried(m, y);
  const auto top = top_driver(m, y);
  return {m.name,
          m.level,
          double(m.H),
          budget,
          mean,
          icb[0],
          icb[1],
          icb[2],
          reserves_95(m, y),
          median_exceedance(m, y, 0.02),
          median_exceedance(m, y, 0.05),
          worst,
          breach5,
          top.first,
          top.second};
}

}  // namespace

Table headline_table(const h5::File& file, std::size_t year) {
  Table t;
  t.title = fmt::format("Settlement year {} ({} paths; GBP million; overspend positive)",
                        file.attr_strings("settlement_years")[year], file.attr_int("paths"));
  t.columns = {{"model"},
               {"holder", 2, 1, "", "holder_level"},
               {"holders", 0},
               {"budget", 1, 1e-6, "", "budget_gbp"},
               {"E[var]", 2, 1e-6, "", "expected_variance_gbp"},
               {"ICB E[cost]", 2, 1e-6, "", "icb_expected_gbp"},
               {"ICB 1-in-20", 2, 1e-6, "", "icb_var95_gbp"},
               {"ICB ES95", 2, 1e-6, "", "icb_es95_gbp"},
               {"reserve95", 2, 1e-6, "", "holders_reserve95_gbp"},
               {"med P>2%", 1, 100, "%", "median_holder_p_over_2pct"},
               {"med P>5%", 1, 100, "%", "median_holder_p_over_5pct"},
               {"worst 1/20", 1, 100, "%", "worst_holder_var95_share_of_budget"},
               {"E[#>5%]", 1, 1, "", "mean_holders_over_5pct"},
               {"top driver", 2, 1, "", "top_driver"},
               {"share", 0, 100, "%", "top_driver_share"}};
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
               {"budget", 0, 1, "", "budget_gbp"},
               {"mean", 0, 1, "", "mean_gbp"},
               {"sd", 0, 1, "", "sd_gbp"},
               {"cv", 2, 100, "%", "cv"},
               {"q50", 0, 1, "", "q50_gbp"},
               {"var95", 0, 1, "", "var95_gbp"},
               {"es95", 0, 1, "", "es95_gbp"},
               {"var99", 0, 1, "", "var99_gbp"},
               {"P>0", 1, 100, "%", "p_over_0pct"},
               {"P>2%", 1, 100, "%", "p_over_2pct"},
               {"P>5%", 1, 100, "%", "p_over_5pct"}};
  for (double c : m.cover)
    t.columns.push_back(
        {fmt::format("reserve{:g}", 100 * c), 0, 1, "", fmt::format("reserve{:g}_gbp", 100 * c)});
  const std::size_t X = m.thresholds.size(), Q = m.probs.size(), C = m.cover.size();
  auto p = [&](std::size_t j, double x) {
    const int i = m.threshold_index(x);
    return i < 0 ? kNan : m.p_exceed[j * X + i];
  };
  for (std::size_t h = 0; h < m.H; ++h) {
    const std::size_t j = y * m.H + h;
    std::vector<Cell> row{m.holders[h],
                          m.list_size[h],
                          m.budget[j],
                          m.mean[j],
                          m.sd[j],
                          m.cv[j],
                          m.quantiles[j * Q + 4],
                          m.var[j * 2],
                          m.es[j * 2],
                          m.var[j * 2 + 1],
                          p(j, 0.0),
                          p(j, 0.02),
                          p(j, 0.05)};
    for (std::size_t c = 0; c < C; ++c)
      row.emplace_back(std::in_place_type<double>, m.reserve[j * C + c]);
    t.rows.push_back(std::move(row));
  }
  return t;
}

Table holder_detail_table(const ModelResults& m, std::size_t h, std::size_t y) {
  Table t;
  t.title = fmt::format("Holder {} in model {} ({} level), settlement year {}", m.holders[h],
                        m.name, m.level, m.years[y]);
  t.columns = {{"statistic"}, {"value", 2}, {"unit"}};
  const std::size_t j = y * m.H + h, X = m.thresholds.size(), Q = m.probs.size();
  const std::size_t D = m.drivers.size(), R = m.periods.size();
  auto add = [&](std::string name, double v, const char* unit) {
    t.rows.push_back({std::move(name), v, std::string(unit)});
  };
  add("list_size", m.list_size[h], "patients");
  add("budget", m.budget[j], "GBP");
  add("mean", m.mean[j], "GBP");
  add("sd", m.sd[j], "GBP");
  add("se_mean", m.se_mean[j], "GBP");
  add("cv", m.cv[j], "fraction of budget");
  for (std::size_t q = 0; q < Q; ++q)
    add(fmt::format("quantile_{}", m.probs[q]), m.quantiles[j * Q + q], "GBP");
  add("var_0.95", m.var[j * 2], "GBP");
  add("var_0.99", m.var[j * 2 + 1], "GBP");
  add("es_0.95", m.es[j * 2], "GBP");
  add("es_0.99", m.es[j * 2 + 1], "GBP");
  add("q95_ci_low", m.q95_ci[j * 2], "GBP");
  add("q95_ci_high", m.q95_ci[j * 2 + 1], "GBP");
  for (std::size_t x = 0; x < X; ++x)
    add(fmt::format("p_exceed_{}", m.thresholds[x]), m.p_exceed[j * X + x], "probability");
  for (std::size_t r = 0; r < R; ++r)
    add(fmt::format("return_period_{}", m.periods[r]), m.return_period_loss[j * R + r], "GBP");
  for (std::size_t d = 0; d < D; ++d)
    add("attribution_" + m.drivers[d], m.attribution[j * D + d], "fraction of variance");
  if (!m.es95_attribution.empty())
    for (std::size_t d = 0; d < D; ++d)
      add("es95_attribution_" + m.drivers[d], m.es95_attribution[j * D + d], "fraction of ES95");
  return t;
}

Table convergence_table(const ModelResults& m, std::size_t h, std::size_t y) {
  Table t;
  t.title =
      fmt::format("Convergence of holder {} in model {}: estimates over growing subsets of paths",
                  m.holders[h], m.name);
  t.columns = {{"paths", 0},
               {"mean", 0, 1, "", "mean_gbp"},
               {"se_mean", 0, 1, "", "se_mean_gbp"},
               {"q95", 0, 1, "", "q95_gbp"},
               {"se_q95", 0, 1, "", "se_q95_gbp"}};
  const std::size_t S = m.conv_paths.size(), j = y * m.H + h;
  for (std::size_t s = 0; s < S; ++s)
    t.rows.push_back({m.conv_paths[s], m.conv_mean[j * S + s], m.conv_se_mean[j * S + s],
                      m.conv_q95[j * S + s], m.conv_se_q95[j * S + s]});
  return t;
}

void print_by_year(const std::vector<Table>& per_year, const std::vector<std::string>& years,
                   std::ostream& out, const std::string& format) {
  if (format != "table") return with_leading("year", per_year, years).print(out, format);
  for (const auto& t : per_year) {
    t.print(out, format);
    out << "\n";
  }
}

void View::print(std::ostream& out, const std::string& format) const {
  if (format == "csv") return tables.at(0).second.print_csv(out);
  if (format == "json") {
    nlohmann::ordered_json doc = nlohmann::ordered_json::object();
    for (const auto& [name, table] : tables) doc[name] = table.to_json();
    out << doc.dump(1) << "\n";
    return;
  }
  for (const auto& [name, table] : tables) {
    table.print_text(out);
    out << "\n";
  }
}

std::vector<Table> per_year_headlines(const h5::File& file) {
  std::vector<Table> tables;
  for (std::size_t y = 0; y < file.attr_strings("settlement_years").size(); ++y)
    tables.push_back(headline_table(file, y));
  return tables;
}

Table practice_detail_table(const h5::File& file) {
  const auto years = file.attr_strings("settlement_years");
  std::vector<Table> per_year;
  for (std::size_t y = 0; y < years.size(); ++y) {
    const auto tables = practice_detail_tables(file, y);
    per_year.push_back(with_leading("driver", tables, practice_detail_drivers(file)));
  }
  return with_leading("year", per_year, years);
}

void print_headline(const std::string& results_path, std::ostream& out, const std::string& format) {
  print_headline(open_results(results_path), out, format);
}

void print_headline(const h5::File& f, std::ostream& out, const std::string& format) {
  const auto years = f.attr_strings("settlement_years");
  if (format != "table") {
    View view{{{"headline", with_leading("year", per_year_headlines(f), years)}}};
    if (!practice_detail_drivers(f).empty())
      view.tables.emplace_back("practice_detail", practice_detail_table(f));
    return view.print(out, format);
  }
  print_by_year(per_year_headlines(f), years, out, format);
  out << "E[var]: expected overspend summed over holders. ICB E[cost] / 1-in-20 / ES95: what\n"
         "the ICB carries (everything when it holds the budget; else what the terms leave it plus\n"
         "holders' overspend beyond their capacity), its mean, 95% quantile and expected\n"
         "shortfall. reserve95: the reserves holders need for 95% cover, summed. med P>x%: the\n"
         "median holder's chance of overspending by more than x% of budget. worst 1/20: the\n"
         "largest holder 95% quantile as % of its budget. E[#>5%]: mean number of holders over\n"
         "5%. top driver: largest mean share of holders' variance (Euler attribution).\n";
  for (std::size_t y = 0; y < years.size(); ++y)
    for (const Table& t : practice_detail_tables(f, y)) {
      out << "\n" << years[y] << ": ";
      t.print_text(out);
    }
}

}  // namespace rxstress
