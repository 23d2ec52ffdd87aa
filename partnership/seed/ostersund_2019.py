"""The seed agreement: the IOP between Östersunds kommun and Hej främling! (LivA, 2019-2020).

The prose is read from the agreement's own text (``iop-ostersund-hej-framling-2019.txt``
beside this file, a copy of the signed document) so that it is stored word for word: the
only change is that line breaks inside a paragraph, left over from the PDF, become spaces.
The figures, people and addresses are written out below, as the agreement gives them.
"""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

SOURCE = Path(__file__).with_name("iop-ostersund-hej-framling-2019.txt")

# Heading line in the document → Agreement field (None: handled separately).
HEADINGS = {
    "Bakgrundsförutsättningar för överenskommelsen": "background",
    "Syfte med partnerskapet och verksamheten": "purpose",
    "Målgrupp för verksamheten": "target_group",
    "Värdegrund": "values",
    "Partners": "partners_description",
    "Avtalad överenskommelse": "agreement_basis",
    "Mål och avtalade insatser": None,
    "Övergripande målsättning": "overall_goal",
    "Hej främling!:s åtaganden": "_idea_commitments",
    "Östersunds kommuns åtaganden": "_public_commitments",
    "Samverkan och uppföljning": "collaboration_and_follow_up",
    "Finansiering och betalningsvillkor": "_financing",
    "Budget": "_budget",
    "Lärande/kunskapsinhämtning": "learning",
    "Period för partnerskapet": "period_text",
    "Förlängning": "extension",
    "Omförhandling, rätt att lämna projektet samt tvist": "renegotiation_and_disputes",
    "Kontaktpersoner": None,
    "Underskrifter": None,
}


def flow(lines):
    """Join the lines of a section into paragraphs: a line break inside a paragraph becomes
    a space; bullets ("•", "- ") and blank lines start a new paragraph, and a dash item is
    one line."""
    paragraphs: list[str] = []
    current: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if line.startswith(("•", "- ")) and current:
            paragraphs.append(" ".join(current))
            current = []
        current.append(line)
        if line.startswith("- "):  # a dash item is one short line of its own
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n".join(paragraphs)


def read_sections(text: str | None = None) -> dict[str, str]:
    text = SOURCE.read_text(encoding="utf-8") if text is None else text
    sections: dict[str, list[str]] = {}
    key = None
    for line in text.splitlines():
        if line.strip() in HEADINGS:
            key = HEADINGS[line.strip()]
            if key:
                sections[key] = []
            continue
        if key:
            sections[key].append(line)
    return {k: flow(v) for k, v in sections.items()}


def split_before(text: str, phrase: str) -> tuple[str, str]:
    index = text.index(phrase)
    return text[:index].strip(), text[index:].strip()


def bullets(text: str) -> list[str]:
    return [line.lstrip("• ").strip() for line in text.splitlines() if line.startswith("•")]


