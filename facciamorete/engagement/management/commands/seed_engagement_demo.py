"""Demo content: a charter version, news, events, a campaign and a call for volunteers.

Idempotent: run it again and nothing changes (rows are found by their version or slug). Not for
production: the charter it writes is a demonstration draft, not the text the assembly approved.
"""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from facciamorete.engagement.models import Campaign, Charter, Event, NewsItem, Opportunity
from facciamorete.organizations.models import Organization
from facciamorete.territory.models import Municipality

CHARTER_TEXT = """Gli enti che aderiscono a Facciamo Rete condividono questi principi.

1. **La rete forma e informa**: ogni ente tiene aggiornate le informazioni sui propri servizi,
   perché la persona sappia a chi rivolgersi e come.
2. **La rete genera solidarietà e condivisione** di risorse, competenze e spazi.
3. **La rete produce innovazione sociale e di sistema.**
4. **La rete promuove il rispetto della dignità della persona umana.**
5. **La rete è lo strumento naturale per promuovere la democrazia** e la partecipazione.

*Testo dimostrativo: la Carta in vigore è quella approvata dall'assemblea della rete.*
"""

NEWS = [
    (
        "nasce-la-piattaforma-dei-servizi",
        "Nasce la piattaforma dei servizi del distretto",
        "Un unico punto di accesso all'offerta di welfare di comunità del distretto LT1.",
        "La piattaforma raccoglie i servizi di associazioni, cooperative e istituzioni "
        "del distretto: **per ogni bisogno, a chi rivolgersi e come**.",
    ),
    (
        "aperte-le-adesioni",
        "Aperte le adesioni alla rete",
        "Associazioni, cooperative, scuole e imprese possono aderire online.",
        "Dalla pagina *Aderisci* un ente invia la domanda; il coordinamento la esamina "
        "e risponde per e-mail.",
    ),
]


class Command(BaseCommand):
    help = "Crea dati dimostrativi per adesioni, notizie ed eventi (idempotente)."

    def handle(self, *args, **options):
        Charter.objects.get_or_create(
            version="1.0",
            defaults={
                "title": "Carta della rete",
                "text": CHARTER_TEXT,
                "published_on": dt.date(2025, 1, 1),
            },
        )
        for slug, title, summary, body in NEWS:
            NewsItem.objects.get_or_create(
                slug=slug, defaults={"title": title, "summary": summary, "body": body}
            )
        organization = Organization.objects.published().order_by("name").first()
        aprilia = Municipality.objects.filter(istat_code="059001").first()
        start = timezone.localtime().replace(hour=17, minute=0, second=0, microsecond=0)
        events = [
            (
                "assemblea-della-rete",
                "Assemblea della rete",
                None,
                14,
                None,
                "Gli enti della rete si incontrano per fare il punto sui progetti dell'anno.",
            ),
            (
                "laboratorio-welfare-condominiale",
                "Laboratorio sul welfare condominiale",
                organization,
                21,
                20,
                "Come più famiglie dello stesso palazzo possono condividere un servizio.",
            ),
        ]
        for slug, title, org, days, seats, summary in events:
            Event.objects.get_or_create(
                slug=slug,
                defaults={
                    "title": title,
                    "summary": summary,
                    "description": summary,
                    "organization": org,
                    "place": "Sala consiliare",
                    "address": "Piazza Roma 1",
                    "municipality": aprilia,
                    "starts_at": start + dt.timedelta(days=days),
                    "ends_at": start + dt.timedelta(days=days, hours=2),
                    "seats": seats,
                },
            )
        if organization and aprilia:
            self._support_and_volunteering(organization, aprilia)
        self.stdout.write(self.style.SUCCESS("Dati dimostrativi di partecipazione pronti."))

    def _support_and_volunteering(self, organization, aprilia):
        Campaign.objects.get_or_create(
            slug="un-pulmino-per-la-rete",
            defaults={
                "organization": organization,
                "title": "Un pulmino per la rete",
                "summary": "Un mezzo attrezzato per accompagnare alle visite chi non può guidare.",
                "story": "Ogni settimana decine di persone anziane o con disabilità rinunciano "
                "a una visita perché non hanno chi le accompagni.",
                "project": "Trasporto sociale del distretto",
                "goal": 25000,
                "bank_details": "Intestatario: "
                + organization.name
                + "\nIBAN: (dato dimostrativo)\nCausale: pulmino",
            },
        )
        Opportunity.objects.get_or_create(
            slug="accompagnamento-alle-visite",
            defaults={
                "organization": organization,
                "title": "Accompagnamento alle visite",
                "description": "Accompagnare in auto persone anziane alle visite mediche.",
                "municipality": aprilia,
                "when": "il sabato mattina",
                "weekdays": ["sa"],
                "day_parts": ["morning"],
                "skills_wanted": "guida, ascolto",
            },
        )
