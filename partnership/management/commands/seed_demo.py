from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from partnership.access import COORDINATOR, STAFF
from partnership.models import Membership, Organisation
from partnership.seed.loader import load_seed_agreement

# Demo accounts: username, password, role group, organisation number, display name.
# Known passwords are acceptable only in development, so they are refused with DEBUG off.
DEMO_ACCOUNTS = [
    ("personal", "demo-personal-2019", STAFF, "802496-6080", "Demo", "Personal"),
    ("samordnare", "demo-samordnare-2019", COORDINATOR, "212000-2528", "Demo", "Samordnare"),
    ("admin", "demo-admin-2019", None, None, "Demo", "Admin"),
]


class Command(BaseCommand):
    help = (
        "Load the seed agreement (Östersunds kommun – Hej främling!, 2019–2020) and demo "
        "accounts for the three roles. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-accounts",
            action="store_true",
            help="Load only the agreement (the only mode allowed with DEBUG off).",
        )

    def handle(self, *args, without_accounts=False, **options):
        if not without_accounts and not settings.DEBUG:
            raise CommandError(
                "Refusing to create demo accounts with known passwords while DEBUG is off. "
                "Use --without-accounts to load only the agreement."
            )
        with transaction.atomic():
            agreement, created = load_seed_agreement()
            accounts = [] if without_accounts else self._demo_accounts()
        verb = "Loaded" if created else "Already present:"
        self.stdout.write(
            f"{verb} {agreement.title} ({agreement.start_date} – {agreement.end_date})"
        )
        if accounts:
            self.stdout.write("Demo logins (username / password / role):")
            for username, password, role in accounts:
                self.stdout.write(f"  {username} / {password} / {role}")

    def _demo_accounts(self):
        User = get_user_model()
        out = []
        for username, password, role, org_number, first, last in DEMO_ACCOUNTS:
            user = User.objects.filter(username=username).first()
            if user is None:
                is_admin = role is None
                user = User.objects.create_user(
                    username=username,
                    password=password,
                    first_name=first,
                    last_name=last,
                    # .invalid never delivers; bin/start prints the mails to the console.
                    email=f"{username}@demo.invalid",
                    is_staff=is_admin,
                    is_superuser=is_admin,
                )
                if role:
                    user.groups.add(Group.objects.get(name=role))
                    Membership.objects.create(
                        user=user, organisation=Organisation.objects.get(org_number=org_number)
                    )
            out.append((username, password, role or "admin"))
        return out
