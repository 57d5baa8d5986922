#include "app/headline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "io/h5.hpp"

namespace rxstress {
namespace {

// Index of `x` in the thresholds, or -1.
int threshold_index(const std::vector<double>& thresholds, double x) {
  for (std::size_t i = 0; i < thresholds.size(); ++i)
    if (std::abs(thresholds[i] - x) < 1e-12) return static_cast<int>(i);
  return -1;
}

double median(std::vector<double> v) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

std::string percent(double p) { return std::isnan(p) ? "-" : fmt::format("{:.1f}%", 100 * p); }

struct Row {
  std::string model, level, top_driver;
  std::size_t holders = 0;
  double budget = 0, mean = 0, residual_var = 0, residual_es = 0;
  double p2 = NAN, p5 = NAN, worst_var = 0, breach5 = NAN;
};

Row read_row(const h5::File& f, const std::string& name, std::size_t y) {
  const h5::Group g = f.open_group("models/" + name);
  Row r;
  r.model = name;
  r.level = g.attr_string("holder_level");
  const auto budget = g.open_dataset("budget").read_all<double>();
  const std::size_t H = budget.size() / g.open_dataset("budget").dims()[0];
  r.holders = H;
  const auto mean = g.open_dataset("stats/mean").read_all<double>();
  const auto var = g.open_dataset("stats/var").read_all<double>();
  const auto pex = g.open_dataset("stats/p_exceed");
  const auto thresholds = pex.attr_doubles("thresholds");
  const auto p = pex.read_all<double>();
  const std::size_t X = thresholds.size();
  std::vector<double> p2, p5;
  for (std::size_t h = 0; h < H; ++h) {
    r.budget += budget[y * H + h];
    r.mean += mean[y * H + h];
    r.worst_var = std::max(r.worst_var, var[(y * H + h) * 2] / budget[y * H + h]);
    const int i2 = threshold_index(thresholds, 0.02), i5 = threshold_index(thresholds, 0.05);
    if (i2 >= 0) p2.push_back(p[(y * H + h) * X + i2]);
    if (i5 >= 0) p5.push_back(p[(y * H + h) * X + i5]);
  }
  r.p2 = median(p2);
  r.p5 = median(p5);
  const int i5 = threshold_index(thresholds, 0.05);
  if (i5 >= 0) r.breach5 = g.open_dataset("stats/breaches_mean").read_all<double>()[y * X + i5];
  r.residual_var = g.open_dataset("stats/icb_residual/var").read_all<double>()[y * 2];
  r.residual_es = g.open_dataset("stats/icb_residual/es").read_all<double>()[y * 2];
  const auto att = g.open_dataset("stats/attribution");
  const auto drivers = att.attr_strings("drivers");
  const auto a = att.read_all<double>();
  const std::size_t D = drivers.size();
  double best = -INFINITY;
  for (std::size_t d = 0; d < D; ++d) {
    double sum = 0;
    std::size_t n = 0;
    for (std::size_t h = 0; h < H; ++h)
      if (!std::isnan(a[(y * H + h) * D + d])) sum += a[(y * H + h) * D + d], ++n;
    if (n && sum / n > best)
      best = sum / n, r.top_driver = fmt::format("{} ({:.0f}%)", drivers[d], 100 * sum / n);
  }
  return r;
}

}  // namespace

void print_headline(const std::string& results_path, std::ostream& out) {
  const h5::File f = h5::File::open_read(results_path);
  const auto models = f.open_group("models").attr_strings("order");
  const auto years = f.attr_strings("settlement_years");
  for (std::size_t y = 0; y < years.size(); ++y) {
    out << fmt::format("Settlement year {} ({} paths; money in GBP million; overspend positive)\n",
                       years[y], f.attr_int("paths"));
    out << fmt::format(
        "{:<22} {:<13} {:>7} {:>9} {:>9} {:>10} {:>9} {:>8} {:>8} {:>10} {:>9}  {}\n", "model",
        "holder", "holders", "budget", "E[var]", "ICB 1-in-20", "ICB ES95", "med P>2%", "med P>5%",
        "worst 1/20", "E[#>5%]", "top driver");
    for (const auto& name : models) {
      const Row r = read_row(f, name, y);
      out << fmt::format(
          "{:<22} {:<13} {:>7} {:>9.1f} {:>9.2f} {:>10.2f} {:>9.2f} {:>8} {:>8} {:>10} {:>9.1f}  "
          "{}\n",
          r.model, r.level, r.holders, r.budget / 1e6, r.mean / 1e6, r.residual_var / 1e6,
          r.residual_es / 1e6, percent(r.p2), percent(r.p5), percent(r.worst_var), r.breach5,
          r.top_driver);
    }
    out << "\n";
  }
  out << "E[var]: expected overspend summed over holders. ICB 1-in-20 / ES95: the ICB's residual\n"
         "(what holders do not retain) at its 95% quantile and expected shortfall. med P>x%: the\n"
         "median holder's chance of overspending by more than x% of budget. worst 1/20: the\n"
         "largest holder 95% quantile as % of its budget. E[#>5%]: mean number of holders over "
         "5%.\n";
}

}  // namespace rxstress
