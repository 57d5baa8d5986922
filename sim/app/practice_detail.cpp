// The distribution of a driver's annual spend per practice, over practices and paths, by list
// size band: e.g. "what does concession pressure cost a practice?" (/drivers/detail/<driver>).
//
// The dataset holds paths x practices values a year (65 million for 10,000 England paths), too
// many to hold, copy and sort once per band: it is read a strip of paths at a time, the means
// added as it goes and the quantiles selected exactly by stats::RankSelector over a few passes,
// so the memory does not grow with the paths.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "app/headline.hpp"
#include "rxstress/stats.hpp"
#include "stats/rank_selector.hpp"

namespace rxstress {
namespace {

struct Band {
  const char* label;
  double from, to;  // list size
};
constexpr std::array<Band, 5> kBands{{{"all practices", 0, 1e12},
                                      {"under 5,000", 0, 5000},
                                      {"5,000-10,000", 5000, 10000},
                                      {"10,000-15,000", 10000, 15000},
                                      {"over 15,000", 15000, 1e12}}};
constexpr std::array<double, 3> kProbs{0.5, 0.05, 0.95};  // median, p5, p95
constexpr std::size_t kStripBytes = 8 << 20;              // one read: about 8 MB of paths

// The bands a practice of each list size falls in (all practices, and its own).
std::vector<std::vector<std::size_t>> bands_of(const std::vector<double>& list_size) {
  std::vector<std::vector<std::size_t>> of(list_size.size());
  for (std::size_t i = 0; i < list_size.size(); ++i)
    for (std::size_t b = 0; b < kBands.size(); ++b)
      if (list_size[i] >= kBands[b].from && list_size[i] < kBands[b].to) of[i].push_back(b);
  return of;
}

// Calls visit(path, values of every practice) for each path of `year`, in path order.
template <class Visit>
void for_each_path(const h5::Dataset& d, std::size_t year, std::size_t P, Visit visit) {
  const std::size_t K = d.dims()[1];
  const std::size_t strip =
      std::max<std::size_t>(1, kStripBytes / (8 * std::max<std::size_t>(P, 1)));
  std::vector<double> values(std::min(strip, K) * P);
  for (std::size_t k0 = 0; k0 < K; k0 += strip) {
    const std::size_t n = std::min(strip, K - k0);
    const hsize_t off[] = {year, k0, 0}, cnt[] = {1, n, P};
    d.read_slab<double>(off, cnt, values.data());
    for (std::size_t k = 0; k < n; ++k) visit(k0 + k, values.data() + k * P);
  }
}

// One table row per band: practice-years, mean, median, p5, p95.
std::vector<std::vector<Cell>> band_rows(const h5::Dataset& d, std::size_t year,
                                         const std::vector<std::vector<std::size_t>>& bands) {
  const std::size_t P = bands.size(), K = d.dims()[1];
  std::vector<std::size_t> sizes(kBands.size(), 0);
  for (const auto& of : bands)
    for (std::size_t b : of) sizes[b] += K;
  stats::RankSelector selector(sizes);
  for (std::size_t b = 0; b < kBands.size(); ++b)
    for (double p : kProbs)
      if (sizes[b] > 0) {
        const auto q = stats::quantile_point(sizes[b], p);
        selector.want(b, q.lo);
        selector.want(b, q.hi);
      }
  // The means in the order of the values (path by path, practice by practice), as before.
  std::vector<double> mean(kBands.size(), 0.0);
  bool first_pass = true;
  do {
    for_each_path(d, year, P, [&](std::size_t, const double* v) {
      for (std::size_t i = 0; i < P; ++i)
        for (std::size_t b : bands[i]) {
          if (first_pass) mean[b] += v[i] / static_cast<double>(sizes[b]);
          selector.add(b, v[i]);
        }
    });
    selector.end_pass();
    first_pass = false;
  } while (!selector.done());
  std::vector<std::vector<Cell>> rows;
  for (std::size_t b = 0; b < kBands.size(); ++b) {
    const double n = static_cast<double>(sizes[b]);
    if (sizes[b] == 0) {
      rows.push_back({std::string(kBands[b].label), 0.0, NAN, NAN, NAN, NAN});
      continue;
    }
    std::vector<Cell> row{std::string(kBands[b].label), n, mean[b]};
    for (double p : kProbs) {
      const auto q = stats::quantile_point(sizes[b], p);
      row.emplace_back(stats::lerp(selector.value(b, q.lo), selector.value(b, q.hi), q.t));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

std::vector<std::string> practice_detail_drivers(const h5::File& file) {
  std::vector<std::string> names;
  for (const auto& name : file.open_group("drivers").open_dataset("names").read_strings())
    if (file.exists("drivers/detail/" + name)) names.push_back(name);
  return names;
}

std::vector<Table> practice_detail_tables(const h5::File& file, std::size_t year) {
  std::vector<Table> tables;
  const auto bands = bands_of(file.open_dataset("practices/list_size").read_all<double>());
  for (const auto& name : practice_detail_drivers(file)) {
    const h5::Dataset d = file.open_dataset("drivers/detail/" + name);
    Table t;
    t.title = fmt::format("Annual {} per practice, over practices and paths ({} paths; GBP)", name,
                          d.dims()[1]);
    t.columns = {{"list size", 2, 1, "", "list_size_band"},
                 {"practice-years", 0, 1, "", "practice_years"},
                 {"mean", 0, 1, "", "mean_gbp"},
                 {"median", 0, 1, "", "median_gbp"},
                 {"p5", 0, 1, "", "p5_gbp"},
                 {"p95", 0, 1, "", "p95_gbp"}};
    t.rows = band_rows(d, year, bands);
    tables.push_back(std::move(t));
  }
  return tables;
}

}  // namespace rxstress
