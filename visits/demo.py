"""Synthetic, aggregate-only demo logs: venues, sessions with visitor counts, activities.

Nothing here describes a person: sessions carry counts by age band and gender, activities
carry counts and quantities. Everything is drawn from ``random.Random`` seeded with the
``--seed`` and the agreement's short name, so the same seed gives the same data.

Venues of the seed and the renewed agreement (opening pattern chosen for the demo; the
agreement names Café Tingshuset as the meeting place and Busstorget for outreach):

* Café Tingshuset (meeting place): Monday–Thursday 15–20, Friday 15–22;
* Busstorget (outreach round): Friday 19–23;
* Storsjöhallen (sports hall): Wednesday 18–20.

All close on Swedish public holidays and Midsummer, Christmas and New Year's Eve
(``visits.calendar``). Visits average about 100 a week, more in winter, fewer in summer.
Rows are written with ``bulk_create``, so demo rows have no history entries.
"""

import math
import random
from datetime import date, time, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import connection, transaction
from stdnum import luhn

from partnership import lifecycle
from partnership.models import (
    Agreement,
    BudgetLine,
    Commitment,
    Funding,
    Organisation,
    Party,
    ReportingDeadline,
)

from .calendar import expected_opening_days
from .models import (
    Activity,
    AgeBand,
    Gender,
    OpeningHours,
    PartnerOrganisation,
    Session,
    Venue,
    VisitorCount,
)
from .services import DEFAULT_AGE_BANDS

DEFAULT_SEED = 2019
PARTNERS = ["Svenska kyrkan", "Röda korset", "Rädda Barnen", "Frälsningsarmén"]
SYNTHETIC_PREFIX = "SYN-"

# (name, kind, [(weekdays, opens, closes)], mean visits per session before seasonal change)
SEED_VENUES = [
    (
        "Café Tingshuset",
        Venue.Kind.MEETING_PLACE,
        [((0, 1, 2, 3), time(15), time(20)), ((4,), time(15), time(22))],
        18.0,
    ),
    ("Busstorget", Venue.Kind.OUTREACH, [((4,), time(19), time(23))], 14.0),
    ("Storsjöhallen", Venue.Kind.SPORTS_HALL, [((2,), time(18), time(20))], 10.0),
]
SYNTHETIC_VENUES = [
    ("Mötesplatsen", Venue.Kind.MEETING_PLACE, [((0, 2, 3), time(16), time(20))], 20.0),
]
BAND_WEIGHTS = [0.12, 0.34, 0.30, 0.19, 0.05]
GENDER_WEIGHTS = {Gender.WOMAN: 0.36, Gender.MAN: 0.58, Gender.OTHER: 0.06}

ACTIVITY_TEXT = {
    Activity.Type.HOMEWORK_HELP: "Läxhjälp i caféet",
    Activity.Type.SUPPORT_GROUP: "Samtalsgrupp",
    Activity.Type.INDIVIDUAL_TALK: "Enskilda stödsamtal",
    Activity.Type.INFORMATION: "Informationsträff om vägar till arbete och studier",
    Activity.Type.OUTREACH: "Uppsökande runda",
    Activity.Type.SPORT: "Fotboll och basket",
    Activity.Type.STUDY_VISIT: "Studiebesök",
    Activity.Type.REFERRAL: "Lotsning till annan verksamhet",
    Activity.Type.LUNCH_COUPONS: "Lunchkuponger delades ut",
    Activity.Type.HOSTEL_NIGHTS: "Nätter på vandrarhem",
    Activity.Type.NEXT_LEVEL: "Deltagare blev volontär",
    Activity.Type.OTHER: "Övrigt",
}
ACTIVITY_WEIGHTS = {
    Activity.Type.HOMEWORK_HELP: 6,
    Activity.Type.SUPPORT_GROUP: 3,
    Activity.Type.INDIVIDUAL_TALK: 6,
    Activity.Type.INFORMATION: 2,
    Activity.Type.OUTREACH: 2,
    Activity.Type.SPORT: 3,
    Activity.Type.STUDY_VISIT: 1,
    Activity.Type.REFERRAL: 3,
    Activity.Type.LUNCH_COUPONS: 4,
    Activity.Type.HOSTEL_NIGHTS: 2,
    Activity.Type.NEXT_LEVEL: 1,
    Activity.Type.OTHER: 1,
}


