"""Scrapy spiders, found by name (`cd crawlers && scrapy crawl watch`)."""
