#include "common/domain/agencies.h"

namespace inrapport {

const std::vector<Agency>& BuiltInAgencies() {
  static const auto* const kAgencies = new std::vector<Agency>{
      {"boverket", "Boverket", ""},
      {"folkhalsomyndigheten", "Folkhälsomyndigheten", ""},
      {"ivo", "Inspektionen för vård och omsorg", ""},
      {"livsmedelsverket", "Livsmedelsverket", ""},
      {"mfd", "Myndigheten för delaktighet", ""},
      {"migrationsverket", "Migrationsverket", ""},
      {"msb", "Myndigheten för samhällsskydd och beredskap", ""},
      {"naturvardsverket", "Naturvårdsverket", ""},
      {"scb", "Statistiska centralbyrån", ""},
      {"skolverket", "Statens skolverk", ""},
      {"socialstyrelsen", "Socialstyrelsen", ""},
  };
  return *kAgencies;
}

}  // namespace inrapport
