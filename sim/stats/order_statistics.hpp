// The order statistics of one holder's column of outcomes that its summary and convergence table
// read, found without sorting the column.
//
// The summary reads some thirty ranks and the largest 5 % in order; the convergence table reads
// four ranks near the 95 % quantile of each prefix of the paths. The values are dealt once into
// buckets of equal width between the column's least and largest value (a few values each where
// they are spread out), and a bucket is sorted only when a rank asked for falls in it, so most
// buckets never are. Every value read has the bits a full sort puts at its rank: buckets follow
// the order of the values, and a bucket is sorted by the values' bit patterns as unsigned keys
// (-0.0 before +0.0). Only the values' places in the column are dealt (4 bytes each, so that the
// dealt column stays in the first-level cache); the values are read from the column itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace rxstress::stats {

class OrderStatistics {
 public:
  // Deals the values of `x` into buckets. `lo` and `hi` are its least and largest values. x is
  // read again by the other members: it must stay alive and unchanged until the next build.
  // Throws std::length_error for 2^32 values or more.
  void build(std::span<const double> x, double lo, double hi);
  std::size_t size() const { return place_.size(); }
  // The value of ascending rank `rank` (0 is the least); rank < size().
  double at(std::size_t rank);
  // The sum of the `count` largest values, added in ascending order; 1 <= count <= size().
  double sum_of_largest(std::size_t count);
  // How many values are above `limit` (as counting v > limit over the column would).
  std::size_t count_above(double limit) const;
  // The values of ascending ranks `ranks` (ascending, each < n) among the column's first n values
  // in path order, into `out` (as long as `ranks`). The values are walked down from the largest,
  // so ranks near the top of the prefix sort only the top buckets.
  void prefix_ranks(std::size_t n, std::span<const std::size_t> ranks, std::span<double> out);

 private:
  std::size_t bucket_of_rank(std::size_t rank) const;
  std::uint32_t bucket_of_value(double v) const;
  void sort_bucket(std::size_t b);

  double value(std::size_t i) const { return x_[place_[i]]; }  // i-th of the dealt column

  const double* x_ = nullptr;      // the column
  double lo_ = 0.0, scale_ = 0.0;  // bucket of v: (v - lo_) * scale_, at most the last
  // The values' places in x, by bucket; each bucket sorted once asked for.
  std::vector<std::uint32_t> place_;
  std::vector<std::size_t> start_;     // bucket b is place_[start_[b], start_[b + 1])
  std::vector<std::uint32_t> bucket_;  // scratch: each value's bucket
  std::vector<std::size_t> fill_;      // scratch: the next free slot of each bucket
  std::vector<std::uint8_t> sorted_;   // whether bucket b is sorted
};

}  // namespace rxstress::stats
