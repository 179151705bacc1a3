"""The catalogue: departments, categories, disclosure items and disclosures, publishing, search, compliance."""
