// Admission of a call: who is calling (a bearer token or a verified client
// certificate), whether the request's strings are within their limits, and
// whether the access policy (common/auth/access_policy.h) lets the caller do
// what the call does. Refusals are counted and logged, never with the token.
#ifndef INRAPPORT_SERVICES_HANDLERS_CALL_AUTH_H_
#define INRAPPORT_SERVICES_HANDLERS_CALL_AUTH_H_

#include <cstddef>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/access_policy.h"
#include "common/auth/principal.h"
#include "common/auth/token_file.h"
#include "grpcpp/server_context.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"

namespace inrapport {

// The longest filter string (an id, a municipality code, a period) and page
// token a request may carry: well above any valid one, far below the
// message limit.
inline constexpr size_t kMaxFilterLength = 64;
inline constexpr size_t kMaxPageTokenLength = 512;

// A request field and its length limit.
struct FieldLength {
  const char* field;
  absl::string_view value;
  size_t limit = kMaxFilterLength;
};

// INVALID_ARGUMENT naming the first field longer than its limit.
absl::Status CheckLengths(std::initializer_list<FieldLength> fields);

// Every call is admitted in one order, decided here:
//   1. authentication: no or unknown credentials are UNAUTHENTICATED,
//      counted and logged, whatever else the request carries;
//   2. the request's length limits: INVALID_ARGUMENT naming the field, not
//      counted as a refusal; no oversized text reaches a log line, as
//      authorization's refusals quote what was asked for;
//   3. authorization: PERMISSION_DENIED, counted and logged.
// All three come before any work. Thread-safe.
class CallAuth {
 public:
  // `tokens` (may be null) holds the bearer tokens; `client_certificates`
  // says whether a verified client certificate names the caller. With
  // neither, every caller is the administrator: the server then listens on
  // loopback only, or was explicitly allowed to serve without
  // authentication. `methods` are the method names ("SubmitReport") the
  // refusal metric counts.
  CallAuth(const TokenFile* tokens, bool client_certificates, prometheus::Registry& registry,
           const std::vector<std::string>& methods);

  bool authenticates() const { return tokens_ != nullptr || client_certificates_; }

  // The caller, or UNAUTHENTICATED (no credentials, or unknown ones), which
  // is counted and logged as a refusal of `method`.
  absl::StatusOr<Principal> Authenticate(const grpc::ServerContextBase& context,
                                         absl::string_view method) const;

  // Steps 1 and 2: Authenticate, then CheckLengths(`limits`). For a call
  // whose authorization needs a lookup first (CheckPrincipal after it).
  absl::StatusOr<Principal> Admit(const grpc::ServerContextBase& context,
                                  absl::string_view method,
                                  std::initializer_list<FieldLength> limits) const;

  // All three steps: Admit, then Authorize `action` on `scope`. Returns the
  // caller on success.
  absl::StatusOr<Principal> Check(const grpc::ServerContextBase& context,
                                  absl::string_view method,
                                  std::initializer_list<FieldLength> limits, Action action,
                                  const AccessScope& scope) const;

  // The open register's reads (services/handlers/open_register_service.h).
  // With `open` (inrapportd's --open_register), a call that carries no
  // credentials at all (no authorization metadata, no verified client
  // certificate) is admitted without a principal: nullopt, after the length
  // limits. A call that carries credentials is admitted as by Admit, so an
  // unknown token stays UNAUTHENTICATED (counted and logged). Without
  // `open`, exactly Admit: any authenticated caller may read. No other call
  // is ever admitted without a principal.
  absl::StatusOr<std::optional<Principal>> AdmitOpenRead(
      const grpc::ServerContextBase& context, absl::string_view method,
      std::initializer_list<FieldLength> limits, bool open) const;

  // Authorize a caller already authenticated (a stream's later messages).
  absl::Status CheckPrincipal(const grpc::ServerContextBase& context, absl::string_view method,
                              const Principal& principal, Action action,
                              const AccessScope& scope) const;

 private:
  absl::StatusOr<Principal> Identify(const grpc::ServerContextBase& context) const;
  // Whether the call names a caller at all: authorization metadata, or a
  // verified client certificate where certificates name callers.
  bool CarriesCredentials(const grpc::ServerContextBase& context) const;
  absl::Status Refused(const grpc::ServerContextBase& context, absl::string_view method,
                       const absl::Status& status, const std::string& principal) const;

  const TokenFile* tokens_;
  const bool client_certificates_;
  // (method, code) -> counter; created up front, never per call.
  std::map<std::pair<std::string, absl::StatusCode>, prometheus::Counter*, std::less<>>
      refused_;
};

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_HANDLERS_CALL_AUTH_H_
