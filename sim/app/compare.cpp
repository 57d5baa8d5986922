// `rxstress compare A.h5 B.h5`: per model, year and holder (and what the ICB carries), the
// difference B - A of the mean, 1-in-20, ES95 and exceedance probabilities, with Monte Carlo
// standard errors by batch means. When A and B share seed, paths, practices and drivers (common
// random numbers), the batches are paired and the errors are those of the paired differences;
// otherwise the comparison is flagged unpaired and the errors assume independent runs.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "app/compare.hpp"
#include "app/headline.hpp"
#include "app/report_errors.hpp"
#include "rxstress/app.hpp"
#include "rxstress/error.hpp"
#include "rxstress/stats.hpp"

namespace rxstress {
namespace {

bool same_strings(const h5::File& a, const h5::File& b, const std::string& dataset) {
  return a.open_dataset(dataset).read_strings() == b.open_dataset(dataset).read_strings();
}

bool same_attr(const h5::File& a, const h5::File& b, const std::string& name) {
  if (a.has_attr(name) != b.has_attr(name)) return false;
  return !a.has_attr(name) || a.attr_int(name) == b.attr_int(name);
}

// The two sides of one holder's comparison: its outcome column in each file and its budget.
struct Side {
  std::vector<double> values;
  double budget = 0.0;
};

// The statistics compared, in order: mean, 1-in-20, ES95, then P(outcome > x budget).
std::vector<double> figures(std::span<const double> x, double budget,
                            const std::vector<double>& thresholds) {
  std::vector<double> scratch(x.begin(), x.end());
  const stats::HolderSummary s = stats::summarise(scratch, budget, thresholds);
  std::vector<double> out{s.mean, s.var[0], s.es[0]};
  out.insert(out.end(), s.p_exceed.begin(), s.p_exceed.end());
  return out;
}

std::vector<std::vector<double>> batch_figures(const Side& s,
                                               const std::vector<double>& thresholds) {
  std::vector<std::vector<double>> out;
  if (s.values.size() < stats::kBatches) return out;
  for (auto [begin, end] : stats::batch_ranges(s.values.size(), stats::kBatches))
    out.push_back(figures(std::span(s.values).subspan(begin, end - begin), s.budget, thresholds));
  return out;
}

// Each statistic's standard error: of the paired batch differences, or sqrt(se_a^2 + se_b^2).
std::vector<double> standard_errors(const Side& a, const Side& b,
                                    const std::vector<double>& thresholds, bool paired) {
  const auto fa = batch_figures(a, thresholds), fb = batch_figures(b, thresholds);
  const std::size_t S = 3 + thresholds.size();
  std::vector<double> se(S, NAN);
  if (fa.empty() || fb.empty()) return se;
  for (std::size_t s = 0; s < S; ++s) {
    std::vector<double> xa, xb, diff;
    for (std::size_t g = 0; g < fa.size(); ++g) {
      xa.push_back(fa[g][s]);
      xb.push_back(fb[g][s]);
      diff.push_back(fb[g][s] - fa[g][s]);
    }
    se[s] = paired ? stats::batch_se(diff) : std::hypot(stats::batch_se(xa), stats::batch_se(xb));
  }
  return se;
}

std::vector<std::string> statistic_names(const std::vector<double>& thresholds) {
  std::vector<std::string> names{"mean_gbp", "var95_gbp", "es95_gbp"};
  for (double x : thresholds) names.push_back(fmt::format("p_over_{:g}pct", 100 * x));
  return names;
}

// One year of one model in one file: its holders, their budgets and what the ICB carries. The
// holders' outcome columns are read a strip of holders at a time (`columns`), so that comparing
// practice-level models of many paths does not hold every path of every holder at once.
struct YearData {
  h5::Group group;
  std::size_t year = 0, K = 0;
  std::vector<std::string> holders;
  std::vector<double> budget;             // [H]
  std::vector<double> carried;            // [K]
  bool icb_held_without_carries = false;  // an older file: the ICB carries the outcome itself

