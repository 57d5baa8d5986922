#include "drivers/severity.hpp"

#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <limits>

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
  kind_ = law_ == "lognormal" ? Kind::lognormal : law_ == "gamma" ? Kind::gamma : Kind::pareto;
  if (kind_ == Kind::gamma) gamma_ = GammaLaw(1.0 / (p2_ * p2_));
}

double Severity::draw(Stream& s) const {
  switch (kind_) {
    case Kind::lognormal:
      return p1_ * std::exp(p2_ * draw_normal(s));
    case Kind::gamma:
      return gamma_.draw(s) * p1_ / gamma_.shape();
    case Kind::pareto:
      break;
  }
  return p1_ * std::pow(s.uniform_pos(), -1.0 / p2_);  // inverse of the Pareto survival function
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