def org_number(n: int) -> str:
    """A valid organisation number for synthetic organisations: NNNNNN-NNNN with digits 3–4
    at least 20 (never a personal identity number) and a Luhn check digit."""
    body = f"852{n % 1_000_000:06d}"
    digits = body + luhn.calc_check_digit(body)
    return f"{digits[:6]}-{digits[6:]}"


def rng_for(seed: int, agreement) -> random.Random:
    return random.Random(f"{seed}:{agreement.short_name}")


def seasonal_factor(day: date) -> float:
    """More visitors in the dark months, fewer in summer (mean about 1)."""
    winter = 0.2 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 15) / 365)
    summer_dip = -0.3 if day.month == 7 else 0.0
    return 1.0 + winter + summer_dip


def _hours(opens: time, closes: time) -> Decimal:
    minutes = (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)
    return Decimal(minutes) / Decimal(60)


def ensure_venues(agreement, specs) -> list[tuple[Venue, float]]:
    """The agreement's venues, created from ``specs`` unless it already has venues."""
    means = {name: mean for name, _kind, _pattern, mean in specs}
    if not agreement.venues.exists():
        for order, (name, kind, pattern, _mean) in enumerate(specs, start=1):
            venue = Venue.objects.create(agreement=agreement, name=name, kind=kind, order=order)
            OpeningHours.objects.bulk_create(
                [
                    OpeningHours(venue=venue, weekday=wd, opens=opens, closes=closes)
                    for weekdays, opens, closes in pattern
                    for wd in weekdays
                ]
            )
    venues = agreement.venues.prefetch_related("opening_hours")
    return [(v, means.get(v.name, 10.0)) for v in venues]


def ensure_age_bands(agreement) -> list[AgeBand]:
    if not agreement.age_bands.exists():
        AgeBand.objects.bulk_create(
            [
                AgeBand(agreement=agreement, label=label, min_age=lo, max_age=hi, order=order)
                for order, (label, lo, hi) in enumerate(DEFAULT_AGE_BANDS, start=1)
            ]
        )
    return list(agreement.age_bands.all())


def partner_organisations() -> list[PartnerOrganisation]:
    for name in PARTNERS:
        PartnerOrganisation.objects.get_or_create(name=name)
    return list(PartnerOrganisation.objects.filter(name__in=PARTNERS).order_by("name"))


def _band_weights(n):
    return BAND_WEIGHTS if n == len(BAND_WEIGHTS) else [1] * n


