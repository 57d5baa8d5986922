#include "io/h5.hpp"

#include <fcntl.h>
#include <hdf5.h>

#include <algorithm>
#include <functional>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "io/fletcher32.hpp"
#include "rxstress/error.hpp"

namespace rxstress::h5 {
namespace {

// Memory and on-disk types per element type. File types are fixed little-endian so files are
// identical whichever machine wrote them.
template <class T>
struct TypeMap;
template <>
struct TypeMap<double> {
  static hid_t mem() { return H5T_NATIVE_DOUBLE; }
  static hid_t file() { return H5T_IEEE_F64LE; }
};
template <>
struct TypeMap<float> {
  static hid_t mem() { return H5T_NATIVE_FLOAT; }
  static hid_t file() { return H5T_IEEE_F32LE; }
};
template <>
struct TypeMap<std::int64_t> {
  static hid_t mem() { return H5T_NATIVE_INT64; }
  static hid_t file() { return H5T_STD_I64LE; }
};
template <>
struct TypeMap<std::int32_t> {
  static hid_t mem() { return H5T_NATIVE_INT32; }
  static hid_t file() { return H5T_STD_I32LE; }
};
template <>
struct TypeMap<std::int8_t> {
  static hid_t mem() { return H5T_NATIVE_INT8; }
  static hid_t file() { return H5T_STD_I8LE; }
};
template <>
struct TypeMap<std::uint8_t> {
  static hid_t mem() { return H5T_NATIVE_UINT8; }
  static hid_t file() { return H5T_STD_U8LE; }
};

// ---- Error reporting ----------------------------------------------------------------------

// The innermost entry of HDF5's error stack is usually the specific cause (e.g. errno text).
herr_t keep_innermost(unsigned n, const H5E_error2_t* err, void* out) {
  if (n == 0 && err->desc != nullptr) *static_cast<std::string*>(out) = err->desc;
  return 0;
}

// HDF5's descriptions can span lines: the POSIX driver's "file write failed: time = <ctime>,
// filename = ..., errno = 27, error message = 'File too large', buf = 0x..., ..." carries
// ctime's newline. A message is one line: keep "file write failed: File too large" of such a
// description, and turn any other line break into a space.
std::string one_line_detail(std::string desc) {
  static constexpr std::string_view kSystem = "error message = '";
  if (const auto at = desc.find(kSystem), colon = desc.find(':');
      at != std::string::npos && colon != std::string::npos && colon < at) {
    const auto begin = at + kSystem.size();
    const auto end = desc.find('\'', begin);
    if (end != std::string::npos && end > begin)
      desc = desc.substr(0, colon) + ": " + desc.substr(begin, end - begin);
  }
  std::string out;
  for (char c : desc) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string hdf5_detail() {
  std::string detail;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, keep_innermost, &detail);
  return one_line_detail(detail);
}

// `what` is only evaluated on failure, after the error stack has been read: building the
// message calls HDF5 (for names), and every API call clears the stack.
template <class Describe>
[[noreturn]] void fail(Describe&& what) {
  std::string detail = hdf5_detail();
  std::string message = "HDF5: " + std::invoke(what);
  if (!detail.empty()) message += " (" + detail + ")";
  throw RunError(message);
}

template <class R, class Describe>
R check(R status, Describe&& what) {
  if (status < 0) fail(what);
  return status;
}

template <class Describe>
Id make_id(hid_t id, Id::Closer closer, Describe&& what) {
  return Id(check(id, what), closer);
}

// Reads one of HDF5's name getters (H5Iget_name, H5Fget_name) into a string.
template <class Getter>
std::string read_name(hid_t id, Getter getter) {
  ssize_t n = getter(id, nullptr, 0);
  if (n <= 0) return "?";
  std::string name(static_cast<std::size_t>(n), '\0');
  getter(id, name.data(), name.size() + 1);
  return name;
}

// The path of `child` under `loc` (of `loc` itself when child is empty).
std::string object_path(hid_t loc, std::string_view child = {}) {
  std::string path = read_name(loc, H5Iget_name);
  if (child.starts_with('/')) {
    path = child;
  } else if (!child.empty()) {
    if (!path.ends_with('/')) path += '/';
    path += child;
  }
  return path;
}

// "<path of child under loc> in <file>", for messages.
std::string describe(hid_t loc, std::string_view child = {}) {
  return object_path(loc, child) + " in " + read_name(loc, H5Fget_name);
}

herr_t find_checksum_entry(unsigned, const H5E_error2_t* err, void* out) {
  auto* found = static_cast<std::string*>(out);
  if (found->empty() && err->desc != nullptr &&
      std::string_view(err->desc).find("checksum") != std::string_view::npos)
    *found = err->desc;
  return 0;
}

// HDF5's words for the checksum mismatch behind the failure just reported ("data error detected
// by Fletcher32 checksum", "incorrect metadata checksum ..."), or empty for any other failure.
std::string checksum_mismatch() {
  std::string found;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, find_checksum_entry, &found);
  return found;
}

// check() for reads: a checksum mismatch is damage to the file, thrown as Damaged naming the file
// and the object at `loc` / `child`.
template <class R, class Describe>
R check_read(R status, hid_t loc, std::string_view child, Describe&& what) {
  if (status >= 0) return status;
  if (const std::string mismatch = checksum_mismatch(); !mismatch.empty())
    throw Damaged(read_name(loc, H5Fget_name), object_path(loc, child), mismatch);
  fail(what);
}

// Called before the HDF5 calls of every public function, on whichever thread runs it (the
// pipeline's serial stage moves between threads).
// - Once per process, before the library starts: no HDF5 shutdown at exit. After a close that
//   fails (a full disk), HDF5 1.10 keeps the file's identifier pointing to memory it has freed,
//   and its shutdown then crashes (exit 139 after the error message). Every file is closed
//   explicitly, so the shutdown has nothing else to do.
// - Once per thread: no error printing (thread-safe HDF5 keeps that setting per thread), so a
//   failure is the one line of the RunError, never HDF5's 40-line stack dump.
void enter_hdf5() {
  static const bool no_shutdown = [] { return H5dont_atexit() >= 0; }();
  (void)no_shutdown;
  thread_local bool silenced = false;
  if (!silenced) H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  silenced = true;
}

// ---- Small building blocks ----------------------------------------------------------------

Id simple_space(std::span<const hsize_t> dims) {
  return make_id(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose,
                 [] { return std::string("cannot create a dataspace"); });
}

Id scalar_space() {
  return make_id(H5Screate(H5S_SCALAR), H5Sclose,
                 [] { return std::string("cannot create a scalar dataspace"); });
}

Id vlen_string_type(H5T_cset_t cset = H5T_CSET_UTF8) {
  auto what = [] { return std::string("cannot create a string type"); };
  Id type = make_id(H5Tcopy(H5T_C_S1), H5Tclose, what);
  check(H5Tset_size(type.get(), H5T_VARIABLE), what);
  check(H5Tset_cset(type.get(), cset), what);
  return type;
}

// Link creation that makes missing parent groups, so callers can pass nested paths.
Id intermediate_lcpl() {
  auto what = [] { return std::string("cannot create a link property list"); };
  Id lcpl = make_id(H5Pcreate(H5P_LINK_CREATE), H5Pclose, what);
  check(H5Pset_create_intermediate_group(lcpl.get(), 1), what);
  return lcpl;
}

std::size_t element_count(std::span<const hsize_t> dims) {
  return std::accumulate(dims.begin(), dims.end(), std::size_t{1},
                         [](std::size_t a, hsize_t b) { return a * static_cast<std::size_t>(b); });
}

std::vector<const char*> c_strings(std::span<const std::string> values) {
  // HDF5 stores C strings: an embedded NUL would end the stored value early.
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const std::string& v : values) pointers.push_back(v.c_str());
  return pointers;
}

