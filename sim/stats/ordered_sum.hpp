// A sum of per-block vectors whose rounding does not depend on how the blocks were shared out
// (threads, MPI ranks, a resumed run). Floating-point addition is not associative, so "add the
// blocks in path order" would tie every rank to the one before it. Instead the blocks are the
// leaves of a fixed tree of fan-out 8 over [0, N): each node's value is 0 plus its children's
// values, added in order. A process that owns the leaves [first, end) adds up the nodes it owns
// whole and hands on ("emits") the largest ones whose parent it does not own. Whoever then adds
// every process's emitted nodes, in order, to an OrderedSum over [0, N) gets the root's value with
// the same bits as one process adding every block (the tree is the same; only who adds differs).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace rxstress::stats {

class OrderedSum {
 public:
  struct Node {
    int level = 0;           // 0: a leaf (a block); a node of level m covers 8^m leaves
    std::int64_t index = 0;  // position among the nodes of its level
    std::vector<double> values;
  };
  static constexpr int kFanOutBits = 3;  // fan-out 8

  // A sum over `leaves` leaves of which this one adds [first, end), each a vector of `width`.
  OrderedSum(std::int64_t leaves, std::int64_t first, std::int64_t end, std::size_t width);
  // The whole range [0, leaves): what one process uses, and what combines emitted nodes.
  OrderedSum(std::int64_t leaves, std::size_t width) : OrderedSum(leaves, 0, leaves, width) {}

  // Adds a node (a leaf: level 0). Nodes come in increasing order of the leaves they cover.
  void add(int level, std::int64_t index, std::span<const double> values);
  void add(const Node& node) { add(node.level, node.index, node.values); }
  // Closes the open nodes; returns the emitted ones in order. Over the whole range that is one
  // node, the root, whose values are the sum.
  std::vector<Node> finish();

  // The partly added nodes, saved by a checkpoint and given back to a new OrderedSum to go on.
  std::vector<Node> open_nodes() const;
  // The nodes emitted so far (a share of the leaves: an MPI rank's checkpoint keeps them too).
  const std::vector<Node>& emitted_nodes() const { return emitted_; }
  int top_level() const { return top_; }  // open nodes have levels 1..top_level()
  std::size_t width() const { return width_; }
  std::int64_t leaves() const { return leaves_; }
  void restore(std::vector<Node> open, std::vector<Node> emitted = {});

 private:
  bool owned_whole(int level, std::int64_t index) const;
  void close(int level);
  void place(int level, std::int64_t index, std::span<const double> values);

  std::int64_t leaves_, first_, end_;
  std::size_t width_;
  int top_;                                // the root's level
  std::vector<std::optional<Node>> open_;  // [level]: the node being added up there
  std::vector<Node> emitted_;
};

}  // namespace rxstress::stats
