from io import StringIO

from django.core.management import call_command
from django.db.models import Count
from django.test import TestCase

from facciamorete.territory.models import District, Municipality


class TheDistrictsOfAslLatina(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_reference", stdout=StringIO())

    def members(self, code: str) -> set[str]:
        return set(District.objects.get(code=code).municipalities.values_list("name", flat=True))

    def test_lt1_is_aprilia_cisterna_cori_and_rocca_massima_led_by_aprilia(self):
        self.assertEqual(
            self.members("LT1"), {"Aprilia", "Cisterna di Latina", "Cori", "Rocca Massima"}
        )
        self.assertEqual(District.objects.get(code="LT1").lead_municipality.name, "Aprilia")

    def test_lt2_is_led_by_latina(self):
        self.assertEqual(
            self.members("LT2"), {"Latina", "Norma", "Pontinia", "Sabaudia", "Sermoneta"}
        )
        self.assertEqual(District.objects.get(code="LT2").lead_municipality.name, "Latina")

    def test_every_comune_of_the_province_of_latina_is_in_exactly_one_district(self):
        latina = Municipality.objects.filter(province__abbreviation="LT")
        per_comune = latina.annotate(n=Count("districts")).values_list("name", "n")
        self.assertEqual(len(per_comune), 33)
        self.assertEqual({name: n for name, n in per_comune if n != 1}, {})

    def test_lt3_has_no_lead_because_no_source_confirms_one(self):
        lt3 = District.objects.get(code="LT3")
        self.assertIsNone(lt3.lead_municipality)
        self.assertIn("non verificato", lt3.source)
        self.assertEqual(lt3.municipalities.count(), 8)

    def test_every_district_records_its_source_and_its_asl(self):
        for district in District.objects.all():
            with self.subTest(district.code):
                self.assertTrue(district.source)
                self.assertEqual(district.health_authority, "ASL Latina")
