import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from partnership.access import ROLE_GROUPS


@pytest.mark.django_db(transaction=True)
def test_role_groups_exist_again_after_a_flush():
    call_command("flush", interactive=False, verbosity=0)
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLE_GROUPS)
