"""Test settings: the real settings with fast hashing and throwaway storage."""

import os
import tempfile

os.environ["PRIMA_TESTING"] = "1"

from prima.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="prima-test-media-"))  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False}
# WhiteNoise serves from the finders in tests; an empty root keeps it from warning.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="prima-test-static-"))  # noqa: F405

SMS_BACKEND = "sms.backends.locmem.SmsBackend"

# Jobs run inside the request that starts them, whatever TASKS_BACKEND says.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
