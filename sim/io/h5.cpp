#include "io/h5.hpp"

#include <hdf5.h>

#include <algorithm>
#include <functional>
#include <numeric>
#include <utility>

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

// "<path of child under loc> in <file>", for messages.
std::string describe(hid_t loc, std::string_view child = {}) {
  std::string path = read_name(loc, H5Iget_name);
  if (child.starts_with('/')) {
    path = child;
  } else if (!child.empty()) {
    if (!path.ends_with('/')) path += '/';
    path += child;
  }
  return path + " in " + read_name(loc, H5Fget_name);
}

void silence_hdf5_errors() {
  // Thread-local because thread-safe HDF5 keeps the error-printing setting per thread.
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
  check(read_whole(obj, mem_type.get(), pointers.data()), [&] { return "cannot read " + what(); });
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
  check(read_whole(obj, TypeMap<T>::mem(), values.data()), [&] { return "cannot read " + what(); });
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
  return make_id(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose,
                 [&] { return "cannot open " + describe_attr(obj, name); });
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
  return dcpl;
}

Id create_dataset_id(hid_t loc, const std::string& name, hid_t type, hid_t space,
                     hid_t dcpl = H5P_DEFAULT) {
  Id lcpl = intermediate_lcpl();
  return make_id(H5Dcreate2(loc, name.c_str(), type, space, lcpl.get(), dcpl, H5P_DEFAULT),
                 H5Dclose, [&] { return "cannot create dataset " + describe(loc, name); });
}

void write_whole_dataset(hid_t loc, const std::string& name, hid_t type, hid_t mem_type,
                         hid_t space, const void* data) {
  Id dset = create_dataset_id(loc, name, type, space);
  if (H5Sget_simple_extent_npoints(space) == 0) return;
  check(H5Dwrite(dset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data),
        [&] { return "cannot write dataset " + describe(loc, name); });
}

// Bytes in one chunk, or 0 for an unchunked dataset.
std::size_t chunk_bytes(hid_t dset) {
  auto what = [&] { return "cannot inspect dataset " + describe(dset); };
  Id dcpl = make_id(H5Dget_create_plist(dset), H5Pclose, what);
  if (H5Pget_layout(dcpl.get()) != H5D_CHUNKED) return 0;
  std::vector<hsize_t> chunk(H5S_MAX_RANK);
  int rank = check(H5Pget_chunk(dcpl.get(), H5S_MAX_RANK, chunk.data()), what);
  chunk.resize(static_cast<std::size_t>(rank));
  return element_count(chunk) * H5Tget_size(type_of(dset).get());
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
  return make_id(H5Dopen2(loc, name.c_str(), dapl), H5Dclose,
                 [&] { return "cannot open dataset " + describe(loc, name); });
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
  herr_t status = closer_(id_);
  id_ = H5I_INVALID_HID;
  return status;
}

// ---- Object (attributes) ------------------------------------------------------------------

void Object::set_attr(const std::string& name, std::string_view value) {
  std::string text(value);  // string_view need not be NUL-terminated
  const char* pointer = text.c_str();
  Id type = vlen_string_type();
  write_attr(id(), name, type.get(), type.get(), scalar_space().get(), &pointer);
}

void Object::set_attr(const std::string& name, std::int64_t value) {
  write_attr(id(), name, H5T_STD_I64LE, H5T_NATIVE_INT64, scalar_space().get(), &value);
}

