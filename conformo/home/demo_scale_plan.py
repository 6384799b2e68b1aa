"""The plan of the scale demo (`conformo demo --scale N --seed S`): who the clients are and what happens to each
of their certifications, drawn from one seeded random generator. Plain data, no database: the same N and seed
always give the same plan, so the same names, dates and (in the order the loader follows) certificate numbers.

Ratios (for N clients, over the three years before today):

* auditors: about N / 15 (at least two);
* certifications: 2 to 4 standards per client, 3.3 on average, so about 3.3 · N certificates;
* audits: stage 1 and stage 2 for each, plus the surveillance audits its age calls for — about 10 · N;
* findings: 1 to 6 per audit, 3.3 on average;
* outcomes: most certificates valid, and some suspended, withdrawn and expired (see `OUTCOME_WEIGHTS`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

STANDARD_CODES = ("iso-9001-2015", "iso-14001-2015", "iso-45001-2018", "iso-iec-27001-2022")
STANDARDS_PER_CLIENT = {2: 2, 3: 3, 4: 5}
"""How many standards a client is certified to (weights): 3.3 on average."""
FINDINGS_PER_AUDIT = {1: 2, 2: 2, 3: 3, 4: 3, 5: 2, 6: 1}
"""How many findings an audit raises (weights): 3.3 on average."""
OUTCOME_WEIGHTS = {"valid": 70, "suspended": 10, "withdrawn": 10, "expired": 10}
"""What a certificate's status is today (weights). The first four certifications take one status each, so every
status appears once N ≥ 2 (each client holds at least two)."""
CLIENTS_PER_AUDITOR = 15

COUNTRIES = ("DE", "NL", "GB", "FR", "ES", "IT", "IE", "BE", "AT", "PL", "SE", "FI", "DK", "PT", "CZ")
SECTORS = (3, 7, 12, 14, 17, 18, 19, 22, 28, 29, 31, 33, 34, 35)
FIRST_WORDS = (
    "Alder", "Amber", "Arden", "Aspen", "Atlas", "Beacon", "Birch", "Borealis", "Bramble", "Cedar", "Cinder",
    "Coastal", "Copper", "Crescent", "Delta", "Ember", "Falcon", "Fjord", "Granite", "Harbour", "Heron", "Iron",
    "Juniper", "Kestrel", "Larch", "Linden", "Maple", "Meridian", "Northgate", "Oakridge", "Orion", "Pine",
    "Quarry", "Raven", "Ridge", "Saffron", "Silver", "Summit", "Thistle", "Tidewater", "Valley", "Willow",
)  # fmt: skip
SECOND_WORDS = (
    "Precision", "Logistics", "Foods", "Plastics", "Engineering", "Chemicals", "Textiles", "Software", "Metals",
    "Packaging", "Energy", "Construction", "Print", "Electronics", "Pharma", "Timber", "Glass", "Services",
)  # fmt: skip
LEGAL_FORMS = {"DE": "GmbH", "NL": "B.V.", "GB": "Ltd", "FR": "SAS", "ES": "S.L.", "IT": "S.r.l.", "IE": "Ltd"}
GIVEN_NAMES = (
    "Ada", "Ben", "Carla", "Dev", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kaja", "Luca", "Mira",
    "Nils", "Olga", "Pablo", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wim", "Yara", "Zeno",
)  # fmt: skip
FAMILY_NAMES = (
    "Bauer", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Horvat", "Jansen", "Kowalski", "Larsen",
    "Moreau", "Novak", "Olsen", "Petrov", "Quinn", "Rossi", "Schmidt", "Torres", "Urban", "Visser", "Walsh",
)  # fmt: skip
STATEMENTS = {
    "major": ("No evidence that {topic} is planned or carried out",),
    "minor": (
        "{topic}: two records incomplete",
        "{topic} not reviewed at the planned interval",
        "{topic}: responsibilities not communicated to the night shift",
    ),
    "ofi": ("{topic} could use the trend data already collected", "{topic}: checklists could be simplified"),
    "positive": ("{topic} well understood by the staff interviewed",),
    "area_of_concern": ("{topic} not yet in place; to be ready for stage 2",),
}
TOPICS = (
    "Internal audit programme", "Management review", "Control of documented information", "Calibration of gauges",
    "Supplier evaluation", "Competence records", "Risk register", "Legal register", "Incident investigation",
    "Customer complaints", "Change management", "Operational controls", "Monitoring of objectives",
)  # fmt: skip


@dataclass(frozen=True)
class AuditPlan:
    kind: str
    days_ago: int
    """When the audit is held (its first day)."""
    findings: tuple[tuple[str, str], ...]
    """(grade, statement) of each finding raised."""


@dataclass(frozen=True)
class CertificationPlan:
    standard: str
    outcome: str
    applied_days_ago: int
    granted_days_ago: int
    audits: tuple[AuditPlan, ...]
    decisions: tuple[tuple[str, int, str], ...] = ()
    """Decisions after the grant: (kind, days ago, reason)."""


@dataclass(frozen=True)
class ClientPlan:
    legal_name: str
    country: str
    registration_number: str
    sector_codes: tuple[int, ...]
    sites: tuple[tuple[str, int], ...]
    """(site name, permanent staff); the first is the headquarters."""
    admin_name: str
    admin_email: str
    certifications: tuple[CertificationPlan, ...]


@dataclass(frozen=True)
class ScalePlan:
    n: int
    seed: int
    auditors: tuple[str, ...]
    clients: tuple[ClientPlan, ...] = field(default_factory=tuple)


def auditor_count(n: int) -> int:
    return max(2, round(n / CLIENTS_PER_AUDITOR))


def _pick(rng: random.Random, weights: dict[int, int] | dict[str, int]) -> object:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _findings(rng: random.Random, kind: str) -> tuple[tuple[str, str], ...]:
    grades: tuple[str, ...]
    if kind == "stage1":
        grades = ("area_of_concern", "area_of_concern", "ofi", "positive")
    elif kind == "stage2":
        grades = ("minor", "minor", "ofi", "ofi", "positive")
    else:
        grades = ("major", "minor", "minor", "minor", "ofi", "ofi", "positive")
    count = int(_pick(rng, FINDINGS_PER_AUDIT))  # type: ignore[call-overload]  # the weights tables mix int and str keys
    found = []
    for _ in range(count):
        grade = rng.choice(grades)
        found.append((grade, rng.choice(STATEMENTS[grade]).format(topic=rng.choice(TOPICS))))
    return tuple(found)


def _certification(rng: random.Random, standard: str, outcome: str) -> CertificationPlan:
    """Dates of one certification's history, from its outcome today."""
    decisions: list[tuple[str, int, str]] = []
    if outcome == "expired":
        granted = 3 * 365 + rng.randint(5, 60)
    elif outcome == "suspended":
        granted = rng.randint(420, 1000)
        decisions.append(("suspend", rng.randint(5, 90), "A major nonconformity not corrected within the time limit."))
    elif outcome == "withdrawn":
        granted = rng.randint(500, 1050)
        withdrawn = rng.randint(5, 200)
        decisions.append(
            (
                "suspend",
                withdrawn + rng.randint(60, 150),
                "Corrective actions for a major nonconformity not implemented.",
            )
        )
        decisions.append(("withdraw", withdrawn, "The causes of the suspension were not resolved in time."))
    else:
        granted = rng.randint(20, 1040)
    stage2 = granted + rng.randint(20, 40)
    stage1 = stage2 + rng.randint(30, 60)
    applied = stage1 + rng.randint(20, 40)
    audits = [
        AuditPlan("stage1", stage1, _findings(rng, "stage1")),
        AuditPlan("stage2", stage2, _findings(rng, "stage2")),
    ]
    # Surveillance audits a year and two years after the grant, held while the certificate was in force.
    stop = decisions[0][1] if decisions else 0
    for kind, after in (("surveillance1", 330), ("surveillance2", 690)):
        held = granted - after - rng.randint(0, 20)
        if held > stop + 5:
            audits.append(AuditPlan(kind, held, _findings(rng, kind)))
    return CertificationPlan(standard, outcome, applied, granted, tuple(audits), tuple(decisions))


