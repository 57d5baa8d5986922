#include <hdf5.h>  // only to check storage properties the wrapper does not expose

#include <array>
#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include <unistd.h>

#include "damage.hpp"
#include "io/fletcher32.hpp"
#include "io/h5.hpp"
#include "rxstress/error.hpp"

namespace fs = std::filesystem;
using rxstress::RunError;
using rxstress::h5::Dataset;
using rxstress::h5::File;
using rxstress::h5::Group;

namespace {

// A fresh directory per test, removed afterwards even when the test fails.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("rxstress_h5_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool bitwise_equal(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

// Awkward doubles (NaN, -0, denormals, extremes) so that any lossy step would show.
double sample(std::size_t y, std::size_t k, std::size_t h) {
  const std::size_t i = (y * 100 + k) * 7 + h;
  switch (i % 9) {
    case 0:
      return std::numeric_limits<double>::quiet_NaN();
    case 1:
      return -0.0;
    case 2:
      return std::numeric_limits<double>::denorm_min() * static_cast<double>(i);
    case 3:
      return std::numeric_limits<double>::max();
    default:
      return std::sin(static_cast<double>(i)) * 1e6;
  }
}

// The filters of a dataset, in the order they apply on writing.
std::vector<H5Z_filter_t> filters(const Dataset& dset) {
  const hid_t dcpl = H5Dget_create_plist(dset.id());
  std::vector<H5Z_filter_t> ids;
  for (int i = 0; i < H5Pget_nfilters(dcpl); ++i) {
    unsigned flags = 0;
    size_t n = 0;
    unsigned config = 0;
    ids.push_back(
        H5Pget_filter2(dcpl, static_cast<unsigned>(i), &flags, &n, nullptr, 0, nullptr, &config));
  }
  H5Pclose(dcpl);
  return ids;
}

const std::string kUtf8 = "Pr\u00e1ctica \u2013 N\u00f8rth";

}  // namespace