// ---- Whole-object I/O shared by attributes and datasets -----------------------------------

bool is_attribute(hid_t obj) { return H5Iget_type(obj) == H5I_ATTR; }

Id space_of(hid_t obj) {
  return make_id(is_attribute(obj) ? H5Aget_space(obj) : H5Dget_space(obj), H5Sclose,
                 [] { return std::string("cannot get a dataspace"); });
}

Id type_of(hid_t obj) {
  return make_id(is_attribute(obj) ? H5Aget_type(obj) : H5Dget_type(obj), H5Tclose,
                 [] { return std::string("cannot get a datatype"); });
}

herr_t read_whole(hid_t obj, hid_t mem_type, void* buf) {
  return is_attribute(obj) ? H5Aread(obj, mem_type, buf)
                           : H5Dread(obj, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
}

std::size_t point_count(hid_t obj) {
  Id space = space_of(obj);
  return static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get()));
}

void reclaim_vlen(hid_t mem_type, hid_t space, void* buf) {
  // 1.10 headers declare H5Treclaim but its library does not export it; 1.12 deprecates the
  // older name.
#if H5_VERSION_GE(1, 12, 0)
  H5Treclaim(mem_type, space, H5P_DEFAULT, buf);
#else
  H5Dvlen_reclaim(mem_type, space, H5P_DEFAULT, buf);
#endif
}

// `obj` is an attribute or dataset; `what` names it for messages.
template <class Describe>
std::vector<std::string> read_strings_of(hid_t obj, Describe&& what) {
  Id file_type = type_of(obj);
  if (H5Tget_class(file_type.get()) != H5T_STRING || H5Tis_variable_str(file_type.get()) <= 0) {
    throw RunError("HDF5: " + what() + " is not a variable-length string");
  }
  // Reading in the stored character set avoids any ASCII <-> UTF-8 conversion question.
  Id mem_type = vlen_string_type(H5Tget_cset(file_type.get()));
  Id space = space_of(obj);
  std::vector<char*> pointers(point_count(obj), nullptr);
  if (pointers.empty()) return {};
  check_read(read_whole(obj, mem_type.get(), pointers.data()), obj, {},
             [&] { return "cannot read " + what(); });
  std::vector<std::string> values;
  values.reserve(pointers.size());
  // Elements never written (fill values) come back as null pointers.
  for (const char* p : pointers) values.emplace_back(p != nullptr ? p : "");
  reclaim_vlen(mem_type.get(), space.get(), pointers.data());
  return values;
}

template <class T, class Describe>
std::vector<T> read_numbers_of(hid_t obj, Describe&& what) {
  std::vector<T> values(point_count(obj));
  if (values.empty()) return values;
  check_read(read_whole(obj, TypeMap<T>::mem(), values.data()), obj, {},
             [&] { return "cannot read " + what(); });
  return values;
}

// ---- Attributes ---------------------------------------------------------------------------

std::string describe_attr(hid_t obj, const std::string& name) {
  return "attribute '" + name + "' of " + describe(obj);
}

void write_attr(hid_t obj, const std::string& name, hid_t type, hid_t mem_type, hid_t space,
                const void* data) {
  auto what = [&] { return "cannot write " + describe_attr(obj, name); };
  if (H5Aexists(obj, name.c_str()) > 0) check(H5Adelete(obj, name.c_str()), what);
  Id attr =
      make_id(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, what);
  // An empty array has nothing to write, and its data pointer may be null.
  if (H5Sget_simple_extent_npoints(space) > 0) check(H5Awrite(attr.get(), mem_type, data), what);
}

Id open_attr(hid_t obj, const std::string& name) {
  return Id(check_read(H5Aopen(obj, name.c_str(), H5P_DEFAULT), obj, {},
                       [&] { return "cannot open " + describe_attr(obj, name); }),
            H5Aclose);
}

template <class T>
T read_scalar_attr(hid_t obj, const std::string& name) {
  Id attr = open_attr(obj, name);
  auto what = [&] { return describe_attr(obj, name); };
  std::vector<T> values = read_numbers_of<T>(attr.get(), what);
  if (values.size() != 1) throw RunError("HDF5: " + what() + " is not a single value");
  return values.front();
}

// ---- Datasets -----------------------------------------------------------------------------

bool g_no_fill = false, g_allocate_early = false;  // NoFillValues

