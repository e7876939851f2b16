#include "common/base/byte_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"

namespace inrapport {
namespace {

constexpr size_t kBufferSize = 1 << 20;

absl::Status ErrnoError(absl::string_view what, const std::string& path) {
  return absl::UnavailableError(absl::StrCat(what, " \"", path, "\": ", std::strerror(errno)));
}

constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
constexpr uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;
constexpr uint64_t kPrime3 = 0x165667B19E3779F9ULL;
constexpr uint64_t kPrime4 = 0x85EBCA77C2B2AE63ULL;
constexpr uint64_t kPrime5 = 0x27D4EB2F165667C5ULL;

inline uint64_t RotateLeft(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
inline uint64_t Round(uint64_t acc, uint64_t input) {
  return RotateLeft(acc + input * kPrime2, 31) * kPrime1;
}
inline uint64_t MergeRound(uint64_t acc, uint64_t value) {
  return (acc ^ Round(0, value)) * kPrime1 + kPrime4;
}
inline uint64_t Load64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];  // little-endian on any host
  return v;
}
inline uint64_t Load32(const unsigned char* p) {
  return static_cast<uint64_t>(p[0]) | static_cast<uint64_t>(p[1]) << 8 |
         static_cast<uint64_t>(p[2]) << 16 | static_cast<uint64_t>(p[3]) << 24;
}

}  // namespace

// --- checksum ---------------------------------------------------------------

void Hash64::Update(const void* data, size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  total_ += size;
  if (pending_ > 0) {
    const size_t take = std::min(size, sizeof(stripe_) - pending_);
    std::memcpy(stripe_ + pending_, p, take);
    pending_ += take;
    p += take;
    size -= take;
    if (pending_ < sizeof(stripe_)) return;
    Stripe(stripe_);
    pending_ = 0;
  }
  for (; size >= sizeof(stripe_); p += sizeof(stripe_), size -= sizeof(stripe_)) Stripe(p);
  std::memcpy(stripe_, p, size);
  pending_ = size;
}

void Hash64::Stripe(const unsigned char* p) {
  lanes_[0] = Round(lanes_[0], Load64(p));
  lanes_[1] = Round(lanes_[1], Load64(p + 8));
  lanes_[2] = Round(lanes_[2], Load64(p + 16));
  lanes_[3] = Round(lanes_[3], Load64(p + 24));
}

uint64_t Hash64::Digest() const {
  uint64_t h;
  if (total_ >= sizeof(stripe_)) {
    h = RotateLeft(lanes_[0], 1) + RotateLeft(lanes_[1], 7) + RotateLeft(lanes_[2], 12) +
        RotateLeft(lanes_[3], 18);
    for (uint64_t lane : lanes_) h = MergeRound(h, lane);
  } else {
    h = kPrime5;  // the seed, 0, plus kPrime5
  }
  h += total_;
  const unsigned char* p = stripe_;
  size_t left = pending_;
  for (; left >= 8; p += 8, left -= 8) {
    h = RotateLeft(h ^ Round(0, Load64(p)), 27) * kPrime1 + kPrime4;
  }
  if (left >= 4) {
    h = RotateLeft(h ^ (Load32(p) * kPrime1), 23) * kPrime2 + kPrime3;
    p += 4;
    left -= 4;
  }
  for (; left > 0; ++p, --left) h = RotateLeft(h ^ (*p * kPrime5), 11) * kPrime1;
  h ^= h >> 33;
  h *= kPrime2;
  h ^= h >> 29;
  h *= kPrime3;
  h ^= h >> 32;
  return h;
}

// --- writer -----------------------------------------------------------------

ByteFileWriter::~ByteFileWriter() {
  if (file_ != nullptr) {
    std::fclose(file_);
    std::remove(tmp_path_.c_str());
  }
}

absl::Status ByteFileWriter::Open(const std::string& path) {
  path_ = path;
  tmp_path_ = path + ".tmp";
  file_ = std::fopen(tmp_path_.c_str(), "wb");
  if (file_ == nullptr) return ErrnoError("cannot write", tmp_path_);
  buffer_.resize(kBufferSize);
  return absl::OkStatus();
}

void ByteFileWriter::Flush() {
  if (used_ == 0 || failed_) {
    used_ = 0;
    return;
  }
  checksum_.Update(buffer_.data(), used_);
  if (std::fwrite(buffer_.data(), 1, used_, file_) != used_) failed_ = true;
  used_ = 0;
}

void ByteFileWriter::Raw(absl::string_view bytes) {
  written_ += static_cast<int64_t>(bytes.size());
  while (!bytes.empty()) {
    if (used_ == buffer_.size()) Flush();
    const size_t take = std::min(bytes.size(), buffer_.size() - used_);
    std::memcpy(buffer_.data() + used_, bytes.data(), take);
    used_ += take;
    bytes.remove_prefix(take);
  }
}

void ByteFileWriter::Varint(uint64_t value) {
  char bytes[10];
  Raw(absl::string_view(bytes, EncodeVarint(value, bytes)));
}

