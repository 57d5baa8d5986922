// Raw scalar generators, per 32 random bits, for comparison with the engine's vector Philox4x32-10
// (BM_PhiloxBlock in bench_random.cpp): Random123's Philox4x64-10 (what `Stream` uses for the
// synthetic populations) and Philox4x32-10 one block at a time, and xoshiro256++.
#include <benchmark/benchmark.h>

#include <Random123/philox.h>

#include <array>
#include <cstdint>

namespace {

// --- Random123, one call at a time
// ----------------------------------------------------------------

template <class Philox>
void BM_Philox(benchmark::State& state) {
  Philox philox;
  typename Philox::ctr_type ctr{{0, 0, 0, 0}};
  const typename Philox::key_type key{{20260401, 7}};
  typename Philox::ctr_type::value_type sink = 0;
  for (auto _ : state) {
    ++ctr[0];
    const auto out = philox(ctr, key);
    sink += out[0] ^ out[1] ^ out[2] ^ out[3];
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations() * 4 * sizeof(sink) / 4);  // words of 32 bits
}
BENCHMARK(BM_Philox<r123::Philox4x64>)->Name("BM_Philox4x64_10");
BENCHMARK(BM_Philox<r123::Philox4x32>)->Name("BM_Philox4x32_10");

// --- a fast sequential generator seeded per stream -----------------------------------------------

// xoshiro256++ (Blackman and Vigna, 2019), four 64-bit words of state seeded from one Philox4x64-10
// block: the streams would stay fixed by (seed, path, driver, practice), each a cheap sequence.
struct Xoshiro256pp {
  std::uint64_t s[4];
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s[0] + s[3], 23) + s[0];
    const std::uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
  }
};

void BM_Xoshiro256pp(benchmark::State& state) {
  r123::Philox4x64 philox;
  const auto seed = philox({{7, 0, 0, 0}}, {{20260401, 7}});
  Xoshiro256pp g{{seed[0], seed[1], seed[2], seed[3]}};
  std::uint64_t sink = 0;
  for (auto _ : state) sink += g.next();
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations() * 2);  // 2 words of 32 bits per call
}
BENCHMARK(BM_Xoshiro256pp);

}  // namespace
