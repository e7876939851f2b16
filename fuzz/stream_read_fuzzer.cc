// The SubmitReports stream's read loop as the server runs it, without the
// network: the input is cut into frames (a length byte, then that many
// bytes), each frame is read as the reactor reads a message
// (ReadStreamMessage) and handed to a ReportStream over an in-memory store.
// Every frame read is answered exactly once (accepted + duplicate +
// rejected = frames), rejections point at frames in order, and the same
// frames sent again store nothing new: what was accepted or duplicate is
// duplicate, and what was rejected is rejected again.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/intake/report_stream.h"
#include "fuzz/fuzz_check.h"
#include "google/protobuf/stubs/logging.h"
#include "grpcpp/support/byte_buffer.h"
#include "prometheus/registry.h"
#include "services/handlers/report_intake_service.h"
#include "tests/support/examples.h"
#include "tests/support/fake_store.h"

namespace inrapport {
namespace {

class FrameTransport : public ReportStream::Transport {
 public:
  explicit FrameTransport(const std::vector<std::string>& frames) : frames_(frames) {}

  void ReadNext() override { read_asked_ = true; }
  void Finish(const absl::Status& status, const ReportStream::Summary& summary) override {
    ++finishes;
    this->status = status;
    this->summary = summary;
  }
  bool Cancelled() const override { return false; }

  // Reads every frame the stream asks for, then half-closes.
  void Run(ReportStream& stream) {
    stream.Start();
    while (read_asked_) {
      read_asked_ = false;
      if (next_ < frames_.size()) {
        grpc::Slice slice(frames_[next_++]);
        grpc::ByteBuffer message(&slice, 1);
        stream.OnMessage(ReadStreamMessage(message));
      } else {
        stream.OnEnd();
      }
    }
  }

  int finishes = 0;
  absl::Status status;
  ReportStream::Summary summary;

 private:
  const std::vector<std::string>& frames_;
  size_t next_ = 0;
  bool read_asked_ = false;
};

struct World {
  World() {
    aggregates = std::move(*Aggregates::Load(store));
    catalog = std::move(*DutyCatalog::Load(&store, aggregates.get()));
    (void)catalog->Create(testing::ExampleDuty());  // "ivo-ej-verkstallda-beslut", quarterly
    intake = std::make_unique<ReportIntake>(&store, catalog.get(), aggregates.get(), &metrics,
                                            [] { return absl::CivilDay(2026, 6, 30); });
  }
  testing::FakeStore store;
  std::unique_ptr<Aggregates> aggregates;
  std::unique_ptr<DutyCatalog> catalog;  // listens to aggregates
  prometheus::Registry registry;
  IntakeMetrics metrics{registry};
  std::unique_ptr<ReportIntake> intake;
};

std::string Describe(const ReportStream::Summary& s) {
  return absl::StrCat("accepted ", s.accepted, " duplicate ", s.duplicate, " rejected ",
                      s.rejected);
}

}  // namespace
}  // namespace inrapport

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace inrapport;
  // Unparseable strings make protobuf log; that is expected here.
  static const bool quiet = [] {
    google::protobuf::SetLogHandler(nullptr);
    return true;
  }();
  (void)quiet;
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> frames;
  for (size_t i = 0; i < input.size();) {
    const size_t length = static_cast<uint8_t>(input[i++]);
    frames.emplace_back(input.substr(i, length));
    i += length;
  }

  ReportStream::Limits limits;
  limits.batch_size = 3;
  limits.batches_in_flight = 2;
  limits.max_messages = 64;
  limits.max_listed_rejections = 8;
  const bool over_limit = frames.size() > static_cast<size_t>(limits.max_messages);

  World world;
  FrameTransport first(frames);
  {
    ReportStream stream(world.intake.get(), &first, limits);
    first.Run(stream);
  }
  FUZZ_CHECK(first.finishes == 1, input, absl::StrCat(first.finishes, " finishes"));
  if (over_limit) {
    FUZZ_CHECK(first.status.code() == absl::StatusCode::kResourceExhausted, input,
               first.status.ToString());
    return 0;
  }
  FUZZ_CHECK(first.status.ok(), input, first.status.ToString());
  const ReportStream::Summary& one = first.summary;
  FUZZ_CHECK(one.read() == static_cast<int64_t>(frames.size()), input,
             absl::StrCat(Describe(one), " of ", frames.size(), " frames"));
  FUZZ_CHECK(*world.store.CountReports() == one.accepted, input, Describe(one));
  int64_t previous = -1;
  for (const ReportStream::Rejection& rejection : one.rejections) {
    FUZZ_CHECK(rejection.index > previous && rejection.index < one.read(), input,
               absl::StrCat("rejection at ", rejection.index));
    FUZZ_CHECK(!rejection.status.ok(), input, "a rejection without an error");
    previous = rejection.index;
  }

  FrameTransport again(frames);
  {
    ReportStream stream(world.intake.get(), &again, limits);
    again.Run(stream);
  }
  const ReportStream::Summary& two = again.summary;
  FUZZ_CHECK(again.status.ok() && two.accepted == 0 &&
                 two.duplicate == one.accepted + one.duplicate && two.rejected == one.rejected,
             input, absl::StrCat("first ", Describe(one), ", again ", Describe(two)));
  return 0;
}
