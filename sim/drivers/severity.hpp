// The cost law of one high-cost patient (annual cost, GBP): lognormal, gamma or pareto.
#pragma once

#include <string>

#include "scenario/param_node.hpp"
#include "simd/laws.hpp"

namespace rxstress {

class Severity {
 public:
  // Reads {law: lognormal, median, sigma_log} | {law: gamma, mean, cv} | {law: pareto, scale,
  // shape}.
  explicit Severity(ParamNode params);
  Severity(std::string law, double p1, double p2);  // the same three laws, parameters in that order

  // The law prepared for the vector sampler (simd/severity-inl.h).
  SeverityLaw prepared() const;
  double mean() const;
  double second_moment() const;  // infinite for pareto with shape <= 2
  // E[min(C, limit)]: the limited expected value, for carve-out checks.
  double limited_mean(double limit) const;
  const std::string& law() const { return law_; }

 private:
  void prepare();  // sets kind_ from law_

  std::string law_;
  SeverityLaw::Kind kind_ = SeverityLaw::Kind::lognormal;  // law_ as a tag
  double p1_ = 0.0, p2_ = 0.0;
};

}  // namespace rxstress
