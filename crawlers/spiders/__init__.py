"""Spiders. ``base.OutletSpider`` serves every outlet; outlet-specific subclasses register here."""

from crawlers.spiders.base import OutletSpider, Window, register, spider_for

__all__ = ["OutletSpider", "Window", "register", "spider_for"]
