"""Open what a person hands us: a JSON file of service records, or the tabular form."""

import json
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

from . import tabular


class UnreadableFile(Exception):
    pass


def records_from_json(data) -> list[dict]:
    """A JSON array of full service records; a page of the HSDS API is accepted too."""
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data = data["contents"]
    elif isinstance(data, dict) and "status" in data:
        data = [data]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise UnreadableFile(_("Il file JSON deve contenere un array di servizi HSDS."))
    return data


def read_records(path: str | Path) -> list[dict]:
    path = Path(path)
    try:
        if path.is_dir():
            return tabular.read_directory(path)
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                return tabular.read_zip(archive)
        with path.open("rb") as stream:
            return records_from_json(json.load(stream))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, zipfile.BadZipFile) as exc:
        raise UnreadableFile(_("File illeggibile: %(error)s") % {"error": exc}) from exc
