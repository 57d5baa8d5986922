// Summary statistics of path outcomes (docs/model.md §2.5): per holder, over all K path outcomes
// (overspend positive), always computed from the full set of outcomes, never from a sample.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <utility>
#include <vector>

namespace rxstress::stats {

inline constexpr std::array<double, 10> kQuantileProbs{0.01, 0.05, 0.10, 0.25, 0.50,
                                                       0.75, 0.90, 0.95, 0.99, 0.995};
inline constexpr std::array<double, 2> kAlphas{0.95, 0.99};
inline constexpr std::array<int, 6> kReturnPeriods{5, 10, 20, 50, 100, 200};
// The quantile and confidence level of the distribution-free interval in HolderSummary::q95_ci.
inline constexpr double kCiQuantile = 0.95;
inline constexpr double kCiLevel = 0.95;

// Where numpy's 'linear' quantile (method 7) reads a sorted array of length K: the value is
// lerp(sorted[lo], sorted[hi], t). Shared by quantile_sorted and summarise so both read the same
// order statistics and round identically.
struct QuantilePoint {
  std::size_t lo;
  std::size_t hi;
  double t;
};
QuantilePoint quantile_point(std::size_t K, double p);
// numpy's _lerp: a + (b-a)t for t < 0.5, else b - (b-a)(1-t) (exact at both ends).
double lerp(double a, double b, double t);

// numpy's default ('linear', method 7) quantile of already-sorted data: h = (K-1)p,
// lower + (h - floor h)(upper - lower). K = 1 returns the value. Throws std::invalid_argument
// when `sorted` is empty.
double quantile_sorted(std::span<const double> sorted, double p);

// ES count: ceil((1-alpha)K), computed in integers (alpha rounded to parts per billion first), so
// (1-0.95)*10000 is 500, not 501; at least 1.
std::size_t tail_count(double alpha, std::size_t K);

// Distribution-free confidence interval for the p-quantile from order statistics: 0-based indices
// (lo, hi) with P(X_(lo) <= xi_p < X_(hi)) >= level, from B = #{X <= xi_p} ~ Binomial(K, p):
// 1-based ranks l = ppf(a), u = ppf(1-a) + 1 with a = (1-level)/2, clamped to [1, K], returned
// 0-based (so the guarantee is lost where clamping bites, i.e. for small K). Works for K up to
// 10^7 and beyond without overflow. Throws std::invalid_argument for K == 0.
std::pair<std::size_t, std::size_t> quantile_ci_indices(std::size_t K, double p, double level);

// Return-period loss is the (1 - 1/RP) quantile; it is only reported when K >= RP (never
// extrapolate beyond what the number of paths supports).
bool return_period_supported(std::size_t K, int period);
// The probability 1 - 1/RP at which the return-period loss is read.
double return_period_prob(int period);

struct HolderSummary {  // everything about one holder's outcomes over K paths
  double mean = 0.0;
  double sd = 0.0;                     // ddof = 1; 0 when K == 1
  double se_mean = 0.0;                // sd / sqrt(K)
  double cv = 0.0;                     // sd / budget; NaN when budget == 0
  std::array<double, 10> quantiles{};  // at kQuantileProbs
  std::array<double, 2> var{};         // at kAlphas: VaR = the alpha quantile
  std::array<double, 2> es{};          // at kAlphas: mean of the tail_count(alpha, K) largest
  std::array<double, 2> q95_ci{};      // order statistics at quantile_ci_indices(K, 0.95, 0.95)
  std::array<double, 6> return_period_loss{};  // at kReturnPeriods; NaN where unsupported
  std::vector<double> p_exceed;  // P(outcome > thresholds[x] * budget), one per threshold
};

// Computes the summary; `outcomes` in any order. Its order statistics are those of a full sort
// (-0.0 before +0.0), found without one (sim/stats/order_statistics.hpp). Throws
// std::invalid_argument when `outcomes` is empty or holds a NaN or infinity.
HolderSummary summarise(std::span<const double> outcomes, double budget,
                        std::span<const double> thresholds);
// As summarise, writing into `out`; reuses out.p_exceed's storage, so a caller looping over
// holders with one HolderSummary makes no allocation per call.
void summarise_into(std::span<const double> outcomes, double budget,
                    std::span<const double> thresholds, HolderSummary& out);

// Streaming moments (Welford, with Chan et al.'s parallel merge) for block-wise accumulation.
// Deterministic given a fixed order of add and merge calls.
class Moments {
 public:
  void add(double x);
  void merge(const Moments& other);
  std::size_t count() const { return n_; }
  double mean() const;      // NaN when empty
  double variance() const;  // ddof = 1; NaN when empty, 0 for one value (as HolderSummary::sd)
  double sum() const { return sum_; }  // plain running sum, in add/merge order

 private:
  std::size_t n_ = 0;
  double mean_ = 0.0;
  double m2_ = 0.0;  // sum of squared deviations from the mean
  double sum_ = 0.0;
};

// Streaming co-moments of (x_d, y) for D drivers against a total y, for the Euler attribution
// share Cov(x_d, y) / Var(y).
class CoMoments {
 public:
  explicit CoMoments(std::size_t D);
  // Throws std::invalid_argument unless x.size() == D.
  void add(std::span<const double> x, double y);
  // Throws std::invalid_argument unless other has the same D.
  void merge(const CoMoments& other);
  std::size_t count() const { return n_; }
  std::size_t drivers() const { return mean_x_.size(); }
  double covariance(std::size_t d) const;  // ddof = 1; NaN when empty, 0 for one observation
  double variance_y() const;               // ddof = 1; NaN when empty, 0 for one observation
  double share(std::size_t d) const;       // cov(x_d, y) / var(y); NaN when var(y) == 0

 private:
  std::size_t n_ = 0;
  double mean_y_ = 0.0;
  double m2_y_ = 0.0;
  std::vector<double> mean_x_;
  std::vector<double> c_xy_;  // sums of co-deviations (x_d - mean_x_d)(y - mean_y)
};

// Mean and 95 % quantile of a holder's outcome, with standard errors, over the first K/8, K/4,
// K/2 and K paths: shows whether the run has enough paths.
struct Convergence {
  static constexpr std::size_t kSteps = 4;
  std::array<double, kSteps> paths{}, mean{}, se_mean{}, q95{}, se_q95{};
};
// `outcomes` in path order. Throws std::invalid_argument when it is empty.
Convergence convergence(std::span<const double> outcomes);

// One holder's column of outcomes in path order: its summary, its convergence table, and its
// quantiles at `extra_probs` into `extra_quantiles` (as long). `column` is not changed. Throws as
// summarise does.
void summarise_column(std::span<const double> column, double budget,
                      std::span<const double> thresholds, std::span<const double> extra_probs,
                      std::span<double> extra_quantiles, HolderSummary& summary,
                      Convergence& convergence_out);

// Monte Carlo standard errors by batch means (sectioning): the K paths are cut into `batches`
// contiguous groups ([begin, end) of floor or ceil(K / batches) paths each), a statistic is
// computed on each group, and the standard error of the statistic over all K paths is the
// groups' standard deviation (ddof = 1) / sqrt(batches). For a difference between two runs on the
// same paths (common random numbers), take the difference on each group: the groups are paired.
inline constexpr std::size_t kBatches = 20;
// Throws std::invalid_argument unless 1 <= batches <= K.
std::vector<std::pair<std::size_t, std::size_t>> batch_ranges(std::size_t K, std::size_t batches);
// sd(per_batch) / sqrt(count); NaN for fewer than 2 values.
double batch_se(std::span<const double> per_batch);

}  // namespace rxstress::stats
