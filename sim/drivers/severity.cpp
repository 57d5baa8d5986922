#include "drivers/severity.hpp"

#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <limits>

#include "rxstress/systemic.hpp"

namespace rxstress {
namespace {
double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }
}  // namespace

Severity::Severity(ParamNode params) {
  law_ = params.choice("law", {"lognormal", "gamma", "pareto"}, "severity law of annual cost");
  if (law_ == "lognormal") {
    p1_ = params.number("median", Range::positive(), "GBP/year", "median annual cost");
    p2_ = params.number("sigma_log", Range::positive(), "log-scale", "sd of log cost");
  } else if (law_ == "gamma") {
    p1_ = params.number("mean", Range::positive(), "GBP/year", "mean annual cost");
    p2_ = params.number("cv", Range::positive(), "", "coefficient of variation of cost");
  } else {
    p1_ = params.number("scale", Range::positive(), "GBP/year", "smallest annual cost x_m");
    p2_ = params.number("shape", Range{1.0, 1e300, true, false}, "",
                        "tail index alpha (> 1 for a finite mean)");
  }
  params.finish();
  prepare();
}

Severity::Severity(std::string law, double p1, double p2) : law_(std::move(law)), p1_(p1), p2_(p2) {
  prepare();
}

void Severity::prepare() {
  using Kind = SeverityLaw::Kind;
  kind_ = law_ == "lognormal" ? Kind::lognormal : law_ == "gamma" ? Kind::gamma : Kind::pareto;
}

SeverityLaw Severity::prepared() const {
  SeverityLaw law;
  law.kind = kind_;
  switch (kind_) {
    case SeverityLaw::Kind::lognormal:
      law.log_median = portable::log(p1_);
      law.sigma_log = p2_;
      break;
    case SeverityLaw::Kind::pareto:
      law.pareto_scale = p1_;
      law.pareto_inverse = 1.0 / p2_;
      break;
    case SeverityLaw::Kind::gamma:
      law.gamma = GammaShape(1.0 / (p2_ * p2_));
      law.gamma_scale = p1_ * p2_ * p2_;
      break;
  }
  return law;
}

double Severity::mean() const {
  if (law_ == "lognormal") return p1_ * std::exp(0.5 * p2_ * p2_);
  if (law_ == "gamma") return p1_;
  return p2_ * p1_ / (p2_ - 1.0);
}

double Severity::second_moment() const {
  if (law_ == "lognormal") return p1_ * p1_ * std::exp(2.0 * p2_ * p2_);
  if (law_ == "gamma") return p1_ * p1_ * (1.0 + p2_ * p2_);
  if (p2_ <= 2.0) return std::numeric_limits<double>::infinity();
  return p2_ * p1_ * p1_ / (p2_ - 2.0);
}

double Severity::limited_mean(double limit) const {
  if (limit <= 0.0) return 0.0;
  if (law_ == "lognormal") {
    const double mu = std::log(p1_), s = p2_;
    const double z = (std::log(limit) - mu) / s;
    return std::exp(mu + 0.5 * s * s) * normal_cdf(z - s) + limit * (1.0 - normal_cdf(z));
  }
  if (law_ == "gamma") {
    const double shape = 1.0 / (p2_ * p2_), scale = p1_ / shape;
    const double x = limit / scale;
    return p1_ * boost::math::gamma_p(shape + 1.0, x) + limit * boost::math::gamma_q(shape, x);
  }
  if (limit <= p1_) return limit;
  const double a = p2_;
  return a * p1_ / (a - 1.0) - p1_ * std::pow(p1_ / limit, a - 1.0) / (a - 1.0);
}

}  // namespace rxstress
