// The command-line flags of inrapport, defined in flags.cc; each command
// reads the ones it takes.
#ifndef INRAPPORT_SERVICES_CLI_FLAGS_H_
#define INRAPPORT_SERVICES_CLI_FLAGS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/flags/declare.h"

ABSL_DECLARE_FLAG(std::string, server);
ABSL_DECLARE_FLAG(int, timeout_seconds);
ABSL_DECLARE_FLAG(std::string, token_file);
ABSL_DECLARE_FLAG(std::string, tls_ca);
ABSL_DECLARE_FLAG(std::string, tls_cert);
ABSL_DECLARE_FLAG(std::string, tls_key);
ABSL_DECLARE_FLAG(std::string, format);
ABSL_DECLARE_FLAG(std::string, agency);
ABSL_DECLARE_FLAG(std::string, sector);
ABSL_DECLARE_FLAG(bool, flagged);
ABSL_DECLARE_FLAG(std::string, group_by);
ABSL_DECLARE_FLAG(std::string, municipality);
ABSL_DECLARE_FLAG(std::string, from);
ABSL_DECLARE_FLAG(std::string, to);
ABSL_DECLARE_FLAG(std::string, lang);
ABSL_DECLARE_FLAG(int, limit);
ABSL_DECLARE_FLAG(std::string, duty);
ABSL_DECLARE_FLAG(std::string, use_id);
ABSL_DECLARE_FLAG(std::string, kind);
ABSL_DECLARE_FLAG(std::string, date);
ABSL_DECLARE_FLAG(std::string, data_periods);
ABSL_DECLARE_FLAG(std::string, description);
ABSL_DECLARE_FLAG(std::string, link);
ABSL_DECLARE_FLAG(std::string, output);
ABSL_DECLARE_FLAG(std::string, encoding);
ABSL_DECLARE_FLAG(std::string, since);
ABSL_DECLARE_FLAG(std::string, reason);
ABSL_DECLARE_FLAG(std::string, period);
ABSL_DECLARE_FLAG(int64_t, minutes_spent);
ABSL_DECLARE_FLAG(int, staff_count);
ABSL_DECLARE_FLAG(int, usefulness);
ABSL_DECLARE_FLAG(std::optional<std::string>, comment);
ABSL_DECLARE_FLAG(std::string, name);
ABSL_DECLARE_FLAG(std::string, organisation_number);
ABSL_DECLARE_FLAG(std::string, file);
ABSL_DECLARE_FLAG(std::string, until);
ABSL_DECLARE_FLAG(double, minutes);
ABSL_DECLARE_FLAG(std::string, already_reported_where);
ABSL_DECLARE_FLAG(std::string, decision);
ABSL_DECLARE_FLAG(std::string, expires_on);
ABSL_DECLARE_FLAG(std::string, decided_on);
ABSL_DECLARE_FLAG(std::string, merge_into);
ABSL_DECLARE_FLAG(bool, evidence_only);

#endif  // INRAPPORT_SERVICES_CLI_FLAGS_H_
