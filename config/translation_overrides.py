"""Strings of Django and of third-party apps that the project translates itself.

Django reads the project catalogue (``locale/``, ``LOCALE_PATHS``) before any app's, so a
string translated there is shown that way everywhere. This module is never imported: it lists
the strings so that ``makemessages`` (``bin/i18n``) keeps them in that catalogue.

- django-axes and django-simple-history have no Swedish catalogue, and Django admin shows
  their model and field names, their history pages and the revert page;
- a few words that another catalogue translates differently from the glossary
  (docs/glossary.md): Django's sessions app calls a session "session", ours is a
  *tillfälle*; Django writes "Idag", Språkrådet and we "I dag".

``tests/test_translations.py`` checks that every string of our catalogues is shown as we
translate it.
"""

from django.utils.translation import gettext_noop

GLOSSARY_OVER_OTHER_CATALOGUES = [
    gettext_noop("session"),
    gettext_noop("sessions"),
    gettext_noop("Sessions"),
    gettext_noop("Today"),
]

DJANGO_AXES = [
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Access Attempt"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
]

DJANGO_SIMPLE_HISTORY = [
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    gettext_noop("View history: %s"),
    gettext_noop("Revert %s"),
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop('The %(name)s "%(obj)s" was changed successfully.'),
    gettext_noop("You may edit it again below"),
    gettext_noop(
        "Choose a date from the list below to revert to a previous version of this object."
    ),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("Press the 'Change History' button below to edit the history."),
    gettext_noop("Revert"),
    gettext_noop("Change History"),
    gettext_noop("Deleted %(type_name)s"),
]
