// Choosing the SIMD target (rxstress/simd.hpp). Highway's dynamic dispatch is limited to the
// targets that give identical bits (FMA targets), and may be narrowed further for tests.
#include <fmt/format.h>
#include <hwy/highway.h>
#include <hwy/targets.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <string>

#include "rxstress/error.hpp"
#include "rxstress/simd.hpp"

namespace rxstress {
namespace {

#if HWY_ARCH_X86
constexpr std::int64_t kEngineTargets = HWY_AVX2 | HWY_AVX3 | HWY_AVX3_DL;
constexpr const char* kRequirement =
    "a CPU with AVX2 and FMA (x86-64-v3: Intel Haswell, AMD "
    "Excavator or later)";
#else
constexpr std::int64_t kEngineTargets = HWY_NEON | HWY_SVE | HWY_SVE2 | HWY_SVE_256 | HWY_SVE2_128;
constexpr const char* kRequirement = "a CPU with SIMD and FMA (aarch64)";
#endif

std::mutex g_mutex;
std::atomic<bool> g_ready{false};
std::atomic<bool> g_one_lane{false};

std::string target_names(std::int64_t targets) {
  std::string out;
  for (std::int64_t bit = 1; bit != 0 && bit <= targets; bit <<= 1)
    if (targets & bit) out += (out.empty() ? "" : ", ") + std::string(hwy::TargetName(bit));
  return out.empty() ? "none" : out;
}

std::int64_t mask_of(const std::string& target) {
#if HWY_ARCH_X86
  if (target == "avx2") return HWY_AVX2;
  if (target == "avx512") return HWY_AVX3 | HWY_AVX3_DL;
#endif
  if (target == "auto" || target.empty()) return kEngineTargets;
  throw RunError(
      fmt::format("RXSTRESS_SIMD={}: unknown target; expected avx2, avx512 or auto", target));
}

// Narrows Highway's dispatch to `mask` (its supported set is the CPU's, the mock replaces it).
void apply(const std::string& target, bool one_lane) {
  hwy::SetSupportedTargetsForTest(0);  // the CPU's own set, before any earlier narrowing
  const std::int64_t cpu = hwy::SupportedTargets();
  if (const std::string why = simd_requirement_error(cpu); !why.empty()) throw RunError(why);
  const std::int64_t chosen = cpu & mask_of(target) & kEngineTargets;
  if (chosen == 0)
    throw RunError(fmt::format("RXSTRESS_SIMD={}: this CPU cannot run it (it offers {})", target,
                               target_names(cpu & kEngineTargets)));
  hwy::SetSupportedTargetsForTest(chosen | (cpu & ~kEngineTargets));
  g_one_lane = one_lane;
  g_ready = true;
}

void apply_environment() {
  const char* target = std::getenv("RXSTRESS_SIMD");
  const char* lanes = std::getenv("RXSTRESS_LANES");
  apply(target ? target : "auto", lanes && std::string(lanes) == "1");
}

}  // namespace

std::string simd_requirement_error(std::int64_t supported) {
  if (supported & kEngineTargets) return {};
  return fmt::format(
      "rxstress needs {} for its vector engine (identical results on every machine need fused "
      "multiply-add); this CPU offers only: {}",
      kRequirement, target_names(supported));
}

void require_simd() {
  if (g_ready.load(std::memory_order_acquire)) return;
  std::lock_guard lock(g_mutex);
  if (!g_ready) apply_environment();
}

void select_simd(const std::string& target, bool one_lane) {
  std::lock_guard lock(g_mutex);
  apply(target, one_lane);
}

bool one_lane_kernels() { return g_one_lane.load(std::memory_order_relaxed); }

std::string simd_description() {
  require_simd();
  const std::int64_t chosen = hwy::SupportedTargets() & kEngineTargets;
  const std::int64_t best = chosen & -chosen;  // lower bits are better targets
  const int doubles = best == HWY_AVX3 || best == HWY_AVX3_DL ? 8 : best == HWY_AVX2 ? 4 : 0;
  if (one_lane_kernels()) return fmt::format("{}, one double per vector", hwy::TargetName(best));
  return doubles ? fmt::format("{}, {} doubles per vector", hwy::TargetName(best), doubles)
                 : std::string(hwy::TargetName(best));
}

}  // namespace rxstress
