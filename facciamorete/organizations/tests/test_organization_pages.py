"""The public registry: members and partners, by kind and comune, each with its services."""

import datetime as dt

from django.test import TestCase
from django.urls import reverse

from facciamorete.directory.models import Service
from facciamorete.directory.tests.factories import (
    OrganizationFactory,
    ServiceFactory,
    municipality,
)
from facciamorete.organizations.models import Membership, Organization


class TheOrganisationsList(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.odv = OrganizationFactory(name="Volontari del Borgo", kind="odv")
        cls.coop = OrganizationFactory(
            name="Cooperativa Il Ponte", kind="coop_sociale", municipality=municipality("059006")
        )
        ServiceFactory(organization=cls.coop)
        ServiceFactory(organization=cls.coop, status=Service.Status.DEFUNCT)
        OrganizationFactory(name="Ente sospeso", status=Organization.Status.SUSPENDED)
        OrganizationFactory(name="Ente in attesa", status=Organization.Status.PENDING)

    def test_shows_active_organisations_grouped_by_kind_with_their_service_count(self):
        response = self.client.get(reverse("organizations:list"))
        self.assertContains(response, "Cooperativa sociale")
        self.assertContains(response, "Cooperativa Il Ponte")
        self.assertContains(response, "(1 servizio)")
        self.assertNotContains(response, "Ente sospeso")
        self.assertNotContains(response, "Ente in attesa")

    def test_filters_by_kind_and_by_comune(self):
        response = self.client.get(reverse("organizations:list"), {"kind": "odv"})
        self.assertContains(response, "Volontari del Borgo")
        self.assertNotContains(response, "Cooperativa Il Ponte")
        response = self.client.get(reverse("organizations:list"), {"municipality": "059006"})
        self.assertContains(response, "Cooperativa Il Ponte")
        self.assertNotContains(response, "Volontari del Borgo")

    def test_needs_the_same_queries_however_many_organisations(self):
        with self.assertNumQueries(4):
            self.client.get(reverse("organizations:list"))
        OrganizationFactory.create_batch(5)
        with self.assertNumQueries(4):
            self.client.get(reverse("organizations:list"))


class AnOrganisationPage(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.org = OrganizationFactory(
            name="Cooperativa Il Ponte",
            kind="coop_sociale",
            tax_code="00000010017",
            runts_section="d",
        )
        Membership.objects.create(
            organization=cls.org, role="aderente", start_date=dt.date(2021, 3, 15)
        )
        ServiceFactory(organization=cls.org, name="Doposcuola")
        ServiceFactory(organization=cls.org, name="Vecchio servizio", status=Service.Status.DEFUNCT)

    def test_shows_its_profile_membership_and_published_services(self):
        response = self.client.get(self.org.get_absolute_url())
        self.assertContains(response, '<h1 lang="it">Cooperativa Il Ponte</h1>', html=True)
        self.assertContains(response, "Aderente")
        self.assertContains(response, "dal 15 marzo 2021")
        self.assertContains(response, "00000010017")
        self.assertContains(response, "Doposcuola")
        self.assertNotContains(response, "Vecchio servizio")

    def test_a_suspended_organisation_has_no_public_page(self):
        self.org.status = Organization.Status.SUSPENDED
        self.org.save()
        self.assertEqual(self.client.get(self.org.get_absolute_url()).status_code, 404)
