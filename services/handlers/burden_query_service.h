// inrapport.v1.BurdenQuery: burden summaries, the ranked flagged duties,
// per-duty accounts, completeness and the arena report.
#ifndef INRAPPORT_SERVICES_HANDLERS_BURDEN_QUERY_SERVICE_H_
#define INRAPPORT_SERVICES_HANDLERS_BURDEN_QUERY_SERVICE_H_

#include "common/burden/burden_queries.h"
#include "inrapport/v1/burden_query.grpc.pb.h"
#include "services/handlers/call_auth.h"

namespace inrapport {

class BurdenQueryService final : public v1::BurdenQuery::CallbackService {
 public:
  // The pointers are not owned and must outlive the service.
  BurdenQueryService(const BurdenQueries* queries, const CallAuth* auth)
      : queries_(queries), auth_(auth) {}

  grpc::ServerUnaryReactor* GetBurdenSummary(
      grpc::CallbackServerContext* context,
      const v1::GetBurdenSummaryRequest* request,
      v1::GetBurdenSummaryResponse* response) override;
  grpc::ServerUnaryReactor* ListFlaggedDuties(
      grpc::CallbackServerContext* context,
      const v1::ListFlaggedDutiesRequest* request,
      v1::ListFlaggedDutiesResponse* response) override;
  grpc::ServerUnaryReactor* ListDutyAccounts(
      grpc::CallbackServerContext* context,
      const v1::ListDutyAccountsRequest* request,
      v1::ListDutyAccountsResponse* response) override;
  grpc::ServerUnaryReactor* GetCompleteness(
      grpc::CallbackServerContext* context,
      const v1::GetCompletenessRequest* request,
      v1::GetCompletenessResponse* response) override;
  grpc::ServerUnaryReactor* GetArenaReport(
      grpc::CallbackServerContext* context,
      const v1::GetArenaReportRequest* request,
      v1::GetArenaReportResponse* response) override;

 private:
  void ToProto(const BurdenRowData& row, v1::BurdenRow* proto) const;

  const BurdenQueries* queries_;
  const CallAuth* auth_;
};

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_HANDLERS_BURDEN_QUERY_SERVICE_H_