template <class Describe>
Id dataset_create_plist(std::span<const hsize_t> dims, std::span<const hsize_t> chunk, int deflate,
                        Describe&& what) {
  Id dcpl = make_id(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, what);
  if (!chunk.empty()) {
    if (chunk.size() != dims.size()) {
      throw RunError("HDF5: " + what() + ": chunk rank differs from dataset rank");
    }
    check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), what);
  }
  if (deflate > 0) {
    if (chunk.empty()) throw RunError("HDF5: " + what() + ": compression requires chunking");
    // Shuffle groups bytes of equal significance, which deflate compresses far better.
    check(H5Pset_shuffle(dcpl.get()), what);
    check(H5Pset_deflate(dcpl.get(), static_cast<unsigned>(deflate)), what);
  }
  // Last, so that the checksum covers the bytes as stored: every chunk read is checked.
  if (!chunk.empty()) check(H5Pset_fletcher32(dcpl.get()), what);
  if (g_no_fill) check(H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_NEVER), what);
  if (g_allocate_early) check(H5Pset_alloc_time(dcpl.get(), H5D_ALLOC_TIME_EARLY), what);
  return dcpl;
}

Id create_dataset_id(hid_t loc, const std::string& name, hid_t type, hid_t space,
                     hid_t dcpl = H5P_DEFAULT) {
  Id lcpl = intermediate_lcpl();
  return make_id(H5Dcreate2(loc, name.c_str(), type, space, lcpl.get(), dcpl, H5P_DEFAULT),
                 H5Dclose, [&] { return "cannot create dataset " + describe(loc, name); });
}

// A numeric dataset written whole is chunked too, so that it carries checksums: one chunk, or for
// a large one chunks halved along the leading dimensions to at most 16 MiB. None when empty
// (nothing stored, and chunk dimensions must be positive).
std::vector<hsize_t> whole_chunk(std::vector<hsize_t> dims, std::size_t element_bytes) {
  constexpr std::size_t kMaxChunkBytes = std::size_t{16} << 20;
  if (element_count(dims) == 0) return {};
  for (hsize_t& d : dims)
    while (d > 1 && element_count(dims) * element_bytes > kMaxChunkBytes) d = (d + 1) / 2;
  return dims;
}

void write_whole_dataset(hid_t loc, const std::string& name, hid_t type, hid_t mem_type,
                         hid_t space, const void* data, hid_t dcpl = H5P_DEFAULT) {
  Id dset = create_dataset_id(loc, name, type, space, dcpl);
  auto what = [&] { return "cannot write dataset " + describe(loc, name); };
  if (H5Sget_simple_extent_npoints(space) > 0)
    check(H5Dwrite(dset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), what);
  // Closed here, checked: HDF5 keeps a small write in the dataset's buffer until the close, and a
  // destructor could not report that write failing.
  check(dset.close(), what);
}

Id create_plist_of(hid_t dset) {
  return make_id(H5Dget_create_plist(dset), H5Pclose,
                 [&] { return "cannot inspect dataset " + describe(dset); });
}

// The chunk shape, empty for an unchunked dataset.
std::vector<hsize_t> chunk_dims(hid_t dset) {
  Id dcpl = create_plist_of(dset);
  if (H5Pget_layout(dcpl.get()) != H5D_CHUNKED) return {};
  std::vector<hsize_t> chunk(H5S_MAX_RANK);
  int rank = check(H5Pget_chunk(dcpl.get(), H5S_MAX_RANK, chunk.data()),
                   [&] { return "cannot inspect dataset " + describe(dset); });
  chunk.resize(static_cast<std::size_t>(rank));
  return chunk;
}

// Bytes in one chunk, or 0 for an unchunked dataset.
std::size_t chunk_bytes(hid_t dset) {
  const std::vector<hsize_t> chunk = chunk_dims(dset);
  return chunk.empty() ? 0 : element_count(chunk) * H5Tget_size(type_of(dset).get());
}

// The slabs read_through reads: whole along every dimension after the second, whole chunks along
// the first, and along the second (the first of a 1-d dataset) as many chunks as fit in
// `max_bytes` (at least one).
std::vector<hsize_t> through_slab(const std::vector<hsize_t>& dims, std::vector<hsize_t> chunk,
                                  std::size_t element_bytes, std::size_t max_bytes) {
  if (chunk.empty()) chunk.assign(dims.size(), 1);  // unchunked: any slab reads it once
  std::vector<hsize_t> slab = dims;
  const std::size_t grow = dims.size() > 1 ? 1 : 0;
  for (std::size_t d = 0; d <= grow; ++d) slab[d] = std::min(dims[d], chunk[d]);
  const std::size_t unit = element_count(slab) * element_bytes;
  const hsize_t chunks = std::max<std::size_t>(1, max_bytes / std::max<std::size_t>(unit, 1));
  slab[grow] = std::min(dims[grow], slab[grow] * chunks);
  return slab;
}

herr_t collect_dataset(hid_t, const char* name, const H5O_info_t* info, void* out) {
  if (info->type == H5O_TYPE_DATASET)
    static_cast<std::vector<std::string>*>(out)->push_back(std::string("/") + name);
  return 0;
}

std::size_t next_prime(std::size_t n) {
  auto is_prime = [](std::size_t k) {
    if (k < 2) return false;
    for (std::size_t d = 2; d * d <= k; ++d) {
      if (k % d == 0) return false;
    }
    return true;
  };
  while (!is_prime(n)) ++n;
  return n;
}

Id cache_access_plist(std::size_t bytes, std::size_t bytes_per_chunk) {
  // HDF5 hashes chunks into slots by linear index: a prime count comfortably above the number
  // of chunks that fit keeps strided chunk indices from colliding and evicting each other.
  std::size_t fit = std::max<std::size_t>(1, bytes / bytes_per_chunk);
  std::size_t slots = next_prime(std::max<std::size_t>(521, 10 * fit));
  auto what = [] { return std::string("cannot set a chunk cache"); };
  Id dapl = make_id(H5Pcreate(H5P_DATASET_ACCESS), H5Pclose, what);
  check(H5Pset_chunk_cache(dapl.get(), slots, bytes, H5D_CHUNK_CACHE_W0_DEFAULT), what);
  return dapl;
}

