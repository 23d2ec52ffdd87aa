"""View helpers for the create, edit and delete pages that every app has.

The pages extend ``base`` (the template of the section they belong to, e.g. an agreement's
pages with its tabs); ``context`` adds what that base template needs."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _


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


def confirm_page(
    request,
    *,
    title,
    question,
    consequences=(),
    problems=(),
    button,
    button_class="btn-primary",
    back,
    base,
    context=None,
):
    """The second step of an action that one tap should not do: what will happen
    (``consequences``, one sentence each), and a form that posts to the page's own address
    with ``button``, or, when ``problems`` says why the action cannot be done yet, no form.
    Works without JavaScript."""
    return render(
        request,
        "core/confirm.html",
        {
            **(context or {}),
            "title": title,
            "question": question,
            "consequences": consequences,
            "problems": problems,
            "button": button,
            "button_class": button_class,
            "back": back,
            "base": base,
        },
    )


def confirm_delete(request, obj, *, delete, question, done, back, base, context=None):
    """The confirmation page of a delete. On POST ``delete()`` runs (a service call) and the
    user goes back to ``back`` with ``done`` as a message, or sees the page again with the
    service's refusal (a locked period, for example): nothing is deleted then."""
    problems = ()
    if request.method == "POST":
        try:
            delete()
        except ValidationError as e:
            problems = e.messages
        else:
            messages.success(request, done)
            return redirect(back)
    return confirm_page(
        request,
        title=_("Delete"),
        question=question,
        consequences=[_("The deletion is kept in the history.")],
        problems=problems,
        button=_("Yes, delete"),
        button_class="btn-danger",
        back=back,
        base=base,
        context={**(context or {}), "object": obj},
    )
