// Radix selection of ranks over values fed again on each pass (rank_selector.hpp).
#include "stats/rank_selector.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "stats/order_key.hpp"

namespace rxstress::stats {
namespace {

constexpr int kLevelBits = 16, kLevels = 64 / kLevelBits;
constexpr std::size_t kBuckets = std::size_t{1} << kLevelBits;

// The next 16 bits of `key` below the `depth` levels already known.
std::size_t digit(std::uint64_t key, int depth) {
  return static_cast<std::size_t>(key >> (64 - kLevelBits * (depth + 1))) & (kBuckets - 1);
}

}  // namespace

RankSelector::RankSelector(std::vector<std::size_t> group_sizes, std::size_t cap)
    : sizes_(std::move(group_sizes)),
      fed_(sizes_.size(), 0),
      cap_(std::max<std::size_t>(cap, 1)),
      of_group_(sizes_.size()) {}

void RankSelector::want(std::size_t group, std::size_t rank) {
  if (group >= sizes_.size() || rank >= sizes_[group])
    throw std::out_of_range("rank selector: rank " + std::to_string(rank) + " of group " +
                            std::to_string(group) + " is not among its values");
  if (index_.count({group, rank})) return;
  index_[{group, rank}] = targets_.size();
  Target t;
  t.rank = rank;
  t.count = sizes_[group];
  t.collect = t.count <= cap_;
  of_group_[group].push_back(targets_.size());
  targets_.push_back(std::move(t));
}

bool RankSelector::done() const {
  return std::all_of(of_group_.begin(), of_group_.end(), [](const auto& g) { return g.empty(); });
}

bool RankSelector::matches(const Target& t, std::uint64_t key) const {
  return t.depth == 0 || key >> (64 - kLevelBits * t.depth) == t.prefix;
}

void RankSelector::add(std::size_t group, double v) {
  ++fed_[group];
  const std::uint64_t key = key_of(v);
  for (const std::size_t i : of_group_[group]) {
    Target& t = targets_[i];
    if (!matches(t, key)) continue;
    if (t.collect) {
      t.kept.push_back(key);
    } else {
      if (t.counts.empty()) t.counts.assign(kBuckets, 0);
      ++t.counts[digit(key, t.depth)];
    }
  }
}

// After a pass: a collecting target selects its rank among the keys kept; a counting one learns
// the next 16 bits of its key from the counts, and collects next time once few values are left.
void RankSelector::settle(Target& t) {
  if (t.collect) {
    std::nth_element(t.kept.begin(), t.kept.begin() + static_cast<std::ptrdiff_t>(t.rank),
                     t.kept.end());
    t.key = t.kept[t.rank];
    t.known = true;
    std::vector<std::uint64_t>().swap(t.kept);
    return;
  }
  std::size_t b = 0;
  for (; t.rank >= t.counts[b]; ++b) t.rank -= t.counts[b];
  t.count = t.counts[b];
  t.prefix = t.prefix << kLevelBits | b;
  ++t.depth;
  std::vector<std::uint64_t>().swap(t.counts);
  if (t.depth == kLevels) {  // every bit known: all the values left are this one
    t.key = t.prefix;
    t.known = true;
  }
  t.collect = t.count <= cap_;
}

void RankSelector::end_pass() {
  for (std::size_t g = 0; g < sizes_.size(); ++g) {
    if (fed_[g] != sizes_[g] && !of_group_[g].empty())
      throw std::logic_error("rank selector: group " + std::to_string(g) + " was fed " +
                             std::to_string(fed_[g]) + " values, not " + std::to_string(sizes_[g]));
    fed_[g] = 0;
    auto& open = of_group_[g];
    for (const std::size_t i : open) settle(targets_[i]);
    std::erase_if(open, [&](std::size_t i) { return targets_[i].known; });
  }
}

double RankSelector::value(std::size_t group, std::size_t rank) const {
  const auto it = index_.find({group, rank});
  if (it == index_.end() || !targets_[it->second].known)
    throw std::logic_error("rank selector: rank " + std::to_string(rank) + " of group " +
                           std::to_string(group) + " was not asked for or not yet found");
  return value_of_key(targets_[it->second].key);
}

}  // namespace rxstress::stats
