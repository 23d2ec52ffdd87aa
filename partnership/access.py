"""Who may see and do what. Every view asks here; nothing else decides access.

A user belongs to one organisation (``Membership``) and has roles through the groups
``staff`` and ``coordinator``. A user sees an agreement only when their organisation is a
party to it. Staff act for the idea-driven party, coordinators for the public party.
Admins work in Django admin and need no membership.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Agreement, Membership, Party

STAFF = "staff"
COORDINATOR = "coordinator"
ROLE_GROUPS = (STAFF, COORDINATOR)

# Which party role each user role acts for.
_PARTY_ROLE_FOR = {STAFF: Party.Role.IDEA_DRIVEN, COORDINATOR: Party.Role.PUBLIC}


def _load_membership(user):
    """The user's organisation and role groups, read in one query the first time a request
    asks and kept on the user object, which Django loads anew for every request. A user
    without a membership has no organisation; their groups are read separately."""
    if not hasattr(user, "_iop_organisation"):
        membership = (
            Membership.objects.select_related("organisation")
            .annotate(
                **{
                    f"in_{name}": Exists(Group.objects.filter(name=name, user=OuterRef("user")))
                    for name in ROLE_GROUPS
                }
            )
            .filter(user=user)
            .first()
        )
        user._iop_organisation = membership.organisation if membership else None
        if membership is not None:
            user._iop_roles = {name for name in ROLE_GROUPS if getattr(membership, f"in_{name}")}


def user_organisation(user):
    if not user.is_authenticated:
        return None
    _load_membership(user)
    return user._iop_organisation


def user_roles(user) -> set[str]:
    if not user.is_authenticated or not user.is_active:
        return set()
    _load_membership(user)
    cached = getattr(user, "_iop_roles", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=ROLE_GROUPS).values_list("name", flat=True))
        user._iop_roles = cached
    return cached


def agreements_for(user):
    """The agreements the user's organisation is a party to."""
    organisation = user_organisation(user)
    if organisation is None:
        return Agreement.objects.none()
    return Agreement.objects.for_organisation(organisation)


def _party_roles_of(organisation, agreement) -> set[str]:
    """The party roles (public, idea-driven) ``organisation`` holds in ``agreement``; read
    with the agreement by ``get_agreement_for_user``, else here."""
    known = getattr(agreement, "_party_roles", None)
    if known is not None:
        return known
    return set(agreement.parties.filter(organisation=organisation).values_list("role", flat=True))


def role_in(user, agreement) -> str | None:
    """The user's role in this agreement: STAFF, COORDINATOR or None.

    A role counts only when the user's organisation is party to the agreement in the party
    role that the user role acts for (staff of the association, coordinator of the
    municipality)."""
    organisation = user_organisation(user)
    if organisation is None:
        return None
    party_roles = _party_roles_of(organisation, agreement)
    for role in (STAFF, COORDINATOR):
        if role in user_roles(user) and _PARTY_ROLE_FOR[role] in party_roles:
            return role
    return None


def get_agreement_for_user(user, pk, roles=(STAFF, COORDINATOR)):
    """The agreement ``pk`` if the user may see it (else 404, revealing nothing) and has
    one of ``roles`` in it (else 403). One query: the agreement, filtered to those the
    user's organisation is party to, with the party roles it holds there."""
    organisation = user_organisation(user)
    if organisation is None:
        raise Http404
    party = Party.objects.filter(agreement=OuterRef("pk"), organisation=organisation)
    agreement = get_object_or_404(
        Agreement.objects.filter(Exists(party)).annotate(
            **{
                f"holds_{party_role}": Exists(party.filter(role=party_role))
                for party_role in Party.Role.values
            }
        ),
        pk=pk,
    )
    agreement._party_roles = {
        party_role for party_role in Party.Role.values if getattr(agreement, f"holds_{party_role}")
    }
    role = role_in(user, agreement)
    if role not in roles:
        raise PermissionDenied
    agreement.user_role = role
    return agreement


def get_agreement_for_history(user, pk):
    """The agreement whose history ``user`` may read: coordinators of its public party, and
    admins (superusers) for any agreement (DESIGN: "admins and coordinators can read")."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        agreement = get_object_or_404(Agreement, pk=pk)
        agreement.user_role = role_in(user, agreement)
        return agreement
    return get_agreement_for_user(user, pk, roles=(COORDINATOR,))


def can_read_history(user, agreement) -> bool:
    return user.is_superuser or getattr(agreement, "user_role", None) == COORDINATOR
