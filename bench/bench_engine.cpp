// Micro-benchmarks of the engine on the England benchmark (scenarios/bench/england.yaml):
// each driver's kernel, the whole scenario, the risk-sharing terms, the statistics and the HDF5
// writer. Rates are in practice-months/s (items = paths x practices x months).
#include <benchmark/benchmark.h>

#include <unistd.h>
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "io/results_writer.hpp"
#include "rxstress/engine.hpp"
#include "rxstress/stats.hpp"
#include "rxstress/terms.hpp"
#include "scenario/param_node.hpp"

namespace {

constexpr int kBlockPaths = 32;  // RunOptions::block_paths

std::int64_t practice_months(const rxstress::Model& model, std::int64_t paths) {
  return paths * static_cast<std::int64_t>(model.practices()) * model.months();
}

// simulate_block over consecutive blocks of paths, as one worker of the engine runs them.
void time_blocks(benchmark::State& state, const rxstress::Model& model) {
  rxstress::Block block;
  std::int64_t first = 0;
  for (auto _ : state) {
    rxstress::simulate_block(model, first, kBlockPaths, block);
    benchmark::DoNotOptimize(block.levels.data());
    benchmark::ClobberMemory();
    first += kBlockPaths;
  }
  state.SetItemsProcessed(practice_months(model, state.iterations() * kBlockPaths));
  state.counters["practices"] = static_cast<double>(model.practices());
  state.counters["paths"] = static_cast<double>(state.iterations() * kBlockPaths);
}

// --- one driver: simulate_block of a scenario with only that driver and the icb model ----------
void BM_Driver(benchmark::State& state, std::string type) {
  const auto& l = bench::cached(
      "driver:" + type, [&] { return bench::restrict(bench::bench_yaml(), {type}, {"icb"}); });
  time_blocks(state, *l.model);
}

// --- one driver: its simulate() alone, one path per iteration (no aggregation, no engine) -------
// Its own systemic draws included: they are part of its cost per path.
void BM_DriverKernel(benchmark::State& state, std::string type) {
  const auto& l = bench::cached(
      "driver:" + type, [&] { return bench::restrict(bench::bench_yaml(), {type}, {"icb"}); });
  const rxstress::Model& model = *l.model;
  const rxstress::Scenario& sc = *l.scenario;
  const rxstress::Driver& driver = *sc.drivers.at(0);
  std::vector<double> annual(model.stride() * model.years());
  std::vector<double> national(std::max<std::size_t>(model.national_width(), 1));
  std::vector<double> carve(model.carve_thresholds().size() * model.years() * model.stride());
  std::uint64_t path = 0;
  for (auto _ : state) {
    rxstress::DriverOutput out;
    out.stride = model.stride();
    out.annual = annual;
    out.national = national;
    out.carve_thresholds = model.carve_thresholds();
    out.carve = carve;
    rxstress::PathContext ctx{sc.seed, path++, sc.population, model.calendar()};
    driver.simulate(ctx, out);
    benchmark::DoNotOptimize(annual.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(practice_months(model, state.iterations()));
}

// --- the whole benchmark scenario ---------------------------------------------------------------
void BM_Scenario_bench(benchmark::State& state) {
  time_blocks(state, *bench::cached("bench", bench::bench_yaml).model);
}
// Every driver but only the icb model: the difference to BM_Scenario_bench is the cost of
// aggregating to provider, neighbourhood and practice holders and settling their terms.
void BM_Scenario_drivers_icb_only(benchmark::State& state) {
  const auto& l = bench::cached("drivers_icb_only", [] {
    return bench::restrict(bench::bench_yaml(),
                           {bench::kDriverTypes.begin(), bench::kDriverTypes.end()}, {"icb"});
  });
  time_blocks(state, *l.model);
}

// --- risk-sharing terms: practice-shared over every practice (6,582 holders) -------------------
void BM_SettleTerms(benchmark::State& state) {
  const auto& l = bench::cached("bench", bench::bench_yaml);
  const rxstress::Scenario& sc = *l.scenario;
  const rxstress::Model& model = *l.model;
  std::size_t m = 0;
  while (sc.delegation[m].name != "practice-shared") ++m;
  const rxstress::Terms& terms = sc.delegation[m].terms;
  const rxstress::HolderMap& map = model.levels()[model.level_of_model(m)];
  const std::size_t H = map.size();
  std::span<const double> budget(map.budget.data(), H);  // year 0
  std::mt19937_64 rng(1);
  std::normal_distribution<double> z;
  std::uniform_real_distribution<double> u;
  std::vector<double> gross(H), carve(H, 0.0), retained(H);
  for (std::size_t h = 0; h < H; ++h) {
    gross[h] = budget[h] * (0.01 + 0.03 * z(rng));
    if (u(rng) < 0.05) carve[h] = 30000.0 * u(rng);  // a high-cost patient above the threshold
  }
  for (auto _ : state) {
    rxstress::settle_terms(gross, carve, budget, terms, retained);
    benchmark::DoNotOptimize(retained.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(H));
  state.counters["holders"] = static_cast<double>(H);
}

// --- statistics: one holder's summary over 10,000 path outcomes (the copy is included) ----------
void BM_Summarise(benchmark::State& state) {
  const std::size_t K = static_cast<std::size_t>(state.range(0));
  std::mt19937_64 rng(2);
  std::normal_distribution<double> z;
  const double budget = 1.0e6;
  std::vector<double> outcomes(K), scratch(K);
  for (double& x : outcomes) x = budget * (0.01 + 0.03 * z(rng));
  const std::vector<double> thresholds{0.0, 0.01, 0.02, 0.05, 0.10};
  rxstress::stats::HolderSummary summary;
  for (auto _ : state) {
    std::copy(outcomes.begin(), outcomes.end(), scratch.begin());
    rxstress::stats::summarise_into(scratch, budget, thresholds, summary);
    benchmark::DoNotOptimize(summary);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(K));
}

// --- the statistics pass's step per holder: summary and convergence table of one column ---------
void BM_SummariseColumn(benchmark::State& state) {
  const std::size_t K = static_cast<std::size_t>(state.range(0));
  std::mt19937_64 rng(2);
  std::normal_distribution<double> z;
  const double budget = 1.0e6;
  std::vector<double> outcomes(K), column(K);
  for (double& x : outcomes) x = budget * (0.01 + 0.03 * z(rng));
  const std::vector<double> thresholds{0.0, 0.01, 0.02, 0.05, 0.10};
  rxstress::stats::HolderSummary summary;
  rxstress::stats::Convergence convergence;
  for (auto _ : state) {
    std::copy(outcomes.begin(), outcomes.end(), column.begin());
    rxstress::stats::summarise_column(column, budget, thresholds, {}, {}, summary, convergence);
    benchmark::DoNotOptimize(summary);
    benchmark::DoNotOptimize(convergence);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(K));
}

// --- the HDF5 writer: ResultsWriter::consume of one block of 32 paths ---------------------------
// `models`: the delegation models kept (practice level only, or all five of the benchmark).
void BM_WriterConsume(benchmark::State& state, std::set<std::string> models) {
  const std::string name = "writer:" + std::to_string(models.size());
  const auto& l = bench::cached(name, [&] {
    YAML::Node root = bench::restrict(
        bench::bench_yaml(), {bench::kDriverTypes.begin(), bench::kDriverTypes.end()}, models);
    root["paths"] = kBlockPaths * 1024;  // chunked datasets: space is allocated as written
    return root;
  });
  const rxstress::Model& model = *l.model;
  const std::int64_t blocks = l.scenario->paths / kBlockPaths;
  rxstress::Block block;
  rxstress::simulate_block(model, 0, kBlockPaths, block);
  const auto path = std::filesystem::temp_directory_path() /
                    ("rxstress_bench_writer_" + std::to_string(::getpid()) + ".h5");
  {
    rxstress::ResultsWriter writer(model, path.string(), {"rxstress-bench", "", kBlockPaths});
    std::int64_t b = 0;
    for (auto _ : state) {
      block.first = (b++ % blocks) * kBlockPaths;  // wraps round (rewrites) after 1,024 blocks
      writer.consume(block);
    }
  }  // closed without statistics: finish() is not part of consume
  state.counters["file_MB"] = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
  std::filesystem::remove(path);
  state.SetItemsProcessed(practice_months(model, state.iterations() * kBlockPaths));
}

struct Register {
  Register() {
    for (const std::string& type : bench::kDriverTypes)
      benchmark::RegisterBenchmark(("BM_Driver/" + type).c_str(), BM_Driver, type)
          ->Unit(benchmark::kMillisecond);
    for (const std::string& type : bench::kDriverTypes)
      benchmark::RegisterBenchmark(("BM_DriverKernel/" + type).c_str(), BM_DriverKernel, type)
          ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("BM_Scenario/bench", BM_Scenario_bench)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("BM_Scenario/drivers_icb_only", BM_Scenario_drivers_icb_only)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("BM_SettleTerms/practice_shared", BM_SettleTerms)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("BM_Summarise", BM_Summarise)
        ->Arg(10000)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("BM_SummariseColumn", BM_SummariseColumn)
        ->Arg(2000)
        ->Arg(10000)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("BM_WriterConsume/practice_level", BM_WriterConsume,
                                 std::set<std::string>{"practice", "practice-shared"})
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(
        "BM_WriterConsume/bench", BM_WriterConsume,
        std::set<std::string>{"icb", "provider", "neighbourhood", "practice", "practice-shared"})
        ->Unit(benchmark::kMillisecond);
  }
} const registered;

}  // namespace
