#include "drivers/laws.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <numeric>

namespace rxstress {
namespace {

// Months an event may be placed at, as offsets from `start` (fifty years either way).
constexpr std::int64_t kMonthLimit = 600;
constexpr double kProbTolerance = 1e-9;

// When none of a law's alternative keys is given, a misspelt one is the likely cause: checks the
// mapping's keys against them first, so that the error suggests the right spelling.
void read_nothing(ParamNode& node, std::initializer_list<std::string_view> keys) {
  for (auto key : keys) node.raw(key);
  node.finish();
}

}  // namespace

DiscreteLaw::DiscreteLaw(ParamNode node, std::string_view meaning) {
  const bool list = node.has("values") || node.has("probs");
  const bool range = node.has("from") || node.has("to");
  if (!list && !range) read_nothing(node, {"values", "probs", "from", "to"});
  if (list == range)
    node.fail("",
              list ? "both a list (values, probs) and a range (from, to) given" : "no law given",
              "either {values: [...], probs: [...]} or {from: M, to: N}");
  if (list)
    read_list(node, meaning);
  else
    read_range(node, meaning);
  node.finish();
  // The cumulative probabilities end at exactly 1 from the last value that can occur, so that a
  // value of probability 0 at the end is never drawn.
  cdf_.resize(probs_.size());
  std::partial_sum(probs_.begin(), probs_.end(), cdf_.begin());
  std::size_t last = probs_.size() - 1;
  while (last > 0 && probs_[last] == 0.0) --last;
  for (std::size_t i = last; i < cdf_.size(); ++i) cdf_[i] = 1.0;
}

void DiscreteLaw::read_list(ParamNode& node, std::string_view meaning) {
  const auto limit = static_cast<double>(kMonthLimit);
  const std::vector<double> values =
      node.numbers("values", Range::between(-limit, limit), 1, 1000, "months", meaning);
  const YAML::Node items = node.raw("values");
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] != std::floor(values[i]))
      throw InputError(location_of(items[i], node.file()),
                       fmt::format("{}[{}]", node.path_of("values"), i),
                       fmt::format("{} is not a whole number of months", values[i]),
                       "whole numbers of months from the scenario start");
    values_.push_back(static_cast<int>(values[i]));
  }
  probs_ = node.numbers("probs", Range::fraction(), values.size(), values.size(), "probability",
                        "probability of each value");
  const double sum = std::accumulate(probs_.begin(), probs_.end(), 0.0);
  if (std::abs(sum - 1.0) > kProbTolerance)
    node.fail("probs", fmt::format("the probabilities sum to {:.12g}", sum),
              "probabilities summing to 1");
}

void DiscreteLaw::read_range(ParamNode& node, std::string_view meaning) {
  const auto from = node.integer("from", -kMonthLimit, kMonthLimit, "months",
                                 fmt::format("first value of: {}", meaning));
  const auto to = node.integer("to", -kMonthLimit, kMonthLimit, "months",
                               fmt::format("last value of: {}", meaning));
  if (to < from)
    node.fail("to", fmt::format("to = {} is before from = {}", to, from), "to >= from");
  const auto n = static_cast<double>(to - from + 1);
  for (auto v = from; v <= to; ++v) {
    values_.push_back(static_cast<int>(v));
    probs_.push_back(1.0 / n);
  }
}

int DiscreteLaw::draw(SystemicStream& s) const {
  const double u = s.uniform();
  for (std::size_t i = 0; i + 1 < cdf_.size(); ++i)
    if (u < cdf_[i]) return values_[i];
  return values_.back();
}

BetaLaw::BetaLaw(ParamNode node, std::string_view unit, std::string_view meaning) {
  mean_ = node.number("mean", {0.0, 1.0, true, true}, unit, fmt::format("mean of {}", meaning));
  const bool by_sd = node.has("sd");
  if (!by_sd && !node.has("concentration")) read_nothing(node, {"sd", "concentration"});
  if (by_sd == node.has("concentration"))
    node.fail("", by_sd ? "both sd and concentration given" : "neither sd nor concentration given",
              "exactly one of 'sd' or 'concentration'");
  const double variance_limit = mean_ * (1.0 - mean_);
  double concentration = 0.0;
  if (by_sd) {
    const double sd = node.number("sd", Range::positive(), unit, fmt::format("sd of {}", meaning));
    if (sd * sd >= variance_limit)
      node.fail("sd",
                fmt::format("sd {} is too large for a Beta law of mean {} (sd^2 must be below "
                            "mean (1 - mean) = {})",
                            sd, mean_, variance_limit),
                fmt::format("sd < {}", std::sqrt(variance_limit)));
    concentration = variance_limit / (sd * sd) - 1.0;
  } else {
    concentration = node.number("concentration", Range::positive(), "a + b",
                                fmt::format("concentration of {}", meaning));
  }
  node.finish();
  a_ = mean_ * concentration;
  b_ = (1.0 - mean_) * concentration;
  shape_a_ = GammaShape(a_);
  shape_b_ = GammaShape(b_);
}

NormalLaw::NormalLaw(ParamNode node, std::string_view unit, std::string_view meaning) {
  mean_ = node.number("mean", Range::any(), unit, fmt::format("mean of {}", meaning));
  sd_ = node.number("sd", Range::non_negative(), unit, fmt::format("sd of {}", meaning));
  node.finish();
}

std::vector<double> padded(std::span<const double> values, double pad) {
  std::vector<double> out(padded_size(values.size()), pad);
  std::copy(values.begin(), values.end(), out.begin());
  return out;
}

std::vector<double> monthly_spend(const Population& pop) {
  std::vector<double> out;
  for (double b : pop.annual_spend) out.push_back(b / 12.0);
  return out;
}

std::string series_name(const Driver& driver, std::string_view base) {
  if (driver.name() == driver.type()) return std::string(base);
  return driver.name() + "." + std::string(base);
}

void MonthlyProfile::close() {
  year_.assign(cal_.years(), 0.0);
  zero_ = true;
  for (int t = 0; t < cal_.months(); ++t) {
    year_[cal_.year_of(t)] += month_[t];
    zero_ = zero_ && month_[t] == 0.0;
  }
}

void MonthlyProfile::fill(std::span<const double> factor, std::span<double> monthly) const {
  const std::size_t T = month_.size();
  for (std::size_t i = 0; i < factor.size(); ++i)
    for (std::size_t t = 0; t < T; ++t) monthly[i * T + t] = factor[i] * month_[t];
}

}  // namespace rxstress
