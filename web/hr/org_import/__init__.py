"""Organisation import in the browser: upload, preview, apply."""