absl::Status ByteFileWriter::Commit() {
  if (file_ == nullptr) return absl::FailedPreconditionError("not open");
  Flush();
  // Not part of what it checks.
  const uint64_t checksum = checksum_.Digest();
  char trailer[8];
  for (int i = 0; i < 8; ++i) trailer[i] = static_cast<char>(checksum >> (8 * i));
  if (!failed_ && std::fwrite(trailer, 1, sizeof(trailer), file_) != sizeof(trailer)) {
    failed_ = true;
  }
  if (std::fflush(file_) != 0) failed_ = true;
  if (!failed_ && ::fsync(::fileno(file_)) != 0) failed_ = true;
  const bool write_failed = failed_;
  const int closed = std::fclose(file_);
  file_ = nullptr;
  if (write_failed || closed != 0) {
    absl::Status status = ErrnoError("cannot write", tmp_path_);
    std::remove(tmp_path_.c_str());
    return status;
  }
  if (std::rename(tmp_path_.c_str(), path_.c_str()) != 0) {
    absl::Status status = ErrnoError("cannot rename to", path_);
    std::remove(tmp_path_.c_str());
    return status;
  }
  // The rename itself is durable once the directory is.
  std::filesystem::path dir = std::filesystem::path(path_).parent_path();
  if (dir.empty()) dir = ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  return absl::OkStatus();
}

// --- reader -----------------------------------------------------------------

ByteFileReader::~ByteFileReader() {
  if (file_ != nullptr) std::fclose(file_);
}

absl::Status ByteFileReader::Open(const std::string& path) {
  path_ = path;
  file_ = std::fopen(path.c_str(), "rb");
  if (file_ == nullptr) {
    if (errno == ENOENT) return absl::NotFoundError(absl::StrCat("no file \"", path, "\""));
    return ErrnoError("cannot read", path);
  }
  buffer_.resize(kBufferSize);
  return absl::OkStatus();
}

bool ByteFileReader::Fail(absl::string_view why) {
  if (status_.ok()) {
    status_ = absl::DataLossError(absl::StrCat("\"", path_, "\": ", why));
  }
  return false;
}

bool ByteFileReader::Refill() {
  if (!status_.ok() || file_ == nullptr) return false;
  // What was read of the buffer is checked as a block, not byte by byte.
  if (!in_trailer_) checksum_.Update(buffer_.data() + checked_, end_ - checked_);
  checked_ = 0;
  end_ = std::fread(buffer_.data(), 1, buffer_.size(), file_);
  pos_ = 0;
  if (end_ == 0) {
    return Fail(std::ferror(file_) ? "read error" : "the file ends early");
  }
  return true;
}

bool ByteFileReader::Byte(uint8_t* byte) {
  if (pos_ == end_ && !Refill()) return false;
  *byte = static_cast<uint8_t>(buffer_[pos_++]);
  return true;
}

bool ByteFileReader::Raw(size_t size, std::string* out) {
  // Grown as the bytes come, so that a damaged size fails at the end of the
  // file instead of asking for memory the file does not hold.
  out->clear();
  out->reserve(std::min<size_t>(size, kBufferSize));
  while (out->size() < size) {
    if (pos_ == end_ && !Refill()) return false;
    const size_t take = std::min(size - out->size(), end_ - pos_);
    out->append(buffer_.data() + pos_, take);
    pos_ += take;
  }
  return true;
}

bool ByteFileReader::Varint(uint64_t* value) {
  // Most numbers are read straight from the buffer.
  if (end_ - pos_ >= 10) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(buffer_.data() + pos_);
    uint64_t result = 0;
    for (int i = 0; i < 10; ++i) {
      result |= static_cast<uint64_t>(bytes[i] & 0x7f) << (7 * i);
      if ((bytes[i] & 0x80) == 0) {
        pos_ += i + 1;
        *value = result;
        return true;
      }
    }
    return Fail("a number runs past 64 bits");
  }
  uint64_t result = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    uint8_t byte = 0;
    if (!Byte(&byte)) return false;
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *value = result;
      return true;
    }
  }
  return Fail("a number runs past 64 bits");
}

bool ByteFileReader::Bounded(uint64_t max, uint64_t* value) {
  if (!Varint(value)) return false;
  if (*value > max) return Fail(absl::StrCat("a count or index of ", *value, " exceeds ", max));
  return true;
}

bool ByteFileReader::String(size_t max_size, std::string* out) {
  uint64_t size = 0;
  return Bounded(max_size, &size) && Raw(static_cast<size_t>(size), out);
}

// --- blocks -----------------------------------------------------------------

bool ByteBlockReader::Fail(absl::string_view why) {
  if (error_.empty()) error_ = std::string(why);
  p_ = end_;
  return false;
}

bool ByteBlockReader::Varint(uint64_t* value) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (p_ == end_) return Fail("a block ends early");
    const uint8_t byte = *p_++;
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *value = result;
      return true;
    }
  }
  return Fail("a number runs past 64 bits");
}

bool ByteBlockReader::Bounded(uint64_t max, uint64_t* value) {
  if (!Varint(value)) return false;
  if (*value > max) return Fail(absl::StrCat("a count or index of ", *value, " exceeds ", max));
  return true;
}

// --- reader, end --------------------------------------------------------------

absl::Status ByteFileReader::Finish() {
  if (!status_.ok()) return status_;
  checksum_.Update(buffer_.data() + checked_, pos_ - checked_);
  checked_ = pos_;
  in_trailer_ = true;
  const uint64_t expected = checksum_.Digest();
  uint64_t stored = 0;
  for (int i = 0; i < 8; ++i) {
    if (pos_ == end_ && !Refill()) return status_;
    stored |= static_cast<uint64_t>(static_cast<uint8_t>(buffer_[pos_++])) << (8 * i);
  }
  if (stored != expected) {
    Fail("its checksum does not match its content");
    return status_;
  }
  if (pos_ != end_ || std::fgetc(file_) != EOF) {
    Fail("bytes follow its checksum");
    return status_;
  }
  return absl::OkStatus();
}

}  // namespace inrapport
