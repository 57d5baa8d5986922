#include "stats/ordered_sum.hpp"

#include <stdexcept>

namespace rxstress::stats {

OrderedSum::OrderedSum(std::int64_t leaves, std::int64_t first, std::int64_t end, std::size_t width)
    : leaves_(leaves), first_(first), end_(end), width_(width) {
  // At least one level above the leaves, so that even one leaf is summed as 0 + leaf.
  top_ = 1;
  while ((std::int64_t{1} << (kFanOutBits * top_)) < leaves_) ++top_;
  open_.resize(top_ + 1);
}

// Whether this process adds every leaf the node covers (the last node of a level ends at N).
bool OrderedSum::owned_whole(int level, std::int64_t index) const {
  if (level > top_) return false;
  const std::int64_t begin = index << (kFanOutBits * level);
  const std::int64_t end = std::min((index + 1) << (kFanOutBits * level), leaves_);
  return begin >= first_ && end <= end_;
}

// A finished node goes into its parent if this process owns the parent whole, else it is emitted.
void OrderedSum::place(int level, std::int64_t index, std::span<const double> values) {
  if (values.size() != width_) throw std::logic_error("OrderedSum: a node of the wrong width");
  const std::int64_t parent = index >> kFanOutBits;
  if (!owned_whole(level + 1, parent)) {
    emitted_.push_back({level, index, {values.begin(), values.end()}});
    return;
  }
  std::optional<Node>& into = open_[level + 1];
  if (!into) into = Node{level + 1, parent, std::vector<double>(width_, 0.0)};
  if (into->index != parent) throw std::logic_error("OrderedSum: nodes out of order");
  for (std::size_t k = 0; k < width_; ++k) into->values[k] += values[k];
}

void OrderedSum::close(int level) {
  Node node = std::move(*open_[level]);
  open_[level].reset();
  place(level, node.index, node.values);
}

void OrderedSum::add(int level, std::int64_t index, std::span<const double> values) {
  // Every open node that does not contain the new one is complete: close them, lowest first, so
  // that each goes into its parent before the parent itself closes.
  for (int m = 1; m <= top_; ++m) {
    if (!open_[m]) continue;
    const bool contains = m > level && open_[m]->index == (index >> (kFanOutBits * (m - level)));
    if (!contains) close(m);
  }
  place(level, index, values);
}

std::vector<OrderedSum::Node> OrderedSum::finish() {
  for (int m = 1; m <= top_; ++m)
    if (open_[m]) close(m);
  return std::move(emitted_);
}

std::vector<OrderedSum::Node> OrderedSum::open_nodes() const {
  std::vector<Node> nodes;
  for (const auto& node : open_)
    if (node) nodes.push_back(*node);
  return nodes;
}

void OrderedSum::restore(std::vector<Node> open, std::vector<Node> emitted) {
  emitted_ = std::move(emitted);
  for (auto& node : open) {
    if (node.level < 1 || node.level > top_ || node.values.size() != width_)
      throw std::invalid_argument("OrderedSum: a saved node that does not fit this sum");
    open_[node.level] = std::move(node);
  }
}

}  // namespace rxstress::stats
