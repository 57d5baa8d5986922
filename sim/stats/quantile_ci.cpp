// Distribution-free confidence interval for a quantile from order statistics. The number of
// outcomes at or below the true p-quantile is B ~ Binomial(K, p), so the interval's ranks are
// binomial quantiles.
//
// The binomial weights are built by the ratio recurrence outward from the mode, with the mode's
// weight set to 1, and normalised by their own sum. That sidesteps the absolute scale entirely:
// lgamma(K + 1) is about 1.5e8 for K = 10^7, so a log-space pmf would carry an absolute error of
// ~1e-8 in every term, whereas the recurrence keeps each weight to a few ulps per step. Long
// double gives extra headroom for the cumulative sums.
#include <array>
#include <cmath>
#include <stdexcept>

#include "rxstress/stats.hpp"

namespace rxstress::stats {
namespace {

// Weights below this (relative to the mode's weight of 1) are dropped. The dropped mass is far
// below long double precision, and far below any a = (1 - level) / 2 a double level can express
// (at least 5.5e-17), so ppf is exact to the integer.
constexpr long double kNegligible = 1e-40L;

// Binomial(K, p) weights relative to the mode, on the support [lo, hi] where they matter.
class BinomialWeights {
 public:
  BinomialWeights(std::size_t K, double p) : K_(K), odds_(p / (1.0L - p)) {
    const auto mode = static_cast<std::size_t>(std::floor((K + 1.0L) * p));
    lo_ = hi_ = mode < K ? mode : K;
    w_lo_ = w_hi_ = total_ = 1.0L;
    extend_down();
    extend_up();
  }

  // Smallest k with P(B <= k) >= f, scanning up from lo.
  std::size_t ppf(long double f) const {
    if (f <= 0.0L) return 0;
    const long double target = f * total_;
    long double cum = 0.0L;
    long double w = w_lo_;
    for (std::size_t k = lo_;; ++k) {
      cum += w;
      if (cum >= target || k == hi_) return k;
      w *= up(k);
    }
  }

  // Smallest k with P(B > k) <= a, i.e. ppf(1 - a), scanning down from hi: summing the upper tail
  // directly keeps it accurate where 1 - F would cancel.
  std::size_t upper_ppf(long double a) const {
    if (a <= 0.0L) return K_;  // only B <= K is certain
    const long double target = a * total_;
    long double above = 0.0L;  // P(B > k) * total_
    long double w = w_hi_;
    std::size_t k = hi_;
    while (k > lo_ && above + w <= target) {
      above += w;
      w *= down(k);
      --k;
    }
    return k;
  }

 private:
  // w(k + 1) / w(k) and w(k - 1) / w(k).
  long double up(std::size_t k) const {
    return static_cast<long double>(K_ - k) / static_cast<long double>(k + 1) * odds_;
  }
  long double down(std::size_t k) const {
    return static_cast<long double>(k) / static_cast<long double>(K_ - k + 1) / odds_;
  }

  void extend_down() {
    while (lo_ > 0) {
      const long double next = w_lo_ * down(lo_);
      if (next < kNegligible) break;
      --lo_;
      w_lo_ = next;
      total_ += next;
    }
  }
  void extend_up() {
    while (hi_ < K_) {
      const long double next = w_hi_ * up(hi_);
      if (next < kNegligible) break;
      ++hi_;
      w_hi_ = next;
      total_ += next;
    }
  }

  std::size_t K_;
  long double odds_;  // p / (1 - p)
  std::size_t lo_, hi_;
  long double w_lo_, w_hi_, total_;
};

std::size_t clamp_rank(std::size_t rank, std::size_t K) {
  return rank < 1 ? 1 : (rank > K ? K : rank);
}

std::pair<std::size_t, std::size_t> compute_ci_indices(std::size_t K, double p, double level);

}  // namespace

// The statistics pass asks the same few (K, p, level) for every holder, and the binomial sums
// cost O(sqrt K) long-double steps: each thread remembers its last answers.
std::pair<std::size_t, std::size_t> quantile_ci_indices(std::size_t K, double p, double level) {
  struct Answer {
    std::size_t K = 0;  // 0: empty slot (K = 0 is refused)
    double p = 0.0, level = 0.0;
    std::pair<std::size_t, std::size_t> ranks;
  };
  thread_local std::array<Answer, 8> answers;
  thread_local std::size_t next = 0;
  for (const Answer& a : answers)
    if (a.K == K && K != 0 && a.p == p && a.level == level) return a.ranks;
  const auto ranks = compute_ci_indices(K, p, level);
  answers[next++ % answers.size()] = {K, p, level, ranks};
  return ranks;
}

namespace {

std::pair<std::size_t, std::size_t> compute_ci_indices(std::size_t K, double p, double level) {
  if (K == 0) throw std::invalid_argument("confidence interval of no values");
  if (!(p >= 0.0 && p <= 1.0)) throw std::invalid_argument("quantile probability outside [0, 1]");
  if (!(level >= 0.0 && level <= 1.0)) throw std::invalid_argument("level outside [0, 1]");
  const double a = (1.0 - level) / 2.0;
  std::size_t l = 0;
  std::size_t u = 0;
  if (p == 0.0) {  // B is 0 for sure: the recurrence would divide by zero odds
    u = 1;
  } else if (p == 1.0) {  // B is K for sure
    l = a > 0.0 ? K : 0;
    u = K + 1;
  } else {
    const BinomialWeights weights(K, p);
    l = weights.ppf(a);
    u = weights.upper_ppf(a) + 1;
  }
  return {clamp_rank(l, K) - 1, clamp_rank(u, K) - 1};
}

}  // namespace

}  // namespace rxstress::stats
