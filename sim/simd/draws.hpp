// Batches of draws from the engine's vector samplers, exactly as the drivers draw them: lane l of a
// vector is practice l, so batch entry i comes from the stream of practice i on `path`. For the
// tests of each sampler against Boost.Random and closed forms, and for the micro-benchmarks.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "rxstress/random.hpp"
#include "simd/laws.hpp"

namespace rxstress::draws {

// The Philox4x32-10 block (practice i, path, substream, block) for practices 0..n-1.
std::vector<std::array<std::uint32_t, 4>> philox_blocks(StreamKey key, std::uint32_t path,
                                                        std::uint32_t substream,
                                                        std::uint32_t block, std::size_t n);
// Uniforms on (0, 1) from word 0 of block (i, path, 0, 0): 32 bits.
std::vector<double> uniforms32(StreamKey key, std::uint32_t path, std::size_t n);
// Standard normals: both Box-Muller normals of words (0, 1) of block (i, path, 0, 0) for
// practices 0 .. n/2 - 1, as [z0 of 0, z1 of 0, z0 of 1, ...].
std::vector<double> normals(StreamKey key, std::uint32_t path, std::size_t n);
// Gamma(shape, 1) of practices 0..n-1, substream 0.
std::vector<double> gammas(StreamKey key, std::uint32_t path, const GammaShape& shape,
                           std::size_t n);
// Poisson counts of practices 0..n-1 with means `table` (one per practice), from a 52-bit uniform
// (words 0 and 1 of block (i, path, 0, 0)).
std::vector<double> poissons(StreamKey key, std::uint32_t path, const PoissonTable& table,
                             std::size_t n);
// Severity costs of practices 0..n-1: lognormal from the z0 of block (i, path, 0, 0), the other
// laws from substream 1.
std::vector<double> severities(StreamKey key, std::uint32_t path, const SeverityLaw& law,
                               std::size_t n);

// The random-bits floor: `blocks` Philox blocks for each of practices 0..n-1 on `path` (blocks
// 0..blocks-1 of substream 0), XORed together so that nothing else is done with them.
std::uint64_t xor_of_blocks(StreamKey key, std::uint32_t path, std::size_t n, std::uint32_t blocks);

}  // namespace rxstress::draws
