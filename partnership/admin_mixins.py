"""Mixins for the ModelAdmins: of rows that an approved report locks, and of forms with an
autocomplete field.

``LockedPeriodAdminMixin`` makes a locked row read-only in Django admin (no change, no
delete), refuses with a form error a new or changed row dated in a locked period, and refuses
bulk deletion that includes a locked row. The ``pre_save``/``pre_delete`` receivers in
``partnership.locks`` stand behind it for any other path.
"""

import copy

from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import construct_instance

from .locks import assert_unlocked, is_locked


class LockedPeriodAdminMixin:
    def has_change_permission(self, request, obj=None):
        if obj is not None and is_locked(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and is_locked(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)

        class LockCheckingForm(form_class):
            def clean(self):
                cleaned_data = super().clean()
                # The row as it would be saved, on a copy: the form fills its own instance
                # only after clean().
                candidate = construct_instance(self, copy.copy(self.instance))
                try:
                    assert_unlocked(candidate)
                except ValidationError as error:
                    self.add_error(None, error)
                return cleaned_data

        LockCheckingForm.__name__ = form_class.__name__
        return LockCheckingForm

    def save_model(self, request, obj, form, change):
        try:
            assert_unlocked(obj)
        except ValidationError as error:
            raise PermissionDenied(error.messages[0]) from error
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        if is_locked(obj):
            raise PermissionDenied
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # The bulk "delete selected" action: all or nothing.
        if any(is_locked(obj) for obj in queryset):
            raise PermissionDenied
        super().delete_queryset(request, queryset)


class LockedParentInlineMixin:
    """For an inline whose rows are locked with their parent (visitor counts of a session)."""

    def has_add_permission(self, request, obj=None):
        if obj is not None and is_locked(obj):
            return False
        return super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if obj is not None and is_locked(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and is_locked(obj):
            return False
        return super().has_delete_permission(request, obj)


class KeyCheckingAutocompleteSelect(AutocompleteSelect):
    """Django admin's autocomplete widget looks the posted value up to show it again. A value
    that cannot be a key at all ("abc" for a number, from a hand-made post) made that lookup
    fail with a server error; it is shown as no choice, and the field's own validation says
    it is not a valid choice."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        key = remote.model._meta.get_field(remote.field_name)
        keys = []
        for v in value:
            try:
                key.to_python(v)
            except ValidationError:
                continue
            keys.append(v)
        return super().optgroups(name, keys, attr)


class KeyCheckingAutocompleteMixin:
    """For a ModelAdmin or inline with ``autocomplete_fields``."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeyCheckingAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
