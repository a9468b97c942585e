"""Call numbers to label images and PDF, sheet templates and printer backends."""
