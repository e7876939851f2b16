// The 290 Swedish municipalities (kommuner) and 21 counties (län), with SCB's
// official codes, population (SCB, 31 Dec 2024) and SKR's municipality group
// (Kommungruppsindelning 2023), embedded at build time from data/*.csv.
#ifndef INRAPPORT_COMMON_DOMAIN_MUNICIPALITIES_H_
#define INRAPPORT_COMMON_DOMAIN_MUNICIPALITIES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace inrapport {

struct Municipality {
  std::string code;         // "0180"
  std::string name;         // "Stockholm" (short form)
  std::string county_code;  // "01", the code's first two digits
  std::string county_name;  // "Stockholms län"
  int index = 0;            // dense 0..size()-1, in code order
  int64_t population = 0;   // folkmängd 31 Dec 2024 (SCB)
  std::string group;        // SKR's municipality group 2023: "A1" .. "C9"
  std::string group_name;   // "Storstäder"
  std::string main_group;   // "A", "B" or "C"
};

// SKR's nine municipality groups (Kommungruppsindelning 2023), in code order.
struct MunicipalityGroup {
  std::string code;  // "A1"
  std::string name;  // "Storstäder"
  int index = 0;     // 0..8, in code order
};

struct County {
  std::string code;  // "01"
  std::string name;  // "Stockholms län"
};

// Immutable after construction; safe to share between threads.
class Municipalities {
 public:
  // The official list, parsed once on first use.
  static const Municipalities& Official();

  // Null if `code` is not an official municipality code.
  const Municipality* Find(absl::string_view code) const;
  // Null if `code` is not an official county code.
  const County* FindCounty(absl::string_view code) const;

  const std::vector<Municipality>& all() const { return municipalities_; }
  const std::vector<County>& counties() const { return counties_; }
  const std::vector<MunicipalityGroup>& groups() const { return groups_; }
  // Null if `code` is not one of SKR's nine group codes.
  const MunicipalityGroup* FindGroup(absl::string_view code) const;
  size_t size() const { return municipalities_.size(); }

 private:
  Municipalities() = default;
  std::vector<Municipality> municipalities_;  // sorted by code
  std::vector<County> counties_;              // sorted by code
  std::vector<MunicipalityGroup> groups_;     // sorted by code
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_DOMAIN_MUNICIPALITIES_H_
