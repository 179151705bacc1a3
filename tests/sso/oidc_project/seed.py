"""Users and the portal's client registration: python manage.py shell < seed.py (SSO_TEST_CLIENT_SECRET)."""

import os

from django.contrib.auth.models import User
from oauth2_provider.models import Application

for name, email in (("staffer", "staffer@college.example"), ("student1", "student1@college.example")):
    User.objects.create_user(name, email, "campus-pass-123")
Application.objects.create(
    name="portal",
    client_id="portal",
    client_secret=os.environ["SSO_TEST_CLIENT_SECRET"],
    client_type=Application.CLIENT_CONFIDENTIAL,
    authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
    redirect_uris="http://testserver/sso/oidc/callback/ http://127.0.0.1/sso/oidc/callback/",
    post_logout_redirect_uris="http://testserver/ http://127.0.0.1/",
    algorithm=Application.RS256_ALGORITHM,
    skip_authorization=True,
)
