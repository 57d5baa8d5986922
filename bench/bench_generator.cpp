// What would close the gap to 50 M practice-months/s (bench/PROFILE.md): the cost of the raw
// counter-based generator, per 32 random bits, as rxstress uses it (Random123 Philox4x64-10, one
// stream at a time) and as a lane-parallel Philox4x32-10 would give it (8 practices' streams at
// once, one key per lane, as DESIGN §3's (seed, path, driver, practice) keying allows). The lane
// version is checked against Random123's own Philox4x32-10 before it is timed.
#include <benchmark/benchmark.h>

#include <Random123/philox.h>
#include <immintrin.h>

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

// --- Philox4x32-10 over 8 lanes (structure of arrays, so the compiler can use vector multiplies)
// --

constexpr int kLanes = 8;
using Lanes = std::array<std::uint32_t, kLanes>;
struct Block4x32 {
  Lanes x0, x1, x2, x3;
};

// One block per lane: counters `c`, keys (k0, k1) per lane. The round and key schedule of
// Random123's philox4x32round / philox4x32bumpkey.
inline void philox_lanes(const Block4x32& c, const Lanes& key0, const Lanes& key1, Block4x32& out) {
  Block4x32 x = c;
  Lanes k0 = key0, k1 = key1;
  for (int round = 0; round < 10; ++round) {
    if (round > 0)
      for (int l = 0; l < kLanes; ++l) {
        k0[l] += 0x9E3779B9u;
        k1[l] += 0xBB67AE85u;
      }
    for (int l = 0; l < kLanes; ++l) {
      const std::uint64_t p0 = std::uint64_t{0xD2511F53u} * x.x0[l];
      const std::uint64_t p1 = std::uint64_t{0xCD9E8D57u} * x.x2[l];
      const std::uint32_t y0 = static_cast<std::uint32_t>(p1 >> 32) ^ x.x1[l] ^ k0[l];
      const std::uint32_t y2 = static_cast<std::uint32_t>(p0 >> 32) ^ x.x3[l] ^ k1[l];
      x.x1[l] = static_cast<std::uint32_t>(p1);
      x.x3[l] = static_cast<std::uint32_t>(p0);
      x.x0[l] = y0;
      x.x2[l] = y2;
    }
  }
  out = x;
}

// The same rounds with AVX2 intrinsics: _mm256_mul_epu32 multiplies the even 32-bit lanes into
// 64-bit products, so the odd lanes take a second multiply after a shift; blends put the low and
// high halves back in lane order. (GCC 12 does not vectorise the plain loop above.)
[[gnu::target("avx2")]] inline __m256i load(const Lanes& v) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(v.data()));
}
[[gnu::target("avx2")]] inline void store(Lanes& v, __m256i x) {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(v.data()), x);
}
[[gnu::target("avx2")]] inline void mulhilo(__m256i x, __m256i m, __m256i& hi, __m256i& lo) {
  const __m256i even = _mm256_mul_epu32(x, m);
  const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(x, 32), m);
  lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
  hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

[[gnu::target("avx2")]] void philox_lanes_avx2(const Block4x32& c, const Lanes& key0,
                                               const Lanes& key1, Block4x32& out) {
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(0xD2511F53u));
  const __m256i m1 = _mm256_set1_epi32(static_cast<int>(0xCD9E8D57u));
  const __m256i w0 = _mm256_set1_epi32(static_cast<int>(0x9E3779B9u));
  const __m256i w1 = _mm256_set1_epi32(static_cast<int>(0xBB67AE85u));
  __m256i x0 = load(c.x0), x1 = load(c.x1), x2 = load(c.x2), x3 = load(c.x3);
  __m256i k0 = load(key0), k1 = load(key1);
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      k0 = _mm256_add_epi32(k0, w0);
      k1 = _mm256_add_epi32(k1, w1);
    }
    __m256i hi0, lo0, hi1, lo1;
    mulhilo(x0, m0, hi0, lo0);
    mulhilo(x2, m1, hi1, lo1);
    x0 = _mm256_xor_si256(_mm256_xor_si256(hi1, x1), k0);
    x1 = lo1;
    x2 = _mm256_xor_si256(_mm256_xor_si256(hi0, x3), k1);
    x3 = lo0;
  }
  store(out.x0, x0), store(out.x1, x1), store(out.x2, x2), store(out.x3, x3);
}

// The plain loop, as the compiler makes it for the baseline x86-64 target.
void philox_lanes_portable(const Block4x32& c, const Lanes& k0, const Lanes& k1, Block4x32& out) {
  philox_lanes(c, k0, k1, out);
}

// True when lane l of the lane version equals Random123's Philox4x32-10 on that lane's inputs.
template <class F>
bool agrees_with_random123(F lanes_fn) {
  Block4x32 c{}, out{};
  Lanes k0{}, k1{};
  for (int l = 0; l < kLanes; ++l) {
    c.x0[l] = 1000 + l, c.x1[l] = 7, c.x2[l] = 3 * l, c.x3[l] = 0xFFFFFFF0u + l;
    k0[l] = 20260401u + 17 * l, k1[l] = 0xA5A5A5A5u ^ l;
  }
  lanes_fn(c, k0, k1, out);
  r123::Philox4x32 philox;
  for (int l = 0; l < kLanes; ++l) {
    const auto ref = philox({{c.x0[l], c.x1[l], c.x2[l], c.x3[l]}}, {{k0[l], k1[l]}});
    if (ref[0] != out.x0[l] || ref[1] != out.x1[l] || ref[2] != out.x2[l] || ref[3] != out.x3[l])
      return false;
  }
  return true;
}

template <class F>
void run_lanes(benchmark::State& state, F lanes_fn) {
  if (!agrees_with_random123(lanes_fn)) {
    state.SkipWithError("lane Philox4x32-10 differs from Random123's");
    return;
  }
  Block4x32 c{}, out{};
  Lanes k0{}, k1{};
  for (int l = 0; l < kLanes; ++l) k0[l] = 20260401u, k1[l] = static_cast<std::uint32_t>(l);
  std::uint32_t sink = 0;
  for (auto _ : state) {
    for (int l = 0; l < kLanes; ++l) ++c.x0[l];
    lanes_fn(c, k0, k1, out);
    for (int l = 0; l < kLanes; ++l) sink += out.x0[l] ^ out.x1[l] ^ out.x2[l] ^ out.x3[l];
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations() * 4 * kLanes);
}

void BM_Philox4x32_10_lanes8_portable(benchmark::State& state) {
  run_lanes(state, philox_lanes_portable);
}
BENCHMARK(BM_Philox4x32_10_lanes8_portable);

void BM_Philox4x32_10_lanes8_avx2(benchmark::State& state) {
  if (!__builtin_cpu_supports("avx2")) {
    state.SkipWithError("this CPU has no AVX2");
    return;
  }
  run_lanes(state, philox_lanes_avx2);
}
BENCHMARK(BM_Philox4x32_10_lanes8_avx2);

}  // namespace
