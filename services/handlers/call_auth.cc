#include "services/handlers/call_auth.h"

#include "absl/strings/str_cat.h"
#include "common/auth/bearer_header.h"
#include "common/base/log.h"
#include "common/base/rate_limiter.h"
#include "common/metrics/service_metrics.h"
#include "grpcpp/security/auth_context.h"

namespace inrapport {

absl::Status CheckLengths(std::initializer_list<FieldLength> fields) {
  for (const FieldLength& f : fields) {
    if (f.value.size() > f.limit) {
      return absl::InvalidArgumentError(
          absl::StrCat(f.field, ": at most ", f.limit, " bytes, got ", f.value.size()));
    }
  }
  return absl::OkStatus();
}

CallAuth::CallAuth(const TokenFile* tokens, bool client_certificates,
                   prometheus::Registry& registry, const std::vector<std::string>& methods)
    : tokens_(tokens), client_certificates_(client_certificates) {
  auto& family = prometheus::BuildCounter()
                     .Name("inrapport_refused_calls_total")
                     .Help("Calls refused before any work: UNAUTHENTICATED (no or unknown "
                           "credentials) or PERMISSION_DENIED (the caller may not do this), "
                           "by method.")
                     .Register(registry);
  for (const std::string& method : methods) {
    for (absl::StatusCode code :
         {absl::StatusCode::kUnauthenticated, absl::StatusCode::kPermissionDenied}) {
      refused_[{method, code}] = &family.Add(
          {{"grpc_method", method}, {"code", StatusCodeName(code)}});
    }
  }
}

absl::StatusOr<Principal> CallAuth::Authenticate(const grpc::ServerContextBase& context,
                                                 absl::string_view method) const {
  absl::StatusOr<Principal> principal = Identify(context);
  if (!principal.ok()) return Refused(context, method, principal.status(), "");
  return principal;
}

absl::StatusOr<Principal> CallAuth::Identify(const grpc::ServerContextBase& context) const {
  if (!authenticates()) return Principal::Admin();
  const auto& metadata = context.client_metadata();
  auto header = metadata.find("authorization");
  if (header != metadata.end()) {
    absl::StatusOr<absl::string_view> token =
        ParseBearerHeader(absl::string_view(header->second.data(), header->second.size()));
    if (!token.ok()) return token.status();
    if (tokens_ == nullptr) {
      return absl::UnauthenticatedError(
          "authorization: this server accepts client certificates, not bearer tokens");
    }
    std::optional<Principal> principal = tokens_->Find(*token);
    if (!principal) return absl::UnauthenticatedError("authorization: the token is not known");
    return *principal;
  }
  if (client_certificates_) {
    std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
    if (auth != nullptr && auth->IsPeerAuthenticated()) {
      const std::vector<grpc::string_ref> names = auth->FindPropertyValues("x509_common_name");
      if (names.empty()) {
        return absl::UnauthenticatedError("the client certificate has no common name");
      }
      const absl::string_view name(names.front().data(), names.front().size());
      absl::StatusOr<Principal> principal = ParsePrincipal(name);
      if (!principal.ok()) {
        return absl::UnauthenticatedError(
            absl::StrCat("the client certificate's common name: ", principal.status().message()));
      }
      return *principal;
    }
  }
  return absl::UnauthenticatedError(
      tokens_ != nullptr ? "no credentials: send the metadata \"authorization: Bearer <token>\""
                         : "no credentials: present a client certificate");
}

absl::StatusOr<Principal> CallAuth::Admit(const grpc::ServerContextBase& context,
                                          absl::string_view method,
                                          std::initializer_list<FieldLength> limits) const {
  absl::StatusOr<Principal> principal = Authenticate(context, method);
  if (!principal.ok()) return principal;
  absl::Status short_enough = CheckLengths(limits);
  if (!short_enough.ok()) return short_enough;
  return principal;
}

bool CallAuth::CarriesCredentials(const grpc::ServerContextBase& context) const {
  if (context.client_metadata().count("authorization") > 0) return true;
  if (!client_certificates_) return false;
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  return auth != nullptr && auth->IsPeerAuthenticated();
}

absl::StatusOr<std::optional<Principal>> CallAuth::AdmitOpenRead(
    const grpc::ServerContextBase& context, absl::string_view method,
    std::initializer_list<FieldLength> limits, bool open) const {
  if (open && authenticates() && !CarriesCredentials(context)) {
    absl::Status short_enough = CheckLengths(limits);
    if (!short_enough.ok()) return short_enough;
    return std::optional<Principal>();
  }
  absl::StatusOr<Principal> principal = Admit(context, method, limits);
  if (!principal.ok()) return principal.status();
  return std::optional<Principal>(*std::move(principal));
}

absl::StatusOr<Principal> CallAuth::Check(const grpc::ServerContextBase& context,
                                          absl::string_view method,
                                          std::initializer_list<FieldLength> limits,
                                          Action action, const AccessScope& scope) const {
  absl::StatusOr<Principal> principal = Admit(context, method, limits);
  if (!principal.ok()) return principal;
  absl::Status allowed = CheckPrincipal(context, method, *principal, action, scope);
  if (!allowed.ok()) return allowed;
  return principal;
}

absl::Status CallAuth::CheckPrincipal(const grpc::ServerContextBase& context,
                                      absl::string_view method, const Principal& principal,
                                      Action action, const AccessScope& scope) const {
  absl::Status allowed = Authorize(principal, action, scope);
  if (allowed.ok()) return allowed;
  return Refused(context, method, allowed, principal.ToString());
}

absl::Status CallAuth::Refused(const grpc::ServerContextBase& context, absl::string_view method,
                               const absl::Status& status, const std::string& principal) const {
  auto counter = refused_.find(std::make_pair(std::string(method), status.code()));
  if (counter != refused_.end()) counter->second->Increment();
  // A caller without credentials can make these lines: at most 10 a second
  // per method and code are written, and the next one written says how
  // many were not. The counter above counts them all.
  static RateLimiter* const limiter = new RateLimiter(10, absl::Seconds(1));
  const RateLimiter::Verdict verdict =
      limiter->Admit(absl::StrCat(method, " ", StatusCodeName(status.code())));
  if (!verdict.allowed) return status;
  // The message says what was refused; the token is never in it.
  std::vector<LogField> fields = {{"method", std::string(method)},
                                  {"code", StatusCodeName(status.code())},
                                  {"principal", principal.empty() ? "-" : principal},
                                  {"peer", context.peer()},
                                  {"reason", std::string(status.message())}};
  if (verdict.suppressed > 0) fields.emplace_back("suppressed", absl::StrCat(verdict.suppressed));
  LogFields(LogLevel::kWarning, "refused", fields);
  return status;
}

}  // namespace inrapport
