// The page for the people who report: a server-rendered page in Swedish for
// one municipality, on the HTTP listener. Every duty the municipality must
// report, with the purpose in the agency's words, the legal basis as
// written and as the service reads it, the flags and their reasons, what
// the agency has recorded as uses of the data ("vad hände med våra
// uppgifter?") and the time the municipality spent on it last year. Plain
// HTML without JavaScript; every text it shows is escaped.
#ifndef INRAPPORT_SERVICES_HTTP_MUNICIPALITY_PAGE_H_
#define INRAPPORT_SERVICES_HTTP_MUNICIPALITY_PAGE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "inrapport/v1/burden_query.pb.h"
#include "inrapport/v1/duty_registry.pb.h"

namespace inrapport {

struct MunicipalityPage {
  std::string code;  // "0180"
  std::string name;  // "Stockholm"
  std::string today;  // YYYY-MM-DD, when the page was made
  int year = 0;  // the last whole year, whose time is shown
  // The duties in force that the municipality must report, by title.
  std::vector<v1::ReportingDuty> duties;
  // The recorded uses of those duties' data, by duty, newest first.
  std::map<std::string, std::vector<v1::DutyUse>> uses;
  // The municipality's reports and minutes of `year`, by duty.
  struct Time {
    int64_t reports = 0;
    int64_t minutes = 0;
  };
  std::map<std::string, Time> time;
  // What is due from the municipality (ListDueReports over its default
  // range), by deadline; the page shows what is still to be sent.
  std::vector<v1::DueReport> due;
  std::string due_from;  // YYYY-MM-DD, the range `due` covers
  std::string due_to;
};

std::string RenderMunicipalityPage(const MunicipalityPage& page);

// The sign-in form: the municipality's code and its token (kept in a
// cookie for the page only). `problem`, if set, says what went wrong.
std::string RenderSignInPage(const std::string& problem);

// A short page in Swedish for an error: its heading and text.
std::string RenderProblemPage(const std::string& heading, const std::string& text);

}  // namespace inrapport

#endif  // INRAPPORT_SERVICES_HTTP_MUNICIPALITY_PAGE_H_
