"""Scrapy project: the `watch` spider, page extraction, listing matching and the observation pipeline."""
