// The distribution of a driver's annual spend per practice, over practices and paths, by list
// size band: e.g. "what does concession pressure cost a practice?" (/drivers/detail/<driver>).
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "app/headline.hpp"
#include "rxstress/stats.hpp"

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

std::vector<Cell> band_row(const Band& band, std::vector<double> values) {
  if (values.empty()) return {std::string(band.label), 0.0, NAN, NAN, NAN, NAN};
  double mean = 0;
  for (double v : values) mean += v / values.size();
  std::sort(values.begin(), values.end());
  return {std::string(band.label),
          double(values.size()),
          mean,
          stats::quantile_sorted(values, 0.5),
          stats::quantile_sorted(values, 0.05),
          stats::quantile_sorted(values, 0.95)};
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
  const auto list_size = file.open_dataset("practices/list_size").read_all<double>();
  const std::size_t P = list_size.size();
  for (const auto& name : practice_detail_drivers(file)) {
    const h5::Dataset d = file.open_dataset("drivers/detail/" + name);
    const auto dims = d.dims();  // [Y, K, P]
    std::vector<double> values(dims[1] * P);
    const hsize_t off[] = {year, 0, 0}, cnt[] = {1, dims[1], P};
    d.read_slab<double>(off, cnt, values.data());
    Table t;
    t.title = fmt::format("Annual {} per practice, over practices and paths ({} paths; GBP)", name,
                          dims[1]);
    t.columns = {{"list size", 2, 1, "", "list_size_band"},
                 {"practice-years", 0, 1, "", "practice_years"},
                 {"mean", 0, 1, "", "mean_gbp"},
                 {"median", 0, 1, "", "median_gbp"},
                 {"p5", 0, 1, "", "p5_gbp"},
                 {"p95", 0, 1, "", "p95_gbp"}};
    for (const Band& band : kBands) {
      std::vector<double> in_band;
      for (std::size_t k = 0; k < dims[1]; ++k)
        for (std::size_t i = 0; i < P; ++i)
          if (list_size[i] >= band.from && list_size[i] < band.to)
            in_band.push_back(values[k * P + i]);
      t.rows.push_back(band_row(band, std::move(in_band)));
    }
    tables.push_back(std::move(t));
  }
  return tables;
}

}  // namespace rxstress
