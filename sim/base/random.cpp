#include "rxstress/random.hpp"

#include <boost/random/normal_distribution.hpp>

namespace rxstress {

StreamKey stream_key(std::uint64_t seed, std::string_view name) {
  constexpr std::uint64_t kPurpose = 0x72787374726573ull;  // "rxstres"
  r123::Philox4x64 philox;
  const auto block = philox({{name_hash(name), 0, 0, 0}}, {{seed, kPurpose}});
  return {static_cast<std::uint32_t>(block.v[0]), static_cast<std::uint32_t>(block.v[0] >> 32)};
}

double draw_normal(Stream& s) {
  // Boost's ziggurat keeps no state between calls: a fresh distribution object costs nothing.
  boost::random::normal_distribution<double> standard(0.0, 1.0);
  return standard(s);
}

}  // namespace rxstress
