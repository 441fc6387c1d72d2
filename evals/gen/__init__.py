"""Generated disclosures for scale tests: departments, figures, text and PDF renderings, answer keys."""
