// Micro-benchmarks of the random streams and draws (DESIGN §3), and the FLOOR: the cost of
// drawing only the random numbers that one practice-month of the England benchmark needs.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "bench_support.hpp"
#include "rxstress/random.hpp"

namespace {

constexpr std::uint64_t kSeed = 20260401;
const std::uint64_t kKey = rxstress::stream_key("bench");

// --- streams ----------------------------------------------------------------------------------

// The constructor alone (it only stores key and counter; Philox runs at the first draw).
void BM_StreamCreate(benchmark::State& state) {
  std::uint64_t practice = 0;
  for (auto _ : state) {
    rxstress::Stream s(kSeed, kKey, 7, practice++);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StreamCreate);

// What a driver pays per practice-path: a new stream and its first draw (one Philox4x64-10 block).
void BM_StreamCreateAndDraw(benchmark::State& state) {
  std::uint64_t practice = 0;
  double sink = 0.0;
  for (auto _ : state) {
    rxstress::Stream s(kSeed, kKey, 7, practice++);
    sink += s.uniform();
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StreamCreateAndDraw);

// --- draws from one long stream -----------------------------------------------------------------

void BM_Uniform(benchmark::State& state) {
  rxstress::Stream s(kSeed, kKey, 7, 0);
  double sink = 0.0;
  for (auto _ : state) sink += s.uniform();
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Uniform);

void BM_Normal(benchmark::State& state) {
  rxstress::Stream s(kSeed, kKey, 7, 0);
  double sink = 0.0;
  for (auto _ : state) sink += rxstress::draw_normal(s);
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Normal);

void BM_Gamma(benchmark::State& state, double shape) {
  rxstress::Stream s(kSeed, kKey, 7, 0);
  const rxstress::GammaLaw law(shape);  // prepared once, as the drivers do
  double sink = 0.0;
  for (auto _ : state) sink += law.draw(s);
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations());
}
// 4: concessions' dispersion and new_medicines' multiplier (integer: product of uniforms);
// 1/0.3^2 = 11.1: savings_plan's multiplier; 1.5: the numerator of patent_expiry's share.
BENCHMARK_CAPTURE(BM_Gamma, shape_4, 4.0);
BENCHMARK_CAPTURE(BM_Gamma, shape_11_1, 1.0 / (0.3 * 0.3));
BENCHMARK_CAPTURE(BM_Gamma, shape_1_5, 1.5);

void BM_Beta(benchmark::State& state, double a, double b) {
  rxstress::Stream s(kSeed, kKey, 7, 0);
  double sink = 0.0;
  for (auto _ : state) sink += rxstress::draw_beta(s, a, b);
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_Beta, patent_share_1_5_48_5, 1.5, 48.5);  // per practice and path
BENCHMARK_CAPTURE(BM_Beta, depth_12_3, 12.0, 3.0);             // per path (systemic)

void BM_Poisson(benchmark::State& state, double mean) {
  rxstress::Stream s(kSeed, kKey, 7, 0);
  const rxstress::PoissonLaw law(mean);  // prepared once, as high_cost_patients does
  std::int64_t sink = 0;
  for (auto _ : state) sink += law.draw(s);
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations());
}
// A small and a larger mean. The benchmark's per-practice means are 0.5/1000 x n_i arrivals (4.0
// for the median practice of about 8,000 patients) and 0.5/1000 x n_i x 3 x 0.287 leavers (3.4).
BENCHMARK_CAPTURE(BM_Poisson, mean_0_4, 0.4);
BENCHMARK_CAPTURE(BM_Poisson, mean_45_ptrd, 45.0);  // above the inversion range: Boost's PTRD
BENCHMARK_CAPTURE(BM_Poisson, mean_5, 5.0);

void BM_Discrete(benchmark::State& state) {
  rxstress::Stream s(kSeed, kKey, 7, 0);
  const double cdf[] = {0.6, 0.9, 1.0};  // patent_expiry's delay
  std::int64_t sink = 0;
  for (auto _ : state) sink += rxstress::draw_discrete(s, cdf, 3);
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Discrete);

// --- the floor ----------------------------------------------------------------------------------
// Every random number the benchmark's practice-level work draws, counted from sim/drivers/:
//   per practice and path, one stream per local driver (6: baseline, concessions,
//   high_cost_patients, new_medicines, patent_expiry, savings_plan; category_m and step_shock
//   draw only systemic factors) and
//   baseline            12 normals (eps_0 and 11 innovations)
//   concessions         12 x Gamma(4) (each a product of 4 32-bit uniforms and a log)
//   high_cost_patients  Poisson(0.5/1000 n_i) arrivals, each a uniform month + a lognormal
//                       (one normal); Poisson(0.5/1000 n_i 3 q) leavers, q = 1-(35/36)^12,
//                       each a uniform + a normal
//   new_medicines       Gamma(4) (mean-one multiplier, cv 0.5)
//   patent_expiry       Beta(1.5, 48.5) (two gammas)
//   savings_plan        Gamma(11.1) (mean-one multiplier, cv 0.3)
// Systemic draws (a few dozen per path, shared by 6,582 practices) are left out. Nothing but the
// draws: no exp(), no sums into spend blocks. Reported in practice-months/s, the limit that the
// engine's kernels are measured against.
void BM_Floor(benchmark::State& state) {
  const bench::Loaded& bench = bench::cached("bench", bench::bench_yaml);
  const std::vector<double>& list = bench.scenario->population.list_size;
  const std::size_t P = list.size();
  const int T = 12;
  const double leave_q = 1.0 - std::pow(1.0 - 1.0 / 36.0, T);
  // Laws prepared once, as the drivers prepare them.
  std::vector<rxstress::PoissonLaw> arrivals, leavers;
  for (std::size_t i = 0; i < P; ++i) {
    arrivals.emplace_back(0.5 / 1000.0 * list[i]);
    leavers.emplace_back(0.5 / 1000.0 * list[i] * 3.0 * leave_q);
  }
  const rxstress::GammaLaw gamma4(4.0), gamma_sp(1.0 / (0.3 * 0.3)), gamma_a(1.5), gamma_b(48.5);
  const std::uint64_t keys[] = {
      rxstress::stream_key("baseline"),           rxstress::stream_key("concessions"),
      rxstress::stream_key("high_cost_patients"), rxstress::stream_key("new_medicines"),
      rxstress::stream_key("patent_expiry"),      rxstress::stream_key("savings_plan")};
  std::uint64_t path = 0;
  double sink = 0.0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < P; ++i) {
      {
        rxstress::Stream s(kSeed, keys[0], path, i);
        for (int t = 0; t < T; ++t) sink += rxstress::draw_normal(s);
      }
      {
        rxstress::Stream s(kSeed, keys[1], path, i);
        for (int t = 0; t < T; ++t) sink += gamma4.draw(s);
      }
      {
        rxstress::Stream s(kSeed, keys[2], path, i);
        const std::int64_t a = arrivals[i].draw(s);
        for (std::int64_t j = 0; j < a; ++j) sink += s.uniform() + rxstress::draw_normal(s);
        const std::int64_t l = leavers[i].draw(s);
        for (std::int64_t j = 0; j < l; ++j) sink += s.uniform() + rxstress::draw_normal(s);
      }
      {
        rxstress::Stream s(kSeed, keys[3], path, i);
        sink += gamma4.draw(s);
      }
      {
        rxstress::Stream s(kSeed, keys[4], path, i);
        const double x = gamma_a.draw(s);
        sink += x / (x + gamma_b.draw(s));
      }
      {
        rxstress::Stream s(kSeed, keys[5], path, i);
        sink += gamma_sp.draw(s);
      }
    }
    ++path;
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(P) * T);
  state.counters["practices"] = static_cast<double>(P);
}
BENCHMARK(BM_Floor)->Unit(benchmark::kMillisecond);

