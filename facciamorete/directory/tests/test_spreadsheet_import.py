"""Services from a spreadsheet: the template, the preview with per-row errors, the commit."""

import csv
import io
import os
import re
import tempfile
import time
from pathlib import Path
from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from facciamorete.directory import spreadsheet, staff_views
from facciamorete.directory.models import Location, Schedule, Service

from .factories import (
    VALID_TAX_CODES,
    OrganizationFactory,
    ServiceFactory,
    UserFactory,
    language,
    municipality,
    operator_of,
    term,
)

HEADERS = spreadsheet.HEADERS


def row(**values) -> list[str]:
    base = {
        "ente": VALID_TAX_CODES[0],
        "nome": "Sportello di ascolto",
        "descrizione": "Ascolto e orientamento.",
        "famiglia": "socio-assistenziale",
        "aree": "anziani",
        "come_accedere": "Telefona.",
        "documenti": "Documento d'identità; Attestazione ISEE",
        "costo": "gratuito",
        "importo": "",
        "lingue": "it, inglese",
        "comune": "Aprilia",
        "indirizzo": "Via dei Mille 12",
        "cap": "04011",
        "telefono": "06 9281 1234",
        "email": "ascolto@example.org",
        "orari": "lun-ven 9-13; mar,gio 15-18",
    }
    base.update(values)
    return [base[c.key] for c in spreadsheet.COLUMNS]


def csv_bytes(rows, headers=HEADERS, encoding="utf-8", delimiter=";") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, headers=HEADERS) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(name: str, data: bytes) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


class SpreadsheetCase(TestCase):
    url = "/admin/foglio-servizi/"

    @classmethod
    def setUpTestData(cls):
        municipality("059001")
        municipality("059005")
        term("famiglie", "socio-assistenziale")
        term("famiglie", "giuridico-legale")
        term("aree-utenza", "anziani")
        language("it")
        language("en")
        cls.org = OrganizationFactory(name="Dispensa Solidale", tax_code=VALID_TAX_CODES[0])
        cls.other = OrganizationFactory(name="Cooperativa Altra", tax_code=VALID_TAX_CODES[1])
        cls.admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
        cls.operator = operator_of(cls.org, "operatore@example.org")

    def setUp(self):
        self.client.force_login(self.admin)
        # Previews wait in a directory of their own, removed after each test.
        stored = tempfile.TemporaryDirectory()
        self.addCleanup(stored.cleanup)
        patcher = mock.patch.object(staff_views, "storage_dir", lambda: Path(stored.name))
        patcher.start()
        self.addCleanup(patcher.stop)

    def preview(self, name: str, data: bytes):
        return self.client.post(self.url, {"file": upload(name, data)})

    def commit(self, response):
        return self.client.post(self.url, {"token": response.context["token"]}, follow=True)

    def problems(self, response) -> list[tuple[int, str, str]]:
        return [(p.row, p.column, p.problem) for p in response.context["problems"]]

    def form_error(self, response) -> str:
        return " ".join(response.context["form"].errors.get("file", []))


