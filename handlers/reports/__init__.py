"""Reports: official figures files in, workbooks, charts and year-end figures out (pure: bytes in, bytes out)."""
