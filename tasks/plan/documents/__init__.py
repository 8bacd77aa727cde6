"""Plan documents: a plan version rendered as HTML, PDF, DOCX and (its measures) XLSX."""