class TheTemplate(SpreadsheetCase):
    def test_downloads_as_xlsx_with_italian_headers_an_example_and_instructions(self):
        response = self.client.get(self.url, {"modello": "xlsx"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("modello-servizi.xlsx", response["Content-Disposition"])
        workbook = load_workbook(io.BytesIO(response.content))
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
        self.assertEqual(list(rows[0]), HEADERS)
        self.assertIn("Ente (codice fiscale o nome esatto)", rows[0])
        self.assertEqual(rows[1][HEADERS.index("Orari")], "lun-ven 9-13; mar,gio 15-18")
        self.assertEqual(workbook.sheetnames[1], "Istruzioni")

    def test_downloads_as_csv_in_utf8_with_bom_and_semicolons(self):
        response = self.client.get(self.url, {"modello": "csv"})
        self.assertTrue(response.content.startswith(b"\xef\xbb\xbf"))
        first = response.content.decode("utf-8-sig").splitlines()[0]
        self.assertEqual(first.split(";"), HEADERS)

    def test_page_lists_the_columns(self):
        response = self.client.get(self.url)
        self.assertContains(response, "Costo (gratuito/ISEE/a pagamento)")
        self.assertContains(response, "?modello=xlsx")

    def test_example_row_of_the_template_is_itself_valid(self):
        self.org.tax_code = "91057830597"
        self.org.save()
        term("aree-utenza", "famiglia-minori")
        language("ar")
        response = self.preview("modello.csv", spreadsheet.template_csv())
        self.assertEqual(self.problems(response), [])
        self.assertEqual(response.context["valid"], 1)


class UploadAndCommit(SpreadsheetCase):
    def test_previews_then_writes_every_part_of_the_service(self):
        response = self.preview("servizi.csv", csv_bytes([row()]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Sportello di ascolto")
        self.assertFalse(Service.objects.filter(name="Sportello di ascolto").exists())
        response = self.commit(response)
        self.assertContains(response, "1 servizi nuovi")
        service = Service.objects.get(name="Sportello di ascolto")
        self.assertEqual(service.organization, self.org)
        self.assertEqual([t.code for t in service.families.all()], ["socio-assistenziale"])
        self.assertEqual([t.code for t in service.areas.all()], ["anziani"])
        self.assertEqual(sorted(lang.code for lang in service.languages.all()), ["en", "it"])
        self.assertEqual(service.required_documents.count(), 2)
        self.assertEqual(
            sorted(s.byday for s in service.schedules.all()), ["MO,TU,WE,TH,FR", "TU,TH"]
        )
        self.assertEqual(service.phones.get().number, "+39 06 9281 1234")
        location = service.locations.get()
        self.assertEqual(
            (location.address_1, location.municipality_id), ("Via dei Mille 12", "059001")
        )

    def test_uploading_the_same_file_twice_changes_nothing(self):
        data = xlsx_bytes([row(), row(nome="Consulenza legale", famiglia="giuridico-legale")])
        self.commit(self.preview("servizi.xlsx", data))
        counts = (Service.objects.count(), Location.objects.count(), Schedule.objects.count())
        response = self.commit(self.preview("servizi.xlsx", data))
        self.assertContains(response, "0 servizi nuovi, 2 aggiornati")
        again = (Service.objects.count(), Location.objects.count(), Schedule.objects.count())
        self.assertEqual(counts, again)

    def test_a_new_upload_updates_the_service_with_the_same_organisation_and_name(self):
        existing = ServiceFactory(organization=self.org, name="Sportello di ascolto")
        self.commit(self.preview("servizi.csv", csv_bytes([row(descrizione="Nuova descrizione.")])))
        existing.refresh_from_db()
        self.assertEqual(existing.description, "Nuova descrizione.")
        self.assertEqual(Service.objects.filter(name="Sportello di ascolto").count(), 1)

    def test_reports_each_problem_with_row_column_and_reason_in_italian(self):
        rows = [
            row(),
            row(nome="A pagamento senza importo", costo="a pagamento"),
            row(nome="Orari strani", orari="quando capita"),
            row(nome="", comune="Atlantide"),
            row(nome="CAP", cap="040110"),
        ]
        response = self.preview("servizi.csv", csv_bytes(rows))
        problems = self.problems(response)
        self.assertIn(
            (3, "Importo €", "Per un servizio a pagamento indica l'importo in euro."), problems
        )
        self.assertIn(4, [p[0] for p in problems if p[1] == "Orari"])
        self.assertIn((5, "Nome del servizio", "Questo campo non può essere vuoto."), problems)
        self.assertIn(5, [p[0] for p in problems if p[1] == "Comune (nome o codice ISTAT)"])
        self.assertIn(
            "Il CAP è fatto di 5 cifre.", [p[2] for p in problems if p[:2] == (6, "CAP")][0]
        )
        self.assertNotIn("token", response.context)
        self.assertContains(response, "4 righe con errori")

    def test_the_same_service_twice_in_a_file_is_an_error(self):
        response = self.preview("servizi.csv", csv_bytes([row(), row()]))
        self.assertEqual(
            self.problems(response),
            [(3, "Nome del servizio", "Lo stesso servizio è già alla riga 2.")],
        )

    def test_commit_writes_nothing_when_the_catalogue_changed_after_the_preview(self):
        rows = [row(), row(nome="Altro", ente="Dispensa Solidale")]
        response = self.preview("servizi.csv", csv_bytes(rows))
        self.org.tax_code = VALID_TAX_CODES[2]
        self.org.save()
        response = self.commit(response)
        self.assertTrue(response.context["commit_failed"])
        self.assertFalse(Service.objects.filter(name="Altro").exists())

    def test_an_unknown_or_spent_token_asks_to_upload_again(self):
        response = self.client.post(self.url, {"token": "x" * 32}, follow=True)
        self.assertContains(response, "L&#x27;anteprima è scaduta")
        first = self.preview("servizi.csv", csv_bytes([row()]))
        self.commit(first)
        response = self.commit(first)
        self.assertContains(response, "anteprima è scaduta")


class MalformedFiles(SpreadsheetCase):
    def test_wrong_headers_name_the_missing_and_the_unknown_columns(self):
        headers = [h for h in HEADERS if h not in ("Descrizione", "Famiglia")] + ["Colore"]
        response = self.preview("servizi.csv", csv_bytes([], headers=headers))
        error = self.form_error(response)
        self.assertIn("Mancano le colonne: «Descrizione», «Famiglia».", error)
        self.assertIn("Colonne sconosciute: «Colore».", error)

    def test_short_headers_in_any_case_are_accepted(self):
        headers = [h.split(" (")[0].upper() for h in HEADERS]
        response = self.preview("servizi.csv", csv_bytes([row()], headers=headers))
        self.assertEqual(response.context["valid"], 1)

    def test_a_csv_in_windows_1252_is_recognised(self):
        data = csv_bytes([row(descrizione="Perché è così: più aiuto")], encoding="cp1252")
        response = self.preview("servizi.csv", data)
        self.assertEqual(response.context["encoding"], "Windows-1252")
        self.commit(response)
        self.assertEqual(Service.objects.get().description, "Perché è così: più aiuto")

    def test_a_csv_in_latin_1_or_utf16_with_bom_is_recognised(self):
        for encoding, label in [("latin-1", "Windows-1252"), ("utf-16", "UTF-16")]:
            with self.subTest(encoding):
                headers = [h.replace(" €", "") for h in HEADERS]  # Latin-1 has no euro sign
                rows = [row(descrizione="Più aiuto")]
                data = csv_bytes(rows, headers=headers, encoding=encoding)
                response = self.preview("servizi.csv", data)
                self.assertEqual(response.context["encoding"], label)
                self.assertEqual(response.context["valid"], 1)

    def test_a_csv_in_utf8_with_bom_and_commas_is_read(self):
        data = b"\xef\xbb\xbf" + csv_bytes([row(descrizione="Più aiuto")], delimiter=",")
        response = self.preview("servizi.csv", data)
        self.assertEqual(response.context["encoding"], "UTF-8 (BOM)")
        self.assertEqual(response.context["valid"], 1)

    def test_a_file_in_no_known_encoding_is_refused_clearly(self):
        data = csv_bytes([row()]) + b"\x81\x8d\x90;\x9d\n"
        response = self.preview("servizi.csv", data)
        self.assertIn("salvalo come «CSV UTF-8»", self.form_error(response))

    def test_binary_files_and_old_excel_files_are_refused(self):
        response = self.preview("servizi.csv", b"\x00\x01\x02binario")
        self.assertIn("non è un CSV di testo", self.form_error(response))
        response = self.preview("servizi.xls", b"\xd0\xcf\x11\xe0")
        self.assertIn("salva il foglio come XLSX o CSV", self.form_error(response))
        response = self.preview("servizi.xlsx", b"PK\x03\x04rotto")
        self.assertIn("non è un foglio XLSX leggibile", self.form_error(response))

    def test_an_empty_file_is_refused(self):
        response = self.preview("servizi.csv", b"\r\n;;\r\n\r\n")
        self.assertIn("Il file è vuoto", self.form_error(response))

    def test_empty_rows_are_skipped_and_rows_keep_the_files_numbering(self):
        empty = [""] * len(HEADERS)
        rows = [empty, row(), empty, empty, row(nome="Secondo", costo="boh")]
        response = self.preview("servizi.xlsx", xlsx_bytes(rows))
        self.assertEqual(response.context["total"], 2)
        self.assertEqual(
            self.problems(response),
            [
                (
                    6,
                    "Costo (gratuito/ISEE/a pagamento)",
                    "Scrivi «gratuito», «ISEE» oppure «a pagamento».",
                )
            ],
        )

    def test_formulas_are_refused_and_never_executed(self):
        rows = [
            row(nome="=1+1"),
            row(nome="Collegamento", descrizione='=HYPERLINK("http://x.example","clic")'),
            row(nome="DDE", come_accedere="-2+3+cmd|' /C calc'!A0"),
            row(nome="Chiocciola", descrizione="@SUM(A1)"),
        ]
        for name, data in [("servizi.xlsx", xlsx_bytes(rows)), ("servizi.csv", csv_bytes(rows))]:
            with self.subTest(name):
                response = self.preview(name, data)
                problems = self.problems(response)
                self.assertEqual([p[0] for p in problems], [2, 3, 4, 5])
                self.assertTrue(all("formula" in p[2] for p in problems))
        self.assertFalse(Service.objects.exists())

    def test_numbers_from_excel_cells_become_text(self):
        OrganizationFactory(name="Numerica", tax_code=VALID_TAX_CODES[2])
        values = row(cap=4011, importo=12.5, costo="a pagamento", ente=int(VALID_TAX_CODES[2]))
        response = self.preview("servizi.xlsx", xlsx_bytes([values]))
        self.assertEqual(self.problems(response), [])
        self.commit(response)
        service = Service.objects.get()
        self.assertEqual(str(service.cost_amount), "12.50")
        self.assertEqual(service.locations.get().postal_code, "04011")

    def test_fifty_thousand_rows_are_read_and_checked_in_reasonable_time(self):
        n = int(os.environ.get("SHEET_ROWS", 50_000))
        keys = ["ente", "nome", "descrizione", "famiglia", "come_accedere", "telefono", "orari"]
        headers = [spreadsheet.COLUMN_BY_KEY[k].header for k in keys]
        rows = (
            [VALID_TAX_CODES[0], f"Servizio {i}", "Ascolto.", "socio-assistenziale", "Telefona.",
             f"06 {1000000 + i % 500}", "lun-ven 9-13"]
            for i in range(n)
        )  # fmt: skip
        data = xlsx_bytes(rows, headers=headers)
        started = time.monotonic()
        with CaptureQueriesContext(connection) as queries:
            response = self.preview("grande.xlsx", data)
        seconds = time.monotonic() - started
        # Rows are checked against lookups read once: no query per row.
        self.assertLess(len(queries), 40)
        self.assertEqual(response.context["total"], n)
        self.assertEqual(response.context["problem_count"], 0)
        self.assertIn("token", response.context)
        self.assertLess(len(response.context["sample"]), 101)
        # A bound for a busy machine; anything quadratic would break it.
        self.assertLess(seconds, 180, f"{n} righe in {seconds:.1f} s")
        print(f"\n{n} righe lette e controllate in {seconds:.1f} s ({n / seconds:.0f} righe/s)")


class Permissions(SpreadsheetCase):
    def test_an_operator_imports_into_their_own_organisation(self):
        self.client.force_login(self.operator)
        response = self.commit(self.preview("servizi.csv", csv_bytes([row()])))
        self.assertContains(response, "1 servizi nuovi")
        self.assertEqual(Service.objects.get().organization, self.org)

    def test_an_operator_cannot_import_into_another_organisation(self):
        self.client.force_login(self.operator)
        rows = [row(), row(nome="Intruso", ente=VALID_TAX_CODES[1]), row(ente="Cooperativa Altra")]
        response = self.preview("servizi.csv", csv_bytes(rows))
        self.assertEqual(
            self.problems(response),
            [
                (
                    3,
                    HEADERS[0],
                    f"Ente «{VALID_TAX_CODES[1]}» non trovato tra quelli che puoi gestire.",
                ),
                (
                    4,
                    HEADERS[0],
                    "Ente «Cooperativa Altra» non trovato tra quelli che puoi gestire.",
                ),
            ],
        )
        self.assertNotIn("token", response.context)
        self.assertFalse(Service.objects.exists())

    def test_an_operator_cannot_commit_a_preview_of_another_session(self):
        rows = [row(ente=VALID_TAX_CODES[1])]
        token = self.preview("servizi.csv", csv_bytes(rows)).context["token"]
        self.client.force_login(self.operator)
        self.client.post(self.url, {"token": token})
        self.assertFalse(Service.objects.exists())

    def test_staff_without_an_organisation_and_visitors_are_kept_out(self):
        self.client.force_login(UserFactory(email="staff@example.org", is_staff=True))
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.client.logout()
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(re.search(r"/admin/login/", response["Location"]))

    def test_the_page_has_a_name(self):
        self.assertEqual(reverse("staff_spreadsheet"), self.url)
