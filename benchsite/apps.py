from django.apps import AppConfig


class BenchsiteConfig(AppConfig):
    name = "benchsite"
    verbose_name = "Load-benchmark ceiling (never installed in the product)"
