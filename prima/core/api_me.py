"""`GET /me`: who the caller is, and the roles they hold (session or token)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from prima.core.models import Membership, Person

router = Router(tags=["akun"])


class RefOut(Schema):
    id: int
    name: str


class MembershipOut(Schema):
    id: int
    role: str
    role_label: str
    scope: str
    institution: RefOut | None
    unit: RefOut | None


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    position: str
    phone: str
    nip: str
    memberships: list[MembershipOut]


def _ref(obj: object | None) -> RefOut | None:
    if obj is None:
        return None
    return RefOut(id=obj.pk, name=obj.name)  # type: ignore[attr-defined]


@router.get("/me", response=MeOut, summary="Pengguna yang sedang masuk dan perannya")
def me(request: HttpRequest) -> MeOut:
    """The authenticated person and their active memberships (role × scope × target)."""
    person = request.auth  # type: ignore[attr-defined]
    assert isinstance(person, Person)
    memberships = (
        Membership.objects.filter(person=person, is_active=True)
        .select_related("institution", "unit")
        .order_by("role", "id")
    )
    return MeOut(
        id=person.pk,
        username=person.get_username(),
        full_name=person.full_name,
        email=person.email,
        position=person.position,
        phone=person.phone,
        nip=person.nip,
        memberships=[
            MembershipOut(
                id=m.pk,
                role=m.role,
                role_label=str(m.get_role_display()),
                scope=m.scope,
                institution=_ref(m.institution),
                unit=_ref(m.unit),
            )
            for m in memberships
        ],
    )
