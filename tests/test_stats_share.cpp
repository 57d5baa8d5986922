// The statistics pass shared among MPI ranks (io/results_parallel.cpp): each rank summarises a
// contiguous share of the holders with summarise_dataset's holder range. Every holder's summary,
// convergence table and extra quantiles must be the same bits as from one pass over all holders,
// however the holders are shared (the MPI ctest cases compare whole files; this pins the piece).
#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>
#include <random>

#include <unistd.h>

#include "hpc/ranks.hpp"
#include "io/h5.hpp"
#include "io/results_writer.hpp"

namespace fs = std::filesystem;
using rxstress::LevelStats;

namespace {

bool same_bits(const void* a, const void* b, std::size_t bytes) {
  return std::memcmp(a, b, bytes) == 0;
}

// Holder j of `part` against holder j of `whole`, field by field.
void check_holder(const LevelStats& whole, const LevelStats& part, std::size_t j, std::size_t E) {
  const auto& w = whole.holders[j];
  const auto& p = part.holders[j];
  CHECK(same_bits(&w.mean, &p.mean, sizeof(double)));
  CHECK(same_bits(&w.sd, &p.sd, sizeof(double)));
  CHECK(same_bits(w.quantiles.data(), p.quantiles.data(), sizeof(w.quantiles)));
  CHECK(same_bits(w.es.data(), p.es.data(), sizeof(w.es)));
  CHECK(same_bits(w.return_period_loss.data(), p.return_period_loss.data(),
                  sizeof(w.return_period_loss)));
  REQUIRE(w.p_exceed.size() == p.p_exceed.size());
  CHECK(same_bits(w.p_exceed.data(), p.p_exceed.data(), w.p_exceed.size() * sizeof(double)));
  CHECK(same_bits(&whole.convergence[j], &part.convergence[j], sizeof(whole.convergence[j])));
  CHECK(same_bits(whole.extra_quantiles.data() + j * E, part.extra_quantiles.data() + j * E,
                  E * sizeof(double)));
}

}  // namespace

TEST_CASE("a share of the holders is summarised as in one pass over all of them", "[stats][mpi]") {
  const fs::path file =
      fs::temp_directory_path() / ("rxstress_share_" + std::to_string(::getpid()) + ".h5");
  const hsize_t Y = 2, K = 300, H = 37;
  std::mt19937_64 rng(99);
  std::lognormal_distribution<double> spend(0.0, 1.0);
  std::vector<double> outcomes(Y * K * H), budget(Y * H);
  for (double& x : outcomes) x = spend(rng) - 1.5;
  for (double& b : budget) b = 10.0 + spend(rng);
  const std::vector<double> thresholds{0.0, 0.05, 0.1}, extra{0.9, 0.99};
  {
    auto f = rxstress::h5::File::create(file.string());
    auto d = f.create_dataset<double>("outcome", {Y, K, H}, {1, 32, 16}, 0);
    const hsize_t off[] = {0, 0, 0}, cnt[] = {Y, K, H};
    d.write_slab<double>(off, cnt, outcomes.data());
  }
  const auto f = rxstress::h5::File::open_read(file.string());
  const auto outcome = f.open_dataset("outcome");
  const LevelStats whole = rxstress::summarise_dataset(outcome, budget, thresholds, extra);
  for (int R : {2, 3, 5, 40}) {
    for (int r = 0; r < R; ++r) {
      const auto share = rxstress::ranks::share(H, r, R);
      const LevelStats part =
          rxstress::summarise_dataset(outcome, budget, thresholds, extra, share.first, share.end);
      INFO(R << " ranks, rank " << r << ": holders [" << share.first << ", " << share.end << ")");
      for (hsize_t y = 0; y < Y; ++y)
        for (auto h = share.first; h < share.end; ++h) check_holder(whole, part, y * H + h, 2);
      // Outside its share a rank computes nothing (the slot keeps its default).
      if (share.first > 0) CHECK(part.holders[0].p_exceed.empty());
    }
  }
  fs::remove(file);
}

// Peak memory flat in the paths (DESIGN §7): the statistics pass holds a column strip of chunks,
// so the chunks' holder width must shrink as the paths grow, and no more than it must.
TEST_CASE("the chunks' holder width keeps a statistics strip within kStripBytes as paths grow",
          "[stats]") {
  using rxstress::holder_chunk;
  using rxstress::kStripBytes;
  CHECK(holder_chunk(1) == 512);
  CHECK(holder_chunk(6'144) == 512);
  CHECK(holder_chunk(10'000) == 256);  // the headline benchmark's chunks: 64 KiB
  for (std::uint64_t K : {1ull, 1000ull, 6'144ull, 6'145ull, 10'000ull, 12'288ull, 12'289ull,
                          20'000ull, 40'000ull, 160'000ull, 786'432ull, 10'000'000ull}) {
    CAPTURE(K);
    const std::uint64_t w = holder_chunk(K);
    CHECK((w >= 8 && w <= 512 && (w & (w - 1)) == 0));  // a power of two: whole vectors
    if (w > 8) CHECK(8 * K * w <= kStripBytes);         // the strip fits ...
    if (w < 512) CHECK(8 * K * 2 * w > kStripBytes);    // ... and is as wide as fits
  }
  CHECK(holder_chunk(40'000) == 64);
}
