// The SIMD target the engine's kernels run on (DESIGN §3: identical bits on every target it
// dispatches to). The engine needs FMA: x86-64-v3 (AVX2 + FMA) or better, or aarch64.
#pragma once

#include <cstdint>
#include <string>

namespace rxstress {

// Chooses the target once, from the CPU and the environment: RXSTRESS_SIMD = avx2 | avx512 | auto
// (default auto: the best the CPU has) and RXSTRESS_LANES = 1 (every kernel one practice at a time,
// for tests of width independence). Throws RunError naming what is missing when the CPU (or the
// forced target) cannot run the engine. Called by everything that draws; cheap after the first
// call.
void require_simd();

// Forces a target ("avx2", "avx512" or "auto") and the lane mode, as the environment would; for
// tests. Throws RunError when the CPU lacks the target.
void select_simd(const std::string& target, bool one_lane = false);

// The chosen target and width, e.g. "AVX2, 4 doubles per vector" (for --version and the file).
std::string simd_description();
bool one_lane_kernels();

// The message require_simd() gives on a CPU whose Highway targets are `supported`; empty when the
// engine can run there. Exposed for tests (the build machine has the targets it has).
std::string simd_requirement_error(std::int64_t supported);

}  // namespace rxstress
