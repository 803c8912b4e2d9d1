"""The core every other layer stands on: settings, bucket layout, URL identity, dates, WARC,
S3 access, the embedded S3 server, run specs, JSON lines and the typed records that cross
stage boundaries. It imports nothing else of newsloom."""
