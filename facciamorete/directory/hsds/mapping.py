"""How our catalogue maps onto HSDS 3.0: ids, our attribute taxonomy, the taxonomy slots.

HSDS wants a UUID for every object. Objects we keep inline (a location's address, a service's
cost, a language spoken, a tag) get a UUID derived from their owner's id with `uuid5`, so that
the same catalogue always exports the same ids and an import of our own export is an upsert.
"""

import uuid

HSDS_VERSION = "3.0"
HSDS_PROFILE = "https://openreferral.org/imls/hsds/"

# Our Italian facts travel as HSDS attributes whose taxonomy term belongs to this taxonomy.
ATTRIBUTE_TAXONOMY_URI = "https://facciamorete.it/taxonomies/attributi"
ATTRIBUTE_TAXONOMY = {
    "id": str(uuid.uuid5(uuid.NAMESPACE_URL, ATTRIBUTE_TAXONOMY_URI)),
    "name": "Attributi di Facciamo Rete",
    "description": (
        "I dati italiani che HSDS non prevede (codice fiscale, RUNTS, codice ISTAT del comune, "
        "distretto, classe di costo…), pubblicati come attributi. Codici nostri."
    ),
    "uri": ATTRIBUTE_TAXONOMY_URI,
    "version": "1",
}

# code -> (name, description)
ATTRIBUTE_TERMS = {
    "codice-fiscale": ("Codice fiscale", "Il codice fiscale o la partita IVA dell'ente."),
    "tipo-ente": ("Tipo di ente", "Il tipo di ente (ODV, APS, cooperativa sociale, Comune…)."),
    "stato-ente": ("Stato dell'ente", "active, pending o suspended."),
    "runts-sezione": ("Sezione RUNTS", "La sezione del Registro unico del Terzo settore (a–g)."),
    "runts-numero": ("Numero RUNTS", "Il numero di repertorio nel RUNTS."),
    "pec": ("PEC", "La posta elettronica certificata dell'ente."),
    "comune-istat": ("Comune (codice ISTAT)", "Il codice ISTAT a sei cifre del comune."),
    "distretto": ("Distretto socio-sanitario", "Il codice del distretto socio-sanitario."),
    "classe-costo": ("Classe di costo", "free (gratuito), copay (compartecipazione), paid."),
    "accessibilita": ("Accessibilità", "Note sull'accessibilità del servizio."),
    "sedia-rotelle": ("Accessibile in sedia a rotelle", "true se la sede è accessibile."),
    "chiude-giorno-dopo": ("Chiude dopo mezzanotte", "true se l'orario finisce il giorno dopo."),
    "aperto-festivi": ("Aperto nei giorni festivi", "true se l'orario vale anche nei festivi."),
}

# Our taxonomies whose terms tag services, and the Service field that holds them.
SERVICE_TAXONOMY_FIELDS = {
    "famiglie": "families",
    "aree-utenza": "areas",
    "fasce-utenza": "audiences",
}
ORGANIZATION_TAXONOMY_FIELDS = {"art5": "activities"}

COST_OPTION_LABELS = {
    "free": "Gratuito",
    "copay": "Compartecipazione in base all'ISEE",
    "paid": "A pagamento",
}


def derived_id(owner_id, *parts) -> str:
    """A stable UUID for an object HSDS wants but we keep inline in `owner`."""
    return str(uuid.uuid5(uuid.UUID(str(owner_id)), "/".join(str(p) for p in parts)))


def attribute_term(code: str) -> dict:
    name, description = ATTRIBUTE_TERMS[code]
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{ATTRIBUTE_TAXONOMY_URI}/{code}")),
        "code": code,
        "name": name,
        "description": description,
        "taxonomy": ATTRIBUTE_TAXONOMY["name"],
        "taxonomy_id": ATTRIBUTE_TAXONOMY["id"],
        "taxonomy_detail": ATTRIBUTE_TAXONOMY,
        "term_uri": f"{ATTRIBUTE_TAXONOMY_URI}/{code}",
    }


def compact(obj):
    """HSDS has no nulls: drop None and empty strings and lists, recursively."""
    if isinstance(obj, dict):
        out = {}
        for key, value in obj.items():
            value = compact(value)
            if value is None or value == "" or value == []:
                continue
            out[key] = value
        return out
    if isinstance(obj, list):
        return [compact(v) for v in obj]
    return obj
