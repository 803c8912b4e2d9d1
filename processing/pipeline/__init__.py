"""Orchestration: the stages (crawl, extract, translate, publish, validate), runs and
backfills, run manifests and corpus maintenance. The only layer that imports both the crawler
(``crawlers``) and the processing libraries (extraction, language, translation, corpus)."""
