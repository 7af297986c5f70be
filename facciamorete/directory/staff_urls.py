"""The staff page for spreadsheets of services, mounted at /admin/foglio-servizi/ by config.urls."""

from django.urls import path

from .staff_views import sheet_page

urlpatterns = [path("", sheet_page, name="staff_spreadsheet")]
