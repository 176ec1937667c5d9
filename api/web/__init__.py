"""Pages for people: templates, static files and the views that render them."""
