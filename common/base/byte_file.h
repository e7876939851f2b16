// A compact binary file: unsigned varints (LEB128), zigzag-signed varints
// and length-prefixed strings, written and read through a buffer, with a
// 64-bit checksum of every byte (XXH64, seed 0) stored at the end. For files the
// service can always rebuild (the aggregates snapshot): a torn, truncated
// or damaged file is detected and refused, never half-trusted.
#ifndef INRAPPORT_COMMON_BASE_BYTE_FILE_H_
#define INRAPPORT_COMMON_BASE_BYTE_FILE_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace inrapport {

// XXH64 with seed 0 (the xxHash specification), over bytes given in any
// pieces: four independent lanes of eight-byte words, so that checking a
// file costs a fraction of reading it.
class Hash64 {
 public:
  void Update(const void* data, size_t size);
  void Update(absl::string_view bytes) { Update(bytes.data(), bytes.size()); }
  uint64_t Digest() const;

 private:
  void Stripe(const unsigned char* p);

  uint64_t lanes_[4] = {0x9E3779B185EBCA87ULL + 0xC2B2AE3D27D4EB4FULL, 0xC2B2AE3D27D4EB4FULL, 0,
                        0 - 0x9E3779B185EBCA87ULL};
  unsigned char stripe_[32] = {};
  size_t pending_ = 0;
  uint64_t total_ = 0;
};

// The encodings, shared by files and blocks: an unsigned varint into `out`
// (at most 10 bytes), returning its length; zigzag for signed numbers.
inline size_t EncodeVarint(uint64_t value, char* out) {
  size_t n = 0;
  while (value >= 0x80) {
    out[n++] = static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  out[n++] = static_cast<char>(value);
  return n;
}
inline uint64_t ZigZag(int64_t value) {
  return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
}
inline int64_t UnZigZag(uint64_t raw) { return static_cast<int64_t>((raw >> 1) ^ (~(raw & 1) + 1)); }

// A block of varints in memory, written into a file whole (as a String) so
// that a reader can hand it to another thread to decode.
class ByteBlockWriter {
 public:
  void Varint(uint64_t value) {
    char bytes[10];
    bytes_.append(bytes, EncodeVarint(value, bytes));
  }
  void Signed(int64_t value) { Varint(ZigZag(value)); }
  const std::string& bytes() const { return bytes_; }
  void Clear() { bytes_.clear(); }

 private:
  std::string bytes_;
};

// Reads a block that ByteBlockWriter wrote (its file's checksum covers it).
// Every read returns false once the block ends early or is damaged; then
// error() says how.
class ByteBlockReader {
 public:
  explicit ByteBlockReader(absl::string_view bytes)
      : p_(reinterpret_cast<const uint8_t*>(bytes.data())), end_(p_ + bytes.size()) {}
  bool Varint(uint64_t* value);
  bool Signed(int64_t* value) {
    uint64_t raw = 0;
    if (!Varint(&raw)) return false;
    *value = UnZigZag(raw);
    return true;
  }
  // A count or index no larger than `max`.
  bool Bounded(uint64_t max, uint64_t* value);
  bool Fail(absl::string_view why);
  bool AtEnd() const { return p_ == end_; }
  const std::string& error() const { return error_; }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
  std::string error_;
};

// Writes `path` atomically: the bytes go to `path`.tmp, which is flushed to
// disk and renamed over `path` by Commit. Without Commit, nothing changes.
class ByteFileWriter {
 public:
  ByteFileWriter() = default;
  ~ByteFileWriter();
  ByteFileWriter(const ByteFileWriter&) = delete;
  ByteFileWriter& operator=(const ByteFileWriter&) = delete;

  absl::Status Open(const std::string& path);
  void Raw(absl::string_view bytes);
  void Varint(uint64_t value);
  void Signed(int64_t value) { Varint(ZigZag(value)); }
  void String(absl::string_view text) {
    Varint(text.size());
    Raw(text);
  }
  // Appends the checksum, flushes, fsyncs and renames; the first write
  // error, if any, is returned here.
  absl::Status Commit();
  int64_t bytes_written() const { return written_; }

 private:
  void Flush();

  std::string path_;
  std::string tmp_path_;
  std::FILE* file_ = nullptr;
  std::vector<char> buffer_;
  size_t used_ = 0;
  Hash64 checksum_;
  int64_t written_ = 0;
  bool failed_ = false;
};

// Reads what ByteFileWriter wrote. Every read returns false once the file
// ends early or is damaged (then status() says how); Finish checks that the
// checksum matches and nothing follows it.
class ByteFileReader {
 public:
  ByteFileReader() = default;
  ~ByteFileReader();
  ByteFileReader(const ByteFileReader&) = delete;
  ByteFileReader& operator=(const ByteFileReader&) = delete;

  // NOT_FOUND when there is no such file.
  absl::Status Open(const std::string& path);
  bool Raw(size_t size, std::string* out);
  bool Varint(uint64_t* value);
  bool Signed(int64_t* value) {
    uint64_t raw = 0;
    if (!Varint(&raw)) return false;
    *value = UnZigZag(raw);
    return true;
  }
  // A count or index no larger than `max`.
  bool Bounded(uint64_t max, uint64_t* value);
  bool String(size_t max_size, std::string* out);
  // Records why the content cannot be used (the first reason is kept).
  bool Fail(absl::string_view why);
  absl::Status Finish();
  const absl::Status& status() const { return status_; }

 private:
  bool Byte(uint8_t* byte);
  bool Refill();

  std::string path_;
  std::FILE* file_ = nullptr;
  std::vector<char> buffer_;
  size_t pos_ = 0;
  size_t end_ = 0;
  size_t checked_ = 0;  // buffer_[0, checked_) is in checksum_
  bool in_trailer_ = false;
  Hash64 checksum_;
  absl::Status status_;
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_BASE_BYTE_FILE_H_
