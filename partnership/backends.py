"""Authentication backend: Django's ModelBackend, reading the user of each request together
with the organisation and roles that the access checks need (``access.load_user``)."""

from django.contrib.auth.backends import ModelBackend

from .access import load_user


class MemberBackend(ModelBackend):
    def get_user(self, user_id):
        user = load_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