  // The outcome columns of holders [first, first + count): [K, count].
  std::vector<double> columns(std::size_t first, std::size_t count) const {
    std::vector<double> x(K * count);
    const hsize_t off[] = {year, 0, first}, cnt[] = {1, K, count};
    group.open_dataset("outcome").read_slab<double>(off, cnt, x.data());
    return x;
  }
  Side icb() const {
    Side s{icb_held_without_carries ? columns(0, 1) : carried, 0.0};
    for (double b : budget) s.budget += b;
    return s;
  }
};

// Holder `h` of a strip read by YearData::columns (`width` holders wide).
Side column_of(const std::vector<double>& strip, std::size_t width, std::size_t h, double budget) {
  Side s;
  s.values.resize(strip.size() / width);
  for (std::size_t k = 0; k < s.values.size(); ++k) s.values[k] = strip[k * width + h];
  s.budget = budget;
  return s;
}

YearData read_year(const h5::File& f, const std::string& model, std::size_t y) {
  YearData d{f.open_group("models/" + model), y, 0, {}, {}, {}, false};
  const h5::Group& g = d.group;
  d.holders = g.open_dataset("holders").read_strings();
  d.K = static_cast<std::size_t>(f.attr_int("paths"));
  const std::size_t H = d.holders.size();
  const auto budget = g.open_dataset("budget").read_all<double>();
  d.budget.assign(budget.begin() + y * H, budget.begin() + (y + 1) * H);
  // Files written before icb_carries: the residual (everything, when the ICB holds the budget).
  const std::string carried = g.exists("icb_carries") ? "icb_carries" : "icb_residual";
  d.carried.resize(d.K);
  const hsize_t roff[] = {y, 0}, rcnt[] = {1, d.K};
  g.open_dataset(carried).read_slab<double>(roff, rcnt, d.carried.data());
  d.icb_held_without_carries = !g.exists("icb_carries") && g.attr_string("holder_level") == "icb";
  return d;
}

class Comparison {
 public:
  Comparison(const CompareRequest& r, const h5::File& a, const h5::File& b, Pairing pairing)
      : r_(r), a_(a), b_(b), pairing_(std::move(pairing)) {
    thresholds_ =
        a.open_dataset("models/" + model_names(a)[0] + "/breaches").attr_doubles("thresholds");
    names_ = statistic_names(thresholds_);
    table_.columns = {{"model"},
                      {"year"},
                      {"holder"},
                      {"statistic"},
                      {"A", 2},
                      {"B", 2},
                      {"B - A", 2, 1, "", "difference"},
                      {"se", 2},
                      {"paired"}};
  }

  void add_model(const std::string& model) {
    const auto years = a_.attr_strings("settlement_years");
    for (std::size_t y = 0; y < years.size(); ++y) {
      const YearData a = read_year(a_, model, y), b = read_year(b_, model, y);
      if (r_.holder.empty() || r_.holder == "ICB") add(model, years[y], "ICB", a.icb(), b.icb());
      if (r_.holder == "ICB") continue;
      const std::size_t H = a.holders.size();
      const std::size_t width =
          std::max<std::size_t>(1, r_.strip_bytes / (8 * std::max<std::size_t>(a.K, 1)));
      std::map<std::string, std::size_t> b_index;
      for (std::size_t h = 0; h < b.holders.size(); ++h) b_index.emplace(b.holders[h], h);
      for (std::size_t first = 0; first < H; first += width)
        add_strip(model, years[y], a, b, b_index, first, std::min(width, H - first));
    }
  }
  const Table& table() const { return table_; }

