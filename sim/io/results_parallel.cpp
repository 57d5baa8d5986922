// The end of an MPI run (RunInfo::parallel): the ranks' attribution nodes and their shares of the
// statistics pass go to rank 0, which writes the statistics exactly as one process would. Every
// rank reads its own holders' columns back from the closed file, so no rank holds all outcomes.
#include "hpc/ranks.hpp"
#include "io/results_writer.hpp"

namespace rxstress {
namespace {

// One holder's summary, convergence table and extra quantiles as doubles, and back.
void pack(const LevelStats& s, std::size_t j, std::size_t E, std::vector<double>& out) {
  const stats::HolderSummary& h = s.holders[j];
  out.insert(out.end(), {h.mean, h.sd, h.se_mean, h.cv});
  out.insert(out.end(), h.quantiles.begin(), h.quantiles.end());
  out.insert(out.end(), h.var.begin(), h.var.end());
  out.insert(out.end(), h.es.begin(), h.es.end());
  out.insert(out.end(), h.q95_ci.begin(), h.q95_ci.end());
  out.insert(out.end(), h.return_period_loss.begin(), h.return_period_loss.end());
  out.insert(out.end(), h.p_exceed.begin(), h.p_exceed.end());
  const stats::Convergence& c = s.convergence[j];
  for (const auto* a : {&c.paths, &c.mean, &c.se_mean, &c.q95, &c.se_q95})
    out.insert(out.end(), a->begin(), a->end());
  out.insert(out.end(), s.extra_quantiles.begin() + j * E, s.extra_quantiles.begin() + (j + 1) * E);
}

const double* unpack(const double* in, std::size_t X, std::size_t E, LevelStats& s, std::size_t j) {
  stats::HolderSummary& h = s.holders[j];
  h.mean = in[0], h.sd = in[1], h.se_mean = in[2], h.cv = in[3];
  in += 4;
  const auto take = [&in](auto& array) {
    std::copy_n(in, array.size(), array.begin());
    in += array.size();
  };
  take(h.quantiles);
  take(h.var);
  take(h.es);
  take(h.q95_ci);
  take(h.return_period_loss);
  h.p_exceed.assign(in, in + X);
  in += X;
  stats::Convergence& c = s.convergence[j];
  for (auto* a : {&c.paths, &c.mean, &c.se_mean, &c.q95, &c.se_q95}) take(*a);
  std::copy_n(in, E, s.extra_quantiles.begin() + j * E);
  return in + E;
}

}  // namespace

// This rank's share of each model's holders, summarised from the file (closed for writing).
std::vector<LevelStats> ResultsWriter::summarise_share() const {
  const Scenario& sc = model_.scenario();
  const h5::File file = h5::File::open_read(path_);
  std::vector<LevelStats> out;
  StripSlabs slabs;
  for (std::size_t m = 0; m < sc.delegation.size(); ++m) {
    const HolderMap& map = model_.levels()[model_.level_of_model(m)];
    const ranks::Share mine = ranks::share(map.size(), ranks::rank(), ranks::size());
    const h5::Dataset outcome = file.open_dataset("models/" + sc.delegation[m].name + "/outcome");
    out.push_back(summarise_dataset(outcome, map.budget, sc.outputs.thresholds, slabs,
                                    sc.outputs.cover, mine.first, mine.end));
  }
  return out;
}

// The attribution nodes each rank could not finish alone (stats/ordered_sum.hpp), sent to rank 0
// as [level, index, values...] and added there in rank (= path) order. Collective.
void ResultsWriter::gather_attribution() {
  std::vector<double> nodes;
  for (const auto& node : attribution_sum_->finish()) {
    nodes.push_back(node.level);
    nodes.push_back(static_cast<double>(node.index));
    nodes.insert(nodes.end(), node.values.begin(), node.values.end());
  }
  const std::vector<double> all = ranks::gather(nodes);
  if (!ranks::root()) return;
  const std::size_t width = attribution_sum_->width();
  stats::OrderedSum total(attribution_sum_->leaves(), width);
  for (std::size_t at = 0; at < all.size(); at += 2 + width)
    total.add(static_cast<int>(all[at]), static_cast<std::int64_t>(all[at + 1]),
              std::span(all.data() + at + 2, width));
  attribution_ = unflatten_attribution(total.finish().at(0).values);
}

// Every rank's share of each model's summaries, to rank 0, which gets them all (the others get
// nothing). Collective.
std::vector<LevelStats> ResultsWriter::gather_summaries(const std::vector<LevelStats>& mine) const {
  const int R = ranks::size();
  const std::size_t Y = model_.years(), X = model_.scenario().outputs.thresholds.size();
  const std::size_t E = model_.scenario().outputs.cover.size();
  const auto holders = [&](std::size_t m) {
    return model_.levels()[model_.level_of_model(m)].size();
  };
  std::vector<double> packed;
  for (std::size_t m = 0; m < mine.size(); ++m) {
    const std::size_t H = holders(m);
    const ranks::Share share = ranks::share(H, ranks::rank(), R);
    for (std::size_t y = 0; y < Y; ++y)
      for (auto h = share.first; h < share.end; ++h) pack(mine[m], y * H + h, E, packed);
  }
  const std::vector<double> all = ranks::gather(packed);
  if (!ranks::root()) return {};
  std::vector<LevelStats> shared(mine.size());
  for (std::size_t m = 0; m < shared.size(); ++m) {
    shared[m].holders.resize(Y * holders(m));
    shared[m].convergence.resize(Y * holders(m));
    shared[m].extra_quantiles.resize(Y * holders(m) * E);
  }
  const double* in = all.data();
  for (int r = 0; r < R; ++r)
    for (std::size_t m = 0; m < shared.size(); ++m) {
      const std::size_t H = holders(m);
      const ranks::Share share = ranks::share(H, r, R);
      for (std::size_t y = 0; y < Y; ++y)
        for (auto h = share.first; h < share.end; ++h) in = unpack(in, X, E, shared[m], y * H + h);
    }
  return shared;
}

void ResultsWriter::finish_parallel(const std::function<void(const h5::File&)>& before_close) {
  gather_attribution();
  close_file();  // collective: every block of every rank is in the file after it
  const std::vector<LevelStats> shared = gather_summaries(summarise_share());
  if (!ranks::root()) return;
  file_ = h5::File::open_write(path_);
  open_datasets();
  write_statistics(shared);
  if (info_.checkpoint) file_.remove("checkpoint");  // the ranks' files go after the rename
  if (before_close) before_close(file_);
  close_file();
}

}  // namespace rxstress
