// The words of the arena report in Swedish and English: names of sectors,
// frequencies and flags, what each flag means, the title, the notice of
// illustrative data and the method section. Swedish uses the terms of the
// field: uppgiftskrav, inrapportering, återrapportering, riktat statsbidrag,
// syfte, författningsstöd, kommungrupp.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "common/domain/lifecycle.h"
#include "common/domain/types.h"
#include "common/flags/flag_rules.h"
#include "common/report/arena_report.h"
#include "common/report/render_internal.h"

namespace inrapport::report_internal {
namespace {

struct Words {
  absl::string_view en;
  absl::string_view sv;
};

std::string In(const Words& words, ReportLanguage language) {
  return std::string(Tr(language, words.en, words.sv));
}

std::string Count(int64_t n, ReportLanguage language) {
  return Human(absl::StrCat(n), language);
}

}  // namespace

std::string SectorLabel(Sector sector, ReportLanguage language) {
  switch (sector) {
    case Sector::kSocialServices:
      return In({"Social services", "Socialtjänst"}, language);
    case Sector::kDisabilitySupport:
      return In({"Disability support", "Stöd till personer med funktionsnedsättning"}, language);
    case Sector::kElderlyCare:
      return In({"Elderly care", "Äldreomsorg"}, language);
    case Sector::kHealthCare:
      return In({"Health care", "Hälso- och sjukvård"}, language);
    case Sector::kSchool:
      return In({"School", "Skola"}, language);
    case Sector::kCrisisPreparedness:
      return In({"Crisis preparedness", "Krisberedskap"}, language);
    case Sector::kFinance:
      return In({"Finance", "Ekonomi"}, language);
    case Sector::kHousingPlanning:
      return In({"Housing and planning", "Bostäder och samhällsplanering"}, language);
    case Sector::kEnvironment:
      return In({"Environment", "Miljö"}, language);
    case Sector::kOther:
      return In({"Other", "Övrigt"}, language);
    case Sector::kUnspecified:
      break;
  }
  return In({"Unspecified", "Ej angiven"}, language);
}

std::string FrequencyLabel(Frequency frequency, ReportLanguage language) {
  switch (frequency) {
    case Frequency::kAnnual:
      return In({"annual", "årlig"}, language);
    case Frequency::kSemiannual:
      return In({"semiannual", "halvårsvis"}, language);
    case Frequency::kQuarterly:
      return In({"quarterly", "kvartalsvis"}, language);
    case Frequency::kMonthly:
      return In({"monthly", "månadsvis"}, language);
    case Frequency::kWeekly:
      return In({"weekly", "veckovis"}, language);
    case Frequency::kAdHoc:
      return In({"ad hoc", "vid behov"}, language);
    case Frequency::kUnspecified:
      break;
  }
  return In({"unspecified", "ej angiven"}, language);
}

namespace {

// Every flag the rules raise, with its name, in the order the method
// explains them.
struct FlagName {
  absl::string_view code;
  Words words;
};
constexpr FlagName kFlagNames[] = {
    {kNoStatedPurpose, {"No stated purpose", "Syfte saknas"}},
    {kBoilerplatePurpose, {"Boilerplate purpose", "Syftet är en standardformulering"}},
    {kNoLegalBasis, {"No legal basis", "Författningsstöd saknas"}},
    {kDuplicateData,
     {"Data another agency already asks for", "Uppgifter som en annan myndighet redan begär"}},
    {kTargetedGrantReporting,
     {"Re-reporting of a targeted grant", "Återrapportering av riktat statsbidrag"}},
    {kNoFeedback, {"No feedback to the municipalities", "Ingen återkoppling till kommunerna"}},
    {kAlreadyReportedElsewhere, {"Already reported elsewhere", "Redan inrapporterat på annat håll"}},
    {kLowUsefulness, {"Low usefulness", "Låg nytta enligt kommunerna"}},
    {kEstimateGap,
     {"Time far above the agency's estimate", "Tiden långt över myndighetens skattning"}},
    {kExpired, {"Reported after its end date", "Inrapporterat efter slutdatum"}},
    {kNoRecordedUse,
     {"No recorded use of the data", "Ingen registrerad användning av uppgifterna"}},
};

}  // namespace

std::string FlagLabel(absl::string_view code, ReportLanguage language) {
  for (const FlagName& name : kFlagNames) {
    if (name.code == code) return In(name.words, language);
  }
  return std::string(code);
}

std::string FlagMeaning(absl::string_view code, const FlagThresholds& t, ReportLanguage l) {
  const bool sv = l == ReportLanguage::kSwedish;
  const std::string share_no = HumanPercent(t.no_feedback_share, l);
  const std::string share_elsewhere = HumanPercent(t.already_reported_elsewhere_share, l);
  if (code == kNoStatedPurpose) {
    return sv ? "Uppgiftskravet anger inget syfte (tomt, bara skiljetecken eller en platshållare "
                "som \"N/A\" eller \"Syfte saknas\"). Följer texten som gällde under perioden."
              : "The duty states no purpose (empty, only punctuation, or a placeholder such as "
                "\"N/A\" or \"TBD\"). Follows the text in force during the period.";
  }
  if (code == kBoilerplatePurpose) {
    return sv ? "Syftet är bara en standardformulering (\"Se föreskrifterna\", \"Enligt lag\", "
                "\"För statistiska ändamål\") som inte säger vem som använder uppgifterna eller "
                "till vad."
              : "The purpose is only a generic phrase (\"See the regulations\", \"By law\", "
                "\"For statistical purposes\") that does not say who uses the data or for what.";
  }
  if (code == kNoLegalBasis) {
    return sv ? "Inget författningsstöd anges, eller inget som går att läsa som en svensk källa. "
                "Ett angivet stöd som katalogen inte kunnat verifiera visas som overifierat och "
                "flaggas inte."
              : "No legal basis is stated, or none that reads as a Swedish source. A stated basis "
                "the catalogue could not verify is shown as unverified and is not flagged.";
  }
  if (code == kDuplicateData) {
    return sv ? "Ett uppgiftskrav från en annan myndighet begär redan några av samma uppgifter "
                "(engångsuppgiftslämnande)."
              : "A duty of another agency already asks for some of the same data items (the "
                "once-only principle).";
  }
  if (code == kTargetedGrantReporting) {
    return sv ? "Uppgiftskravet är återrapportering av ett riktat statsbidrag."
              : "The duty re-reports the use of a targeted state grant.";
  }
  if (code == kNoFeedback) {
    return sv ? absl::StrCat("Minst ", share_no, " av de inrapporteringar under perioden som "
                             "besvarat frågan (och minst ", t.no_feedback_min_answers,
                             " svar) säger att inget kom tillbaka till kommunen.")
              : absl::StrCat("At least ", share_no, " of the period's reports that answered (and "
                             "at least ", t.no_feedback_min_answers,
                             " answers) say nothing came back to the municipality.");
  }
  if (code == kAlreadyReportedElsewhere) {
    return sv ? absl::StrCat("Minst ", share_elsewhere, " av de inrapporteringar under perioden "
                             "som besvarat frågan (och minst ",
                             t.already_reported_elsewhere_min_answers,
                             " svar) säger att samma uppgifter redan lämnas på annat håll.")
              : absl::StrCat("At least ", share_elsewhere, " of the period's reports that "
                             "answered (and at least ", t.already_reported_elsewhere_min_answers,
                             " answers) say the same data is already reported elsewhere.");
  }
  if (code == kLowUsefulness) {
    return sv ? absl::StrCat("Medianen av kommunernas bedömda nytta (1–5) under perioden är högst ",
                             Human(Fixed(t.low_usefulness_median, 1), l), " (minst ",
                             t.low_usefulness_min_answers, " svar).")
              : absl::StrCat("The median usefulness the municipalities state (1–5) in the period "
                             "is at most ", Human(Fixed(t.low_usefulness_median, 1), l),
                             " (at least ", t.low_usefulness_min_answers, " answers).");
  }
  if (code == kEstimateGap) {
    return sv ? absl::StrCat("Mediantiden per inrapportering under perioden är mer än ",
                             Human(Fixed(t.estimate_gap_factor, 1), l),
                             " gånger myndighetens egen skattning (minst ",
                             t.estimate_gap_min_reports, " inrapporteringar).")
              : absl::StrCat("The period's median minutes per report exceed the agency's own "
                             "estimate more than ", Human(Fixed(t.estimate_gap_factor, 1), l),
                             " times (at least ", t.estimate_gap_min_reports, " reports).");
  }
  if (code == kExpired) {
    return sv ? "Inrapporteringar kommer in för perioder efter uppgiftskravets slutdatum."
              : "Reports arrive for periods after the duty's end date.";
  }
  if (code == kNoRecordedUse) {
    return sv ? absl::StrCat("Periodens uppgifter har rapporterats in, men ingen användning av "
                             "just den periodens uppgifter har registrerats, ",
                             t.no_recorded_use_grace_days,
                             " dagar efter periodens slut (uppgifter kan inte användas innan de "
                             "finns).")
              : absl::StrCat("The period's data was reported, but no use of that period's data "
                             "is recorded ", t.no_recorded_use_grace_days,
                             " days after the period's end (data cannot be used before it "
                             "exists).");
  }
  return std::string(code);
}

const std::string& ReasonIn(const Flag& flag, ReportLanguage language) {
  if (language == ReportLanguage::kSwedish && !flag.reason_sv.empty()) return flag.reason_sv;
  return flag.reason;
}

std::string DecisionLabel(DecisionKind kind, ReportLanguage language) {
  switch (kind) {
    case DecisionKind::kKeep:
      return In({"keep", "behålls"}, language);
    case DecisionKind::kSimplify:
      return In({"simplify", "förenklas"}, language);
    case DecisionKind::kMerge:
      return In({"merge", "slås samman"}, language);
    case DecisionKind::kWithdraw:
      return In({"withdraw", "återkallas"}, language);
    default:
      break;
  }
  // Not a decision on a duty in force; named as the lifecycle names it.
  return std::string(language == ReportLanguage::kSwedish ? DecisionKindNameSv(kind)
                                                          : DecisionKindName(kind));
}

std::string DecisionSideLabel(bool after, ReportLanguage language) {
  return after ? In({"after", "efter"}, language) : In({"before", "före"}, language);
}

std::string DecisionsLead(ReportLanguage language) {
  return In({"The arena's latest decision on each duty in force it has decided on (keep, "
             "simplify, merge or withdraw), with the duty's measured burden per calendar year "
             "before and after the decision, so that a reduction is shown by the reports, not "
             "promised. A year is the year a report's period ends in; a year with periods on "
             "both sides of the decision's date has one row for each side. The change compares "
             "the last calendar year wholly before the decision with the first ended calendar "
             "year wholly after it; a year the decision's date splits, or one still running, is "
             "not compared.",
             "Utvecklingsarenans senaste beslut om varje gällande uppgiftskrav som den har "
             "prövat (behålls, förenklas, slås samman eller återkallas), med uppgiftskravets "
             "uppmätta börda per kalenderår före och efter beslutet, så att en minskning visas "
             "i inrapporteringarna och inte bara utlovas. Ett år är det år då "
             "inrapporteringens period slutar; ett år med perioder på båda sidor om "
             "beslutsdagen har en rad för varje sida. Förändringen jämför det sista "
             "kalenderåret helt före beslutet med det första avslutade kalenderåret helt efter "
             "det; ett år som beslutsdagen delar, eller som ännu pågår, jämförs inte."},
            language);
}

std::string NoDecisionsText(ReportLanguage language) {
  return In({"No decisions on duties in force are recorded.",
             "Inga beslut om gällande uppgiftskrav har registrerats."},
            language);
}

std::string DecisionChangeText(const ArenaDecision& decision, const ArenaReport& report) {
  const ReportLanguage l = report.language;
  const std::optional<ArenaDecisionChange> change = DecisionChangeOf(decision, report.generated_on);
  if (!change) {
    return In({"Change per year: not estimable; it needs reports from a calendar year wholly "
               "before the decision and from an ended calendar year wholly after it.",
               "Förändring per år: kan inte beräknas; det krävs inrapporteringar från ett "
               "kalenderår helt före beslutet och från ett avslutat kalenderår helt efter det."},
              l);
  }
  std::string percent;
  if (change->hours_before > 0) {
    const double fraction = change->change_hours / change->hours_before;
    percent = absl::StrCat(" (", HumanChange(Percent(fraction), l), ")");
  }
  const std::string hours = HumanChange(Hours(change->change_hours), l);
  const std::string sek = HumanChange(Sek(change->change_cost_sek), l);
  if (l == ReportLanguage::kSwedish) {
    return absl::StrCat("Förändring från ", change->year_before,
                        " (sista året helt före beslutet) till ", change->year_after,
                        " (första avslutade året helt efter): ", hours, " timmar per år", percent,
                        ", ", sek, " kr per år.");
  }
  return absl::StrCat("Change from ", change->year_before,
                      " (the last year wholly before the decision) to ", change->year_after,
                      " (the first ended year wholly after it): ", hours, " hours per year",
                      percent, ", ", sek, " SEK per year.");
}

std::string Title(const ArenaReport& report) {
  std::string title(Tr(report.language,
                       "Reporting burden on municipalities: evidence for the utvecklingsarena",
                       "Statens uppgiftskrav på kommunerna: underlag för utvecklingsarenan"));
  if (report.illustrative) {
    absl::StrAppend(&title, Tr(report.language, " (illustrative data)", " (illustrativa data)"));
  }
  return title;
}

std::string IllustrativeNotice(const ArenaReport& report) {
  if (!report.illustrative) return "";
  return std::string(Tr(report.language,
                        "Illustrative data: the reports behind these figures are examples, not "
                        "measurements. Do not cite the figures.",
                        "Illustrativa data: inrapporteringarna bakom siffrorna är exempel, inte "
                        "mätningar. Siffrorna ska inte citeras."));
}

std::vector<std::string> MethodParagraphs(const ArenaReport& report) {
  const ReportLanguage l = report.language;
  const bool sv = l == ReportLanguage::kSwedish;
  const ArenaMethod& m = report.method;
  std::vector<std::string> paragraphs;
  paragraphs.push_back(TariffMeaning(report));
  paragraphs.push_back(
      sv ? absl::StrCat(
               "Skattningen förutsätter att minuterna per inrapportering liknar varandra inom en "
               "kommungrupp. Intervallet kommer från ", Count(m.bootstrap_resamples, l),
               " omdragningar av de rapporterande kommunerna inom varje grupp med ett fast frö, "
               "så samma data ger samma intervall. Ett uppgiftskrav behöver inrapporteringar "
               "från minst ",
               m.estimate_min_municipalities,
               " kommuner (från alla, om färre omfattas) och från varje kommungrupp med "
               "kommuner som omfattas. Ett uppgiftskrav som bara gäller vissa kommuner, till "
               "exempel de som får ett riktat statsbidrag, skattas och följs upp för just dem; "
               "en inrapportering från en annan kommun räknas som uppmätt tid men ingår inte i "
               "skattningen. För uppgiftskrav som lämnas vid behov räknas antalet per år fram ur "
               "inrapporteringarna; varje skattning anger hur.")
         : absl::StrCat(
               "The estimate assumes that minutes per report are alike within a municipality "
               "group. The interval comes from ", Count(m.bootstrap_resamples, l),
               " resamples of the reporting municipalities within each group with a fixed seed, "
               "so the same data gives the same interval. A duty needs reports from at least ",
               m.estimate_min_municipalities,
               " municipalities (or all of them, if fewer must report) and from every group "
               "with municipalities that must report. A duty that only some municipalities "
               "must report, such as those receiving a targeted grant, is estimated and "
               "followed up over them; a report from another municipality counts as measured "
               "time but not in the estimate. Ad hoc duties derive their yearly count from the reports; each estimate says how."));
  paragraphs.push_back(
      sv ? absl::StrCat(
               "Flaggor gäller ett uppgiftskrav och en period. Katalogens flaggor följer "
               "uppgiftskravets text som den löd under perioden; flaggor från "
               "inrapporteringarna bedöms på periodens inrapporteringar. En inrapportering "
               "räknas som flaggad när dess uppgiftskrav var flaggat för dess period. Uppmätta "
               "tabeller omfattar ",
               PeriodRangeText(report),
               "; nationella skattningar använder alla uppmätta perioder.")
         : absl::StrCat(
               "A flag belongs to a duty and a period. The catalogue's flags follow the duty's "
               "text as it stood during the period; the flags from reports are judged on the "
               "period's reports. A report counts as flagged when its duty was flagged for its "
               "period. Measured tables cover ",
               PeriodRangeText(report), "; national estimates use every measured period."));
  for (const FlagName& name : kFlagNames) {
    paragraphs.push_back(absl::StrCat(In(name.words, l), " (", name.code,
                                      "): ", FlagMeaning(name.code, m.thresholds, l)));
  }
  std::string periods = m.first_period;
  if (periods.empty()) periods = std::string(Tr(l, "none", "inga"));
  if (m.last_period != m.first_period) absl::StrAppend(&periods, "–", m.last_period);
  paragraphs.push_back(
      sv ? absl::StrCat("Täckning: ", Count(m.municipalities_reported, l), " av 290 kommuner har "
                        "rapporterat, i ", m.groups_covered, " av ", m.groups_total,
                        " kommungrupper; uppmätta perioder: ", periods, ".")
         : absl::StrCat("Coverage: ", Count(m.municipalities_reported, l), " of 290 municipalities "
                        "reported, in ", m.groups_covered, " of ", m.groups_total,
                        " municipality groups; periods measured: ", periods, "."));
  if (m.unverified_legal_basis.empty()) {
    paragraphs.push_back(std::string(
        Tr(l, "The catalogue marks no legal basis as unverified.",
           "Katalogen markerar inget författningsstöd som overifierat.")));
  } else {
    paragraphs.push_back(absl::StrCat(
        Tr(l, "The catalogue marks the legal basis of these duties as unverified (shown beside "
              "each duty, not flagged): ",
           "Katalogen markerar författningsstödet för dessa uppgiftskrav som overifierat (visas "
           "vid uppgiftskravet, flaggas inte): "),
        absl::StrJoin(m.unverified_legal_basis, ", "), "."));
  }
  return paragraphs;
}

}  // namespace inrapport::report_internal
