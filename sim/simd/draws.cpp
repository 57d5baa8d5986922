// Batches of vector draws (simd/draws.hpp), once per SIMD target.
#ifndef RXSTRESS_SIMD_DRAWS_SHARED
#define RXSTRESS_SIMD_DRAWS_SHARED
#include "simd/draws.hpp"

namespace rxstress::draws {
// 0 uniforms, 1 normals, 2 gammas, 3 poissons, 4 severities, 5 raw Philox words (4 per lane).
struct Request {
  int kind = 0;
  GammaShape gamma;
  const PoissonTable* poisson = nullptr;
  SeverityLaw severity;
  std::uint32_t substream = 0, block = 0;
};

}  // namespace rxstress::draws
#endif

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simd/draws.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep

#include <hwy/highway.h>

#include "drivers/kernels-inl.h"
#include "simd/draws.hpp"
#include "simd/poisson-inl.h"
#include "simd/severity-inl.h"

HWY_BEFORE_NAMESPACE();
namespace rxstress::HWY_NAMESPACE {

void draw_batch(const RoundKeys& keys, std::uint32_t path, const draws::Request& r, std::size_t n,
                double* out) {
#if RXSTRESS_KERNELS
  with_lanes([&](auto df) {
    using DF = decltype(df);
    const UintTag<DF> du;
    const PathStreams<DF> streams{keys, hn::Set(du, path)};
    const std::size_t N = hn::Lanes(df);
    for (std::size_t i = 0; i + N <= n; i += N) {
      const auto practice = iota_from(du, i);
      const Bits<DF> b = streams.block(practice, r.substream, r.block);
      VecF<DF> z0, z1;
      switch (r.kind) {
        case 0:
          hn::StoreU(uniform32(df, b.x0), df, out + i);
          break;
        case 1: {
          normal_pair(df, b.x0, b.x1, z0, z1);
          HWY_ALIGN double a[hn::MaxLanes(df)], c[hn::MaxLanes(df)];
          hn::StoreU(z0, df, a), hn::StoreU(z1, df, c);
          for (std::size_t l = 0; l < N; ++l) out[2 * (i + l)] = a[l], out[2 * (i + l) + 1] = c[l];
          break;
        }
        case 2:
          hn::StoreU(gamma_practices(df, streams, practice, 0, r.gamma), df, out + i);
          break;
        case 3:
          hn::StoreU(poisson_draw(df, *r.poisson, i, uniform52(df, b.x0, b.x1)), df, out + i);
          break;
        case 4:
          normal_pair(df, b.x0, b.x1, z0, z1);
          hn::StoreU(severity_cost(df, r.severity, z0,
                                   [&](std::uint32_t a) { return streams.block(practice, 1, a); }),
                     df, out + i);
          break;
        default: {
          HWY_ALIGN std::uint64_t w[4][hn::MaxLanes(du)];
          hn::StoreU(b.x0, du, w[0]), hn::StoreU(b.x1, du, w[1]);
          hn::StoreU(b.x2, du, w[2]), hn::StoreU(b.x3, du, w[3]);
          for (std::size_t l = 0; l < N; ++l)
            for (int k = 0; k < 4; ++k) out[4 * (i + l) + k] = static_cast<std::uint32_t>(w[k][l]);
        }
      }
    }
  });
#else
  no_kernel(keys, path, r, n, out);
#endif
}

std::uint64_t xor_blocks(const RoundKeys& keys, std::uint32_t path, std::size_t n,
                         std::uint32_t blocks) {
#if RXSTRESS_KERNELS
  std::uint64_t result = 0;
  with_lanes([&](auto df) {
    using DF = decltype(df);
    const UintTag<DF> du;
    const PathStreams<DF> streams{keys, hn::Set(du, path)};
    auto sink = hn::Zero(du);
    for (std::size_t i = 0; i < n; i += hn::Lanes(df)) {
      const auto practice = iota_from(du, i);
      for (std::uint32_t k = 0; k < blocks; ++k) {
        const Bits<DF> b = streams.block(practice, 0, k);
        sink = hn::Xor(sink, hn::Xor(hn::Xor(b.x0, b.x1), hn::Xor(b.x2, b.x3)));
      }
    }
    result = hn::GetLane(sink);
  });
  return result;
#else
  no_kernel(keys, path, n, blocks);
#endif
}

}  // namespace rxstress::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace rxstress::draws {
namespace {
HWY_EXPORT(draw_batch);
HWY_EXPORT(xor_blocks);

// Runs a batch over whole vectors: n rounded up to kMaxLanes practices, then cut to n values of
// `per_lane` each.
std::vector<double> batch(StreamKey key, std::uint32_t path, const Request& r, std::size_t n,
                          std::size_t per_lane = 1) {
  require_simd();
  const std::size_t lanes = padded_size((n + per_lane - 1) / per_lane);
  std::vector<double> out(lanes * per_lane);
  HWY_DYNAMIC_DISPATCH(draw_batch)(round_keys(key), path, r, lanes, out.data());
  out.resize(n);
  return out;
}

}  // namespace

std::vector<std::array<std::uint32_t, 4>> philox_blocks(StreamKey key, std::uint32_t path,
                                                        std::uint32_t substream,
                                                        std::uint32_t block, std::size_t n) {
  Request r;
  r.kind = 5, r.substream = substream, r.block = block;
  const std::vector<double> words = batch(key, path, r, 4 * n, 4);
  std::vector<std::array<std::uint32_t, 4>> out(n);
  for (std::size_t i = 0; i < n; ++i)
    for (int k = 0; k < 4; ++k) out[i][k] = static_cast<std::uint32_t>(words[4 * i + k]);
  return out;
}

std::uint64_t xor_of_blocks(StreamKey key, std::uint32_t path, std::size_t n,
                            std::uint32_t blocks) {
  require_simd();
  return HWY_DYNAMIC_DISPATCH(xor_blocks)(round_keys(key), path, padded_size(n), blocks);
}

std::vector<double> uniforms32(StreamKey key, std::uint32_t path, std::size_t n) {
  return batch(key, path, Request{}, n);
}

std::vector<double> normals(StreamKey key, std::uint32_t path, std::size_t n) {
  Request r;
  r.kind = 1;
  return batch(key, path, r, n, 2);
}

std::vector<double> gammas(StreamKey key, std::uint32_t path, const GammaShape& shape,
                           std::size_t n) {
  Request r;
  r.kind = 2, r.gamma = shape;
  return batch(key, path, r, n);
}

std::vector<double> poissons(StreamKey key, std::uint32_t path, const PoissonTable& table,
                             std::size_t n) {
  Request r;
  r.kind = 3, r.poisson = &table;
  return batch(key, path, r, n);
}

std::vector<double> severities(StreamKey key, std::uint32_t path, const SeverityLaw& law,
                               std::size_t n) {
  Request r;
  r.kind = 4, r.severity = law;
  return batch(key, path, r, n);
}

}  // namespace rxstress::draws
#endif  // HWY_ONCE
