#!/usr/bin/env python3
"""Builds the example files from the reference duty catalogue.

  scripts/make-examples.py ../shared/data/duties-catalogue.csv

writes examples/duties.csv (the catalogue in the format `inrapport
import-duties` reads) and examples/reports.csv (illustrative reports for the
walkthrough: the minutes are invented, not measured).

Nothing is invented in the duties: purposes, legal bases, sources and every
"unverified" mark are kept. A catalogue purpose of "none found" becomes an
empty purpose (the duty states none), with the catalogue's text kept in notes.
"""
import csv
import random
import re
import sys
from pathlib import Path

AGENCIES = [
    ("Inspektionen för vård och omsorg", "ivo"),
    ("Skolverket", "skolverket"),
    ("Statistiska centralbyrån", "scb"),
    ("Socialstyrelsen", "socialstyrelsen"),
    ("MSB", "msb"),
    ("Boverket", "boverket"),
    ("Naturvårdsverket", "naturvardsverket"),
    ("Livsmedelsverket", "livsmedelsverket"),
    ("Folkhälsomyndigheten", "folkhalsomyndigheten"),
    ("Myndigheten för delaktighet", "mfd"),
    ("Migrationsverket", "migrationsverket"),
]

SECTORS = {
    "social services": "social_services",
    "school": "school",
    "elderly care": "elderly_care",
    "other": "other",
    "crisis preparedness": "crisis_preparedness",
    "disability support (LSS)": "disability_support",
    "health care": "health_care",
    "finance": "finance",
    "housing/planning": "housing_planning",
    "environment": "environment",
}

DUTY_COLUMNS = ["id", "agency_id", "title", "legal_basis", "purpose", "sector",
                "frequency", "data_items", "targeted_grant",
                "estimated_minutes_per_report", "valid_from", "valid_until",
                "source_url", "notes", "deadline"]

# Deadline rules (common/domain/deadline.h) only where the catalogue's own
# notes give an exact day, each with the words it rests on. Approximate
# dates ("~1 Nov", "early Nov", "in March"), rules the forms cannot say
# ("last day of the month two months after") and ad hoc or four-yearly
# duties have none.
DEADLINES = {
    # "Due 31 January for the previous year."
    "slv-livsmedelskontroll": "01-31 of the following year",
    # "Due 30 June (or 15 April via Avfall Web)": the later, general date.
    "nv-kommunalt-avfall": "06-30 of the following year",
    # "Status on 1 Oct, due 25 Oct."
    "sos-lss-register": "10-25 of the same year",
    # "Deadline 1 Nov (2024 snapshot)": the count per 15 October.
    "skolverket-forskola-barn-personal": "11-01 of the same year",
    # "Due the 15th each month": the month before, the 15th of the next.
    "sos-aldre-funktionsnedsattning-sol": "15 days after period end",
}


def agency_slug(name):
    for prefix, slug in AGENCIES:
        if name.startswith(prefix):
            return slug
    raise SystemExit(f"unknown agency: {name}")


def frequency_of(text):
    """The leading frequency word; anything more goes to the notes."""
    lowered = text.lower()
    for word, name in (("annual", "annual"), ("quarterly", "quarterly"),
                       ("monthly", "monthly"), ("ad hoc", "ad_hoc")):
        if lowered.startswith(word):
            return name, text[len(word):].strip()
    if lowered == "every 4 years":
        # Reported in a year, so its periods are years.
        return "annual", "frequency: every 4 years"
    raise SystemExit(f"unknown frequency: {text}")


def convert(row):
    notes = []
    agency = row["agency"]
    if "(" in agency or "/" in agency:
        notes.append(f"agency: {agency}")
    frequency, extra = frequency_of(row["frequency"])
    if extra:
        notes.append(f"frequency: {row['frequency']}")
    purpose = row["purpose_en"].strip()
    if re.match(r"none( found)?\b", purpose, re.IGNORECASE):
        notes.append(f"purpose: {purpose}")
        purpose = ""
    grant = ""
    if row["targeted_grant"].strip().lower() != "no":
        grant = row["title_sv"]
        if row["targeted_grant"].strip().lower() != "yes":
            notes.append(f"targeted grant: {row['targeted_grant']}")
    notes.append(f"mandatory: {row['mandatory']}")
    notes.append(row["verified_notes"])
    return {
        "id": row["id"].replace("_", "-"),
        "agency_id": agency_slug(agency),
        "title": row["title_sv"],
        "legal_basis": row["legal_basis"],
        "purpose": purpose,
        "sector": SECTORS[row["sector"]],
        "frequency": frequency,
        "data_items": row["data_items"],
        "targeted_grant": grant,
        "estimated_minutes_per_report": "",
        "valid_from": "",
        "valid_until": "",
        "source_url": row["source_url"],
        "notes": " | ".join(n for n in notes if n),
        "deadline": DEADLINES.get(row["id"].replace("_", "-"), ""),
    }


