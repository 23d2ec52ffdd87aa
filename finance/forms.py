"""Forms of the money pages. Dates are ISO only; amounts whole kronor."""

from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import iso_date_field, name_the_empty_choice
from partnership.models import BudgetLine

from .expense_import import MAX_FILE_BYTES
from .models import Expense, InKindContribution, Payment, SieMappingRule
from .sie_import import MAX_FILE_BYTES as MAX_SIE_BYTES


class ExpenseForm(forms.ModelForm):
    date = iso_date_field(_("Date"))
    amount = forms.DecimalField(
        label=_("Amount (kr)"), min_value=Decimal("0"), max_digits=14, decimal_places=0
    )

    class Meta:
        model = Expense
        fields = ["date", "budget_line", "amount", "description", "voucher_reference"]

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = BudgetLine.objects.filter(agreement=agreement)
        name_the_empty_choice(self.fields["budget_line"], _("Choose a budget line"))


class PaymentForm(forms.ModelForm):
    date = iso_date_field(_("Date"))
    amount = forms.DecimalField(
        label=_("Amount (kr)"), min_value=Decimal("1"), max_digits=14, decimal_places=0
    )

    class Meta:
        model = Payment
        fields = ["date", "amount", "reference", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class InKindForm(forms.ModelForm):
    date = iso_date_field(_("Date"))
    hours = forms.DecimalField(
        label=_("Hours"), min_value=Decimal("0.5"), max_value=Decimal("10000"), decimal_places=1
    )

    class Meta:
        model = InKindContribution
        fields = ["date", "hours", "notional_hourly_value", "description"]


class ExpenseFilterForm(forms.Form):
    start = iso_date_field(_("From"), required=False)
    end = iso_date_field(_("To"), required=False)
    line = forms.ModelChoiceField(
        label=_("Budget line"), queryset=BudgetLine.objects.none(), required=False
    )

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = BudgetLine.objects.filter(agreement=agreement)
        name_the_empty_choice(self.fields["line"], _("All budget lines"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end date must not be before the start date."))
        return cleaned


class PeriodForm(forms.Form):
    """From/to of the budget page, ISO dates inside the agreement."""

    start = iso_date_field(_("From"), required=False)
    end = iso_date_field(_("To"), required=False)

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement = agreement

    def clean(self):
        cleaned = super().clean()
        a = self.agreement
        start = cleaned.get("start") or a.start_date
        end = cleaned.get("end") or a.end_date
        for name, day in (("start", start), ("end", end)):
            if not a.contains(day):
                self.add_error(
                    name,
                    _("The date must lie inside the agreement period (%(start)s – %(end)s).")
                    % {"start": a.start_date.isoformat(), "end": a.end_date.isoformat()},
                )
        if end < start:
            raise forms.ValidationError(_("The end date must not be before the start date."))
        cleaned["start"], cleaned["end"] = start, end
        return cleaned

    def period(self) -> tuple[date, date]:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return self.agreement.start_date, self.agreement.end_date


class ExpenseImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("An export from the accounting system; see the format below."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


class SieImportForm(forms.Form):
    file = forms.FileField(
        label=_("SIE file"),
        help_text=_("A SIE 4 export of the books (file type .se or .si), at most 10 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_SIE_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class SieMappingRuleForm(forms.ModelForm):
    account_from = forms.IntegerField(label=_("From account"), min_value=4000, max_value=7999)
    account_to = forms.IntegerField(label=_("To account"), min_value=4000, max_value=7999)
    dimension = forms.IntegerField(
        label=_("Dimension"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=SieMappingRule._meta.get_field("dimension").help_text,
    )

    class Meta:
        model = SieMappingRule
        fields = ["account_from", "account_to", "dimension", "object_id", "budget_line"]

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = BudgetLine.objects.filter(agreement=agreement)
        name_the_empty_choice(self.fields["budget_line"], _("Choose a budget line"))

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("account_from"), cleaned.get("account_to")
        if first is not None and last is not None and last < first:
            self.add_error("account_to", _("The first account must not be after the last."))
        if (cleaned.get("dimension") is None) != (not cleaned.get("object_id")):
            raise forms.ValidationError(_("Give both the dimension and the object, or neither."))
        return cleaned
