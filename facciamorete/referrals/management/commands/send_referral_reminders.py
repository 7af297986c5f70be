"""Run once a day (cron or the task worker): reminders for referrals waiting too long."""

from django.core.management.base import BaseCommand

from facciamorete.referrals.services import send_referral_reminders


class Command(BaseCommand):
    help = "Sollecita gli enti, poi gli sportelli, per gli invii fermi da troppi giorni lavorativi."

    def handle(self, *args, **options):
        sent = send_referral_reminders()
        self.stdout.write(
            f"reminders: {sent['organization']} to organisations, {sent['desk']} to desks"
        )
