// Streaming moments and co-moments: Welford's update for single values and Chan, Golub &
// LeVeque's pairwise merge for blocks, so paths can be accumulated block by block (in parallel)
// and merged in a fixed order for deterministic results.
#include <cmath>
#include <limits>
#include <stdexcept>

#include "rxstress/stats.hpp"

namespace rxstress::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Sum of squared (co-)deviations over n values -> ddof = 1 estimate, with the conventions
// shared with HolderSummary::sd: NaN for no data, 0 for one value.
double ddof1(double m2, std::size_t n) {
  if (n == 0) return kNaN;
  return n == 1 ? 0.0 : m2 / static_cast<double>(n - 1);
}

}  // namespace

void Moments::add(double x) {
  ++n_;
  const double delta = x - mean_;
  mean_ += delta / static_cast<double>(n_);
  m2_ += delta * (x - mean_);
  sum_ += x;
}

void Moments::merge(const Moments& other) {
  if (other.n_ == 0) return;
  if (n_ == 0) {
    *this = other;
    return;
  }
  const double na = static_cast<double>(n_);
  const double nb = static_cast<double>(other.n_);
  const double n = na + nb;
  const double delta = other.mean_ - mean_;
  mean_ += delta * (nb / n);
  m2_ += other.m2_ + delta * delta * (na * nb / n);
  sum_ += other.sum_;
  n_ += other.n_;
}

double Moments::mean() const { return n_ == 0 ? kNaN : mean_; }

double Moments::variance() const { return ddof1(m2_, n_); }

CoMoments::CoMoments(std::size_t D) : mean_x_(D, 0.0), c_xy_(D, 0.0) {}

void CoMoments::add(std::span<const double> x, double y) {
  if (x.size() != mean_x_.size()) throw std::invalid_argument("CoMoments::add: wrong driver count");
  ++n_;
  const double n = static_cast<double>(n_);
  const double dy = y - mean_y_;
  mean_y_ += dy / n;
  // Pairing the old deviation of one variable with the new deviation of the other is Welford's
  // update for co-moments; it needs no second pass.
  const double dy_new = y - mean_y_;
  m2_y_ += dy * dy_new;
  for (std::size_t d = 0; d < x.size(); ++d) {
    const double dx = x[d] - mean_x_[d];
    mean_x_[d] += dx / n;
    c_xy_[d] += dx * dy_new;
  }
}

void CoMoments::merge(const CoMoments& other) {
  if (other.drivers() != drivers()) {
    throw std::invalid_argument("CoMoments::merge: different driver counts");
  }
  if (other.n_ == 0) return;
  if (n_ == 0) {
    *this = other;
    return;
  }
  const double na = static_cast<double>(n_);
  const double nb = static_cast<double>(other.n_);
  const double n = na + nb;
  const double weight = nb / n;
  const double cross = na * nb / n;
  const double dy = other.mean_y_ - mean_y_;
  mean_y_ += dy * weight;
  m2_y_ += other.m2_y_ + dy * dy * cross;
  for (std::size_t d = 0; d < mean_x_.size(); ++d) {
    const double dx = other.mean_x_[d] - mean_x_[d];
    mean_x_[d] += dx * weight;
    c_xy_[d] += other.c_xy_[d] + dx * dy * cross;
  }
  n_ += other.n_;
}

double CoMoments::covariance(std::size_t d) const { return ddof1(c_xy_.at(d), n_); }

double CoMoments::variance_y() const { return ddof1(m2_y_, n_); }

double CoMoments::share(std::size_t d) const {
  // The ddof factors cancel, so divide the raw sums.
  return m2_y_ == 0.0 ? kNaN : c_xy_.at(d) / m2_y_;
}

}  // namespace rxstress::stats
