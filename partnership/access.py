"""Who may see and do what. Every view asks here; nothing else decides access.

A user belongs to one organisation (``Membership``) and has roles through the groups
``staff`` and ``coordinator``. A user sees an agreement only when their organisation is a
party to it. Staff act for the idea-driven party, coordinators for the public party.
Admins work in Django admin and need no membership.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Agreement, Membership, Party

STAFF = "staff"
COORDINATOR = "coordinator"
ROLE_GROUPS = (STAFF, COORDINATOR)

# Which party role each user role acts for.
_PARTY_ROLE_FOR = {STAFF: Party.Role.IDEA_DRIVEN, COORDINATOR: Party.Role.PUBLIC}


def _users_with_access():
    """Users with organisation (through the membership) and a flag per role."""
    role_flags = {
        f"_iop_has_{role}": Exists(Group.objects.filter(name=role, user=OuterRef("pk")))
        for role in ROLE_GROUPS
    }
    users = get_user_model()._default_manager
    return users.select_related("membership__organisation").annotate(**role_flags)


def load_user(user_id):
    """The user of a request with what nearly every page asks next: the organisation (through
    the membership) and the roles, in one query instead of three. Both are kept on the user
    object, which Django loads anew for every request, so a changed membership or role counts
    from the next request on. None when there is no such user."""
    user = _users_with_access().filter(pk=user_id).first()
    if user is None:
        return None
    try:
        user._iop_organisation = user.membership.organisation
    except ObjectDoesNotExist:
        user._iop_organisation = None
    user._iop_roles = {role for role in ROLE_GROUPS if getattr(user, f"_iop_has_{role}")}
    return user


def user_organisation(user):
    """The user's organisation (None for a user without a membership), read with the
    membership in one query and kept on the user object, which Django loads anew for every
    request."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_iop_organisation"):
        membership = Membership.objects.select_related("organisation").filter(user=user).first()
        user._iop_organisation = membership.organisation if membership else None
    return user._iop_organisation


def user_roles(user) -> set[str]:
    if not user.is_authenticated or not user.is_active:
        return set()
    cached = getattr(user, "_iop_roles", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=ROLE_GROUPS).values_list("name", flat=True))
        user._iop_roles = cached
    return cached


def agreements_for(user):
    """The agreements the user has a role in: their organisation is a party to it in the party
    role one of the user's roles acts for (staff: the idea-driven party, coordinator: the
    public party). None for a user without a role, even with a membership."""
    organisation = user_organisation(user)
    party_roles = {_PARTY_ROLE_FOR[role] for role in user_roles(user)}
    if organisation is None or not party_roles:
        return Agreement.objects.none()
    return Agreement.objects.filter(
        parties__organisation=organisation, parties__role__in=party_roles
    ).distinct()


def _role_for(user, party_roles) -> str | None:
    """STAFF or COORDINATOR when one of the user's roles acts for one of ``party_roles`` (the
    party roles the user's organisation holds in an agreement), else None."""
    for role in (STAFF, COORDINATOR):
        if role in user_roles(user) and _PARTY_ROLE_FOR[role] in party_roles:
            return role
    return None


def role_in(user, agreement) -> str | None:
    """The user's role in this agreement: STAFF, COORDINATOR or None.

    A role counts only when the user's organisation is party to the agreement in the party
    role that the user role acts for (staff of the association, coordinator of the
    municipality)."""
    organisation = user_organisation(user)
    if organisation is None:
        return None
    return _role_for(
        user,
        set(agreement.parties.filter(organisation=organisation).values_list("role", flat=True)),
    )


def get_agreement_for_user(user, pk, roles=(STAFF, COORDINATOR)):
    """The agreement ``pk`` if the user may see it (else 404, revealing nothing) and has
    one of ``roles`` in it (else 403). One query: the parties the user's organisation is in
    that agreement, each with the agreement joined; none means the user may not see it."""
    organisation = user_organisation(user)
    if organisation is None:
        raise Http404
    parties = list(
        Party.objects.select_related("agreement").filter(agreement_id=pk, organisation=organisation)
    )
    if not parties:
        raise Http404
    agreement = parties[0].agreement
    role = _role_for(user, {party.role for party in parties})
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


def party_role_of(role) -> str | None:
    """The party role a user role acts for: staff the idea-driven party, coordinators the
    public party (None for no role)."""
    return _PARTY_ROLE_FOR.get(role)


def acting_party(agreement):
    """The party of ``agreement`` (checked by ``get_agreement_for_user``, so it carries
    ``user_role``) that its user acts for, or None."""
    party_role = party_role_of(getattr(agreement, "user_role", None))
    if party_role is None:
        return None
    return agreement.parties.select_related("organisation").filter(role=party_role).first()


def users_acting_for(party):
    """The active users who act for ``party``: members of its organisation with the role that
    acts for its party role (staff for the idea-driven party, coordinators for the public
    one). The people an e-mail about the party's work goes to."""
    return get_user_model()._default_manager.filter(acting_for(Q(pk=party.pk)))


def acting_for(parties: Q, user: str = "") -> Q:
    """The rule of ``users_acting_for`` as a condition: the user, active, acts for a party
    matching ``parties``. ``user`` is the path to the user in the query filtered (empty: the
    user model itself); ``parties`` may hold ``OuterRef``s to that query, so a row written
    for a user (a notice) is checked against the user's membership and roles as they are
    now. One condition in the database, no query per row."""
    prefix = f"{user}__" if user else ""
    acting = Q()
    for role, party_role in _PARTY_ROLE_FOR.items():
        party = Party.objects.filter(
            parties,
            role=party_role,
            organisation_id=OuterRef(f"{prefix}membership__organisation_id"),
        )
        group = Group.objects.filter(name=role, user=OuterRef(user or "pk"))
        acting |= Exists(party) & Exists(group)
    return Q(**{f"{prefix}is_active": True}) & acting


def role_among(user, parties) -> str | None:
    """``role_in`` for an agreement whose ``parties`` (with ``organisation_id``) are already
    loaded: no query."""
    organisation = user_organisation(user)
    if organisation is None:
        return None
    return _role_for(user, {p.role for p in parties if p.organisation_id == organisation.pk})
