"""The texts a person agrees to. A new text gets a new version; old versions stay, so that every
recorded consent can be shown with the words the person actually read."""

from django.utils.translation import gettext_lazy as _

PRIVACY_NOTICES = {
    "2025-1": _(
        "I dati che scrivi qui (il bisogno, il comune, la lingua e i contatti) servono solo a "
        "rispondere alla tua richiesta. Li vede lo sportello della rete che serve il tuo comune. "
        "Un ente che offre un servizio li riceve solo se sei d'accordo, e puoi ritirare il "
        "consenso in ogni momento dalla pagina della tua richiesta. Puoi ritirare la "
        "richiesta quando vuoi; i dati sono cancellati dopo il periodo indicato "
        "nell'informativa privacy della rete."
    ),
}
PRIVACY_NOTICE_VERSION = "2025-1"

SHARING_NOTICES = {
    "2025-1": _(
        "La persona è d'accordo che l'ente riceva la descrizione del bisogno, le aree, il comune, "
        "la lingua preferita, il nome e i contatti scelti, per rispondere a questa richiesta. "
        "Il nucleo familiare non viene condiviso. Il consenso si può revocare in ogni momento."
    ),
}
SHARING_NOTICE_VERSION = "2025-1"
SHARED_WITH_ORGANIZATION = "descrizione, aree, comune, lingua, nome, contatti"


def privacy_notice(version: str = PRIVACY_NOTICE_VERSION) -> str:
    return PRIVACY_NOTICES[version]


def sharing_notice(version: str = SHARING_NOTICE_VERSION) -> str:
    return SHARING_NOTICES[version]
