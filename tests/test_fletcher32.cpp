// h5::fletcher32 must give what HDF5's Fletcher32 filter stores, for every input: against HDF5's
// loop (H5_checksum_fletcher32 in H5checksum.c, transcribed) here, and against the checksums HDF5
// stored in a file in test_h5.cpp; on every SIMD target Highway can dispatch it to here.
#include <cstdint>
#include <random>
#include <vector>

#include <hwy/targets.h>
#include <catch2/catch.hpp>

#include "io/fletcher32.hpp"
#include "rxstress/simd.hpp"

namespace {

// HDF5 1.10's H5_checksum_fletcher32, word by word.
std::uint32_t hdf5_fletcher32(const unsigned char* data, std::size_t len_bytes) {
  std::size_t len = len_bytes / 2;
  std::uint32_t sum1 = 0, sum2 = 0;
  while (len) {
    std::size_t tlen = len > 360 ? 360 : len;
    len -= tlen;
    do {
      sum1 += static_cast<std::uint32_t>((static_cast<std::uint16_t>(data[0]) << 8) |
                                         static_cast<std::uint16_t>(data[1]));
      data += 2;
      sum2 += sum1;
    } while (--tlen);
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  }
  if (len_bytes % 2) {
    sum1 += static_cast<std::uint32_t>(static_cast<std::uint16_t>(*data) << 8);
    sum2 += sum1;
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  }
  sum1 = (sum1 & 0xffff) + (sum1 >> 16);
  sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  return (sum2 << 16) | sum1;
}

}  // namespace

TEST_CASE("fletcher32 equals HDF5's word-by-word loop", "[h5]") {
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<int> byte(0, 255);
  // Every length up to three blocks (720 bytes each), odd ones too, then chunk-sized buffers.
  std::vector<std::size_t> lengths;
  for (std::size_t n = 1; n <= 2200; ++n) lengths.push_back(n);
  for (std::size_t n : {131072, 131073, 160000}) lengths.push_back(n);
  for (std::size_t n : lengths) {
    std::vector<unsigned char> data(n);
    for (auto& b : data) b = static_cast<unsigned char>(byte(rng));
    INFO(n << " random bytes");
    REQUIRE(rxstress::h5::fletcher32(data.data(), n) == hdf5_fletcher32(data.data(), n));
  }
  // All bits set: the largest sums a block can reach.
  for (std::size_t n : {719, 720, 721, 1440, 5000, 131072}) {
    std::vector<unsigned char> ones(n, 0xff);
    INFO(n << " bytes of 0xff");
    CHECK(rxstress::h5::fletcher32(ones.data(), n) == hdf5_fletcher32(ones.data(), n));
  }
}

TEST_CASE("fletcher32 gives HDF5's checksum on every SIMD target this CPU runs", "[h5]") {
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<int> byte(0, 255);
  std::vector<unsigned char> data(131073);
  for (auto& b : data) b = static_cast<unsigned char>(byte(rng));
  hwy::SetSupportedTargetsForTest(0);  // the CPU's own targets, whatever was chosen before
  const std::vector<std::int64_t> targets = hwy::SupportedAndGeneratedTargets();
  CHECK(targets.size() >= 2);  // the baseline and at least one vector target of the engine
  for (std::int64_t target : targets) {
    hwy::SetSupportedTargetsForTest(target);
    for (std::size_t n : {1, 33, 720, 5001, 131072, 131073}) {
      INFO(hwy::TargetName(target) << ", " << n << " bytes");
      CHECK(rxstress::h5::fletcher32(data.data(), n) == hdf5_fletcher32(data.data(), n));
    }
  }
  rxstress::select_simd("auto");  // the engine's own choice again
}
