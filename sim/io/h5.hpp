// A thin RAII layer over the HDF5 C API for the results writer. Only the C API is used so the
// same code builds against serial and parallel HDF5. Every failure throws rxstress::RunError
// naming the file and object involved, or Damaged when what was read fails its checksum.
#pragma once

// Only the id and size typedefs are needed here; hdf5.h itself stays in h5.cpp.
#include <H5Ipublic.h>

#include "rxstress/error.hpp"

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rxstress::h5 {

// Part of a file that fails its checksum: it changed after it was written (a failing disk, a bad
// copy or transfer). Bad input to the reader, so an InputError (exit 2):
// "FILE: OBJECT: damaged: data error detected by Fletcher32 checksum; expected an intact file ...".
class Damaged : public InputError {
 public:
  Damaged(const std::string& file, const std::string& object, const std::string& mismatch)
      : InputError({file, 0, 0}, object, "damaged: " + mismatch,
                   "an intact file (a copy from before the damage, or write it again)") {}
};

// The element types that datasets support; the templates below are instantiated in h5.cpp
// for exactly these, so the constraint turns a missing instantiation into a compile error.
template <class T>
concept Element =
    std::same_as<T, double> || std::same_as<T, float> || std::same_as<T, std::int64_t> ||
    std::same_as<T, std::int32_t> || std::same_as<T, std::int8_t> || std::same_as<T, std::uint8_t>;

// bool is deliberately excluded so that a stray bool cannot become an integer attribute.
template <class T>
concept NonBoolInteger = std::integral<T> && !std::same_as<T, bool>;

// Move-only owner of an hid_t together with the H5?close function matching its kind.
class Id {
 public:
  using Closer = herr_t (*)(hid_t);

  Id() = default;
  Id(hid_t id, Closer closer) noexcept : id_(id), closer_(closer) {}
  Id(Id&& other) noexcept;
  Id& operator=(Id&& other) noexcept;
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  ~Id();  // Closes quietly: destructors run during unwinding and must not throw.

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  // Closes now and returns HDF5's status so callers that care can report a failure.
  herr_t close() noexcept;

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

// Attribute access shared by groups (including a file's root) and datasets.
class Object {
 public:
  hid_t id() const { return id_.get(); }

  // Setting an existing attribute replaces it. Strings are variable-length UTF-8.
  void set_attr(const std::string& name, std::string_view value);
  void set_attr(const std::string& name, std::int64_t value);
  // Any other integer goes through int64; without this, set_attr("n", 3) would be ambiguous.
  template <NonBoolInteger I>
  void set_attr(const std::string& name, I value) {
    set_attr(name, static_cast<std::int64_t>(value));
  }
  void set_attr(const std::string& name, double value);
  void set_attr(const std::string& name, std::span<const double> values);
  void set_attr(const std::string& name, std::span<const std::string> values);

  std::string attr_string(const std::string& name) const;
  std::int64_t attr_int(const std::string& name) const;
  double attr_double(const std::string& name) const;
  std::vector<double> attr_doubles(const std::string& name) const;
  std::vector<std::string> attr_strings(const std::string& name) const;
  bool has_attr(const std::string& name) const;

  // Closes now and throws if that fails (the destructor closes quietly). A dataset's close writes
  // what HDF5 still buffers for it: close datasets that were written before closing their file.
  // Closing twice is harmless.
  void close();

 protected:
  Object() = default;
  explicit Object(Id id) : id_(std::move(id)) {}

  Id id_;
};

class Dataset : public Object {
 public:
  std::vector<hsize_t> dims() const;

  // Hyperslab transfer: `data` is a row-major buffer of product(count) elements.
  template <Element T>
  void write_slab(std::span<const hsize_t> offset, std::span<const hsize_t> count, const T* data);
  template <Element T>
  void read_slab(std::span<const hsize_t> offset, std::span<const hsize_t> count, T* data) const;
  template <Element T>
  std::vector<T> read_all() const;
  // As read_slab, but chunk by chunk through H5Dread_chunk, each chunk's Fletcher32 checked here
  // (io/fletcher32.hpp: HDF5's own loop takes a 16-bit word at a time) and copied out. Where that
  // does not apply (other filters or none, a type conversion, a driver other than sec2 such as
  // MPI-IO, a chunk not stored whole) or a checksum does not hold, read_slab reads the slab
  // instead, so a damaged chunk throws Damaged as there. A failed read throws as read_slab's.
  template <Element T>
  void read_chunks(std::span<const hsize_t> offset, std::span<const hsize_t> count, T* data) const;
  // As write_slab, but a chunk at a time through H5Dwrite_chunk, its Fletcher32 computed here:
  // HDF5's own path copies each chunk into its cache and checksums it 16 bits at a time. Only for
  // a slab of whole chunks (the edge chunks whole up to the dataset's edge, zeros past it) of a
  // dataset that read_chunks reads directly, outside collective writes; otherwise write_slab.
  template <Element T>
  void write_chunks(std::span<const hsize_t> offset, std::span<const hsize_t> count, const T* data);

  std::vector<std::string> read_strings() const;
  std::string read_string() const;

  // "float64", "int32", "uint8", "string" (variable-length), "other".
  std::string type_name() const;
  // Whether its chunks carry Fletcher32 checksums.
  bool checksummed() const;
  // The chunk's extent along each dimension; empty for contiguous storage.
  std::vector<hsize_t> chunk() const;
  // Reads every element, a slab of whole chunks (about `max_bytes`) at a time, so that every
  // chunk's checksum is checked; returns the bytes read. Throws Damaged at a mismatch.
  std::uint64_t read_through(std::size_t max_bytes) const;

 private:
  friend class Group;
  explicit Dataset(Id id) : Object(std::move(id)) {}
};

class Group : public Object {
 public:
  // Names may be paths ("a/b/c"); missing intermediate groups are created.
  Group create_group(const std::string& name);
  Group open_group(const std::string& name) const;
  // False (never an error) when any component of the path is missing or not a group.
  bool exists(const std::string& path) const;
  // The absolute paths of the datasets at or below this group, each once (a dataset with two
  // names, a hard link, under the first in name order), sorted.
  std::vector<std::string> dataset_paths() const;

  // An empty `chunk` means contiguous storage; chunks carry Fletcher32 checksums, checked on every
  // read (a mismatch throws Damaged). deflate > 0 adds shuffle + deflate(level) and requires
  // chunking.
  template <Element T>
  Dataset create_dataset(const std::string& name, std::vector<hsize_t> dims,
                         std::vector<hsize_t> chunk = {}, int deflate = 0);
  // Writes a whole small dataset in one go (chunked, so checksummed, unless it is empty).
  template <Element T>
  void write(const std::string& name, std::span<const T> data, std::vector<hsize_t> dims);
  void write_strings(const std::string& name, std::span<const std::string> values);
  void write_string(const std::string& name, std::string_view value);

  // chunk_cache_bytes > 0 sizes this dataset's chunk cache (and a matching slot count) so that
  // repeated strided reads do not re-read and re-inflate chunks. To read holder columns of a
  // [Y, K, H] dataset chunked [1, B, Hc] with each chunk read once, pass at least
  // Y * ceil(K / B) * B * Hc * sizeof(T): every chunk of one column strip must stay cached.
  Dataset open_dataset(const std::string& name, std::size_t chunk_cache_bytes = 0) const;

  // A second name for an existing object, so identical datasets are stored once.
  void hard_link(const std::string& existing_path, const std::string& new_name);
  // Removes the name (a group with everything under it when it was the last name). HDF5 does not
  // reclaim the space: the file keeps its size.
  void remove(const std::string& name);
  // A deep copy of an object (a group with everything in it) of another file, as `new_name` here
  // (missing intermediate groups are created).
  void copy_from(const Group& source, const std::string& source_path, const std::string& new_name);

 protected:
  Group() = default;
  explicit Group(Id id) : Object(std::move(id)) {}
};

// Where a new file lives: on disk, or only in this process's memory (HDF5's core driver, nothing
// written anywhere; `path` then only names it in messages and must not exist).
enum class Storage { disk, memory };

// A file is used as its root group.
class File : public Group {
 public:
  // Fails if `path` exists: overwrite and temporary naming are the caller's decisions.
  static File create(const std::string& path, Storage storage = Storage::disk);
  static File open_read(const std::string& path);
  // For writing more into an existing file (a checkpoint being resumed), even one whose process
  // was killed while writing it.
  static File open_write(const std::string& path);
  // Every MPI rank opens the same existing file for writing through MPI-IO (the MPI build only;
  // a collective call). Writes go through CollectiveWrites.
  static File open_parallel(const std::string& path);

  void flush();
  // Asks the kernel to start writing the file's dirty pages to disk and returns without waiting
  // (Linux's sync_file_range): the fsync that makes the finished file durable then has little
  // left to write. Files of HDF5's default (sec2) driver on Linux only; a no-op otherwise, and
  // on failure (the fsync still reports any write error).
  void start_writeback() const;
  // Flushes and closes, throwing on failure; the destructor closes quietly instead. Groups and
  // datasets still open keep the file open until they are destroyed.
  // Groups, datasets and attributes of this file still open (each defers the real close).
  std::size_t open_objects() const;
  void close();

 private:
  explicit File(Id id) : Group(std::move(id)) {}
};

// While one exists, Dataset::write_slab is a collective MPI-IO write (every rank calls it, in the
// same order; a rank with nothing to write passes a count of zero), as parallel HDF5 requires for
// chunked, filtered datasets. The MPI build only.
class CollectiveWrites {
 public:
  CollectiveWrites();
  ~CollectiveWrites();
  CollectiveWrites(const CollectiveWrites&) = delete;
  CollectiveWrites& operator=(const CollectiveWrites&) = delete;
};

// While one exists, datasets are created without a fill value written at allocation
// (H5D_FILL_TIME_NEVER), and with `allocate_now` their storage is allocated at once. Parallel HDF5
// 1.10 needs a dataset's storage allocated before ranks write it: left to the ranks' parallel open,
// it is allocated collectively, each rank writing its share of the checksummed (Fletcher32) chunks
// once; allocated now, on rank 0 as it lays the file out, one process writes them all. Rank 0 lays
// an MPI run's file out under one, allocating now when every rank is on one node (one I/O path
// either way) and leaving it to the ranks across nodes. Measured on the England benchmark, 10,000
// paths, 2 ranks on one disk: opening took 2.5-3.0 s with fill values, 1.4-3.0 s without, 0.3-2.6 s
// allocated now (the spread: how busy the disk still was with earlier writes).
class NoFillValues {
 public:
  explicit NoFillValues(bool allocate_now);
  ~NoFillValues();
  NoFillValues(const NoFillValues&) = delete;
  NoFillValues& operator=(const NoFillValues&) = delete;
};

}  // namespace rxstress::h5
