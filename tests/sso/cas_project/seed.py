"""Users and the service pattern the portal's tests sign in with: python manage.py shell < seed.py."""

from cas_server.models import ReplaceAttributName, ServicePattern
from django.contrib.auth.models import User

for name, email in (("staffer", "staffer@college.example"), ("student1", "student1@college.example")):
    User.objects.create_user(name, email, "campus-pass-123")
pattern = ServicePattern.objects.create(
    pos=1, name="portal", pattern=r"^https?://(testserver|127\.0\.0\.1|localhost)(:\d+)?/.*", single_log_out=False
)
ReplaceAttributName.objects.create(name="email", replace="mail", service_pattern=pattern)