 private:
  // The holders [first, first + count) of A that B has too. B's columns are read as the one
  // strip that spans them: as narrow as A's where B lists the holders in the same order (files of
  // one scenario); up to all of B's holders where it lists them in another order.
  void add_strip(const std::string& model, const std::string& year, const YearData& a,
                 const YearData& b, const std::map<std::string, std::size_t>& b_index,
                 std::size_t first, std::size_t count) {
    std::vector<std::size_t> in_a, in_b;
    for (std::size_t h = first; h < first + count; ++h) {
      if (!r_.holder.empty() && a.holders[h] != r_.holder) continue;
      const auto hb = b_index.find(a.holders[h]);
      if (hb == b_index.end()) continue;
      in_a.push_back(h);
      in_b.push_back(hb->second);
    }
    if (in_a.empty()) return;
    const std::size_t a0 = in_a.front(), a_width = in_a.back() - a0 + 1;
    const auto [b_lo, b_hi] = std::minmax_element(in_b.begin(), in_b.end());
    const std::size_t b0 = *b_lo, b_width = *b_hi - b0 + 1;
    const auto sa = a.columns(a0, a_width), sb = b.columns(b0, b_width);
    for (std::size_t i = 0; i < in_a.size(); ++i) {
      const std::size_t h = in_a[i], hb = in_b[i];
      add(model, year, a.holders[h], column_of(sa, a_width, h - a0, a.budget[h]),
          column_of(sb, b_width, hb - b0, b.budget[hb]));
    }
  }

  void add(const std::string& model, const std::string& year, const std::string& holder,
           const Side& a, const Side& b) {
    const auto fa = figures(a.values, a.budget, thresholds_);
    const auto fb = figures(b.values, b.budget, thresholds_);
    const auto se = standard_errors(a, b, thresholds_, pairing_.paired);
    for (std::size_t s = 0; s < names_.size(); ++s)
      table_.rows.push_back({model, year, holder, names_[s], fa[s], fb[s], fb[s] - fa[s], se[s],
                             std::string(pairing_.paired ? "yes" : "no")});
  }

