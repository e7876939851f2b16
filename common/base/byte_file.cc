#include "common/base/byte_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"

namespace inrapport {
namespace {

constexpr size_t kBufferSize = 1 << 20;
constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr uint64_t kFnvPrime = 0x100000001b3ULL;

inline uint64_t Mix(uint64_t checksum, uint8_t byte) { return (checksum ^ byte) * kFnvPrime; }

absl::Status ErrnoError(absl::string_view what, const std::string& path) {
  return absl::UnavailableError(absl::StrCat(what, " \"", path, "\": ", std::strerror(errno)));
}

}  // namespace

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
  checksum_ = kFnvOffset;
  return absl::OkStatus();
}

void ByteFileWriter::Flush() {
  if (used_ == 0 || failed_) {
    used_ = 0;
    return;
  }
  if (std::fwrite(buffer_.data(), 1, used_, file_) != used_) failed_ = true;
  used_ = 0;
}

void ByteFileWriter::Raw(absl::string_view bytes) {
  for (char c : bytes) {
    if (used_ == buffer_.size()) Flush();
    buffer_[used_++] = c;
    checksum_ = Mix(checksum_, static_cast<uint8_t>(c));
  }
  written_ += static_cast<int64_t>(bytes.size());
}

void ByteFileWriter::Varint(uint64_t value) {
  char bytes[10];
  size_t n = 0;
  while (value >= 0x80) {
    bytes[n++] = static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  bytes[n++] = static_cast<char>(value);
  Raw(absl::string_view(bytes, n));
}

absl::Status ByteFileWriter::Commit() {
  if (file_ == nullptr) return absl::FailedPreconditionError("not open");
  char trailer[8];
  for (int i = 0; i < 8; ++i) trailer[i] = static_cast<char>(checksum_ >> (8 * i));
  for (char c : trailer) {  // not part of what it checks
    if (used_ == buffer_.size()) Flush();
    buffer_[used_++] = c;
  }
  Flush();
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
  checksum_ = kFnvOffset;
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
  checksum_ = Mix(checksum_, *byte);
  return true;
}

bool ByteFileReader::Raw(size_t size, std::string* out) {
  out->resize(size);
  for (size_t i = 0; i < size; ++i) {
    uint8_t byte = 0;
    if (!Byte(&byte)) return false;
    (*out)[i] = static_cast<char>(byte);
  }
  return true;
}

bool ByteFileReader::Varint(uint64_t* value) {
  // Most numbers are read straight from the buffer.
  if (end_ - pos_ >= 10) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(buffer_.data() + pos_);
    uint64_t result = 0;
    for (int i = 0; i < 10; ++i) {
      checksum_ = Mix(checksum_, bytes[i]);
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

absl::Status ByteFileReader::Finish() {
  if (!status_.ok()) return status_;
  const uint64_t expected = checksum_;
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
