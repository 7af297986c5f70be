"""`manage.py seed_demo`: load the demo network of district LT1, idempotently."""

from django.core.management.base import BaseCommand, CommandError

from facciamorete.core.demo import DemoDataError, Report, demo_password, seed_demo


def _summary(counts) -> str:
    return ", ".join(f"{n} {label}" for label, n in sorted(counts.items()))


class Command(BaseCommand):
    help = (
        "Carica la rete dimostrativa del distretto LT1 (enti, sedi, servizi, account demo) da "
        "facciamorete/core/data/demo/. Si può ripetere: la seconda volta non cambia nulla. "
        "La password degli account demo viene da DEMO_PASSWORD (predefinita: facciamorete-demo)."
    )

    def handle(self, *args, **options):
        password = demo_password()
        try:
            report = seed_demo(password=password)
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        self._print_report(report)
        self.stdout.write(f"Password degli account demo: {password}")
        self.stdout.write("Per vedere gli accessi: manage.py demo_logins")

    def _print_report(self, report: Report) -> None:
        if not report.changed:
            self.stdout.write(self.style.SUCCESS("Rete demo: nessuna modifica, è già aggiornata."))
        for title, counts in (
            ("Creati", report.created),
            ("Aggiornati", report.updated),
            ("Rimossi", report.deleted),
        ):
            if counts:
                self.stdout.write(self.style.SUCCESS(f"{title}: {_summary(counts)}."))
        if report.groups_changed:
            self.stdout.write(f"Gruppi allineati: {', '.join(report.groups_changed)}.")
        if report.missing_audiences:
            self.stdout.write(
                self.style.WARNING(
                    "Fasce di utenza non presenti nei dati di riferimento, saltate: "
                    + ", ".join(sorted(report.missing_audiences))
                )
            )