def build_logs(agreement, rng, *, until, venues, bands, partners, today_partial=True):
    """Unsaved sessions (with their counts, as (session, [VisitorCount]) pairs) and
    activities (with (commitments, partners)) for ``agreement`` from its start to ``until``."""
    end = min(agreement.end_date, until)
    sessions = []
    for venue, mean in venues:
        hours = {oh.weekday: oh for oh in venue.opening_hours.all()}
        for day in expected_opening_days(venue, agreement.start_date, end):
            if rng.random() < 0.03:  # now and then a day is not logged: completeness shows it
                continue
            oh = hours[day.weekday()]
            expected = mean * seasonal_factor(day)
            if day == until and today_partial:
                expected /= 2  # today's session is still going on
            visits = max(0, round(rng.gauss(expected, math.sqrt(expected))))
            volunteers = rng.randint(0, 3)
            session = Session(
                agreement=agreement,
                venue=venue,
                date=day,
                start_time=oh.opens,
                end_time=oh.closes,
                staff_on_duty=2 if venue.kind == Venue.Kind.MEETING_PLACE else 1,
                volunteers_on_duty=volunteers,
                volunteer_hours=volunteers * _hours(oh.opens, oh.closes),
                new_visitors=sum(1 for _ in range(visits) if rng.random() < 0.08),
            )
            cells = {}
            genders = list(GENDER_WEIGHTS)
            band_picks = rng.choices(range(len(bands)), weights=_band_weights(len(bands)), k=visits)
            gender_picks = rng.choices(genders, weights=list(GENDER_WEIGHTS.values()), k=visits)
            for b, g in zip(band_picks, gender_picks, strict=True):
                cells[(b, g)] = cells.get((b, g), 0) + 1
            counts = [(bands[b].pk, g, n) for (b, g), n in sorted(cells.items())]
            sessions.append((session, counts))

    commitments = list(agreement.commitments.order_by("pk"))
    activities = []
    types = list(ACTIVITY_WEIGHTS)
    weights = list(ACTIVITY_WEIGHTS.values())
    week = agreement.start_date
    i = 0
    while week <= end:
        for _ in range(rng.randint(2, 4)):
            day = min(week + timedelta(days=rng.randint(0, 6)), end)
            kind = rng.choices(types, weights=weights)[0]
            served = {commitments[i % len(commitments)]} if commitments else set()
            i += 1
            if commitments and rng.random() < 0.4:
                served.add(rng.choice(commitments))
            activity = Activity(
                agreement=agreement,
                date=day,
                type=kind,
                participants=rng.randint(1, 15),
                coupons=rng.randint(10, 40) if kind == Activity.Type.LUNCH_COUPONS else 0,
                hostel_nights=rng.randint(1, 7) if kind == Activity.Type.HOSTEL_NIGHTS else 0,
                referrals=rng.randint(1, 3) if kind == Activity.Type.REFERRAL else 0,
                volunteer_hours=Decimal(rng.randint(0, 8)),
                description=ACTIVITY_TEXT[kind],
            )
            chosen = [p for p in partners if rng.random() < 0.15]
            activities.append((activity, sorted(served, key=lambda c: c.pk), chosen))
        week += timedelta(days=7)
    return sessions, activities