// The floor split by driver (the same draws as above, one driver at a time).
void BM_FloorDriver(benchmark::State& state, int which) {
  const bench::Loaded& bench = bench::cached("bench", bench::bench_yaml);
  const std::vector<double>& list = bench.scenario->population.list_size;
  const std::size_t P = list.size();
  const int T = 12;
  const double leave_q = 1.0 - std::pow(1.0 - 1.0 / 36.0, T);
  std::vector<rxstress::PoissonLaw> arrivals, leavers;
  for (std::size_t i = 0; i < P; ++i) {
    arrivals.emplace_back(0.5e-3 * list[i]);
    leavers.emplace_back(0.5e-3 * list[i] * 3.0 * leave_q);
  }
  const rxstress::GammaLaw gamma4(4.0), gamma_sp(1.0 / (0.3 * 0.3)), gamma_a(1.5), gamma_b(48.5);
  const std::uint64_t key = rxstress::stream_key("floor");
  std::uint64_t path = 0;
  double sink = 0.0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < P; ++i) {
      rxstress::Stream s(kSeed, key, path, i);
      switch (which) {
        case 0:
          for (int t = 0; t < T; ++t) sink += rxstress::draw_normal(s);
          break;
        case 1:
          for (int t = 0; t < T; ++t) sink += gamma4.draw(s);
          break;
        case 2: {
          const std::int64_t a = arrivals[i].draw(s);
          for (std::int64_t j = 0; j < a; ++j) sink += s.uniform() + rxstress::draw_normal(s);
          const std::int64_t l = leavers[i].draw(s);
          for (std::int64_t j = 0; j < l; ++j) sink += s.uniform() + rxstress::draw_normal(s);
          break;
        }
        case 3:
          sink += gamma4.draw(s);
          break;
        case 4: {
          const double x = gamma_a.draw(s);
          sink += x / (x + gamma_b.draw(s));
          break;
        }
        case 5:
          sink += gamma_sp.draw(s);
          break;
      }
    }
    ++path;
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(P) * T);
}
BENCHMARK_CAPTURE(BM_FloorDriver, baseline, 0)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_FloorDriver, concessions, 1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_FloorDriver, high_cost_patients, 2)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_FloorDriver, new_medicines, 3)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_FloorDriver, patent_expiry, 4)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_FloorDriver, savings_plan, 5)->Unit(benchmark::kMillisecond);

}  // namespace