def agreement_data() -> dict:
    """Everything the seed command stores, as plain data."""
    s = read_sections()

    idea = s.pop("_idea_commitments")
    public_commitments = bullets(s.pop("_public_commitments"))
    idea_preamble, rest = split_before(idea, "•")
    idea_bullets_text, rest = split_before(rest, "Särskilda insatser görs")
    special_effort, next_level = split_before(rest, "Hej främling! kommer också aktivt")

    financing, repayment = split_before(s.pop("_financing"), "Partner har rätt att kräva")
    _budget_table, budget_notes = split_before(s.pop("_budget"), "Ideella timmar")

    prose = dict(s)
    prose.update(
        financing_terms=financing,
        repayment_terms=repayment,
        budget_notes=budget_notes,
    )

    return {
        "agreement": {
            "title": (
                "Överenskommelse om Idéburet Offentligt Partnerskap mellan "
                "Östersunds kommun och Hej främling!"
            ),
            "short_name": "LivA",
            # The signed document carries no case number and no signing date.
            "case_number": "",
            "status": "ended",
            "start_date": date(2019, 4, 1),
            "end_date": date(2020, 12, 31),
            "budget_total": Decimal("2644000"),
            "final_report_months_before_end": 1,
            **prose,
        },
        "organisations": {
            "public": {
                "name": "Östersunds kommun",
                "org_number": "212000-2528",
                "sector": "public",
                "department": "Kommunledningsförvaltningen",
                "street_address": "",
                "postal_code": "831 82",
                "city": "Östersund",
            },
            "idea_driven": {
                "name": "Hej främling!",
                "org_number": "802496-6080",
                "sector": "idea_driven",
                "department": "",
                "street_address": "Inspektörsvägen 22",
                "postal_code": "831 48",
                "city": "Östersund",
            },
        },
        "party_preambles": {"idea_driven": idea_preamble, "public": ""},
        "commitments": {
            "idea_driven": [("commitment", t) for t in bullets(idea_bullets_text)]
            + [("special_effort", special_effort), ("next_level", next_level)],
            "public": [("commitment", t) for t in public_commitments],
        },
        "budget_lines": [
            {
                "category": "personnel",
                "text": "Personella resurser i verksamhet",
                "description": (
                    "1 X 100% projektsamordnare á 42 000 kr/mån\n1 X 100% vägledare á 42 000 kr/mån"
                ),
                "amount": Decimal("1764000"),
                "positions": [
                    {
                        "title": "Projektsamordnare",
                        "count": 1,
                        "fte_percent": 100,
                        "monthly_cost": Decimal("42000"),
                        "months": 21,
                    },
                    {
                        "title": "Vägledare",
                        "count": 1,
                        "fte_percent": 100,
                        "monthly_cost": Decimal("42000"),
                        "months": 21,
                    },
                ],
            },
            {
                "category": "overhead",
                "text": "OH-kostnader",
                "description": "",
                "amount": Decimal("130000"),
                "positions": [],
            },
            {
                "category": "premises",
                "text": "Lokalhyra",
                "description": "Mötesplats Tingshuset, sporthallar m.m.",
                "amount": Decimal("100000"),
                "positions": [],
            },
            {
                "category": "activities",
                "text": "Verksamhetskostnader för insatser",
                "description": (
                    "Hälsa, utbildning, samhälls- och arbetsintegrering\n"
                    "(Utrustning, marknadsföring och material i samband med events, samt "
                    "utbildningsinsatser såsom föreläsare, studiematerial, studiebesök och "
                    "externa mentorskap. Transporter och viss förtäring)"
                ),
                "amount": Decimal("650000"),
                "positions": [],
            },
        ],
        "funding": [
            {
                "kind": "cash",
                "party": "public",
                "contributor_name": "",
                "amount": Decimal("2644000"),
                "description": "Östersunds kommun bidrar med kontanta medel enligt budget för att "
                "möjliggöra genomförande av partnerskapets verksamhet.",
            },
            {
                "kind": "in_kind",
                "party": "idea_driven",
                "contributor_name": "",
                "amount": None,
                "description": "Ideella timmar som Hej främling! bidrar med.",
            },
            {
                "kind": "in_kind",
                "party": "public",
                "contributor_name": "",
                "amount": None,
                "description": "Nedlagd tjänstemannatid från kommunens sida.",
            },
            {
                "kind": "in_kind",
                "party": None,
                "contributor_name": "Övriga samarbetsorganisationer",
                "amount": None,
                "description": "Ideella timmar som övriga samarbetsorganisationer bidrar med.",
            },
        ],
        # The goals in the agreement's words ("Övergripande målsättning"). The indicators that
        # follow them are the app's demo choice; the baseline of visits per week is the
        # agreement's own: "Café Tingshuset lockar idag drygt 100 unga vuxna i veckan".
        "goals": [
            {
                "text": "Målet med partnerskapets är att genom samverkan mellan olika idéburna "
                "organisationer och Östersunds kommun skapa förbättrade förutsättningar för "
                "unga vuxna som av olika skäl hamnat utanför ordinarie stödsystem.",
                "indicators": [
                    {
                        "name": "Besök per vecka på Café Tingshuset",
                        "unit": "besök i veckan",
                        "baseline": Decimal("100"),
                        "target": Decimal("100"),
                        "origin": "visits_per_week",
                    },
                    {"name": "Nya besökare", "unit": "besökare", "origin": "new_visitors"},
                ],
            },
            {
                "text": "Sammantaget syftar insatserna till ökad samhällsinkludering.",
                "indicators": [
                    {
                        "name": "Lotsning till andra insatser",
                        "unit": "lotsningar",
                        "origin": "referrals",
                    },
                    {
                        "name": "Deltagare i next-level-engagemang",
                        "unit": "deltagare",
                        "origin": "next_level",
                    },
                    {
                        "name": "Unga vuxna som fått bostad, arbete eller studieplats",
                        "unit": "personer",
                        "origin": "entered",
                    },
                ],
            },
            {
                "text": "Målet är dessutom ett gemensamt lärande och metodutveckling.",
                "indicators": [
                    {"name": "Ideella timmar", "unit": "timmar", "origin": "volunteer_hours"},
                ],
            },
        ],
        "deadlines": [
            {
                "kind": "interim",
                "period_start": date(2019, 4, 1),
                "period_end": date(2019, 8, 31),
                "due_date": date(2019, 8, 31),
                "relative_to_end": False,
            },
            {
                "kind": "interim",
                "period_start": date(2019, 9, 1),
                "period_end": date(2019, 12, 31),
                "due_date": date(2019, 12, 31),
                "relative_to_end": False,
            },
            {
                "kind": "interim",
                "period_start": date(2020, 1, 1),
                "period_end": date(2020, 4, 30),
                "due_date": date(2020, 4, 30),
                "relative_to_end": False,
            },
            # "senast en månad innan partnerskapets avslut": computed from the end date.
            {
                "kind": "final",
                "period_start": date(2019, 4, 1),
                "period_end": date(2020, 12, 31),
                "due_date": date(2020, 11, 30),
                "relative_to_end": True,
            },
        ],
        "contacts": [
            {
                "organisation": "public",
                "name": "Jon Söder",
                "title": "Samordnare civilsamhälle och integration",
                "department": "Kommunledningsförvaltningen",
                "email": "jon.soder@ostersund.se",
            },
            {
                "organisation": "public",
                "name": "Johan Nordin",
                "title": "",
                "department": "Kultur och fritidsförvaltningen",
                "email": "johan.nordin@ostersund.se",
            },
            {
                "organisation": "idea_driven",
                "name": "Emma Arnesson",
                "title": "Verksamhetschef",
                "department": "",
                "email": "emma@hejframling.se",
            },
            {
                "organisation": "idea_driven",
                "name": "Andrea Törnblom Forslund",
                "title": "Projektsamordnare",
                "department": "",
                "email": "andrea@hejframling.se",
            },
        ],
        "signatories": [
            {"organisation": "public", "name": "Anders Wennerberg", "title": "Kommundirektör"},
            {
                "organisation": "idea_driven",
                "name": "Maria Svensson Wiklander",
                "title": "Styrelseordförande",
            },
        ],
    }


def normalise_whitespace(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
