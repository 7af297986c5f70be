"""Every role over every page of this issue: who gets in, and whose personal data they see."""

from django.urls import reverse

from .base import SECRET, ReferralsTestCase

ROLES = [
    "visitor",
    "person",
    "op_a",
    "op_b",
    "desk_op_x",
    "desk_op_y",
    "coordinator",
    "admin",
]


class TheAccessMatrix(ReferralsTestCase):
    def pages(self) -> dict[str, str]:
        return {
            "ask": reverse("referrals:ask"),
            "sent": reverse("referrals:sent"),
            "status": reverse("referrals:status"),
            "desks": reverse("referrals:desk_list"),
            "desk": reverse("referrals:desk_detail", args=[self.desk_x.slug]),
            "desk_queue": reverse("admin:referrals_helprequest_changelist"),
            "take_on_behalf": reverse("admin:referrals_helprequest_add"),
            "request": reverse("admin:referrals_helprequest_detail", args=[self.hr.code]),
            "org_queue": reverse("admin:referrals_referral_changelist"),
            "referral": reverse("admin:referrals_referral_detail", args=[self.referral.pk]),
            "unmet_need": reverse("admin:referrals_unmetneed_add"),
            "figures": reverse("admin:referrals_unmetneed_changelist"),
            "audit_log": reverse("admin:referrals_auditentry_changelist"),
        }

    # (status, sees the request's code, sees its personal data); anything not listed below is
    # (200, no, no) for public pages and a redirect to the login for people without staff access.
    EXPECTED = {
        "person": {"status": (200, True, False)},
        "op_a": {
            "desk_queue": (404,),
            "take_on_behalf": (404,),
            "request": (404,),
            "org_queue": (200, True, False),
            "referral": (200, True, True),
            "unmet_need": (404,),
            "figures": (200, False, False),
            "audit_log": (403,),
        },
        "op_b": {
            "desk_queue": (404,),
            "take_on_behalf": (404,),
            "request": (404,),
            "org_queue": (200, False, False),
            "referral": (404,),
            "unmet_need": (404,),
            "figures": (200, False, False),
            "audit_log": (403,),
        },
        "desk_op_x": {
            "desk_queue": (200, True, False),
            "take_on_behalf": (200, False, False),
            "request": (200, True, True),
            "org_queue": (200, False, False),
            "referral": (200, True, True),
            "unmet_need": (200, False, False),
            "figures": (200, False, False),
            "audit_log": (403,),
        },
        "desk_op_y": {
            "desk_queue": (200, False, False),
            "take_on_behalf": (200, False, False),
            "request": (404,),
            "org_queue": (200, False, False),
            "referral": (404,),
            "unmet_need": (200, False, False),
            "figures": (200, False, False),
            "audit_log": (403,),
        },
        "coordinator": {
            "desk_queue": (404,),
            "take_on_behalf": (404,),
            "request": (404,),
            "org_queue": (200, False, False),
            "referral": (404,),
            "unmet_need": (404,),
            "figures": (200, False, False),
            "audit_log": (403,),
        },
        "admin": {
            "desk_queue": (200, True, False),
            "take_on_behalf": (200, False, False),
            "request": (200, True, True),
            "org_queue": (200, True, False),
            "referral": (200, True, True),
            "unmet_need": (200, False, False),
            "figures": (200, False, False),
            "audit_log": (200, True, False),
        },
    }
    PUBLIC = {"ask", "sent", "status", "desks", "desk"}

    def expected(self, role: str, page: str) -> tuple:
        if page in self.EXPECTED.get(role, {}):
            return self.EXPECTED[role][page]
        if page in self.PUBLIC:
            return (200, False, False)
        return (302,)

    def test_every_role_sees_exactly_what_it_may_on_every_page(self):
        personal = [SECRET, "Amina Diallo", "333 123 4567"]
        for role in ROLES:
            self.client.logout()
            self.login(getattr(self, role))
            for page, url in self.pages().items():
                with self.subTest(role=role, page=page):
                    response = self.client.get(url)
                    want = self.expected(role, page)
                    self.assertEqual(response.status_code, want[0])
                    if want[0] == 302:
                        self.assertIn("/admin/login/", response["Location"])
                    if want[0] != 200:
                        continue
                    content = response.content.decode()
                    self.assertEqual(self.hr.code in content, want[1], "code")
                    for text in personal:
                        self.assertEqual(text in content, want[2], text)

    def test_the_organisation_never_sees_the_household(self):
        self.hr.household = self.desk_x.households.create()
        self.hr.household.members.create(first_name="Yusuf", birth_year=2015)
        self.hr.save()
        self.login(self.op_a)
        response = self.client.get(self.pages()["referral"])
        self.assertNotContains(response, "Yusuf")
        self.client.force_login(self.desk_op_x)
        self.assertContains(self.client.get(self.pages()["request"]), "Yusuf")