def scale_plan(n: int, seed: int) -> ScalePlan:
    """The plan for `n` clients drawn with `seed`."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    auditors = tuple(f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}" for _ in range(auditor_count(n)))
    outcomes = list(OUTCOME_WEIGHTS)
    clients = []
    names: set[str] = set()
    made = 0
    for index in range(n):
        country = rng.choice(COUNTRIES)
        base = f"{rng.choice(FIRST_WORDS)} {rng.choice(SECOND_WORDS)}"
        name = f"{base} {LEGAL_FORMS.get(country, 'Ltd')}"
        while name in names:
            name = f"{base} {rng.choice(FIRST_WORDS)} {LEGAL_FORMS.get(country, 'Ltd')}"
        names.add(name)
        count = int(_pick(rng, STANDARDS_PER_CLIENT))  # type: ignore[call-overload]  # the weights tables mix int and str keys
        standards = sorted(rng.sample(STANDARD_CODES, count), key=STANDARD_CODES.index)
        certifications = []
        for standard in standards:
            # The first four certifications take one outcome each (see OUTCOME_WEIGHTS).
            outcome = outcomes[made] if made < len(outcomes) else str(_pick(rng, OUTCOME_WEIGHTS))
            certifications.append(_certification(rng, standard, outcome))
            made += 1
        sites = [(f"{name.split()[0]} head office", rng.randint(20, 300))]
        sites += [(f"{name.split()[0]} site {k}", rng.randint(5, 120)) for k in range(2, rng.randint(1, 3) + 1)]
        admin = f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}"
        registration = f"{country}-{rng.randint(100000, 999999)}"
        codes = tuple(sorted(rng.sample(SECTORS, rng.randint(1, 2))))
        clients.append(
            ClientPlan(
                legal_name=name,
                country=country,
                registration_number=registration,
                sector_codes=codes,
                sites=tuple(sites),
                admin_name=admin,
                admin_email=f"client{index + 1:04d}@scale-demo.example",
                certifications=tuple(certifications),
            )
        )
    return ScalePlan(n=n, seed=seed, auditors=auditors, clients=tuple(clients))