void Object::set_attr(const std::string& name, double value) {
  write_attr(id(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, scalar_space().get(), &value);
}

void Object::set_attr(const std::string& name, std::span<const double> values) {
  const hsize_t n = values.size();
  write_attr(id(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, simple_space({&n, 1}).get(),
             values.data());
}

void Object::set_attr(const std::string& name, std::span<const std::string> values) {
  const hsize_t n = values.size();
  std::vector<const char*> pointers = c_strings(values);
  Id type = vlen_string_type();
  write_attr(id(), name, type.get(), type.get(), simple_space({&n, 1}).get(), pointers.data());
}

std::string Object::attr_string(const std::string& name) const {
  std::vector<std::string> values = attr_strings(name);
  if (values.size() != 1) {
    throw RunError("HDF5: " + describe_attr(id(), name) + " is not a single string");
  }
  return std::move(values.front());
}

std::int64_t Object::attr_int(const std::string& name) const {
  return read_scalar_attr<std::int64_t>(id(), name);
}

double Object::attr_double(const std::string& name) const {
  return read_scalar_attr<double>(id(), name);
}

std::vector<double> Object::attr_doubles(const std::string& name) const {
  Id attr = open_attr(id(), name);
  return read_numbers_of<double>(attr.get(), [&] { return describe_attr(id(), name); });
}

std::vector<std::string> Object::attr_strings(const std::string& name) const {
  Id attr = open_attr(id(), name);
  return read_strings_of(attr.get(), [&] { return describe_attr(id(), name); });
}

bool Object::has_attr(const std::string& name) const {
  return check(H5Aexists(id(), name.c_str()),
               [&] { return "cannot look up " + describe_attr(id(), name); }) > 0;
}

// ---- Dataset ------------------------------------------------------------------------------

std::vector<hsize_t> Dataset::dims() const {
  Id space = space_of(id());
  int rank = check(H5Sget_simple_extent_ndims(space.get()),
                   [&] { return "cannot get the shape of dataset " + describe(id()); });
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return dims;
}

template <Element T>
void Dataset::write_slab(std::span<const hsize_t> offset, std::span<const hsize_t> count,
                         const T* data) {
  auto [file_space, mem_space] = slab_spaces(id(), offset, count);
  check(H5Dwrite(id(), TypeMap<T>::mem(), mem_space.get(), file_space.get(), H5P_DEFAULT, data),
        [&] { return "cannot write a slab of dataset " + describe(id()); });
}

template <Element T>
void Dataset::read_slab(std::span<const hsize_t> offset, std::span<const hsize_t> count,
                        T* data) const {
  auto [file_space, mem_space] = slab_spaces(id(), offset, count);
  check(H5Dread(id(), TypeMap<T>::mem(), mem_space.get(), file_space.get(), H5P_DEFAULT, data),
        [&] { return "cannot read a slab of dataset " + describe(id()); });
}

template <Element T>
std::vector<T> Dataset::read_all() const {
  return read_numbers_of<T>(id(), [&] { return "dataset " + describe(id()); });
}

std::vector<std::string> Dataset::read_strings() const {
  return read_strings_of(id(), [&] { return "dataset " + describe(id()); });
}

std::string Dataset::read_string() const {
  std::vector<std::string> values = read_strings();
  if (values.size() != 1) {
    throw RunError("HDF5: dataset " + describe(id()) + " is not a single string");
  }
  return std::move(values.front());
}

// ---- Group --------------------------------------------------------------------------------

Group Group::create_group(const std::string& name) {
  Id lcpl = intermediate_lcpl();
  return Group(make_id(H5Gcreate2(id(), name.c_str(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT),
                       H5Gclose, [&] { return "cannot create group " + describe(id(), name); }));
}

Group Group::open_group(const std::string& name) const {
  return Group(make_id(H5Gopen2(id(), name.c_str(), H5P_DEFAULT), H5Gclose,
                       [&] { return "cannot open group " + describe(id(), name); }));
}

bool Group::exists(const std::string& path) const {
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

template <Element T>
Dataset Group::create_dataset(const std::string& name, std::vector<hsize_t> dims,
                              std::vector<hsize_t> chunk, int deflate) {
  auto what = [&] { return "cannot create dataset " + describe(id(), name); };
  Id dcpl = dataset_create_plist(dims, chunk, deflate, what);
  return Dataset(
      create_dataset_id(id(), name, TypeMap<T>::file(), simple_space(dims).get(), dcpl.get()));
}

template <Element T>
void Group::write(const std::string& name, std::span<const T> data, std::vector<hsize_t> dims) {
  if (element_count(dims) != data.size()) {
    throw RunError("HDF5: cannot write dataset " + describe(id(), name) +
                   ": data size does not match its dimensions");
  }
  write_whole_dataset(id(), name, TypeMap<T>::file(), TypeMap<T>::mem(), simple_space(dims).get(),
                      data.data());
}

void Group::write_strings(const std::string& name, std::span<const std::string> values) {
  const hsize_t n = values.size();
  std::vector<const char*> pointers = c_strings(values);
  Id type = vlen_string_type();
  write_whole_dataset(id(), name, type.get(), type.get(), simple_space({&n, 1}).get(),
                      pointers.data());
}

void Group::write_string(const std::string& name, std::string_view value) {
  std::string text(value);  // string_view need not be NUL-terminated
  const char* pointer = text.c_str();
  Id type = vlen_string_type();
  write_whole_dataset(id(), name, type.get(), type.get(), scalar_space().get(), &pointer);
}

Dataset Group::open_dataset(const std::string& name, std::size_t chunk_cache_bytes) const {
  if (chunk_cache_bytes == 0) return Dataset(open_dataset_id(id(), name));
  std::size_t per_chunk = chunk_bytes(open_dataset_id(id(), name).get());
  if (per_chunk == 0) return Dataset(open_dataset_id(id(), name));
  // The probe above is closed by now: HDF5 ignores the access list when reopening a dataset
  // that is still open, so the cache would silently keep its default size.
  Id dapl = cache_access_plist(chunk_cache_bytes, per_chunk);
  return Dataset(open_dataset_id(id(), name, dapl.get()));
}

void Group::hard_link(const std::string& existing_path, const std::string& new_name) {
  Id lcpl = intermediate_lcpl();
  check(
      H5Lcreate_hard(id(), existing_path.c_str(), id(), new_name.c_str(), lcpl.get(), H5P_DEFAULT),
      [&] { return "cannot link " + describe(id(), new_name) + " to " + existing_path; });
}

void Group::copy_from(const Group& source, const std::string& source_path,
                      const std::string& new_name) {
  Id lcpl = intermediate_lcpl();
  check(H5Ocopy(source.id(), source_path.c_str(), id(), new_name.c_str(), H5P_DEFAULT, lcpl.get()),
        [&] { return "cannot copy " + describe(source.id(), source_path) + " to " + new_name; });
}

// ---- File ---------------------------------------------------------------------------------

File File::create(const std::string& path) {
  silence_hdf5_errors();
  return File(make_id(H5Fcreate(path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                      [&] { return "cannot create file " + path; }));
}

File File::open_read(const std::string& path) {
  silence_hdf5_errors();
  return File(make_id(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose,
                      [&] { return "cannot open file " + path + " for reading"; }));
}

void File::flush() {
  check(H5Fflush(id(), H5F_SCOPE_GLOBAL),
        [&] { return "cannot flush file " + read_name(id(), H5Fget_name); });
}

void File::close() {
  if (!id_.valid()) return;
  std::string path = read_name(id(), H5Fget_name);
  // Take the handle first so it is released even if the flush throws. H5Fclose alone would not
  // report write errors while groups or datasets keep the file open; the explicit flush does.
  Id file = std::move(id_);
  check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), [&] { return "cannot flush file " + path; });
  check(file.close(), [&] { return "cannot close file " + path; });
}

// ---- Explicit instantiations --------------------------------------------------------------

#define RXSTRESS_H5_INSTANTIATE(T)                                                             \
  template Dataset Group::create_dataset<T>(const std::string&, std::vector<hsize_t>,          \
                                            std::vector<hsize_t>, int);                        \
  template void Group::write<T>(const std::string&, std::span<const T>, std::vector<hsize_t>); \
  template void Dataset::write_slab<T>(std::span<const hsize_t>, std::span<const hsize_t>,     \
                                       const T*);                                              \
  template void Dataset::read_slab<T>(std::span<const hsize_t>, std::span<const hsize_t>, T*)  \
      const;                                                                                   \
  template std::vector<T> Dataset::read_all<T>() const;

RXSTRESS_H5_INSTANTIATE(double)
RXSTRESS_H5_INSTANTIATE(float)
RXSTRESS_H5_INSTANTIATE(std::int64_t)
RXSTRESS_H5_INSTANTIATE(std::int32_t)
RXSTRESS_H5_INSTANTIATE(std::int8_t)
RXSTRESS_H5_INSTANTIATE(std::uint8_t)

#undef RXSTRESS_H5_INSTANTIATE

}  // namespace rxstress::h5
