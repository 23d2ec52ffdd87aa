"""What happens at the meeting place and in outreach: venues, sessions with aggregate visitor
counts, and activities tied to the agreement's commitments.

No model here stores anything that identifies a visitor: visits are counted per session by
age band and gender, never named. Do not add a field for a visitor's name, personal identity
number, contact details or free text about one person.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import NOTE_MAX_LENGTH, LineField, ProseField
from partnership.models import Agreement, Commitment
from partnership.services import assert_date_in_agreement, assert_date_not_future

# Sane upper bounds for one row, refused by forms and validators and, behind them, by check
# constraints: far above anything real, low enough to catch a typo.
MAX_COUNT_PER_CELL = 1000
MAX_PEOPLE_ON_DUTY = 100
MAX_HOURS_PER_ENTRY = 1000
MAX_QUANTITY = 10000


def volunteer_hours_field():
    """Volunteer hours of a session or an activity: 0 to MAX_HOURS_PER_ENTRY, one decimal."""
    return models.DecimalField(
        _("volunteer hours"),
        max_digits=6,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_HOURS_PER_ENTRY)],
    )


def validate_log_date(agreement, day, field="date"):
    """A logged day lies inside the agreement period and not in the future."""
    if day is None or agreement is None:
        return
    assert_date_in_agreement(agreement=agreement, day=day, field=field)
    assert_date_not_future(day=day, field=field)


class Venue(models.Model):
    class Kind(models.TextChoices):
        MEETING_PLACE = "meeting_place", _("Meeting place")
        OUTREACH = "outreach", _("Outreach")
        SPORTS_HALL = "sports_hall", _("Sports hall")
        OTHER = "other", _("Other")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="venues", verbose_name=_("agreement")
    )
    name = LineField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    address = LineField(_("address"), max_length=300, blank=True)
    closed_on_public_holidays = models.BooleanField(
        _("closed on public holidays"),
        default=True,
        help_text=_("Swedish public holidays and Midsummer, Christmas and New Year's Eve."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="venue_unique_name"),
        ]

    def __str__(self):
        return self.name


class OpeningHours(models.Model):
    """One weekday of a venue's regular opening pattern."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("venue")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.UniqueConstraint(fields=["venue", "weekday"], name="opening_hours_unique_day"),
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="opening_hours_close_after_open"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="opening_hours_weekday_0_6"
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class AgeBand(models.Model):
    """An age band of the visitor counts, configurable per agreement. The default bands are
    under 18, 18–20, 21–25, 26 and over, and unknown (both ages empty)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="age_bands", verbose_name=_("agreement")
    )
    label = LineField(_("label"), max_length=50)
    min_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("age band")
        verbose_name_plural = _("age bands")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "label"], name="age_band_unique_label"),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(max_age__gte=models.F("min_age")),
                name="age_band_max_after_min",
            ),
        ]

    def __str__(self):
        return self.label


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Other or unknown")


class Session(models.Model):
    """One opening of a venue, or one outreach round."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("agreement")
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("venue")
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    staff_on_duty = models.PositiveSmallIntegerField(
        _("staff on duty"), default=0, validators=[MaxValueValidator(MAX_PEOPLE_ON_DUTY)]
    )
    volunteers_on_duty = models.PositiveSmallIntegerField(
        _("volunteers on duty"), default=0, validators=[MaxValueValidator(MAX_PEOPLE_ON_DUTY)]
    )
    volunteer_hours = volunteer_hours_field()
    new_visitors = models.PositiveIntegerField(
        _("new visitors"),
        default=0,
        validators=[MaxValueValidator(MAX_COUNT_PER_CELL)],
        help_text=_("How many came for the first time (a count, no names)."),
    )
    note = ProseField(
        _("note"),
        max_length=NOTE_MAX_LENGTH,
        blank=True,
        help_text=_("About the session, never about a named or recognisable visitor."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-start_time"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "date", "start_time"], name="session_unique_venue_start"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="session_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(volunteer_hours__gte=0), name="session_volunteer_hours_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(volunteer_hours__lte=MAX_HOURS_PER_ENTRY),
                name="session_volunteer_hours_max",
            ),
            models.CheckConstraint(
                condition=Q(staff_on_duty__lte=MAX_PEOPLE_ON_DUTY)
                & Q(volunteers_on_duty__lte=MAX_PEOPLE_ON_DUTY),
                name="session_people_on_duty_max",
            ),
            models.CheckConstraint(
                condition=Q(new_visitors__lte=MAX_COUNT_PER_CELL), name="session_new_visitors_max"
            ),
        ]
        indexes = [models.Index(fields=["agreement", "date"], name="session_agreement_date")]

    def __str__(self):
        return f"{self.venue} {self.date:%Y-%m-%d} {self.start_time:%H:%M}"

    @property
    def hours(self) -> str:
        """Opening to closing, "13:00–16:00", as the lists and the tally screen show it."""
        return f"{self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def clean(self):
        super().clean()
        errors = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("The end time must be after the start time.")
        if self.venue_id and self.agreement_id and self.venue.agreement_id != self.agreement_id:
            errors["venue"] = _("The venue must belong to the same agreement.")
        if errors:
            raise ValidationError(errors)
        if self.agreement_id:
            validate_log_date(self.agreement, self.date)

    def total_visits(self) -> int:
        return self.counts.aggregate(total=models.Sum("count"))["total"] or 0


