#include "io/rank_checkpoint.hpp"

#include <fmt/format.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "hpc/ranks.hpp"
#include "io/h5.hpp"
#include "rxstress/error.hpp"

namespace rxstress {
namespace {

constexpr std::uint64_t kMagic = 0x31304b43'58525852;  // "RXRXCK01"

// FNV-1a over the bytes: catches a torn or damaged file (a kill mid-write is already kept out
// by the rename).
std::uint64_t checksum(const std::string& bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

template <class T>
void put(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

template <class T>
bool take(const std::string& in, std::size_t& at, T& value) {
  if (at + sizeof value > in.size()) return false;
  std::memcpy(&value, in.data() + at, sizeof value);
  at += sizeof value;
  return true;
}

void put_nodes(std::string& out, const std::vector<stats::OrderedSum::Node>& nodes) {
  put<std::uint64_t>(out, nodes.size());
  for (const auto& n : nodes) {
    put<std::int64_t>(out, n.level);
    put<std::int64_t>(out, n.index);
    put<std::uint64_t>(out, n.values.size());
    out.append(reinterpret_cast<const char*>(n.values.data()), n.values.size() * sizeof(double));
  }
}

bool take_nodes(const std::string& in, std::size_t& at,
                std::vector<stats::OrderedSum::Node>& nodes) {
  std::uint64_t count = 0;
  if (!take(in, at, count)) return false;
  for (std::uint64_t k = 0; k < count; ++k) {
    std::int64_t level = 0, index = 0;
    std::uint64_t width = 0;
    if (!take(in, at, level) || !take(in, at, index) || !take(in, at, width)) return false;
    if (width > (in.size() - at) / sizeof(double)) return false;
    stats::OrderedSum::Node node{static_cast<int>(level), index, std::vector<double>(width)};
    std::memcpy(node.values.data(), in.data() + at, width * sizeof(double));
    at += width * sizeof(double);
    nodes.push_back(std::move(node));
  }
  return true;
}

}  // namespace

std::string rank_checkpoint_path(const std::string& checkpoint, int rank, int parity) {
  return fmt::format("{}.rank-{}-{}", checkpoint, rank, parity);
}

void save_rank_checkpoint(const std::string& checkpoint, int rank, int ranks,
                          const RankCheckpoint& state) {
  std::string bytes;
  put(bytes, kMagic);
  put<std::int64_t>(bytes, ranks);
  put<std::int64_t>(bytes, rank);
  put(bytes, state.slots);
  put(bytes, state.blocks_done);
  put_nodes(bytes, state.open);
  put_nodes(bytes, state.emitted);
  put(bytes, checksum(bytes));
  const std::string path = rank_checkpoint_path(checkpoint, rank, state.slots % 2);
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out)
      throw RunError("cannot write the checkpoint of MPI rank " + std::to_string(rank) + " to " +
                     temporary);
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) throw RunError("cannot rename " + temporary + ": " + ec.message());
}

std::optional<RankCheckpoint> load_rank_checkpoint(const std::string& checkpoint, int rank,
                                                   int ranks, int parity) {
  std::ifstream in(rank_checkpoint_path(checkpoint, rank, parity), std::ios::binary);
  if (!in) return std::nullopt;
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() < 2 * sizeof(std::uint64_t)) return std::nullopt;
  std::uint64_t stored = 0;
  std::memcpy(&stored, bytes.data() + bytes.size() - sizeof stored, sizeof stored);
  const std::string body = bytes.substr(0, bytes.size() - sizeof stored);
  if (checksum(body) != stored) return std::nullopt;
  std::size_t at = 0;
  std::uint64_t magic = 0;
  std::int64_t file_ranks = 0, file_rank = 0;
  RankCheckpoint state;
  if (!take(body, at, magic) || magic != kMagic || !take(body, at, file_ranks) ||
      !take(body, at, file_rank) || file_ranks != ranks || file_rank != rank ||
      !take(body, at, state.slots) || !take(body, at, state.blocks_done) ||
      !take_nodes(body, at, state.open) || !take_nodes(body, at, state.emitted) ||
      at != body.size())
    return std::nullopt;
  return state;
}

void remove_rank_checkpoints(const std::string& checkpoint, int ranks) {
  std::error_code ignored;
  for (int r = 0; r < ranks; ++r)
    for (int parity = 0; parity < 2; ++parity) {
      std::filesystem::remove(rank_checkpoint_path(checkpoint, r, parity), ignored);
      std::filesystem::remove(rank_checkpoint_path(checkpoint, r, parity) + ".tmp", ignored);
    }
}

RankCheckpoint agree_rank_checkpoint(const std::string& checkpoint) {
  const int rank = ranks::rank(), R = ranks::size();
  std::optional<RankCheckpoint> mine[2] = {load_rank_checkpoint(checkpoint, rank, R, 0),
                                           load_rank_checkpoint(checkpoint, rank, R, 1)};
  // Rank 0's generations are the candidates, the larger first; the first that every rank has.
  std::int64_t candidates[2] = {mine[0] ? mine[0]->slots : -1, mine[1] ? mine[1]->slots : -1};
  if (candidates[0] < candidates[1]) std::swap(candidates[0], candidates[1]);
  for (std::int64_t& c : candidates) c = ranks::broadcast(static_cast<int>(c));
  for (const std::int64_t c : candidates) {
    if (c < 0) continue;
    const RankCheckpoint* have = nullptr;
    for (const auto& m : mine)
      if (m && m->slots == c) have = &*m;
    if (!ranks::any(have == nullptr)) return *have;
  }
  throw RunError("no checkpoint that every MPI rank saved (files " +
                 rank_checkpoint_path(checkpoint, 0, 0) + " and the like)");
}

void mark_mpi_checkpoint(const std::string& checkpoint, int ranks, int block_paths) {
  h5::File f = h5::File::open_write(checkpoint);
  h5::Group g = f.create_group("checkpoint");
  g.set_attr("block_paths", std::int64_t{block_paths});
  g.set_attr("mpi_ranks", std::int64_t{ranks});
  g.set_attr("completed_blocks", std::int64_t{-1});  // in the ranks' files instead
  g.close();
  f.close();
}

}  // namespace rxstress
