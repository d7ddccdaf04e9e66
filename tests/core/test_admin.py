from __future__ import annotations

import pytest

from tests.factories import PersonFactory


@pytest.mark.django_db
def test_django_admin_is_for_superusers_only(as_client, secretariat):
    staff = PersonFactory(is_staff=True)
    superuser = PersonFactory(is_staff=True, is_superuser=True)
    # Staff flag alone, or the secretariat role, does not open the technical admin.
    assert as_client(staff).get("/django-admin/").status_code == 302
    assert as_client(secretariat).get("/django-admin/").status_code == 302
    response = as_client(superuser).get("/django-admin/")
    assert response.status_code == 200
    assert b"core/institution" in response.content


@pytest.mark.django_db
def test_audit_entries_cannot_be_edited_in_admin(as_client, secretariat):
    from django.db import transaction

    from prima.core.domain import audit

    with transaction.atomic():
        entry = audit.record(actor=secretariat, action="x.y", object_type="t", object_id="1")
    superuser = PersonFactory(is_staff=True, is_superuser=True)
    client = as_client(superuser)
    response = client.post(f"/django-admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert audit.verify_chain().ok
