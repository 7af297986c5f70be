from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "facciamorete.api"
    verbose_name = "API"
