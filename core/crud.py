"""View helpers for the create, edit and delete pages that every app has.

The pages extend ``base`` (the template of the section they belong to, e.g. an agreement's
pages with its tabs); ``context`` adds what that base template needs."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render


def saved(request, form, write, *, done):
    """The write of a create or edit page. On a POST whose ``form`` is valid, run
    ``write(form.cleaned_data)`` (a service call, which returns what it wrote) and show
    ``done``; returns what ``write`` returned. None when nothing was written: a GET, or the
    form carries the errors, the service's refusal (``ValidationError``) included."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        written = write(form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, done)
    return written


def form_page(request, form, *, title, back, base, context=None):
    """A page with one crispy form, its title and a Cancel link to ``back``."""
    return render(
        request,
        "core/form_page.html",
        {**(context or {}), "form": form, "title": title, "back": back, "base": base},
    )


def confirm_delete(request, obj, *, delete, question, done, back, base, context=None):
    """The confirmation page of a delete. On POST ``delete()`` runs (a service call) and the
    user goes back to ``back`` with ``done`` as a message, or sees the page again with the
    service's refusal (a locked period, for example): nothing is deleted then."""
    error = None
    if request.method == "POST":
        try:
            delete()
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            messages.success(request, done)
            return redirect(back)
    return render(
        request,
        "core/confirm_delete.html",
        {
            **(context or {}),
            "object": obj,
            "error": error,
            "question": question,
            "back": back,
            "base": base,
        },
    )
