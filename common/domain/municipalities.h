// The 290 Swedish municipalities (kommuner) and 21 counties (län), with SCB's
// official codes, embedded at build time from data/municipalities.csv and
// data/counties.csv.
#ifndef INRAPPORT_COMMON_DOMAIN_MUNICIPALITIES_H_
#define INRAPPORT_COMMON_DOMAIN_MUNICIPALITIES_H_

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
  size_t size() const { return municipalities_.size(); }

 private:
  Municipalities() = default;
  std::vector<Municipality> municipalities_;  // sorted by code
  std::vector<County> counties_;              // sorted by code
};

}  // namespace inrapport

#endif  // INRAPPORT_COMMON_DOMAIN_MUNICIPALITIES_H_
