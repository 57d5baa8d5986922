// The distribution of a driver's annual spend per practice, over practices and paths, by list
// size band: e.g. "what does concession pressure cost a practice?" (/drivers/detail/<driver>).
//
// The dataset holds paths x practices values a year (65 million for 10,000 England paths), too
// many to hold, copy and sort once per band: it is read a strip of paths at a time
// (h5::for_each_path), the means
// added as it goes and the quantiles selected exactly by stats::RankSelector over a few passes,
// so the memory does not grow with the paths.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "app/headline.hpp"
#include "io/path_strips.hpp"
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

// The bands a practice of each list size falls in (all practices, and its own).
std::vector<std::vector<std::size_t>> bands_of(const std::vector<double>& list_size) {
  std::vector<std::vector<std::size_t>> of(list_size.size());
  for (std::size_t i = 0; i < list_size.size(); ++i)
    for (std::size_t b = 0; b < kBands.size(); ++b)
      if (list_size[i] >= kBands[b].from && list_size[i] < kBands[b].to) of[i].push_back(b);
  return of;
}

// One table row per band: practice-years, mean, median, p5, p95.
std::vector<std::vector<Cell>> band_rows(const h5::Dataset& d, std::size_t year,
                                         const std::vector<std::vector<std::size_t>>& bands) {
  const std::size_t P = bands.size(), K = d.dims()[1];  // [Y, K, P]
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
    h5::for_each_path(d, year, [&](std::size_t, const double* v) {
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
