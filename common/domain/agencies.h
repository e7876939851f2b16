// The state agencies whose duties the service knows from the start: those
// of the example catalogue. A store registers them when it first opens, so
// that their duties are accepted; the administrator names any other agency
// (and may rename these) through the API.
#ifndef INRAPPORT_COMMON_DOMAIN_AGENCIES_H_
#define INRAPPORT_COMMON_DOMAIN_AGENCIES_H_

#include <vector>

#include "common/domain/types.h"

namespace inrapport {

// In id order. Their organisation numbers are not stated: the administrator
// adds each from Bolagsverket's register.
const std::vector<Agency>& BuiltInAgencies();

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_DOMAIN_AGENCIES_H_
