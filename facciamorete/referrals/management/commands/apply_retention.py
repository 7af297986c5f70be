"""Run once a day (cron or the task worker): anonymise closed requests past the retention period."""

from django.core.management.base import BaseCommand

from facciamorete.referrals.services import apply_retention


class Command(BaseCommand):
    help = "Anonimizza le richieste chiuse più vecchie di REFERRAL_RETENTION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="override the setting")

    def handle(self, *args, **options):
        count = apply_retention(days=options["days"])
        self.stdout.write(f"anonymised: {count}")
