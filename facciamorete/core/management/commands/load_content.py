"""`manage.py load_content [--force] [slug …]`: create the network's shipped content pages."""

from django.core.management.base import BaseCommand, CommandError

from facciamorete.core.content.loader import ContentError, load_pages


def _pages(count: int, singular: str, plural: str) -> str:
    return f"{count} {'pagina' if count == 1 else 'pagine'} {singular if count == 1 else plural}"


class Command(BaseCommand):
    help = (
        "Crea le pagine della rete e le note legali fornite con la piattaforma. "
        "Non tocca le pagine che esistono già (modificate o no dallo staff), "
        "a meno che si usi --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "slugs",
            nargs="*",
            metavar="slug",
            help="Solo queste pagine (per esempio: privacy cookie). Senza: tutte.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "Sovrascrive con il testo fornito le pagine già presenti, anche se modificate "
                "dallo staff (lo stato «pubblicata» resta com'è)."
            ),
        )

    def handle(self, *args, slugs, force, **options):
        try:
            result = load_pages(force=force, only=slugs or None)
        except ContentError as error:
            raise CommandError(str(error)) from error

        parts = [_pages(len(result.created), "creata", "create")]
        if force:
            overwritten = _pages(len(result.overwritten), "sovrascritta", "sovrascritte")
            if result.overwritten:
                overwritten += f" ({', '.join(result.overwritten)})"
            parts.append(overwritten)
            same = len(result.unchanged)
            parts.append(f"{same} già {'uguale' if same == 1 else 'uguali'} al testo fornito")
        else:
            kept = len(result.kept)
            parts.append(f"{kept} già {'presente' if kept == 1 else 'presenti'}")
        self.stdout.write(self.style.SUCCESS(", ".join(parts) + "."))
        if result.kept and options["verbosity"] >= 2:
            self.stdout.write(
                "Lasciate come sono (usa --force per sostituirle): " + ", ".join(result.kept)
            )