class VisitorCount(models.Model):
    """How many visitors of one age band and gender came to one session."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="counts", verbose_name=_("session")
    )
    age_band = models.ForeignKey(
        AgeBand, on_delete=models.PROTECT, related_name="+", verbose_name=_("age band")
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    count = models.PositiveIntegerField(
        _("count"), default=0, validators=[MaxValueValidator(MAX_COUNT_PER_CELL)]
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["age_band__order", "gender"]
        verbose_name = _("visitor count")
        verbose_name_plural = _("visitor counts")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "age_band", "gender"], name="visitor_count_unique_cell"
            ),
            models.CheckConstraint(condition=Q(count__gte=0), name="visitor_count_non_negative"),
            models.CheckConstraint(
                condition=Q(count__lte=MAX_COUNT_PER_CELL), name="visitor_count_max"
            ),
        ]

    def __str__(self):
        return f"{self.session}: {self.age_band} {self.get_gender_display()} = {self.count}"


class PartnerOrganisation(models.Model):
    """An organisation that takes part in activities (Svenska kyrkan, Röda korset, …)."""

    name = LineField(_("name"), max_length=120, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self):
        return self.name


class Activity(models.Model):
    class Type(models.TextChoices):
        HOMEWORK_HELP = "homework_help", _("Homework help")
        SUPPORT_GROUP = "support_group", _("Support group")
        INDIVIDUAL_TALK = "individual_talk", _("Individual talk")
        INFORMATION = "information", _("Information or education session")
        OUTREACH = "outreach", _("Outreach")
        SPORT = "sport", _("Sport")
        STUDY_VISIT = "study_visit", _("Study visit")
        REFERRAL = "referral", _("Referral to other services")
        LUNCH_COUPONS = "lunch_coupons", _("Lunch coupons")
        HOSTEL_NIGHTS = "hostel_nights", _("Hostel nights")
        NEXT_LEVEL = "next_level", _("Next-level engagement")
        OTHER = "other", _("Other")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="activities", verbose_name=_("agreement")
    )
    date = models.DateField(_("date"))
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    venue = models.ForeignKey(
        Venue,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("venue"),
    )
    commitments = models.ManyToManyField(
        Commitment, verbose_name=_("commitments served"), related_name="activities"
    )
    partners = models.ManyToManyField(
        PartnerOrganisation,
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="activities",
    )
    participants = models.PositiveIntegerField(
        _("participants"), default=0, validators=[MaxValueValidator(MAX_QUANTITY)]
    )
    coupons = models.PositiveIntegerField(
        _("lunch coupons"), default=0, validators=[MaxValueValidator(MAX_QUANTITY)]
    )
    hostel_nights = models.PositiveIntegerField(
        _("hostel nights"), default=0, validators=[MaxValueValidator(MAX_QUANTITY)]
    )
    referrals = models.PositiveIntegerField(
        _("referrals"), default=0, validators=[MaxValueValidator(MAX_QUANTITY)]
    )
    volunteer_hours = volunteer_hours_field()
    description = ProseField(
        _("description"),
        max_length=NOTE_MAX_LENGTH,
        blank=True,
        help_text=_("What was done, never who a participant is."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    history = HistoricalRecords(m2m_fields=[commitments, partners])

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(volunteer_hours__gte=0), name="activity_volunteer_hours_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(volunteer_hours__lte=MAX_HOURS_PER_ENTRY),
                name="activity_volunteer_hours_max",
            ),
            models.CheckConstraint(
                condition=Q(participants__lte=MAX_QUANTITY)
                & Q(coupons__lte=MAX_QUANTITY)
                & Q(hostel_nights__lte=MAX_QUANTITY)
                & Q(referrals__lte=MAX_QUANTITY),
                name="activity_quantities_max",
            ),
        ]
        indexes = [models.Index(fields=["agreement", "date"], name="activity_agreement_date")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.type_label}"

    @property
    def type_label(self) -> str:
        """The translated type, as ``get_type_display()`` gives it, at the cost of one
        translation: Django's ``get_FOO_display`` translates every choice on each call, which
        made it a fifth of the activities list's time."""
        try:
            return str(self.Type(self.type).label)
        except ValueError:  # a value no longer among the choices is shown as it is stored
            return self.type

    def clean(self):
        super().clean()
        if self.venue_id and self.agreement_id and self.venue.agreement_id != self.agreement_id:
            raise ValidationError({"venue": _("The venue must belong to the same agreement.")})
        if self.agreement_id:
            validate_log_date(self.agreement, self.date)
