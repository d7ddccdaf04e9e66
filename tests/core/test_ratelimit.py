from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from prima.core.models import AccountRequest


@pytest.mark.django_db
@override_settings(ACCOUNT_REQUESTS_PER_HOUR=3)
def test_public_account_request_form_is_rate_limited_per_address(client, institution_a):
    url = reverse("account_request_create")
    for _attempt in range(3):
        # Incomplete submissions count too: the limit guards the server, not the data.
        assert client.post(url, {"full_name": "x"}).status_code == 400
    response = client.post(url, {"full_name": "x"})
    assert response.status_code == 429
    assert "Terlalu banyak permohonan" in response.content.decode()
    assert AccountRequest.objects.count() == 0
    # Another address is not affected.
    assert client.post(url, {"full_name": "x"}, REMOTE_ADDR="10.1.2.3").status_code == 400


@pytest.mark.django_db
@override_settings(ACCOUNT_REQUESTS_PER_HOUR=1, BEHIND_PROXY=True)
def test_behind_a_proxy_the_forwarded_client_is_counted(client, institution_a):
    url = reverse("account_request_create")
    data = {"full_name": "x"}
    client.post(url, data, HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.1")
    assert client.post(url, data, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert client.post(url, data, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 400
