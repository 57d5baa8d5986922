// RankSelector finds ranks over values fed again on each pass, in bounded memory; every value it
// gives must have the bits a full sort puts at that rank (-0.0 before +0.0), however the values
// bunch together and however small the memory it may keep.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

#include "stats/rank_selector.hpp"

namespace st = rxstress::stats;

namespace {

// The order of a full sort, without order keys: by value, and -0.0 before +0.0.
bool before(double a, double b) { return a < b || (a == b && std::signbit(a) && !std::signbit(b)); }

bool same_bits(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

// Feeds `groups` to the selector until it is done; returns the passes it took.
int run_passes(st::RankSelector& s, const std::vector<std::vector<double>>& groups) {
  int passes = 0;
  while (!s.done()) {
    for (std::size_t g = 0; g < groups.size(); ++g)
      for (double v : groups[g]) s.add(g, v);
    s.end_pass();
    ++passes;
  }
  return passes;
}

// Every rank of every group against a sort, with `cap` values kept per rank at most.
void check_every_rank(const std::vector<std::vector<double>>& groups, std::size_t cap) {
  std::vector<std::size_t> sizes;
  for (const auto& g : groups) sizes.push_back(g.size());
  st::RankSelector s(sizes, cap);
  for (std::size_t g = 0; g < groups.size(); ++g)
    for (std::size_t r = 0; r < groups[g].size(); ++r) s.want(g, r);
  const int passes = run_passes(s, groups);
  CHECK(passes >= 1);
  CHECK(passes <= 5);
  for (std::size_t g = 0; g < groups.size(); ++g) {
    auto sorted = groups[g];
    std::sort(sorted.begin(), sorted.end(), before);
    for (std::size_t r = 0; r < sorted.size(); ++r) {
      INFO("group " << g << ", rank " << r << ", cap " << cap);
      CHECK(same_bits(s.value(g, r), sorted[r]));
    }
  }
}

}  // namespace

TEST_CASE("RankSelector: every rank has a full sort's bits, whatever memory it may keep",
          "[stats][rank-selector]") {
  std::mt19937_64 rng(20261204);
  std::lognormal_distribution<double> spend(8.0, 1.5);
  std::normal_distribution<double> signed_values(0.0, 1e4);
  std::vector<std::vector<double>> groups(4);
  for (int i = 0; i < 3000; ++i) groups[0].push_back(spend(rng));          // spread out
  for (int i = 0; i < 2000; ++i) groups[1].push_back(signed_values(rng));  // both signs
  for (int i = 0; i < 2500; ++i)  // bunched: mostly zeros (-0.0 and +0.0), a few repeated values
    groups[2].push_back(i % 5 == 0 ? 1234.5
                                   : (i % 7 == 0 ? -0.0 : (i % 11 == 0 ? 1234.5000000001 : 0.0)));
  groups[3] = {42.0};  // one value
  // cap 1: every rank is found by counting alone (four levels of 16 bits); 40: counting, then a
  // selection among the few left; a cap above every group: one pass, a selection among all.
  for (std::size_t cap : {std::size_t{1}, std::size_t{40}, std::size_t{1} << 20})
    check_every_rank(groups, cap);
}

TEST_CASE("RankSelector: the passes a run takes, and misuse", "[stats][rank-selector]") {
  std::vector<double> x(1000);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>((i * 7919) % 1000);
  SECTION("few values: one pass; many: a count, then a selection") {
    st::RankSelector all_kept({x.size()}, x.size());
    all_kept.want(0, 500);
    CHECK(run_passes(all_kept, {x}) == 1);
    CHECK(all_kept.value(0, 500) == 500.0);
    st::RankSelector counted({x.size()}, 10);
    counted.want(0, 999);
    counted.want(0, 0);
    CHECK(run_passes(counted, {x}) == 2);  // the extremes share their top 16 bits with <= 8 values
    CHECK(counted.value(0, 999) == 999.0);
    CHECK(counted.value(0, 0) == 0.0);
  }
  SECTION("a rank that is not among the values, a group fed short, a rank not asked for") {
    st::RankSelector s({x.size()});
    CHECK_THROWS_AS(s.want(0, x.size()), std::out_of_range);
    CHECK_THROWS_AS(s.want(1, 0), std::out_of_range);
    s.want(0, 3);
    for (std::size_t i = 1; i < x.size(); ++i) s.add(0, x[i]);
    CHECK_THROWS_AS(s.end_pass(), std::logic_error);
    CHECK_THROWS_AS(s.value(0, 4), std::logic_error);
  }
}
