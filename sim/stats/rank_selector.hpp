// Exact order statistics of groups of values too many to hold at once: the caller feeds every
// value again on each pass, and memory stays bounded whatever their number.
//
// A radix selection on the values' order keys (order_key.hpp), 16 bits a level: each pass counts,
// for every rank asked for, the values under the bits already known, and so learns 16 more bits
// of the value at that rank. Once few enough values share the known bits (`cap`), the next pass
// keeps just those and selects among them. Two or three passes as a rule; five at most (four
// levels, then all the values left have the same key). The value found has exactly the bits a
// full sort puts at that rank.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace rxstress::stats {

class RankSelector {
 public:
  // `group_sizes[g]`: how many values group g has on every pass. `cap`: how many values one rank
  // may keep for its final selection (8 bytes each).
  explicit RankSelector(std::vector<std::size_t> group_sizes,
                        std::size_t cap = std::size_t{1} << 18);
  // Asks for the value of ascending rank `rank` (0 is the least) of group g; before the first
  // pass. Throws std::out_of_range unless rank < the group's size.
  void want(std::size_t group, std::size_t rank);
  // Whether every rank asked for is known; then no pass is needed.
  bool done() const;
  // One value of group g, in a pass. Every pass must feed the same values (in any order).
  void add(std::size_t group, double v);
  // Ends a pass. Throws std::logic_error when a group was not fed as many values as its size.
  void end_pass();
  // The value of a rank asked for, once done().
  double value(std::size_t group, std::size_t rank) const;

 private:
  struct Target {
    std::size_t rank = 0;   // within the values whose keys start with `prefix`
    std::size_t count = 0;  // of those values
    std::uint64_t prefix = 0;
    int depth = 0;  // 16-bit levels of the key known (in prefix)
    bool collect = false, known = false;
    std::uint64_t key = 0;              // the answer, once known
    std::vector<std::uint64_t> counts;  // this pass's counts by the next 16 bits
    std::vector<std::uint64_t> kept;    // this pass's keys under the prefix (collect)
  };
  bool matches(const Target& t, std::uint64_t key) const;
  void settle(Target& t);

  std::vector<std::size_t> sizes_, fed_;
  std::size_t cap_;
  std::vector<Target> targets_;
  std::vector<std::vector<std::size_t>> of_group_;  // the targets of each group not yet known
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> index_;  // (group, rank) -> target
};

}  // namespace rxstress::stats