Id open_dataset_id(hid_t loc, const std::string& name, hid_t dapl = H5P_DEFAULT) {
  return Id(check_read(H5Dopen2(loc, name.c_str(), dapl), loc, name,
                       [&] { return "cannot open dataset " + describe(loc, name); }),
            H5Dclose);
}

// Selects the hyperslab in a fresh copy of the file space and builds the matching memory space.
std::pair<Id, Id> slab_spaces(hid_t dset, std::span<const hsize_t> offset,
                              std::span<const hsize_t> count) {
  Id file_space = space_of(dset);
  auto rank = static_cast<std::size_t>(H5Sget_simple_extent_ndims(file_space.get()));
  if (offset.size() != rank || count.size() != rank) {
    throw RunError("HDF5: slab rank differs from the rank of dataset " + describe(dset));
  }
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, offset.data(), nullptr, count.data(),
                            nullptr),
        [&] { return "cannot select a slab of dataset " + describe(dset); });
  return {std::move(file_space), simple_space(count)};
}

// A file space and a memory space that select no element.
std::pair<Id, Id> nothing_selected(hid_t dset) {
  Id file_space = space_of(dset);
  const hsize_t one = 1;
  Id mem_space = simple_space({&one, 1});
  check(H5Sselect_none(file_space.get()), [] { return std::string("cannot select nothing"); });
  check(H5Sselect_none(mem_space.get()), [] { return std::string("cannot select nothing"); });
  return {std::move(file_space), std::move(mem_space)};
}

}  // namespace

// ---- Id -----------------------------------------------------------------------------------

Id::Id(Id&& other) noexcept
    : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(other.closer_) {}

Id& Id::operator=(Id&& other) noexcept {
  if (this != &other) {
    close();
    id_ = std::exchange(other.id_, H5I_INVALID_HID);
    closer_ = other.closer_;
  }
  return *this;
}

Id::~Id() { close(); }

herr_t Id::close() noexcept {
  if (!valid() || closer_ == nullptr) return 0;
  enter_hdf5();
  herr_t status = closer_(id_);
  id_ = H5I_INVALID_HID;
  return status;
}

// ---- Object (attributes) ------------------------------------------------------------------

void Object::set_attr(const std::string& name, std::string_view value) {
  enter_hdf5();
  std::string text(value);  // string_view need not be NUL-terminated
  const char* pointer = text.c_str();
  Id type = vlen_string_type();
  write_attr(id(), name, type.get(), type.get(), scalar_space().get(), &pointer);
}

void Object::set_attr(const std::string& name, std::int64_t value) {
  enter_hdf5();
  write_attr(id(), name, H5T_STD_I64LE, H5T_NATIVE_INT64, scalar_space().get(), &value);
}

