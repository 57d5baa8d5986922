// Micro-benchmarks of the vector samplers (DESIGN §3, sim/simd/) and the FLOOR: the cost of only
// the random bits that one practice-month of the England benchmark needs. Each benchmark draws a
// batch of 65,536 lanes (practices) per iteration, as the drivers do; rates are per draw.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "rxstress/random.hpp"
#include "rxstress/systemic.hpp"
#include "simd/draws.hpp"

namespace {

constexpr std::size_t kBatch = 65536;
const rxstress::StreamKey kKey = rxstress::stream_key(20260401, "bench");

template <class Draw>
void time_batches(benchmark::State& state, Draw draw, std::size_t per_batch = kBatch) {
  std::uint32_t path = 0;
  for (auto _ : state) {
    auto x = draw(path++);
    benchmark::DoNotOptimize(x.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(per_batch));
}

// Raw Philox4x32-10 blocks (4 x 32 bits) per lane, through the vector code.
void BM_PhiloxBlock(benchmark::State& state) {
  time_batches(
      state, [](std::uint32_t p) { return rxstress::draws::philox_blocks(kKey, p, 0, 0, kBatch); });
}
BENCHMARK(BM_PhiloxBlock)->Unit(benchmark::kMicrosecond);

void BM_Uniform32(benchmark::State& state) {
  time_batches(state, [](std::uint32_t p) { return rxstress::draws::uniforms32(kKey, p, kBatch); });
}
BENCHMARK(BM_Uniform32)->Unit(benchmark::kMicrosecond);

void BM_Normal(benchmark::State& state) {  // per normal: two from each Box-Muller pair
  time_batches(state, [](std::uint32_t p) { return rxstress::draws::normals(kKey, p, kBatch); });
}
BENCHMARK(BM_Normal)->Unit(benchmark::kMicrosecond);

void BM_Gamma(benchmark::State& state, double shape) {
  const rxstress::GammaShape g(shape);
  time_batches(state, [&](std::uint32_t p) { return rxstress::draws::gammas(kKey, p, g, kBatch); });
}
BENCHMARK_CAPTURE(BM_Gamma, shape_4, 4.0)->Unit(benchmark::kMicrosecond);  // product of uniforms
BENCHMARK_CAPTURE(BM_Gamma, shape_11_1, 1.0 / (0.3 * 0.3))->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Gamma, shape_1_5, 1.5)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Gamma, shape_48_5, 48.5)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Gamma, shape_0_44, 1.0 / 2.25)->Unit(benchmark::kMicrosecond);  // boosted

void BM_Poisson(benchmark::State& state, double mean) {
  const rxstress::PoissonTable table(std::vector<double>(kBatch, mean), kBatch);
  time_batches(state,
               [&](std::uint32_t p) { return rxstress::draws::poissons(kKey, p, table, kBatch); });
}
BENCHMARK_CAPTURE(BM_Poisson, mean_0_4, 0.4)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Poisson, mean_4_6, 4.6)->Unit(benchmark::kMicrosecond);  // England arrivals
BENCHMARK_CAPTURE(BM_Poisson, mean_45, 45.0)->Unit(benchmark::kMicrosecond);

void BM_Severity(benchmark::State& state, rxstress::SeverityLaw::Kind kind) {
  rxstress::SeverityLaw law;
  law.kind = kind;
  law.log_median = std::log(8000.0), law.sigma_log = 1.0;
  law.pareto_scale = 5000.0, law.pareto_inverse = 1.0 / 2.5;
  law.gamma = rxstress::GammaShape(1.0 / 2.25), law.gamma_scale = 9000.0 * 2.25;
  time_batches(state,
               [&](std::uint32_t p) { return rxstress::draws::severities(kKey, p, law, kBatch); });
}
BENCHMARK_CAPTURE(BM_Severity, lognormal, rxstress::SeverityLaw::Kind::lognormal)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Severity, pareto, rxstress::SeverityLaw::Kind::pareto)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Severity, gamma, rxstress::SeverityLaw::Kind::gamma)
    ->Unit(benchmark::kMicrosecond);

// One systemic draw (one lane, dispatched): the per-path cost of a driver's national factors.
void BM_SystemicNormal(benchmark::State& state) {
  std::uint64_t path = 0;
  double sink = 0.0;
  for (auto _ : state) {
    rxstress::SystemicStream s(20260401, "bench", path++);
    sink += s.normal();
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SystemicNormal);

// --- the FLOOR
// ------------------------------------------------------------------------------------ Philox
// blocks per practice and path of the England benchmark (stream scheme 2, 12 months): baseline 3
// (12 normals), concessions 12 (a Gamma(4) a month), high-cost patients 1 (the counts)
// + about 4.8 event pairs (Poisson(4.6) arrivals and Poisson(3.97) leavers in pairs, at the average
// practice of 9,205 patients), new_medicines 1 (Gamma(4)), patent_expiry about 2.1 (two
// Marsaglia-Tsang gammas), savings_plan about 1.05 (one): 24.9, taken here as 25.
constexpr std::uint32_t kFloorBlocks = 25;
constexpr std::size_t kPractices = 6582;
constexpr int kMonths = 12;

void BM_Floor(benchmark::State& state) {
  std::uint32_t path = 0;
  std::uint64_t sink = 0;
  for (auto _ : state)
    sink ^= rxstress::draws::xor_of_blocks(kKey, path++, kPractices, kFloorBlocks);
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kPractices * kMonths));
  state.counters["blocks_per_practice_path"] = kFloorBlocks;
}
BENCHMARK(BM_Floor)->Unit(benchmark::kMillisecond);

}  // namespace
