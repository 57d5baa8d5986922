// Reading one year of a [Y, K, W] path dataset (the paths of W practices or holders) a strip of
// paths at a time, so that a report over every path never holds them all: the practice-detail
// table, tornado's exceedances.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "io/h5.hpp"

namespace rxstress::h5 {

// About this many bytes are read at once.
inline constexpr std::size_t kPathStripBytes = std::size_t{8} << 20;

// Calls visit(path, the W values of that path) for each path of `year`, in path order.
template <class Visit>
void for_each_path(const Dataset& d, std::size_t year, Visit visit) {
  const auto dims = d.dims();  // [Y, K, W]
  const std::size_t K = dims[1], W = dims[2];
  const std::size_t strip =
      std::max<std::size_t>(1, kPathStripBytes / (8 * std::max<std::size_t>(W, 1)));
  std::vector<double> values(std::min(strip, K) * W);
  for (std::size_t k0 = 0; k0 < K; k0 += strip) {
    const std::size_t n = std::min(strip, K - k0);
    const hsize_t off[] = {year, k0, 0}, cnt[] = {1, n, W};
    d.read_slab<double>(off, cnt, values.data());
    for (std::size_t k = 0; k < n; ++k) visit(k0 + k, values.data() + k * W);
  }
}

}  // namespace rxstress::h5