MUNICIPALITIES = ["0180", "0182", "1283", "1480", "1280", "2480", "0380", "2584",
                  "0580", "1880", "0680", "2281"]


def periods(frequency, rng):
    if frequency == "annual":
        return ["2023", "2024", "2025"]
    if frequency == "quarterly":
        return ["2024Q3", "2024Q4", "2025Q1", "2025Q2"]
    if frequency == "monthly":
        return ["2025-01", "2025-02", "2025-03"]
    day = rng.randint(1, 28)
    month = rng.randint(1, 12)
    return [f"2025-{month:02d}-{day:02d}"]


def reports(duties):
    """Illustrative reports: plausible minutes, invented for the walkthrough."""
    rng = random.Random(20251122)
    chosen = [d for d in duties if d["id"] in {
        "ivo-evb-sol", "scb-rs", "skolverket-elever-grundskola",
        "skolverket-likvardighetsbidrag-redovisning", "sos-aldre-funktionsnedsattning-sol",
        "sos-kommunal-hsl", "sos-oppna-jamforelser", "sos-ehalsa-enkat",
        "msb-krisberedskap-uppfoljning", "boverket-bme", "ivo-lex-sarah",
        "mfd-uppfoljning"}]
    # Duties whose data visibly comes back (published statistics, supervision)
    # get mostly "yes" and useful answers; the others mostly "no". Invented,
    # so that the report-driven flags have something to tell apart.
    seldom_back = {"sos-kommunal-hsl", "sos-aldre-funktionsnedsattning-sol", "mfd-uppfoljning",
                   "sos-ehalsa-enkat", "msb-krisberedskap-uppfoljning", "sos-oppna-jamforelser"}
    rows = []
    for municipality in MUNICIPALITIES:
        for duty in chosen:
            for period in periods(duty["frequency"], rng):
                if rng.random() < 0.25:
                    continue  # not every municipality has reported everything
                base = {"annual": 600, "quarterly": 180, "monthly": 90, "ad_hoc": 240}
                minutes = int(base[duty["frequency"]] * rng.uniform(0.4, 2.5))
                rows.append({
                    "submission_id": f"{municipality}-{len(rows) + 1:04d}",
                    "municipality_code": municipality,
                    "duty_id": duty["id"],
                    "period": period,
                    "minutes_spent": minutes,
                    "staff_count": rng.randint(1, 4),
                    "usefulness": rng.choice([0, 1, 1, 2, 2, 3] if duty["id"] in seldom_back
                                             else [2, 3, 3, 4, 4, 5]),
                    "feedback_received": rng.choice(["no", "no", "no", "yes", "unknown"]
                                                    if duty["id"] in seldom_back
                                                    else ["yes", "yes", "yes", "no", "unknown"]),
                    "already_reported_elsewhere": rng.choice(["no", "no", "yes", "unknown"]),
                    "comment": "",
                    "already_reported_where": "",
                })
    return rows


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    out = Path(__file__).resolve().parent.parent / "examples"
    with open(sys.argv[1], newline="", encoding="utf-8") as f:
        duties = [convert(row) for row in csv.DictReader(f)]
    with open(out / "duties.csv", "w", newline="", encoding="utf-8") as f:
        f.write("# 30 real reporting duties of Swedish municipalities, with sources. "
                "Fields marked \"unverified\" could not be confirmed in their source.\n")
        writer = csv.DictWriter(f, fieldnames=DUTY_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(duties)
    rows = reports(duties)
    with open(out / "reports.csv", "w", newline="", encoding="utf-8") as f:
        f.write("# Illustrative reports: the minutes are invented for the walkthrough, "
                "not measured.\n")
        writer = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(duties)} duties, {len(rows)} reports")


if __name__ == "__main__":
    main()