def _insert_rows(model, columns, rows, batch=1000):
    """Plain multi-row INSERTs: for the many small rows of the demo (visitor counts, links)
    a model instance per row would cost more than the database does."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(chunk))}",
                [value for row in chunk for value in row],
            )


def save_logs(sessions, activities):
    """Write what ``build_logs`` built, in bulk."""
    Session.objects.bulk_create([s for s, _ in sessions], batch_size=2000)
    _insert_rows(
        VisitorCount,
        ["session_id", "age_band_id", "gender", "count"],
        [(session.pk, *cell) for session, cells in sessions for cell in cells],
    )
    Activity.objects.bulk_create([a for a, _, _ in activities], batch_size=2000)
    _insert_rows(
        Activity.commitments.through,
        ["activity_id", "commitment_id"],
        [(a.pk, c.pk) for a, cs, _ in activities for c in cs],
    )
    _insert_rows(
        Activity.partners.through,
        ["activity_id", "partnerorganisation_id"],
        [(a.pk, p.pk) for a, _, ps in activities for p in ps],
    )


@transaction.atomic
def populate(agreement, *, seed, until, venue_specs=SEED_VENUES) -> bool:
    """Venues, age bands, sessions and activities for one agreement, unless it already has
    sessions (then nothing changes). Returns whether it wrote logs."""
    venues = ensure_venues(agreement, venue_specs)
    bands = ensure_age_bands(agreement)
    if agreement.sessions.exists():
        return False
    rng = rng_for(seed, agreement)
    sessions, activities = build_logs(
        agreement, rng, until=until, venues=venues, bands=bands, partners=partner_organisations()
    )
    save_logs(sessions, activities)
    return True


def _scaled(amount: Decimal, factor: Decimal) -> Decimal:
    return (amount * factor).quantize(Decimal("1"))


@transaction.atomic
def ensure_renewed_agreement(seed_agreement, today: date) -> tuple[Agreement, bool]:
    """A renewal of ``seed_agreement`` between the same parties for the calendar year of
    ``today``, made as a coordinator makes one (``partnership.lifecycle.renew``: a draft with
    the parties, commitments, budget structure, funding, goals, venues and age bands), then
    adjusted while a draft (signing, a budget scaled to the period) and activated."""
    start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    existing = Agreement.objects.filter(renews=seed_agreement, start_date=start).first()
    if existing:
        return existing, False
    months = 12
    seed_months = (
        relativedelta(seed_agreement.end_date + timedelta(days=1), seed_agreement.start_date).years
        * 12
        + relativedelta(
            seed_agreement.end_date + timedelta(days=1), seed_agreement.start_date
        ).months
    )
    factor = Decimal(months) / Decimal(seed_months or 12)
    renewed = lifecycle.renew(
        agreement=seed_agreement,
        start_date=start,
        end_date=end,
        title=f"{seed_agreement.title} (förnyad {today.year})",
        short_name=f"{seed_agreement.short_name} {today.year}",
        case_number=f"{seed_agreement.case_number} (förnyelse)".strip()[:50],
    )
    total = Decimal("0")
    for line in renewed.budget_lines.prefetch_related("positions"):
        positions = list(line.positions.all())
        for p in positions:
            p.months = months
            p.save(update_fields=["months"])
        if positions:
            line.amount = line.positions_total().quantize(Decimal("1"))
        else:
            line.amount = _scaled(line.amount, factor)
        line.save(update_fields=["amount"])
        total += line.amount
    for f in renewed.funding.filter(kind=Funding.Kind.CASH, amount__isnull=False):
        f.amount = total
        f.save(update_fields=["amount"])
    Agreement.objects.filter(pk=renewed.pk).update(
        budget_total=total,
        signing_date=date(today.year - 1, 12, 15),
        signing_place=seed_agreement.signing_place,
    )
    # The interim deadlines are the seed's, moved to the new year by the renewal.
    if not renewed.deadlines.filter(kind=ReportingDeadline.Kind.FINAL).exists():
        final = ReportingDeadline(
            agreement=renewed, kind=ReportingDeadline.Kind.FINAL, relative_to_end=True
        )
        final.apply_relative_rule()
        final.save()
    lifecycle.activate(agreement=renewed, today=today)
    renewed.refresh_from_db()
    return renewed, True


def create_synthetic_agreements(n: int, *, seed: int, until: date) -> int:
    """Agreements SYN-0001 … SYN-n (those missing), each between two fake organisations, with
    its own venue, counts and activities over one year ending at ``until``. Returns how many
    were created. Written in bulk, in batches of 50 agreements."""
    existing = set(
        Agreement.objects.filter(short_name__startswith=SYNTHETIC_PREFIX).values_list(
            "short_name", flat=True
        )
    )
    missing = [i for i in range(1, n + 1) if f"{SYNTHETIC_PREFIX}{i:04d}" not in existing]
    partners = partner_organisations()
    for start in range(0, len(missing), 50):
        _create_synthetic_batch(
            missing[start : start + 50], seed=seed, until=until, partners=partners
        )
    return len(missing)


@transaction.atomic
def _create_synthetic_batch(numbers, *, seed, until, partners):
    start_date = until - relativedelta(years=1) + timedelta(days=1)
    end_date = start_date + relativedelta(years=2) - timedelta(days=1)
    orgs = []
    for i in numbers:
        orgs.append(
            Organisation(
                name=f"Kommun {i:04d}",
                org_number=org_number(2 * i),
                sector=Organisation.Sector.PUBLIC,
                city="Exempelstad",
            )
        )
        orgs.append(
            Organisation(
                name=f"Förening {i:04d}",
                org_number=org_number(2 * i + 1),
                sector=Organisation.Sector.IDEA_DRIVEN,
                city="Exempelstad",
            )
        )
    Organisation.objects.bulk_create(orgs)
    agreements = Agreement.objects.bulk_create(
        [
            Agreement(
                title=f"Syntetisk överenskommelse {i:04d}",
                short_name=f"{SYNTHETIC_PREFIX}{i:04d}",
                status=Agreement.Status.ACTIVE,
                start_date=start_date,
                end_date=end_date,
                budget_total=Decimal("1000000"),
            )
            for i in numbers
        ]
    )
    parties = []
    for k, agreement in enumerate(agreements):
        parties.append(
            Party(agreement=agreement, organisation=orgs[2 * k], role=Party.Role.PUBLIC, order=0)
        )
        parties.append(
            Party(
                agreement=agreement,
                organisation=orgs[2 * k + 1],
                role=Party.Role.IDEA_DRIVEN,
                order=1,
            )
        )
    Party.objects.bulk_create(parties)
    commitments, lines, deadlines, venues, hours, bands = [], [], [], [], [], []
    for k, agreement in enumerate(agreements):
        public, idea = parties[2 * k], parties[2 * k + 1]
        commitments += [
            Commitment(agreement=agreement, party=idea, text="Driva mötesplatsen", order=1),
            Commitment(agreement=agreement, party=idea, text="Stöd och lotsning", order=2),
            Commitment(agreement=agreement, party=public, text="Tillhandahålla lokal", order=1),
        ]
        lines += [
            BudgetLine(
                agreement=agreement,
                category="personnel",
                text="Personal",
                amount=Decimal("800000"),
                order=1,
            ),
            BudgetLine(
                agreement=agreement,
                category="activities",
                text="Aktiviteter",
                amount=Decimal("200000"),
                order=2,
            ),
        ]
        deadlines.append(
            ReportingDeadline(
                agreement=agreement,
                kind=ReportingDeadline.Kind.FINAL,
                period_start=start_date,
                period_end=end_date,
                due_date=end_date - relativedelta(months=1),
                relative_to_end=True,
            )
        )
        deadlines.append(
            ReportingDeadline(
                agreement=agreement,
                kind=ReportingDeadline.Kind.CLOSE_OUT,
                period_start=start_date,
                period_end=end_date,
                due_date=end_date + relativedelta(months=2),
                relative_to_end=True,
            )
        )
        for name, kind, _pattern, _mean in SYNTHETIC_VENUES:
            venues.append(Venue(agreement=agreement, name=name, kind=kind, order=1))
        bands += [
            AgeBand(agreement=agreement, label=label, min_age=lo, max_age=hi, order=order)
            for order, (label, lo, hi) in enumerate(DEFAULT_AGE_BANDS, start=1)
        ]
    Commitment.objects.bulk_create(commitments)
    BudgetLine.objects.bulk_create(lines)
    ReportingDeadline.objects.bulk_create(deadlines)
    Venue.objects.bulk_create(venues)
    AgeBand.objects.bulk_create(bands)
    for venue in venues:
        for weekdays, opens, closes in SYNTHETIC_VENUES[0][2]:
            hours += [
                OpeningHours(venue=venue, weekday=wd, opens=opens, closes=closes) for wd in weekdays
            ]
    OpeningHours.objects.bulk_create(hours)
    all_sessions, all_activities = [], []
    for k, agreement in enumerate(agreements):
        venue = venues[k]
        s, a = build_logs(
            agreement,
            rng_for(seed, agreement),
            until=until,
            venues=[(venue, SYNTHETIC_VENUES[0][3])],
            bands=bands[5 * k : 5 * k + 5],
            partners=partners,
            today_partial=False,
        )
        all_sessions += s
        all_activities += a
    save_logs(all_sessions, all_activities)
