"""The HSDS files: public downloads, the staff page, and the staff upload of a file."""

import io
import json
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from facciamorete.directory.hsds.export import iter_services
from facciamorete.directory.models import Service
from facciamorete.directory.tests.factories import UserFactory, operator_of
from facciamorete.directory.tests.hsds_fixtures import rich_catalogue, wipe_catalogue


class ThePublicDownloads(TestCase):
    @classmethod
    def setUpTestData(cls):
        rich_catalogue()

    def test_the_json_file_is_every_published_service(self):
        response = self.client.get("/api/open-data/hsds.json")
        data = json.loads(b"".join(response.streaming_content))
        self.assertEqual(
            {s["name"] for s in data}, {"Centro di ascolto", "Doposcuola", "Trasporto"}
        )
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")

    def test_the_zip_holds_the_csv_tables_and_the_datapackage(self):
        response = self.client.get("/api/open-data/hsds.zip")
        with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
            self.assertIn("datapackage.json", archive.namelist())
            self.assertIn("services.csv", archive.namelist())


class TheStaffPage(TestCase):
    @classmethod
    def setUpTestData(cls):
        catalogue = rich_catalogue()
        cls.exported = json.dumps(list(iter_services())).encode()
        cls.admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
        cls.operator = operator_of(catalogue["org"], "operatore@example.org")

    def upload(self, dry_run: bool):
        data = {"file": SimpleUploadedFile("servizi.json", self.exported)}
        if dry_run:
            data["dry_run"] = "on"
        return self.client.post("/admin/hsds/", data)

    def test_asks_a_visitor_to_sign_in(self):
        response = self.client.get("/admin/hsds/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/login/", response["Location"])

    def test_lets_an_operator_download_but_not_upload(self):
        self.client.force_login(self.operator)
        self.assertContains(self.client.get("/admin/hsds/"), "?download=zip")
        response = self.client.get("/admin/hsds/?download=json")
        self.assertEqual(len(json.loads(b"".join(response.streaming_content))), 3)
        self.assertEqual(self.upload(dry_run=False).status_code, 403)

    def test_a_dry_run_upload_shows_the_report_and_saves_nothing(self):
        wipe_catalogue()
        self.client.force_login(self.admin)
        response = self.upload(dry_run=True)
        self.assertContains(response, "3 servizi letti.")
        self.assertContains(response, "Prova: nulla è stato salvato.")
        self.assertFalse(Service.objects.exists())

    def test_an_upload_imports_the_file(self):
        wipe_catalogue()
        self.client.force_login(self.admin)
        self.assertContains(self.upload(dry_run=False), "Importazione completata.")
        self.assertEqual(Service.objects.count(), 3)

    def test_an_unreadable_upload_is_an_error_next_to_the_field(self):
        self.client.force_login(self.admin)
        response = self.client.post(
            "/admin/hsds/", {"file": SimpleUploadedFile("servizi.json", b"{rotto")}
        )
        self.assertContains(response, "File illeggibile")
