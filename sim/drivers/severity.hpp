// The cost law of one high-cost patient (annual cost, GBP): lognormal, gamma or pareto.
#pragma once

#include <string>

#include "rxstress/random.hpp"
#include "scenario/param_node.hpp"

namespace rxstress {

class Severity {
 public:
  // Reads {law: lognormal, median, sigma_log} | {law: gamma, mean, cv} | {law: pareto, scale,
  // shape}.
  explicit Severity(ParamNode params);
  Severity(std::string law, double p1, double p2);  // the same three laws, parameters in that order

  double draw(Stream& s) const;
  double mean() const;
  double second_moment() const;  // infinite for pareto with shape <= 2
  // E[min(C, limit)]: the limited expected value, for carve-out checks.
  double limited_mean(double limit) const;
  const std::string& law() const { return law_; }

 private:
  enum class Kind { lognormal, gamma, pareto };
  void prepare();  // sets kind_ and gamma_ from law_ and the parameters

  std::string law_;
  Kind kind_ = Kind::lognormal;  // law_ as a tag, so a draw does not compare strings
  double p1_ = 0.0, p2_ = 0.0;
  GammaLaw gamma_;
};

}  // namespace rxstress