TEST_CASE("attributes of every kind round-trip on groups, datasets and the root", "[h5]") {
  TempDir dir;
  const std::string path = dir.file("attrs.h5");
  const std::vector<double> doubles{1.5, -2.25, 1e-300};
  const std::vector<std::string> strings{"alpha", kUtf8, ""};
  {
    File file = File::create(path);
    Group group = file.create_group("a/b");
    Dataset dset = group.create_dataset<double>("d", {3});
    for (rxstress::h5::Object* obj :
         std::initializer_list<rxstress::h5::Object*>{&file, &group, &dset}) {
      obj->set_attr("s", kUtf8);
      obj->set_attr("i", std::int64_t{-9'007'199'254'740'993});
      obj->set_attr("n", 42);  // plain int goes through the int64 overload
      obj->set_attr("x", 0.1);
      obj->set_attr("v", std::span<const double>(doubles));
      obj->set_attr("e", std::span<const double>());
      obj->set_attr("ss", std::span<const std::string>(strings));
    }
    file.set_attr("x", 0.2);  // replacing an attribute must work
    file.close();
  }
  File file = File::open_read(path);
  Group group = file.open_group("a/b");
  Dataset dset = file.open_dataset("a/b/d");
  for (const rxstress::h5::Object* obj :
       std::initializer_list<const rxstress::h5::Object*>{&file, &group, &dset}) {
    CHECK(obj->attr_string("s") == kUtf8);
    CHECK(obj->attr_int("i") == -9'007'199'254'740'993);
    CHECK(obj->attr_int("n") == 42);
    CHECK(obj->attr_doubles("v") == doubles);
    CHECK(obj->attr_doubles("e").empty());
    CHECK(obj->attr_strings("ss") == strings);
    CHECK(obj->has_attr("s"));
    CHECK_FALSE(obj->has_attr("missing"));
  }
  CHECK(file.attr_double("x") == 0.2);
  CHECK(group.attr_double("x") == 0.1);
  CHECK_THROWS_AS(group.attr_int("missing"), RunError);
  CHECK_THROWS_AS(group.attr_string("x"), RunError);  // a double is not a string
  CHECK_THROWS_AS(group.attr_double("v"), RunError);  // an array is not a single value
}

TEST_CASE("chunked deflate dataset written in slabs reads back bitwise", "[h5]") {
  TempDir dir;
  const std::string path = dir.file("slab.h5");
  constexpr std::size_t kY = 2, kK = 100, kH = 7, kBlock = 10;
  std::vector<double> expected(kY * kK * kH);
  for (std::size_t y = 0; y < kY; ++y)
    for (std::size_t k = 0; k < kK; ++k)
      for (std::size_t h = 0; h < kH; ++h) expected[(y * kK + k) * kH + h] = sample(y, k, h);
  {
    File file = File::create(path);
    Dataset dset = file.create_dataset<double>("results/loss", {kY, kK, kH}, {1, 25, kH}, 4);
    // Blocks of 10 paths across both years, as the writer's workers will deliver them.
    for (std::size_t k0 = 0; k0 < kK; k0 += kBlock) {
      std::vector<double> block;
      for (std::size_t y = 0; y < kY; ++y)
        for (std::size_t k = k0; k < k0 + kBlock; ++k)
          for (std::size_t h = 0; h < kH; ++h) block.push_back(sample(y, k, h));
      const std::array<hsize_t, 3> offset{0, k0, 0}, count{kY, kBlock, kH};
      dset.write_slab<double>(offset, count, block.data());
    }
    file.close();
  }
  File file = File::open_read(path);
  Dataset dset = file.open_dataset("results/loss", 1 << 20);
  CHECK(dset.dims() == std::vector<hsize_t>{kY, kK, kH});
  CHECK(bitwise_equal(dset.read_all<double>(), expected));

  for (std::size_t h = 0; h < kH; ++h) {
    std::vector<double> column(kY * kK), want;
    const std::array<hsize_t, 3> offset{0, 0, h}, count{kY, kK, 1};
    dset.read_slab<double>(offset, count, column.data());
    for (std::size_t y = 0; y < kY; ++y)
      for (std::size_t k = 0; k < kK; ++k) want.push_back(expected[(y * kK + k) * kH + h]);
    CHECK(bitwise_equal(column, want));
  }

  // Shuffle + deflate really are on, the checksum last, and the requested cache really was applied.
  CHECK(filters(dset) ==
        std::vector<H5Z_filter_t>{H5Z_FILTER_SHUFFLE, H5Z_FILTER_DEFLATE, H5Z_FILTER_FLETCHER32});
  hid_t dapl = H5Dget_access_plist(dset.id());
  size_t slots = 0, bytes = 0;
  double w0 = 0;
  H5Pget_chunk_cache(dapl, &slots, &bytes, &w0);
  H5Pclose(dapl);
  CHECK(bytes == (1u << 20));
  CHECK(slots >= 521);

  const std::array<hsize_t, 3> outside{0, 95, 0}, count{1, 10, kH};
  std::vector<double> scratch(10 * kH);
  CHECK_THROWS_AS(dset.read_slab<double>(outside, count, scratch.data()), RunError);
}

TEST_CASE("integer datasets keep their width and values", "[h5]") {
  TempDir dir;
  const std::string path = dir.file("ints.h5");
  const std::vector<std::int8_t> small{-128, -1, 0, 1, 127, 5};
  const std::vector<std::int32_t> wide{std::numeric_limits<std::int32_t>::min(), -7, 0, 7,
                                       std::numeric_limits<std::int32_t>::max(), 3};
  {
    File file = File::create(path);
    file.write<std::int8_t>("i8", small, {2, 3});
    file.write<std::int32_t>("i32", wide, {6});
    CHECK_THROWS_AS(file.write<std::int32_t>("bad", wide, {4}), RunError);
  }
  File file = File::open_read(path);
  Dataset i8 = file.open_dataset("i8");
  CHECK(i8.dims() == std::vector<hsize_t>{2, 3});
  CHECK(i8.read_all<std::int8_t>() == small);
  CHECK(file.open_dataset("i32").read_all<std::int32_t>() == wide);
  hid_t type = H5Dget_type(i8.id());
  CHECK(H5Tget_size(type) == 1);
  H5Tclose(type);
}

TEST_CASE("string datasets keep non-ASCII UTF-8", "[h5]") {
  TempDir dir;
  const std::string path = dir.file("strings.h5");
  const std::vector<std::string> names{"plain", kUtf8, "", "\u65e5\u672c"};
  {
    File file = File::create(path);
    file.write_strings("meta/names", names);
    file.write_string("meta/title", kUtf8);
    file.write_strings("meta/none", std::span<const std::string>());
  }
  File file = File::open_read(path);
  CHECK(file.open_dataset("meta/names").read_strings() == names);
  CHECK(file.open_dataset("meta/title").read_string() == kUtf8);
  CHECK(file.open_dataset("meta/none").read_strings().empty());
  CHECK_THROWS_AS(file.open_dataset("meta/names").read_string(), RunError);
}

TEST_CASE("hard links and nested existence checks", "[h5]") {
  TempDir dir;
  const std::string path = dir.file("links.h5");
  const std::vector<double> data{3.0, 1.0, 4.0, 1.0, 5.0};
  {
    File file = File::create(path);
    file.write<double>("a/b/data", data, {5});
    file.hard_link("a/b/data", "c/same");
  }
  File file = File::open_read(path);
  CHECK(file.open_dataset("c/same").read_all<double>() == data);
  CHECK(file.exists("a/b/data"));
  CHECK(file.exists("/a/b"));
  CHECK(file.open_group("a").exists("b/data"));
  CHECK_FALSE(file.exists("a/x/data"));
  CHECK_FALSE(file.exists("missing/deeper/still"));
  CHECK_FALSE(file.exists("a/b/data/inside"));  // a dataset has no children
}

TEST_CASE("creating over an existing file throws and leaves it untouched", "[h5]") {
  TempDir dir;
  const std::string path = dir.file("existing.h5");
  {
    File file = File::create(path);
    file.set_attr("keep", std::string_view("me"));
  }
  const std::string before = slurp(path);
  REQUIRE_FALSE(before.empty());
  CHECK_THROWS_AS(File::create(path), RunError);
  CHECK(slurp(path) == before);
  CHECK(File::open_read(path).attr_string("keep") == "me");
}

TEST_CASE("errors name the file and the object", "[h5]") {
  TempDir dir;
  const std::string missing = dir.file("no_such_file.h5");
  try {
    File::open_read(missing);
    FAIL("opening a missing file did not throw");
  } catch (const RunError& e) {
    CHECK_THAT(e.what(), Catch::Contains("file " + missing));
  }

  const std::string path = dir.file("errors.h5");
  File file = File::create(path);
  try {
    file.open_dataset("g/nothing");
    FAIL("opening a missing dataset did not throw");
  } catch (const RunError& e) {
    CHECK_THAT(e.what(), Catch::Contains("/g/nothing") && Catch::Contains(path));
  }
  CHECK_THROWS_AS(file.create_dataset<float>("unchunked", {4}, {}, 6), RunError);
  CHECK_THROWS_AS(file.create_dataset<float>("rank", {4, 4}, {2}), RunError);
  file.close();
  file.close();  // closing twice is harmless
}

TEST_CASE("every dataset with numbers carries a Fletcher32 checksum, small ones too", "[h5]") {
  TempDir dir;
  const std::string path = dir.file("checksums.h5");
  const std::vector<double> small{1.0, 2.0, 3.0};
  {
    File file = File::create(path);
    file.create_dataset<std::int32_t>("slabs", {4, 6}, {2, 3});
    file.write<double>("small", small, {3});
    file.write<double>("empty", {}, {0});
    file.close();
  }
  const File file = File::open_read(path);
  CHECK(filters(file.open_dataset("slabs")) == std::vector<H5Z_filter_t>{H5Z_FILTER_FLETCHER32});
  CHECK(filters(file.open_dataset("small")) == std::vector<H5Z_filter_t>{H5Z_FILTER_FLETCHER32});
  CHECK(file.open_dataset("small").read_all<double>() == small);
  CHECK(filters(file.open_dataset("empty")).empty());  // nothing stored, nothing to check
}

TEST_CASE("a damaged chunk or header is reported as Damaged, naming the file and the object",
          "[h5]") {
  using rxstress::h5::Damaged;
  TempDir dir;
  const std::string path = dir.file("damaged.h5");
  std::vector<double> values(100);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = sample(0, i, 0);
  {
    File file = File::create(path);
    file.create_group("g").write<double>("data", values, {10, 10});
    file.write<double>("other", values, {100});
    file.set_attr("kept", std::int64_t{7});
    file.close();
  }
  SECTION("a flipped byte in the data") {
    const auto chunk = rxstress::testing::chunk_extent(path, "/g/data");
    rxstress::testing::flip_bytes(path, chunk.offset + chunk.size / 2, 1);
    const File file = File::open_read(path);
    try {
      file.open_dataset("g/data").read_all<double>();
      FAIL("a damaged chunk was read without an error");
    } catch (const Damaged& e) {
      CHECK(e.where().file == path);
      CHECK(e.key_path() == "/g/data");
      CHECK_THAT(e.what(), Catch::Contains("damaged: data error detected by Fletcher32 checksum"));
    }
    CHECK(
        bitwise_equal(file.open_dataset("other").read_all<double>(), values));  // the rest is fine
    CHECK(file.attr_int("kept") == 7);
  }
  SECTION("a flipped byte in a dataset's header") {
    rxstress::testing::flip_bytes(path, rxstress::testing::header_address(path, "/other") + 20, 1);
    const File file = File::open_read(path);
    try {
      file.open_dataset("other");
      FAIL("a damaged header was read without an error");
    } catch (const Damaged& e) {
      CHECK(e.key_path() == "/other");
      CHECK_THAT(e.what(), Catch::Contains("checksum"));
    }
    CHECK(bitwise_equal(file.open_group("g").open_dataset("data").read_all<double>(), values));
  }
}

namespace {

// The checksum HDF5 stores after a raw chunk's elements, little-endian.
std::uint32_t stored_sum(const std::vector<unsigned char>& raw) {
  std::uint32_t stored = 0;
  for (int b = 3; b >= 0; --b) stored = stored << 8 | raw[raw.size() - 4 + b];
  return stored;
}

}  // namespace

TEST_CASE("read_chunks reads what read_slab reads, checking each chunk's stored checksum", "[h5]") {
  TempDir dir;
  const std::string path = dir.file("chunks.h5");
  const hsize_t Y = 2, K = 100, H = 40;  // chunks of 32 x 16: partial ones at both far edges
  std::vector<double> values(Y * K * H);
  for (hsize_t y = 0; y < Y; ++y)
    for (hsize_t k = 0; k < K; ++k)
      for (hsize_t h = 0; h < H; ++h) values[(y * K + k) * H + h] = sample(y, k, h);
  {
    File file = File::create(path);
    file.create_dataset<double>("outcome", {Y, K, H}, {1, 32, 16})
        .write_slab<double>(std::array<hsize_t, 3>{0, 0, 0}, std::array<hsize_t, 3>{Y, K, H},
                            values.data());
    file.create_dataset<double>("deflated", {Y, K, H}, {1, 32, 16}, 4)
        .write_slab<double>(std::array<hsize_t, 3>{0, 0, 0}, std::array<hsize_t, 3>{Y, K, H},
                            values.data());
    file.close();
  }
  const File file = File::open_read(path);
  SECTION("the checksums HDF5 stored are those fletcher32 computes") {
    const auto dset = file.open_dataset("outcome");
    std::vector<unsigned char> raw(32 * 16 * sizeof(double) + 4);
    for (hsize_t k0 : {0, 32, 96})
      for (hsize_t h0 : {0, 16, 32}) {
        const std::array<hsize_t, 3> origin{1, k0, h0};
        std::uint32_t skipped = 1;
        REQUIRE(H5Dread_chunk(dset.id(), H5P_DEFAULT, origin.data(), &skipped, raw.data()) >= 0);
        CHECK(skipped == 0);
        CHECK(rxstress::h5::fletcher32(raw.data(), raw.size() - 4) == stored_sum(raw));
      }
  }
  SECTION("slabs of whole chunks, parts of chunks and edge chunks; a filter it does not take") {
    for (const char* name : {"outcome", "deflated"}) {
      const auto dset = file.open_dataset(name);
      for (auto [y, k0, kn, h0, hn] : std::vector<std::array<hsize_t, 5>>{{0, 0, K, 0, H},
                                                                          {1, 0, K, 16, 16},
                                                                          {1, 0, K, 5, 20},
                                                                          {0, 30, 70, 32, 8},
                                                                          {1, 99, 1, 39, 1}}) {
        const std::array<hsize_t, 3> off{y, k0, h0}, cnt{1, kn, hn};
        std::vector<double> want(kn * hn), got(kn * hn, -1.0);
        dset.read_slab<double>(off, cnt, want.data());
        dset.read_chunks<double>(off, cnt, got.data());
        INFO(name << ": year " << y << ", rows " << k0 << "+" << kn << ", holders " << h0 << "+"
                  << hn);
        CHECK(bitwise_equal(got, want));
      }
    }
  }
}

TEST_CASE("read_chunks reports a damaged chunk as Damaged, as read_slab does", "[h5]") {
  using rxstress::h5::Damaged;
  TempDir dir;
  const std::string path = dir.file("damaged-chunks.h5");
  std::vector<double> values(64 * 16);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = sample(0, i, 1);
  {
    File file = File::create(path);
    file.create_dataset<double>("outcome", {1, 64, 16}, {1, 32, 16})
        .write_slab<double>(std::array<hsize_t, 3>{0, 0, 0}, std::array<hsize_t, 3>{1, 64, 16},
                            values.data());
    file.close();
  }
  const auto chunk = rxstress::testing::chunk_extent(path, "/outcome", 1);
  rxstress::testing::flip_bytes(path, chunk.offset + chunk.size / 3, 1);
  const File file = File::open_read(path);
  std::vector<double> got(values.size());
  try {
    file.open_dataset("outcome").read_chunks<double>(std::array<hsize_t, 3>{0, 0, 0},
                                                     std::array<hsize_t, 3>{1, 64, 16}, got.data());
    FAIL("a damaged chunk was read without an error");
  } catch (const Damaged& e) {
    CHECK(e.key_path() == "/outcome");
    CHECK_THAT(e.what(), Catch::Contains("Fletcher32"));
  }
}

TEST_CASE("write_chunks stores what write_slab stores, with checksums HDF5 accepts", "[h5]") {
  TempDir dir;
  const std::string path = dir.file("write-chunks.h5");
  const hsize_t Y = 2, K = 100, H = 40;  // chunks of 1 x 32 x 16: partial ones at both far edges
  std::vector<double> values(Y * K * H);
  for (hsize_t y = 0; y < Y; ++y)
    for (hsize_t k = 0; k < K; ++k)
      for (hsize_t h = 0; h < H; ++h) values[(y * K + k) * H + h] = sample(y, k, h);
  // Rows [k0, k0 + n) of every year and holder, as the writer's blocks are laid out: [Y, n, H].
  auto rows = [&](hsize_t k0, hsize_t n) {
    std::vector<double> out(Y * n * H);
    for (hsize_t y = 0; y < Y; ++y)
      std::copy_n(values.begin() + (y * K + k0) * H, n * H, out.begin() + y * n * H);
    return out;
  };
  {
    File file = File::create(path);
    auto by_slab = file.create_dataset<double>("by_slab", {Y, K, H}, {1, 32, 16});
    auto by_chunk = file.create_dataset<double>("by_chunk", {Y, K, H}, {1, 32, 16});
    auto deflated = file.create_dataset<double>("deflated", {Y, K, H}, {1, 32, 16}, 4);
    auto unaligned = file.create_dataset<double>("unaligned", {Y, K, H}, {1, 32, 16});
    // Blocks of 32 rows, the last of 4 reaching the edge: whole chunks, written directly. The
    // first chunk row is also written (stale values) through HDF5's cache just before, so the
    // direct write must replace the cached copy, not be overwritten by it when it is flushed.
    std::vector<double> stale(Y * 32 * H, -7.0);
    by_chunk.write_slab<double>(std::array<hsize_t, 3>{0, 0, 0}, std::array<hsize_t, 3>{Y, 32, H},
                                stale.data());
    for (hsize_t k0 = 0; k0 < K; k0 += 32) {
      const hsize_t n = std::min<hsize_t>(32, K - k0);
      const std::array<hsize_t, 3> off{0, k0, 0}, cnt{Y, n, H};
      const std::vector<double> block = rows(k0, n);
      by_slab.write_slab<double>(off, cnt, block.data());
      by_chunk.write_chunks<double>(off, cnt, block.data());
      deflated.write_chunks<double>(off, cnt, block.data());  // another filter: write_slab
    }
    // Rows not on chunk boundaries: write_slab's way.
    for (hsize_t k0 : {0, 50})
      unaligned.write_chunks<double>(std::array<hsize_t, 3>{0, k0, 0},
                                     std::array<hsize_t, 3>{Y, 50, H}, rows(k0, 50).data());
    file.close();
  }
  const File file = File::open_read(path);
  const auto want = file.open_dataset("by_slab").read_all<double>();
  REQUIRE(bitwise_equal(want, values));
  for (const char* name : {"by_chunk", "deflated", "unaligned"}) {
    INFO(name);
    CHECK(bitwise_equal(file.open_dataset(name).read_all<double>(), want));  // HDF5 checks sums
  }
  const auto dset = file.open_dataset("by_chunk");
  std::vector<unsigned char> raw(32 * 16 * sizeof(double) + 4);
  for (hsize_t k0 : {0, 96})
    for (hsize_t h0 : {0, 32}) {
      const std::array<hsize_t, 3> origin{1, k0, h0};
      std::uint32_t skipped = 1;
      REQUIRE(H5Dread_chunk(dset.id(), H5P_DEFAULT, origin.data(), &skipped, raw.data()) >= 0);
      CHECK(skipped == 0);
      CHECK(rxstress::h5::fletcher32(raw.data(), raw.size() - 4) == stored_sum(raw));
      // The edge chunk (rows 96-127, holders 32-47) holds zeros past the dataset's edge.
      const auto* x = reinterpret_cast<const double*>(raw.data());
      if (k0 == 96 && h0 == 32) CHECK((x[3 * 16 + 8] == 0.0 && x[31 * 16 + 15] == 0.0));
      if (k0 == 96 && h0 == 32) CHECK(x[3 * 16 + 7] == values[(1 * K + 99) * H + 39]);
    }
}
