// inrapport.v1.BurdenQuery: burden summaries, the ranked flagged duties,
// per-duty accounts, completeness, the arena report and the municipalities'
// comments.
#ifndef INRAPPORT_SERVICES_HANDLERS_BURDEN_QUERY_SERVICE_H_
#define INRAPPORT_SERVICES_HANDLERS_BURDEN_QUERY_SERVICE_H_

#include <string>
#include <vector>

#include "common/burden/burden_queries.h"
#include "common/catalog/agency_register.h"
#include "common/catalog/duty_catalog.h"
#include "common/due/due_reports.h"
#include "common/lifecycle/duty_lifecycle.h"
#include "common/report/arena_report.h"
#include "inrapport/v1/burden_query.grpc.pb.h"
#include "services/handlers/call_auth.h"
#include "services/handlers/raw_call.h"

namespace inrapport {

// Every method raw: requests are parsed in services/handlers/raw_call.h.
using RawBurdenQueryService =
    v1::BurdenQuery::WithRawCallbackMethod_GetBurdenSummary<
    v1::BurdenQuery::WithRawCallbackMethod_ListFlaggedDuties<
    v1::BurdenQuery::WithRawCallbackMethod_ListDutyAccounts<
    v1::BurdenQuery::WithRawCallbackMethod_GetCompleteness<
    v1::BurdenQuery::WithRawCallbackMethod_GetArenaReport<
    v1::BurdenQuery::WithRawCallbackMethod_ListComments<
    v1::BurdenQuery::WithRawCallbackMethod_ListDueReports<
    v1::BurdenQuery::Service>>>>>>>;

class BurdenQueryService final : public RawBurdenQueryService {
 public:
  // The pointers are not owned and must outlive the service. `illustrative`:
  // the server's data is made up, and the arena report says so. Without
  // `due`, ListDueReports is UNIMPLEMENTED. Without `lifecycle`, the arena
  // report lists no decisions. An agency's name in the decisions comes from
  // `agencies`, else from `catalog`, else it is the agency's id.
  BurdenQueryService(const BurdenQueries* queries, const CallAuth* auth,
                     bool illustrative = false, const DueReports* due = nullptr,
                     const DutyLifecycle* lifecycle = nullptr,
                     const AgencyRegister* agencies = nullptr,
                     DutyCatalog* catalog = nullptr)
      : queries_(queries),
        auth_(auth),
        illustrative_(illustrative),
        due_(due),
        lifecycle_(lifecycle),
        agencies_(agencies),
        catalog_(catalog) {}

  grpc::ServerUnaryReactor* GetBurdenSummary(grpc::CallbackServerContext* context,
                                             const grpc::ByteBuffer* request,
                                             grpc::ByteBuffer* response) override {
    return ServeUnary<v1::GetBurdenSummaryRequest, v1::GetBurdenSummaryResponse>(
        context, request, response,
        [this](auto... args) { return HandleGetBurdenSummary(args...); });
  }
  grpc::ServerUnaryReactor* ListFlaggedDuties(grpc::CallbackServerContext* context,
                                              const grpc::ByteBuffer* request,
                                              grpc::ByteBuffer* response) override {
    return ServeUnary<v1::ListFlaggedDutiesRequest, v1::ListFlaggedDutiesResponse>(
        context, request, response,
        [this](auto... args) { return HandleListFlaggedDuties(args...); });
  }
  grpc::ServerUnaryReactor* ListDutyAccounts(grpc::CallbackServerContext* context,
                                             const grpc::ByteBuffer* request,
                                             grpc::ByteBuffer* response) override {
    return ServeUnary<v1::ListDutyAccountsRequest, v1::ListDutyAccountsResponse>(
        context, request, response,
        [this](auto... args) { return HandleListDutyAccounts(args...); });
  }
  grpc::ServerUnaryReactor* GetCompleteness(grpc::CallbackServerContext* context,
                                            const grpc::ByteBuffer* request,
                                            grpc::ByteBuffer* response) override {
    return ServeUnary<v1::GetCompletenessRequest, v1::GetCompletenessResponse>(
        context, request, response,
        [this](auto... args) { return HandleGetCompleteness(args...); });
  }
  grpc::ServerUnaryReactor* GetArenaReport(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override {
    return ServeUnary<v1::GetArenaReportRequest, v1::GetArenaReportResponse>(
        context, request, response,
        [this](auto... args) { return HandleGetArenaReport(args...); });
  }
  grpc::ServerUnaryReactor* ListComments(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override {
    return ServeUnary<v1::ListCommentsRequest, v1::ListCommentsResponse>(
        context, request, response,
        [this](auto... args) { return HandleListComments(args...); });
  }
  grpc::ServerUnaryReactor* ListDueReports(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override {
    return ServeUnary<v1::ListDueReportsRequest, v1::ListDueReportsResponse>(
        context, request, response,
        [this](auto... args) { return HandleListDueReports(args...); });
  }

 private:
  absl::Status HandleGetBurdenSummary(grpc::CallbackServerContext* context,
                                      const v1::GetBurdenSummaryRequest* request,
                                      v1::GetBurdenSummaryResponse* response);
  absl::Status HandleListFlaggedDuties(grpc::CallbackServerContext* context,
                                       const v1::ListFlaggedDutiesRequest* request,
                                       v1::ListFlaggedDutiesResponse* response);
  absl::Status HandleListDutyAccounts(grpc::CallbackServerContext* context,
                                      const v1::ListDutyAccountsRequest* request,
                                      v1::ListDutyAccountsResponse* response);
  absl::Status HandleGetCompleteness(grpc::CallbackServerContext* context,
                                     const v1::GetCompletenessRequest* request,
                                     v1::GetCompletenessResponse* response);
  absl::Status HandleGetArenaReport(grpc::CallbackServerContext* context,
                                    const v1::GetArenaReportRequest* request,
                                    v1::GetArenaReportResponse* response);
  absl::Status HandleListComments(grpc::CallbackServerContext* context,
                                  const v1::ListCommentsRequest* request,
                                  v1::ListCommentsResponse* response);
  absl::Status HandleListDueReports(grpc::CallbackServerContext* context,
                                    const v1::ListDueReportsRequest* request,
                                    v1::ListDueReportsResponse* response);
  void ToProto(const BurdenRowData& row, v1::BurdenRow* proto) const;
  // The lifecycle's decided duties as the arena report's decisions, ordered
  // as ArenaReport::decisions says.
  std::vector<ArenaDecision> Decisions() const;
  std::string AgencyName(const std::string& agency_id) const;

  const BurdenQueries* queries_;
  const CallAuth* auth_;
  const bool illustrative_;
  const DueReports* const due_;
  const DutyLifecycle* const lifecycle_;
  const AgencyRegister* const agencies_;
  DutyCatalog* const catalog_;
};

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_HANDLERS_BURDEN_QUERY_SERVICE_H_