  const CompareRequest& r_;
  const h5::File &a_, &b_;
  Pairing pairing_;
  std::vector<double> thresholds_;
  std::vector<std::string> names_;
  Table table_;
};

// mean_gbp -> mean, var95_gbp -> 1-in-20, p_over_5pct -> P>5%.
std::string display_name(const std::string& statistic) {
  if (statistic == "var95_gbp") return "1-in-20";
  if (statistic == "es95_gbp") return "ES95";
  if (statistic.starts_with("p_over_"))
    return "P>" + statistic.substr(7, statistic.size() - 10) + "%";
  return statistic.substr(0, statistic.rfind("_gbp"));
}

// "-29,000 ± 852" (GBP) or "-4.0 ± 1.2" (percentage points).
std::string with_error(double difference, double se, bool probability) {
  if (probability) return fmt::format("{:+.1f} ± {:.1f}", 100 * difference, 100 * se);
  return fmt::format("{:+.0f} ± {:.0f}", difference, se);
}

// The text view: one row per model, year and holder, one column per statistic showing B - A and
// its standard error; the ICB rows first, then at most 40 holders.
void print_text(const Table& t, const Pairing& pairing, std::ostream& out) {
  out << (pairing.paired ? "paired (common random numbers): " : "UNPAIRED: ") << pairing.reason
      << "\nB - A ± " << (pairing.paired ? "the paired" : "the unpaired")
      << " Monte Carlo standard error (batch means over " << stats::kBatches
      << " batches of paths); GBP, P(>x%) in percentage points\n\n";
  Table pivot;
  pivot.columns = {{"model"}, {"year"}, {"holder"}};
  std::vector<std::string> statistics;
  for (const auto& row : t.rows) {
    const auto& name = std::get<std::string>(row[3]);
    if (std::find(statistics.begin(), statistics.end(), name) != statistics.end()) break;
    statistics.push_back(name);
    pivot.columns.push_back({display_name(name)});
  }
  const std::size_t S = statistics.size();
  std::size_t holders = 0, hidden = 0;
  for (int icb_pass = 1; icb_pass >= 0; --icb_pass)
    for (std::size_t i = 0; i + S <= t.rows.size(); i += S) {
      const bool icb = std::get<std::string>(t.rows[i][2]) == "ICB";
      if (icb != bool(icb_pass)) continue;
      if (!icb && ++holders > 40) {
        ++hidden;
        continue;
      }
      pivot.rows.push_back({t.rows[i][0], t.rows[i][1], t.rows[i][2]});
      for (std::size_t s = 0; s < S; ++s)
        pivot.rows.back().push_back(with_error(std::get<double>(t.rows[i + s][6]),
                                               std::get<double>(t.rows[i + s][7]),
                                               statistics[s].starts_with("p_over")));
    }
  pivot.print_text(out);
  if (hidden)
    out << "\n(" << hidden << " more holders: --format csv or json for all, --holder ID for one)\n";
}

void check_comparable(const CompareRequest& r, const h5::File& a, const h5::File& b) {
  if (a.attr_strings("settlement_years") != b.attr_strings("settlement_years"))
    throw InputError({r.b, 0, 0}, "settlement_years", "other settlement years than " + r.a,
                     "two results files of the same settlement years");
  const auto ta =
      a.open_dataset("models/" + model_names(a)[0] + "/breaches").attr_doubles("thresholds");
  const auto tb =
      b.open_dataset("models/" + model_names(b)[0] + "/breaches").attr_doubles("thresholds");
  if (ta != tb)
    throw InputError({r.b, 0, 0}, "outputs.thresholds", "other exceedance thresholds than " + r.a,
                     "two results files with the same outputs.thresholds");
}

int compare(const CompareRequest& r, std::ostream& out, std::ostream& err) {
  const h5::File a = open_results(r.a), b = open_results(r.b);
  check_comparable(r, a, b);
  const Pairing p = pairing(a, b);
  const auto names_b = model_names(b);
  std::vector<std::string> models;
  for (const auto& m : model_names(a))
    if ((r.model.empty() || m == r.model) &&
        std::find(names_b.begin(), names_b.end(), m) != names_b.end())
      models.push_back(m);
  if (models.empty())
    throw InputError({r.b, 0, 0}, "--model",
                     r.model.empty() ? "no model in common with " + r.a
                                     : "no model '" + r.model + "' in both files",
                     "models of the same name in both files");
  Comparison c(r, a, b, p);
  for (const auto& m : models) c.add_model(m);
  if (!p.paired) err << "rxstress: compare: UNPAIRED: " << p.reason << "\n";
  if (r.format == "table")
    print_text(c.table(), p, out);
  else if (r.format == "csv")
    c.table().print_csv(out);
  else {
    nlohmann::ordered_json doc;
    doc["a"] = r.a;
    doc["b"] = r.b;
    doc["paired"] = p.paired;
    doc["pairing"] = p.reason;
    doc["differences"] = c.table().to_json();
    out << doc.dump(1) << "\n";
  }
  return 0;
}

}  // namespace

Pairing pairing(const h5::File& a, const h5::File& b) {
  std::vector<std::string> differ;
  if (!same_attr(a, b, "seed"))
    differ.push_back(fmt::format("seed {} vs {}", a.attr_int("seed"), b.attr_int("seed")));
  if (!same_attr(a, b, "paths"))
    differ.push_back(fmt::format("{} vs {} paths", a.attr_int("paths"), b.attr_int("paths")));
  if (!same_attr(a, b, "stream_version")) differ.push_back("random stream versions");
  if (!same_strings(a, b, "practices/id")) differ.push_back("practices");
  if (!same_strings(a, b, "drivers/names")) differ.push_back("driver names");
  if (differ.empty())
    return {true, fmt::format("same seed {}, {} paths, practices and drivers", a.attr_int("seed"),
                              a.attr_int("paths"))};
  std::string reason = "different ";
  for (std::size_t i = 0; i < differ.size(); ++i) reason += (i ? ", " : "") + differ[i];
  return {false, reason};
}

int compare_command(const CompareRequest& r, std::ostream& out, std::ostream& err) {
  return status_reporting_errors(err, [&] { return compare(r, out, err); });
}

}  // namespace rxstress