void Object::set_attr(const std::string& name, double value) {
  enter_hdf5();
  write_attr(id(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, scalar_space().get(), &value);
}

void Object::set_attr(const std::string& name, std::span<const double> values) {
  enter_hdf5();
  const hsize_t n = values.size();
  write_attr(id(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, simple_space({&n, 1}).get(),
             values.data());
}

void Object::set_attr(const std::string& name, std::span<const std::string> values) {
  enter_hdf5();
  const hsize_t n = values.size();
  std::vector<const char*> pointers = c_strings(values);
  Id type = vlen_string_type();
  write_attr(id(), name, type.get(), type.get(), simple_space({&n, 1}).get(), pointers.data());
}

std::string Object::attr_string(const std::string& name) const {
  enter_hdf5();
  std::vector<std::string> values = attr_strings(name);
  if (values.size() != 1) {
    throw RunError("HDF5: " + describe_attr(id(), name) + " is not a single string");
  }
  return std::move(values.front());
}

std::int64_t Object::attr_int(const std::string& name) const {
  enter_hdf5();
  return read_scalar_attr<std::int64_t>(id(), name);
}

double Object::attr_double(const std::string& name) const {
  enter_hdf5();
  return read_scalar_attr<double>(id(), name);
}

std::vector<double> Object::attr_doubles(const std::string& name) const {
  enter_hdf5();
  Id attr = open_attr(id(), name);
  return read_numbers_of<double>(attr.get(), [&] { return describe_attr(id(), name); });
}

std::vector<std::string> Object::attr_strings(const std::string& name) const {
  enter_hdf5();
  Id attr = open_attr(id(), name);
  return read_strings_of(attr.get(), [&] { return describe_attr(id(), name); });
}

bool Object::has_attr(const std::string& name) const {
  enter_hdf5();
  return check_read(H5Aexists(id(), name.c_str()), id(), {},
                    [&] { return "cannot look up " + describe_attr(id(), name); }) > 0;
}

void Object::close() {
  enter_hdf5();
  if (!id_.valid()) return;
  const std::string what = "cannot close " + describe(id());
  check(id_.close(), [&] { return what; });
}

// ---- Dataset ------------------------------------------------------------------------------

std::vector<hsize_t> Dataset::dims() const {
  enter_hdf5();
  Id space = space_of(id());
  int rank = check(H5Sget_simple_extent_ndims(space.get()),
                   [&] { return "cannot get the shape of dataset " + describe(id()); });
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return dims;
}

namespace {

hid_t g_transfer = H5P_DEFAULT;  // the dataset transfer list of writes (CollectiveWrites)

}  // namespace

template <Element T>
void Dataset::write_slab(std::span<const hsize_t> offset, std::span<const hsize_t> count,
                         const T* data) {
  enter_hdf5();
  // Nothing to write (a rank's share of a collective write can be empty): select nothing.
  const bool empty = std::find(count.begin(), count.end(), hsize_t{0}) != count.end();
  auto [file_space, mem_space] = empty ? nothing_selected(id()) : slab_spaces(id(), offset, count);
  check(H5Dwrite(id(), TypeMap<T>::mem(), mem_space.get(), file_space.get(), g_transfer, data),
        [&] { return "cannot write a slab of dataset " + describe(id()); });
}

NoFillValues::NoFillValues(bool allocate_now) {
  g_no_fill = true;
  g_allocate_early = allocate_now;
}
NoFillValues::~NoFillValues() { g_no_fill = g_allocate_early = false; }

#ifdef RXSTRESS_MPI
CollectiveWrites::CollectiveWrites() {
  enter_hdf5();
  const hid_t dxpl = H5Pcreate(H5P_DATASET_XFER);
  check(dxpl, [] { return std::string("cannot create a transfer property list"); });
  check(H5Pset_dxpl_mpio(dxpl, H5FD_MPIO_COLLECTIVE),
        [] { return std::string("cannot set collective MPI-IO"); });
  g_transfer = dxpl;
}

CollectiveWrites::~CollectiveWrites() {
  H5Pclose(g_transfer);
  g_transfer = H5P_DEFAULT;
}

#else
CollectiveWrites::CollectiveWrites() {
  throw std::logic_error("collective writes need the MPI build (-DRXSTRESS_MPI=ON)");
}
CollectiveWrites::~CollectiveWrites() = default;
#endif

template <Element T>
void Dataset::read_slab(std::span<const hsize_t> offset, std::span<const hsize_t> count,
                        T* data) const {
  enter_hdf5();
  auto [file_space, mem_space] = slab_spaces(id(), offset, count);
  check_read(H5Dread(id(), TypeMap<T>::mem(), mem_space.get(), file_space.get(), H5P_DEFAULT, data),
             id(), {}, [&] { return "cannot read a slab of dataset " + describe(id()); });
}

namespace {

// Whether `file` is written by HDF5's default (sec2) driver: a plain file descriptor under it.
bool sec2_file(hid_t file) {
  const Id fapl(H5Fget_access_plist(file), H5Pclose);
  return fapl.valid() && H5Pget_driver(fapl.get()) == H5FD_SEC2;
}

// Whether read_chunks and write_chunks can take the raw chunks of `dset` as they are: chunked,
// with Fletcher32 as its only filter, stored as `mem_type`, in a file of the default (sec2) driver.
bool raw_chunks_usable(hid_t dset, hid_t mem_type) {
  Id dcpl = create_plist_of(dset);
  if (H5Pget_layout(dcpl.get()) != H5D_CHUNKED || H5Pget_nfilters(dcpl.get()) != 1) return false;
  unsigned flags = 0, config = 0;
  std::size_t n = 0;
  if (H5Pget_filter2(dcpl.get(), 0, &flags, &n, nullptr, 0, nullptr, &config) !=
      H5Z_FILTER_FLETCHER32)
    return false;
  if (H5Tequal(type_of(dset).get(), mem_type) <= 0) return false;
  Id file(H5Iget_file_id(dset), H5Fclose);
  return file.valid() && sec2_file(file.get());
}

// Calls run(in_chunk, in_slab, elements) for each run along the last dimension of the part of
// the chunk at `origin` (extent `chunk`) that lies in the slab [offset, offset + count): the
// run's first element in the chunk's and in the slab's row-major order.
template <class Run>
void for_each_run(std::span<const hsize_t> origin, std::span<const hsize_t> chunk,
                  std::span<const hsize_t> offset, std::span<const hsize_t> count, Run&& run) {
  const std::size_t rank = chunk.size();
  std::vector<hsize_t> lo(rank), hi(rank);
  for (std::size_t d = 0; d < rank; ++d) {
    lo[d] = std::max(origin[d], offset[d]);
    hi[d] = std::min(origin[d] + chunk[d], offset[d] + count[d]);
  }
  std::vector<hsize_t> at = lo;
  const std::size_t length = hi[rank - 1] - lo[rank - 1];
  while (true) {
    std::size_t in_chunk = 0, in_slab = 0;
    for (std::size_t d = 0; d < rank; ++d) {
      in_chunk = in_chunk * chunk[d] + (at[d] - origin[d]);
      in_slab = in_slab * count[d] + (at[d] - offset[d]);
    }
    run(in_chunk, in_slab, length);
    std::size_t d = rank - 1;  // the next run: an odometer over every dimension but the last
    while (d-- > 0 && ++at[d] == hi[d]) at[d] = lo[d];
    if (d == static_cast<std::size_t>(-1)) return;
  }
}

// Moves `origin` to the next chunk the slab [offset, offset + count) touches (an odometer over
// them, from `first`, the first chunk's origin); false after the last.
bool next_chunk(std::span<hsize_t> origin, std::span<const hsize_t> first,
                std::span<const hsize_t> chunk, std::span<const hsize_t> offset,
                std::span<const hsize_t> count) {
  for (std::size_t d = origin.size(); d-- > 0;) {
    origin[d] += chunk[d];
    if (origin[d] < offset[d] + count[d]) return true;
    origin[d] = first[d];
  }
  return false;
}

// A raw chunk's stored Fletcher32: the 4 bytes after its `bytes` bytes of elements, little-endian
// (as HDF5's filter stores it).
std::uint32_t stored_checksum(const unsigned char* raw, std::size_t bytes) {
  return static_cast<std::uint32_t>(raw[bytes]) | static_cast<std::uint32_t>(raw[bytes + 1]) << 8 |
         static_cast<std::uint32_t>(raw[bytes + 2]) << 16 |
         static_cast<std::uint32_t>(raw[bytes + 3]) << 24;
}

void store_checksum(unsigned char* raw, std::size_t bytes) {
  const std::uint32_t sum = fletcher32(raw, bytes);
  for (int b = 0; b < 4; ++b) raw[bytes + b] = static_cast<unsigned char>(sum >> (8 * b));
}

}  // namespace

template <Element T>
void Dataset::read_chunks(std::span<const hsize_t> offset, std::span<const hsize_t> count,
                          T* data) const {
  enter_hdf5();
  const std::size_t rank = offset.size();
  if (rank == 0 || std::find(count.begin(), count.end(), 0) != count.end() ||
      !raw_chunks_usable(id(), TypeMap<T>::mem()))
    return read_slab(offset, count, data);
  const std::vector<hsize_t> chunk = chunk_dims(id());
  const std::size_t bytes = sizeof(T) * element_count(chunk);
  thread_local std::vector<unsigned char> raw;
  raw.resize(bytes + 4);  // the elements, then their checksum
  std::vector<hsize_t> first(rank), origin(rank);
  for (std::size_t d = 0; d < rank; ++d) first[d] = origin[d] = offset[d] / chunk[d] * chunk[d];
  auto what = [&] { return "cannot read a slab of dataset " + describe(id()); };
  auto* out = reinterpret_cast<unsigned char*>(data);
  do {
    // A failure here is an error, never a reason to read again another way: reading a chunk
    // first writes it out of HDF5's cache if it is dirty, and that write may be what failed.
    hsize_t stored = 0;
    std::uint32_t filters_skipped = 0;
    check_read(H5Dget_chunk_storage_size(id(), origin.data(), &stored), id(), {}, what);
    if (stored != bytes + 4) return read_slab(offset, count, data);  // not stored whole
    check_read(H5Dread_chunk(id(), H5P_DEFAULT, origin.data(), &filters_skipped, raw.data()), id(),
               {}, what);
    if (filters_skipped != 0) return read_slab(offset, count, data);
    if (fletcher32(raw.data(), bytes) != stored_checksum(raw.data(), bytes))
      return read_slab(offset, count, data);
    for_each_run(origin, chunk, offset, count,
                 [&](std::size_t in_chunk, std::size_t in_slab, std::size_t n) {
                   std::copy_n(raw.data() + in_chunk * sizeof(T), n * sizeof(T),
                               out + in_slab * sizeof(T));
                 });
  } while (next_chunk(origin, first, chunk, offset, count));
}

template <Element T>
void Dataset::write_chunks(std::span<const hsize_t> offset, std::span<const hsize_t> count,
                           const T* data) {
  enter_hdf5();
  const std::size_t rank = offset.size();
  if (g_transfer != H5P_DEFAULT || rank == 0 ||
      std::find(count.begin(), count.end(), 0) != count.end() ||
      !raw_chunks_usable(id(), TypeMap<T>::mem()))
    return write_slab(offset, count, data);
  const std::vector<hsize_t> chunk = chunk_dims(id()), extent = dims();
  // Only whole chunks (a chunk at the dataset's far edge is whole when the slab reaches the edge):
  // a chunk written here replaces the stored one, and HDF5 drops its cached copy.
  for (std::size_t d = 0; d < rank; ++d)
    if (offset[d] % chunk[d] != 0 ||
        (count[d] % chunk[d] != 0 && offset[d] + count[d] != extent[d]))
      return write_slab(offset, count, data);
  const std::size_t bytes = sizeof(T) * element_count(chunk);
  thread_local std::vector<unsigned char> raw;
  raw.resize(bytes + 4);
  std::vector<hsize_t> origin(offset.begin(), offset.end());
  auto what = [&] { return "cannot write a slab of dataset " + describe(id()); };
  const auto* in = reinterpret_cast<const unsigned char*>(data);
  do {
    bool edge = false;  // its elements past the dataset's edge are stored as zeros
    for (std::size_t d = 0; d < rank; ++d) edge |= origin[d] + chunk[d] > extent[d];
    if (edge) std::fill_n(raw.begin(), bytes, 0);
    for_each_run(origin, chunk, offset, count,
                 [&](std::size_t in_chunk, std::size_t in_slab, std::size_t n) {
                   std::copy_n(in + in_slab * sizeof(T), n * sizeof(T),
                               raw.data() + in_chunk * sizeof(T));
                 });
    store_checksum(raw.data(), bytes);
    check(H5Dwrite_chunk(id(), H5P_DEFAULT, 0, origin.data(), bytes + 4, raw.data()), what);
  } while (next_chunk(origin, offset, chunk, offset, count));
}

template <Element T>
std::vector<T> Dataset::read_all() const {
  enter_hdf5();
  return read_numbers_of<T>(id(), [&] { return "dataset " + describe(id()); });
}

std::vector<std::string> Dataset::read_strings() const {
  enter_hdf5();
  return read_strings_of(id(), [&] { return "dataset " + describe(id()); });
}

std::string Dataset::read_string() const {
  enter_hdf5();
  std::vector<std::string> values = read_strings();
  if (values.size() != 1) {
    throw RunError("HDF5: dataset " + describe(id()) + " is not a single string");
  }
  return std::move(values.front());
}

std::string Dataset::type_name() const {
  enter_hdf5();
  Id type = type_of(id());
  const std::string bits = std::to_string(8 * H5Tget_size(type.get()));
  switch (H5Tget_class(type.get())) {
    case H5T_FLOAT:
      return "float" + bits;
    case H5T_INTEGER:
      return (H5Tget_sign(type.get()) == H5T_SGN_NONE ? "uint" : "int") + bits;
    case H5T_STRING:
      return H5Tis_variable_str(type.get()) > 0 ? "string" : "other";
    default:
      return "other";
  }
}

std::vector<hsize_t> Dataset::chunk() const {
  enter_hdf5();
  return chunk_dims(id());
}

bool Dataset::checksummed() const {
  enter_hdf5();
  Id dcpl = create_plist_of(id());
  for (int i = 0; i < H5Pget_nfilters(dcpl.get()); ++i) {
    unsigned flags = 0, config = 0;
    std::size_t n = 0;
    if (H5Pget_filter2(dcpl.get(), static_cast<unsigned>(i), &flags, &n, nullptr, 0, nullptr,
                       &config) == H5Z_FILTER_FLETCHER32)
      return true;
  }
  return false;
}

std::uint64_t Dataset::read_through(std::size_t max_bytes) const {
  enter_hdf5();
  Id file_type = type_of(id());
  if (H5Tget_class(file_type.get()) == H5T_STRING) {
    std::uint64_t bytes = 0;
    for (const std::string& s : read_strings()) bytes += s.size();
    return bytes;
  }
  auto what = [&] { return "cannot read dataset " + describe(id()); };
  Id mem_type = make_id(H5Tget_native_type(file_type.get(), H5T_DIR_ASCEND), H5Tclose, what);
  const std::size_t element = H5Tget_size(mem_type.get());
  const std::vector<hsize_t> all = dims();
  std::vector<unsigned char> buffer(element);
  if (all.empty()) {  // a scalar
    check_read(H5Dread(id(), mem_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()), id(),
               {}, what);
    return element;
  }
  if (element_count(all) == 0) return 0;
  const std::vector<hsize_t> slab = through_slab(all, chunk_dims(id()), element, max_bytes);
  buffer.resize(element_count(slab) * element);
  const hsize_t cols = all.size() > 1 ? all[1] : 1, col_step = all.size() > 1 ? slab[1] : 1;
  std::uint64_t bytes = 0;
  for (hsize_t r = 0; r < all[0]; r += slab[0])
    for (hsize_t c = 0; c < cols; c += col_step) {
      std::vector<hsize_t> offset(all.size(), 0), count = slab;
      offset[0] = r, count[0] = std::min(slab[0], all[0] - r);
      if (all.size() > 1) offset[1] = c, count[1] = std::min(slab[1], cols - c);
      auto [file_space, mem_space] = slab_spaces(id(), offset, count);
      check_read(H5Dread(id(), mem_type.get(), mem_space.get(), file_space.get(), H5P_DEFAULT,
                         buffer.data()),
                 id(), {}, what);
      bytes += element_count(count) * element;
    }
  return bytes;
}

// ---- Group --------------------------------------------------------------------------------

Group Group::create_group(const std::string& name) {
  enter_hdf5();
  Id lcpl = intermediate_lcpl();
  return Group(make_id(H5Gcreate2(id(), name.c_str(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT),
                       H5Gclose, [&] { return "cannot create group " + describe(id(), name); }));
}

Group Group::open_group(const std::string& name) const {
  enter_hdf5();
  return Group(Id(check_read(H5Gopen2(id(), name.c_str(), H5P_DEFAULT), id(), name,
                             [&] { return "cannot open group " + describe(id(), name); }),
                  H5Gclose));
}

bool Group::exists(const std::string& path) const {
  enter_hdf5();
  if (path.empty()) return false;
  // H5Lexists fails rather than answering when a parent is missing, so test each prefix.
  std::string prefix = path.starts_with('/') ? "/" : "";
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = std::min(path.find('/', start), path.size());
    if (end > start) {
      if (!prefix.empty() && !prefix.ends_with('/')) prefix += '/';
      prefix.append(path, start, end - start);
      // Negative means a prefix is not a group (e.g. a dataset): the path cannot exist.
      if (H5Lexists(id(), prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    }
    start = end + 1;
  }
  return true;
}

std::vector<std::string> Group::dataset_paths() const {
  enter_hdf5();
  std::vector<std::string> paths;
  check_read(H5Ovisit2(id(), H5_INDEX_NAME, H5_ITER_INC, collect_dataset, &paths, H5O_INFO_BASIC),
             id(), {}, [&] { return "cannot list the datasets of " + describe(id()); });
  const std::string prefix = object_path(id());
  if (prefix != "/")
    for (std::string& p : paths) p = prefix + p;
  std::sort(paths.begin(), paths.end());
  return paths;
}

template <Element T>
Dataset Group::create_dataset(const std::string& name, std::vector<hsize_t> dims,
                              std::vector<hsize_t> chunk, int deflate) {
  enter_hdf5();
  auto what = [&] { return "cannot create dataset " + describe(id(), name); };
  Id dcpl = dataset_create_plist(dims, chunk, deflate, what);
  return Dataset(
      create_dataset_id(id(), name, TypeMap<T>::file(), simple_space(dims).get(), dcpl.get()));
}

template <Element T>
void Group::write(const std::string& name, std::span<const T> data, std::vector<hsize_t> dims) {
  enter_hdf5();
  if (element_count(dims) != data.size()) {
    throw RunError("HDF5: cannot write dataset " + describe(id(), name) +
                   ": data size does not match its dimensions");
  }
  Id dcpl = dataset_create_plist(dims, whole_chunk(dims, sizeof(T)), 0,
                                 [&] { return "cannot create dataset " + describe(id(), name); });
  write_whole_dataset(id(), name, TypeMap<T>::file(), TypeMap<T>::mem(), simple_space(dims).get(),
                      data.data(), dcpl.get());
}

void Group::write_strings(const std::string& name, std::span<const std::string> values) {
  enter_hdf5();
  const hsize_t n = values.size();
  std::vector<const char*> pointers = c_strings(values);
  Id type = vlen_string_type();
  write_whole_dataset(id(), name, type.get(), type.get(), simple_space({&n, 1}).get(),
                      pointers.data());
}

void Group::write_string(const std::string& name, std::string_view value) {
  enter_hdf5();
  std::string text(value);  // string_view need not be NUL-terminated
  const char* pointer = text.c_str();
  Id type = vlen_string_type();
  write_whole_dataset(id(), name, type.get(), type.get(), scalar_space().get(), &pointer);
}

Dataset Group::open_dataset(const std::string& name, std::size_t chunk_cache_bytes) const {
  enter_hdf5();
  if (chunk_cache_bytes == 0) return Dataset(open_dataset_id(id(), name));
  std::size_t per_chunk = chunk_bytes(open_dataset_id(id(), name).get());
  if (per_chunk == 0) return Dataset(open_dataset_id(id(), name));
  // The probe above is closed by now: HDF5 ignores the access list when reopening a dataset
  // that is still open, so the cache would silently keep its default size.
  Id dapl = cache_access_plist(chunk_cache_bytes, per_chunk);
  return Dataset(open_dataset_id(id(), name, dapl.get()));
}

void Group::hard_link(const std::string& existing_path, const std::string& new_name) {
  enter_hdf5();
  Id lcpl = intermediate_lcpl();
  check(
      H5Lcreate_hard(id(), existing_path.c_str(), id(), new_name.c_str(), lcpl.get(), H5P_DEFAULT),
      [&] { return "cannot link " + describe(id(), new_name) + " to " + existing_path; });
}

void Group::remove(const std::string& name) {
  enter_hdf5();
  check(H5Ldelete(id(), name.c_str(), H5P_DEFAULT),
        [&] { return "cannot remove " + describe(id(), name); });
}

void Group::copy_from(const Group& source, const std::string& source_path,
                      const std::string& new_name) {
  Id lcpl = intermediate_lcpl();
  check(H5Ocopy(source.id(), source_path.c_str(), id(), new_name.c_str(), H5P_DEFAULT, lcpl.get()),
        [&] { return "cannot copy " + describe(source.id(), source_path) + " to " + new_name; });
}

// ---- File ---------------------------------------------------------------------------------

File File::create(const std::string& path, Storage storage) {
  enter_hdf5();
  auto what = [&] { return "cannot create file " + path; };
  Id fapl = make_id(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, what);
  // The file format of HDF5 1.10 (readable by 1.10 and later): its metadata -- superblock, object
  // headers with their attributes, chunk indexes -- carries checksums, so damage there is found
  // like damage to the data, and a one-chunk dataset needs no index (smaller small files).
  check(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_V110, H5F_LIBVER_V110), what);
  // The image grows in steps of 64 MiB and is dropped at the close (no backing store).
  if (storage == Storage::memory) check(H5Pset_fapl_core(fapl.get(), 64 << 20, false), what);
  return File(
      make_id(H5Fcreate(path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, fapl.get()), H5Fclose, what));
}

namespace {

Id open_file(const std::string& path, unsigned flags, const char* purpose,
             hid_t fapl = H5P_DEFAULT) {
  enter_hdf5();
  const hid_t file = H5Fopen(path.c_str(), flags, fapl);
  if (file < 0) {
    if (const std::string mismatch = checksum_mismatch(); !mismatch.empty())
      throw Damaged(path, "/", mismatch);
    fail([&] { return "cannot open file " + path + " for " + purpose; });
  }
  return Id(file, H5Fclose);
}

}  // namespace

File File::open_read(const std::string& path) {
  return File(open_file(path, H5F_ACC_RDONLY, "reading"));
}

File File::open_write(const std::string& path) {
  enter_hdf5();
  auto what = [&] { return "cannot open file " + path + " for writing"; };
  Id fapl = make_id(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, what);
  // A file of the 1.10 format that was open for writing when its process died keeps a flag in its
  // superblock that makes HDF5 refuse to open it again (what `h5clear -s` clears). The file lock
  // (which the kernel drops with the process) still keeps out a process that is writing it.
  // "clear_status_flags" is the access property h5clear itself sets; it has no public setter.
  hbool_t clear = true;
  check(H5Pset(fapl.get(), "clear_status_flags", &clear), what);
  return File(open_file(path, H5F_ACC_RDWR, "writing", fapl.get()));
}

#ifdef RXSTRESS_MPI
File File::open_parallel(const std::string& path) {
  enter_hdf5();
  auto what = [&] { return "cannot open file " + path + " for parallel writing"; };
  Id fapl = make_id(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, what);
  check(H5Pset_fapl_mpio(fapl.get(), MPI_COMM_WORLD, MPI_INFO_NULL), what);
  // All ranks read the metadata the same way; the cache writes it collectively on close.
  check(H5Pset_all_coll_metadata_ops(fapl.get(), true), what);
  check(H5Pset_coll_metadata_write(fapl.get(), true), what);
  return File(open_file(path, H5F_ACC_RDWR, "parallel writing", fapl.get()));
}
#else
File File::open_parallel(const std::string&) {
  throw std::logic_error("parallel HDF5 needs the MPI build (-DRXSTRESS_MPI=ON)");
}
#endif

void File::flush() {
  enter_hdf5();
  check(H5Fflush(id(), H5F_SCOPE_GLOBAL),
        [&] { return "cannot flush file " + read_name(id(), H5Fget_name); });
}

void File::start_writeback() const {
#ifdef __linux__
  enter_hdf5();
  void* handle = nullptr;
  if (!sec2_file(id()) || H5Fget_vfd_handle(id(), H5P_DEFAULT, &handle) < 0 || handle == nullptr)
    return;
  sync_file_range(*static_cast<const int*>(handle), 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
}

std::size_t File::open_objects() const {
  enter_hdf5();
  if (!id_.valid()) return 0;
  const ssize_t n = H5Fget_obj_count(id(), H5F_OBJ_ALL | H5F_OBJ_LOCAL);
  return n > 1 ? static_cast<std::size_t>(n - 1) : 0;  // less the file itself
}

void File::close() {
  enter_hdf5();
  if (!id_.valid()) return;
  std::string path = read_name(id(), H5Fget_name);
  // Take the handle first so it is released even if the flush throws. H5Fclose alone would not
  // report write errors while groups or datasets keep the file open; the explicit flush does.
  Id file = std::move(id_);
  check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), [&] { return "cannot flush file " + path; });
  check(file.close(), [&] { return "cannot close file " + path; });
}

// ---- Explicit instantiations --------------------------------------------------------------

#define RXSTRESS_H5_INSTANTIATE(T)                                                              \
  template Dataset Group::create_dataset<T>(const std::string&, std::vector<hsize_t>,           \
                                            std::vector<hsize_t>, int);                         \
  template void Group::write<T>(const std::string&, std::span<const T>, std::vector<hsize_t>);  \
  template void Dataset::write_slab<T>(std::span<const hsize_t>, std::span<const hsize_t>,      \
                                       const T*);                                               \
  template void Dataset::read_slab<T>(std::span<const hsize_t>, std::span<const hsize_t>, T*)   \
      const;                                                                                    \
  template void Dataset::read_chunks<T>(std::span<const hsize_t>, std::span<const hsize_t>, T*) \
      const;                                                                                    \
  template void Dataset::write_chunks<T>(std::span<const hsize_t>, std::span<const hsize_t>,    \
                                         const T*);                                             \
  template std::vector<T> Dataset::read_all<T>() const;

RXSTRESS_H5_INSTANTIATE(double)
RXSTRESS_H5_INSTANTIATE(float)
RXSTRESS_H5_INSTANTIATE(std::int64_t)
RXSTRESS_H5_INSTANTIATE(std::int32_t)
RXSTRESS_H5_INSTANTIATE(std::int8_t)
RXSTRESS_H5_INSTANTIATE(std::uint8_t)

#undef RXSTRESS_H5_INSTANTIATE

}  // namespace rxstress::h5
